using Monitoring.Contracts;
using Monitoring.Dashboard.Alerts;

namespace Monitoring.Dashboard.Series;

/// <summary>The counts the suppression rules look at, for one cell of one series.</summary>
public sealed record CellCounts(string Marker, string Region, Granularity Granularity, string Topic, DateTimeOffset Start, long Posts, long Authors);

public enum SuppressionReason { None, Primary, Complementary }

/// <summary>
/// Statistical disclosure control for the series cells (DESIGN.md, privacy rules).
/// <para><b>Primary</b>: a cell with fewer than 11 posts or fewer than 50 distinct authors is suppressed.</para>
/// <para><b>Complementary (secondary)</b>: posts are additive, so a shown total minus its shown parts gives the
/// suppressed parts. Totals and their parts are: the <c>all</c> region and the regions of the same bucket; a week and
/// its days; a day and its hours. In every such group whose total is shown, the suppressed parts must be either
/// none, or at least two whose combined posts (total minus shown parts) reach the minimum; otherwise the smallest
/// shown part is suppressed too, and when no part is left to suppress, the total is. The groups never cross an ISO
/// week, and the result is computed over every region and granularity of the week, so it is the same whichever
/// slice a request asks for.</para>
/// </summary>
public static class Suppression
{
    public static bool IsPrimary(long posts, long authors) => posts < PrivacyRules.MinCellPosts || authors < PrivacyRules.MinCellAuthors;

    /// <summary>Computes the suppression of every cell. The cells should cover whole ISO weeks of one marker and topic, all regions and granularities.</summary>
    public static Dictionary<CellCounts, SuppressionReason> Apply(IReadOnlyCollection<CellCounts> cells)
    {
        var result = cells.ToDictionary(c => c, c => IsPrimary(c.Posts, c.Authors) ? SuppressionReason.Primary : SuppressionReason.None);
        var groups = Groups(cells);
        bool changed;
        do
        {
            changed = false;
            foreach (var (total, parts) in groups)
            {
                if (result[total] != SuppressionReason.None) continue;
                var suppressed = parts.Where(p => result[p] != SuppressionReason.None).ToList();
                if (suppressed.Count == 0) continue;
                var shown = parts.Where(p => result[p] == SuppressionReason.None).ToList();
                var residual = total.Posts - shown.Sum(p => p.Posts);
                if (suppressed.Count >= 2 && residual >= PrivacyRules.MinCellPosts) continue;
                if (shown.Count > 0)
                {
                    var next = shown.OrderBy(p => p.Posts).ThenBy(p => p.Region, StringComparer.Ordinal).ThenBy(p => p.Start).First();
                    result[next] = SuppressionReason.Complementary;
                }
                else
                {
                    result[total] = SuppressionReason.Complementary;
                }
                changed = true;
            }
        }
        while (changed);
        return result;
    }

    /// <summary>The (total, parts) groups among the cells, in a fixed order.</summary>
    public static List<(CellCounts Total, List<CellCounts> Parts)> Groups(IReadOnlyCollection<CellCounts> cells)
    {
        var groups = new List<(CellCounts, List<CellCounts>)>();
        // Regions: the 'all' cell is the total of the regional cells of the same marker, topic, granularity and bucket.
        foreach (var bucket in cells.GroupBy(c => (c.Marker, c.Topic, c.Granularity, c.Start)).OrderBy(g => g.Key.Granularity).ThenBy(g => g.Key.Start))
        {
            var total = bucket.FirstOrDefault(c => c.Region == SeriesKey.AllRegions);
            var parts = bucket.Where(c => c.Region != SeriesKey.AllRegions).OrderBy(c => c.Region, StringComparer.Ordinal).ToList();
            if (total is not null && parts.Count > 0) groups.Add((total, parts));
        }
        // Time: a week is the total of its days, a day of its hours (same marker, topic and region).
        var index = cells.ToLookup(c => (c.Marker, c.Topic, c.Region, c.Granularity));
        foreach (var series in cells.Where(c => c.Granularity != Granularity.Hour)
                     .GroupBy(c => (c.Marker, c.Topic, c.Region, c.Granularity)).OrderBy(g => g.Key.Region, StringComparer.Ordinal).ThenBy(g => g.Key.Granularity))
        {
            var childGranularity = series.Key.Granularity == Granularity.Week ? Granularity.Day : Granularity.Hour;
            var children = index[(series.Key.Marker, series.Key.Topic, series.Key.Region, childGranularity)].ToList();
            foreach (var total in series.OrderBy(c => c.Start))
            {
                var end = Next(total.Start, total.Granularity);
                var parts = children.Where(c => c.Start >= total.Start && c.Start < end).OrderBy(c => c.Start).ToList();
                if (parts.Count > 0) groups.Add((total, parts));
            }
        }
        return groups;
    }

    public static DateTimeOffset Next(DateTimeOffset start, Granularity granularity) => granularity switch
    {
        Granularity.Hour => start.AddHours(1),
        Granularity.Day => start.AddDays(1),
        _ => start.AddDays(7),
    };

    /// <summary>The whole ISO weeks (UTC) that cover [from, to).</summary>
    public static (DateTimeOffset From, DateTimeOffset To) WholeWeeks(DateTimeOffset from, DateTimeOffset to)
    {
        var start = Buckets.StartOf(from, Granularity.Week);
        var end = Buckets.StartOf(to, Granularity.Week);
        if (end < to) end = end.AddDays(7);
        return (start, end);
    }
}
