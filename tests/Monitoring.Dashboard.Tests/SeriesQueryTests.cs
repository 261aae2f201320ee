using System.Globalization;
using System.Text.Json;
using Monitoring.Contracts;
using Monitoring.Dashboard.Series;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.Tests;

public sealed class SeriesQueryTests
{
    private static readonly DateTimeOffset Monday = new(2024, 4, 29, 0, 0, 0, TimeSpan.Zero);

    private static SeriesCell Cell(string region, int day, long posts, long authors, double prevalence, Granularity g = Granularity.Day) => new()
    {
        Marker = "loneliness", Region = region, Granularity = g, BucketStart = Monday.AddDays(day), KnownAt = Monday.AddDays(day + 1),
        Posts = posts, Authors = authors, ExpectedCount = posts * prevalence, FlaggedCount = (long)(posts * prevalence),
        Prevalence = prevalence, Lower95 = prevalence / 2, Upper95 = prevalence * 1.5,
    };

    private static SeriesRequest Request(params string[] regions) =>
        new(["loneliness"], regions, Granularity.Day, null, Monday, Monday.AddDays(14), null);

    [Fact]
    public void Suppressed_points_carry_no_numbers_in_json_or_csv()
    {
        var cells = new List<SeriesCell>();
        for (var d = 0; d < 14; d++)
        {
            var small = d == 9;
            cells.Add(Cell("AR-X", d, small ? 7 : 313, small ? 7 : 271, small ? 0.777 : 0.1));
            cells.Add(Cell("AR-B", d, 2000, 1500, 0.2));
            cells.Add(Cell("all", d, small ? 2007 : 2313, small ? 1507 : 1771, 0.19));
        }
        var response = SeriesQuery.Build(Request("AR-X", "AR-B", "all"), cells);
        var x = response.Series.Single(s => s.Region == "AR-X").Points.Single(p => p.Start == Monday.AddDays(9));
        Assert.True(x.Suppressed);
        Assert.Null(x.Posts);
        Assert.Null(x.Prevalence);
        // Complementary: AR-B is the only other region, so it must go too, or 'all' minus AR-B gives AR-X.
        var b = response.Series.Single(s => s.Region == "AR-B").Points.Single(p => p.Start == Monday.AddDays(9));
        Assert.True(b.Suppressed);

        var json = JsonSerializer.Serialize(response, JsonSerializerOptions.Web);
        var csv = SeriesQuery.ToCsv(response);
        Assert.DoesNotContain("0.777", json);
        Assert.DoesNotContain("0.777", csv);
        Assert.DoesNotContain("2000,1500", csv.Split("\r\n").Single(l => l.StartsWith("loneliness,AR-B,,day,2024-05-08", StringComparison.Ordinal)));
        var row = csv.Split("\r\n").Single(l => l.StartsWith("loneliness,AR-X,,day,2024-05-08", StringComparison.Ordinal));
        Assert.Equal("loneliness,AR-X,,day,2024-05-08T00:00:00Z,true,,,,,,,", row);
    }

    [Fact]
    public void Changes_are_left_empty_next_to_a_suppressed_bucket()
    {
        var cells = new List<SeriesCell>();
        for (var d = 0; d < 14; d++)
        {
            cells.Add(Cell("all", d, d == 5 ? 5 : 500, d == 5 ? 5 : 400, 0.1 + d * 0.01));
        }
        var response = SeriesQuery.Build(Request("all"), cells);
        var points = response.Series.Single().Points.ToDictionary(p => p.Start);
        Assert.True(points[Monday.AddDays(5)].Suppressed);
        Assert.Null(points[Monday.AddDays(6)].DayOverDay);
        Assert.Equal(0.01, points[Monday.AddDays(7)].DayOverDay!.Value, 9);
        Assert.Null(points[Monday.AddDays(12)].WeekOverWeek);
        Assert.Equal(0.07, points[Monday.AddDays(13)].WeekOverWeek!.Value, 9);
    }

    [Fact]
    public void Csv_has_a_header_and_invariant_numbers()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var response = SeriesQuery.Build(Request("all"), [Cell("all", 0, 500, 400, 0.125), Cell("all", 1, 500, 400, 0.25)]);
            var lines = SeriesQuery.ToCsv(response).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(SeriesQuery.CsvHeader, lines[0]);
            Assert.Equal("loneliness,all,,day,2024-04-30T00:00:00Z,false,500,400,0.25,0.125,0.375,0.125,", lines[2]);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
