using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Monitoring.Contracts;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.Series;

/// <summary>One bucket as served. A suppressed bucket carries no number at all, only <c>suppressed: true</c>.</summary>
public sealed record SeriesPoint(
    DateTimeOffset Start,
    bool Suppressed,
    long? Posts,
    long? Authors,
    double? Prevalence,
    double? Lower95,
    double? Upper95,
    DateTimeOffset? KnownAt,
    double? DayOverDay,
    double? WeekOverWeek);

public sealed record SeriesResult(string Marker, string Region, string? Topic, Granularity Granularity, IReadOnlyList<SeriesPoint> Points);

public sealed record SuppressionRule(long MinPosts, long MinAuthors, string Note);

public sealed record SeriesResponse(
    Granularity Granularity,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset? AsOf,
    SuppressionRule Suppression,
    IReadOnlyList<SeriesResult> Series);

public sealed record SeriesRequest(
    IReadOnlyList<string> Markers,
    IReadOnlyList<string> Regions,
    Granularity Granularity,
    string? Topic,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset? AsOf);

/// <summary>Reads series cells as known at a time, applies suppression over whole weeks and builds the response.</summary>
public static class SeriesQuery
{
    public static readonly SuppressionRule Rule = new(PrivacyRules.MinCellPosts, PrivacyRules.MinCellAuthors,
        "Cells with fewer posts or distinct authors are suppressed, and so are cells whose value a shown total would reveal (complementary suppression).");

    public static async Task<SeriesResponse> RunAsync(DashboardDbContext db, SeriesRequest request, CancellationToken ct)
    {
        // One week more before 'from', for the week-over-week change of the first buckets.
        var (loadFrom, loadTo) = Suppression.WholeWeeks(request.From.AddDays(-7), request.To);
        var topic = request.Topic ?? "";
        var markers = request.Markers.ToList();
        var query = db.SeriesCells.AsNoTracking()
            .Where(c => markers.Contains(c.Marker) && c.Topic == topic && c.BucketStart >= loadFrom && c.BucketStart < loadTo);
        var at = (request.AsOf ?? DateTimeOffset.MaxValue).ToUniversalTime();
        if (request.AsOf is not null)
        {
            query = query.Where(c => c.KnownAt <= at);
        }
        // Only the newest vintage at 'asOf' of each bucket: NOT EXISTS a newer one (served by the unique index).
        var cells = db.SeriesCells;
        query = request.AsOf is null
            ? query.Where(c => !cells.Any(n => n.Marker == c.Marker && n.Granularity == c.Granularity && n.Region == c.Region && n.Topic == c.Topic
                && n.BucketStart == c.BucketStart && n.KnownAt > c.KnownAt))
            : query.Where(c => !cells.Any(n => n.Marker == c.Marker && n.Granularity == c.Granularity && n.Region == c.Region && n.Topic == c.Topic
                && n.BucketStart == c.BucketStart && n.KnownAt > c.KnownAt && n.KnownAt <= at));
        var rows = await query.ToListAsync(ct);
        var current = rows
            .GroupBy(c => (c.Marker, c.Region, c.Granularity, c.BucketStart))
            .Select(g => g.MaxBy(c => c.KnownAt)!)
            .ToList();
        return Build(request, current);
    }

    /// <summary>Builds the response from the current vintage of every cell of the loaded weeks (all regions and granularities).</summary>
    public static SeriesResponse Build(SeriesRequest request, IReadOnlyList<SeriesCell> current)
    {
        var byCounts = current.ToDictionary(c => new CellCounts(c.Marker, c.Region, c.Granularity, c.Topic, c.BucketStart, c.Posts, c.Authors));
        var suppression = new Dictionary<CellCounts, SuppressionReason>();
        foreach (var perMarker in byCounts.Keys.GroupBy(k => (k.Marker, k.Topic)))
        {
            foreach (var (k, v) in Suppression.Apply(perMarker.ToList())) suppression[k] = v;
        }
        var shown = new Dictionary<(string, string, DateTimeOffset), (SeriesCell Cell, bool Suppressed)>();
        foreach (var (counts, cell) in byCounts)
        {
            if (cell.Granularity != request.Granularity) continue;
            shown[(cell.Marker, cell.Region, cell.BucketStart)] = (cell, suppression[counts] != SuppressionReason.None);
        }
        var dayStep = request.Granularity switch { Granularity.Hour => TimeSpan.FromHours(24), Granularity.Day => TimeSpan.FromDays(1), _ => (TimeSpan?)null };
        var weekStep = TimeSpan.FromDays(7);
        var results = new List<SeriesResult>();
        foreach (var marker in request.Markers)
        {
            foreach (var region in request.Regions)
            {
                var points = new List<SeriesPoint>();
                foreach (var ((m, r, start), (cell, suppressed)) in shown.OrderBy(s => s.Key.Item3))
                {
                    if (m != marker || r != region || start < request.From || start >= request.To) continue;
                    if (suppressed)
                    {
                        points.Add(new SeriesPoint(start, true, null, null, null, null, null, null, null, null));
                        continue;
                    }
                    points.Add(new SeriesPoint(start, false, cell.Posts, cell.Authors, cell.Prevalence, cell.Lower95, cell.Upper95, cell.KnownAt,
                        dayStep is { } d ? Change(cell, shown, marker, region, start - d) : null,
                        Change(cell, shown, marker, region, start - weekStep)));
                }
                results.Add(new SeriesResult(marker, region, request.Topic, request.Granularity, points));
            }
        }
        return new SeriesResponse(request.Granularity, request.From, request.To, request.AsOf, Rule, results);
    }

    private static double? Change(SeriesCell cell, Dictionary<(string, string, DateTimeOffset), (SeriesCell Cell, bool Suppressed)> shown, string marker, string region, DateTimeOffset earlier) =>
        shown.TryGetValue((marker, region, earlier), out var before) && !before.Suppressed
            && cell.Prevalence is { } now && before.Cell.Prevalence is { } then
            ? Math.Round(now - then, 10)
            : null;

    public const string CsvHeader = "marker,region,topic,granularity,bucket_start,suppressed,posts,authors,prevalence,lower95,upper95,day_over_day,week_over_week";

    /// <summary>CSV (RFC 4180) of the response; a suppressed row has <c>suppressed=true</c> and empty numbers.</summary>
    public static string ToCsv(SeriesResponse response)
    {
        var sb = new StringBuilder();
        sb.Append(CsvHeader).Append("\r\n");
        foreach (var series in response.Series)
        {
            foreach (var p in series.Points)
            {
                sb.Append(Field(series.Marker)).Append(',')
                  .Append(Field(series.Region)).Append(',')
                  .Append(Field(series.Topic ?? "")).Append(',')
                  .Append(series.Granularity.ToString().ToLowerInvariant()).Append(',')
                  .Append(p.Start.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                  .Append(p.Suppressed ? "true" : "false").Append(',')
                  .Append(Num(p.Posts)).Append(',')
                  .Append(Num(p.Authors)).Append(',')
                  .Append(Num(p.Prevalence)).Append(',')
                  .Append(Num(p.Lower95)).Append(',')
                  .Append(Num(p.Upper95)).Append(',')
                  .Append(Num(p.DayOverDay)).Append(',')
                  .Append(Num(p.WeekOverWeek)).Append("\r\n");
            }
        }
        return sb.ToString();
    }

    private static string Num(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Num(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static string Field(string s)
    {
        // Quote when needed, and defuse spreadsheet formulas (CSV injection).
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@') s = "'" + s;
        return s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }
}
