using Monitoring.Contracts;
using Monitoring.Dashboard.Series;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.Tests;

public sealed class SuppressionTests
{
    private static readonly DateTimeOffset Monday = new(2024, 4, 29, 0, 0, 0, TimeSpan.Zero);

    private static CellCounts Cell(string region, long posts, long authors, Granularity g = Granularity.Day, int day = 0, string marker = "loneliness") =>
        new(marker, region, g, "", Monday.AddDays(day), posts, authors);

    [Theory]
    [InlineData(10, 500, true)]
    [InlineData(11, 49, true)]
    [InlineData(11, 50, false)]
    [InlineData(1000, 1000, false)]
    public void Primary_rule_is_fewer_than_11_posts_or_50_authors(long posts, long authors, bool suppressed) =>
        Assert.Equal(suppressed, Suppression.IsPrimary(posts, authors));

    [Fact]
    public void A_single_suppressed_region_drags_the_smallest_other_region_with_it()
    {
        var all = Cell("all", 1000, 900);
        var small = Cell("AR-X", 5, 5);
        var mid = Cell("AR-C", 100, 90);
        var big = Cell("AR-B", 895, 800);
        var result = Suppression.Apply([all, small, mid, big]);
        Assert.Equal(SuppressionReason.Primary, result[small]);
        Assert.Equal(SuppressionReason.Complementary, result[mid]);
        Assert.Equal(SuppressionReason.None, result[big]);
        Assert.Equal(SuppressionReason.None, result[all]);
    }

    [Fact]
    public void When_the_only_part_is_suppressed_the_total_is_suppressed()
    {
        var all = Cell("all", 60, 55);
        var only = Cell("AR-B", 8, 8);
        var result = Suppression.Apply([all, only]);
        Assert.Equal(SuppressionReason.Complementary, result[all]);
    }

    [Fact]
    public void Two_suppressed_parts_whose_sum_is_still_tiny_need_a_third()
    {
        var all = Cell("all", 1000, 900);
        var a = Cell("A", 3, 3);
        var b = Cell("B", 4, 4);
        var c = Cell("C", 200, 150);
        var d = Cell("D", 793, 700);
        var result = Suppression.Apply([all, a, b, c, d]);
        Assert.Equal(SuppressionReason.Complementary, result[c]); // 3 + 4 = 7 < 11 would be revealed as a pair
        Assert.Equal(SuppressionReason.None, result[d]);
    }

    [Fact]
    public void A_suppressed_day_is_protected_against_its_week_total()
    {
        var week = Cell("AR-B", 700, 400, Granularity.Week);
        var days = Enumerable.Range(0, 7).Select(d => Cell("AR-B", d == 3 ? 5 : 100 + d, 80, Granularity.Day, d)).ToList();
        var result = Suppression.Apply([week, .. days]);
        Assert.Equal(SuppressionReason.Primary, result[days[3]]);
        Assert.Equal(2, days.Count(d => result[d] != SuppressionReason.None));
        Assert.Equal(SuppressionReason.Complementary, result[days[0]]); // the smallest shown day
    }

    [Fact]
    public void Random_cubes_never_leave_a_total_that_reveals_a_suppressed_cell()
    {
        var random = new Random(20240501);
        for (var trial = 0; trial < 300; trial++)
        {
            var cells = RandomCube(random);
            var result = Suppression.Apply(cells);
            foreach (var c in cells.Where(c => Suppression.IsPrimary(c.Posts, c.Authors)))
            {
                Assert.NotEqual(SuppressionReason.None, result[c]);
            }
            foreach (var (total, parts) in Suppression.Groups(cells))
            {
                if (result[total] != SuppressionReason.None) continue;
                var hidden = parts.Where(p => result[p] != SuppressionReason.None).ToList();
                if (hidden.Count == 0) continue;
                var residual = total.Posts - parts.Where(p => result[p] == SuppressionReason.None).Sum(p => p.Posts);
                Assert.True(hidden.Count >= 2, $"trial {trial}: a shown total with one hidden part reveals it ({total})");
                Assert.True(residual >= 11, $"trial {trial}: the hidden parts of {total} add up to {residual} posts");
            }
        }
    }

    /// <summary>One marker, one week: the 'all' region and 2–5 regions, each with hours, days and the week, all additive.</summary>
    private static List<CellCounts> RandomCube(Random random)
    {
        var regions = Enumerable.Range(0, random.Next(2, 6)).Select(i => $"R{i}").ToList();
        var hourPosts = new Dictionary<(string, int), long>();
        foreach (var r in regions)
        {
            for (var h = 0; h < 7 * 24; h += random.Next(1, 12))
            {
                hourPosts[(r, h)] = random.Next(0, 4) == 0 ? random.Next(1, 11) : random.Next(1, 60);
            }
        }
        var cells = new List<CellCounts>();
        long Authors(long posts) => Math.Max(1, (long)(posts * (0.5 + random.NextDouble() * 0.5)));
        foreach (var r in regions.Append("all"))
        {
            IEnumerable<KeyValuePair<(string, int), long>> mine = r == "all" ? hourPosts : hourPosts.Where(kv => kv.Key.Item1 == r);
            var byHour = mine.GroupBy(kv => kv.Key.Item2).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
            foreach (var (h, p) in byHour) cells.Add(new CellCounts("m", r, Granularity.Hour, "", Monday.AddHours(h), p, Authors(p)));
            foreach (var day in byHour.GroupBy(kv => kv.Key / 24))
            {
                var p = day.Sum(kv => kv.Value);
                cells.Add(new CellCounts("m", r, Granularity.Day, "", Monday.AddDays(day.Key), p, Authors(p)));
            }
            var w = byHour.Values.Sum();
            if (w > 0) cells.Add(new CellCounts("m", r, Granularity.Week, "", Monday, w, Authors(w)));
        }
        return cells;
    }
}
