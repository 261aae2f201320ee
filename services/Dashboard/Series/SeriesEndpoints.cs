using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Monitoring.Contracts;
using Monitoring.Dashboard.Api;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.Series;

/// <param name="ModelVersion">The version of the model (or rule set) that scores the marker, as the Classifier announced it; null until it has.</param>
/// <param name="ModelTrainedAt">When that model was trained; null for rule sets.</param>
public sealed record MarkerInfo(string Name, string Family, string Description, string Method, string? ModelVersion, DateTimeOffset? ModelTrainedAt, IReadOnlyList<string> KnownLimits);

public sealed record RegionInfo(string Code, bool IsTotal, DateTimeOffset? FirstBucket, DateTimeOffset? LastBucket);

public sealed record TopicInfo(string Name);

/// <summary>
/// The newest forecast of a series. It is withheld (<c>suppressed</c>, no points) unless every bucket of the series in
/// the four weeks before it was issued is shown: a forecast (a seasonal-naive one above all) can repeat the values it
/// was fitted on.
/// </summary>
public sealed record ForecastView(string Marker, string Region, Granularity Granularity, string? Topic, string Method, DateTimeOffset IssuedAt, bool Suppressed, IReadOnlyList<ForecastPoint> Points);

/// <summary>Markers, regions, topics, series and forecasts: the public aggregates.</summary>
public static class SeriesEndpoints
{
    private const int MaxMarkers = 20;
    private const int MaxRegions = 50;
    private const int MaxBucketsPerSeries = 5000;

    public static RouteGroupBuilder MapSeriesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/markers", MarkersAsync).WithName("ListMarkers").WithTags("Catalogue")
            .WithSummary("The marker catalogue: description, method, model version and known limits.");
        api.MapGet("/markers/{name}", MarkerAsync).WithName("GetMarker").WithTags("Catalogue")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/regions", RegionsAsync).WithName("ListRegions").WithTags("Catalogue")
            .WithSummary("Regions that have data; 'all' is the total over every region.");
        api.MapGet("/topics", TopicsAsync).WithName("ListTopics").WithTags("Catalogue");
        api.MapGet("/series", SeriesAsync).WithName("GetSeries").WithTags("Series")
            .WithSummary("Prevalence series of one or more markers in one or more regions; suppressed cells are marked, never zero. JSON, or CSV with Accept: text/csv or format=csv.")
            .Produces<SeriesResponse>(StatusCodes.Status200OK, "application/json", "text/csv")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/forecasts", ForecastsAsync).WithName("GetForecasts").WithTags("Series")
            .WithSummary("The newest forecast of each series, with 80 % and 95 % bands.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static readonly Dictionary<string, string[]> Limits = new()
    {
        [MarkerCatalogue.EmotionFamily] = ["English-first: other languages are counted but not scored.", "Trained on Reddit comments (GoEmotions); other platforms' style may shift calibration.", "Sarcasm and quoted speech are often misread."],
        [MarkerCatalogue.EkmanFamily] = ["A roll-up of GoEmotions labels; inherits their limits."],
        [MarkerCatalogue.SentimentFamily] = ["A roll-up of GoEmotions labels; inherits their limits."],
        [MarkerCatalogue.LonelinessFamily] = ["Detects self-disclosure only; people who are lonely but do not say so are not counted."],
        [MarkerCatalogue.HostilityFamily] = ["Trained on tweets (Davidson et al.); dialect and reclaimed slurs cause false positives."],
        [MarkerCatalogue.PolarizationFamily] = ["Lexicon-based: new group labels are missed until the lexicon is updated."],
        [MarkerCatalogue.Dsm5Family] = ["A population screen from public text, never a diagnosis of anyone.", "Pattern-based unless replaced by a model trained on ReDSM5-format data."],
    };

    private static async Task<Ok<List<MarkerInfo>>> MarkersAsync(DashboardDbContext db, CancellationToken ct)
    {
        var models = await db.MarkerModels.AsNoTracking().ToDictionaryAsync(m => m.Marker, StringComparer.Ordinal, ct);
        return TypedResults.Ok(MarkerCatalogue.All.Select(m => Info(m, models.GetValueOrDefault(m.Name))).ToList());
    }

    private static async Task<Results<Ok<MarkerInfo>, ProblemHttpResult>> MarkerAsync(string name, DashboardDbContext db, CancellationToken ct)
    {
        if (!MarkerCatalogue.TryGet(name, out var m)) return ApiHelpers.NotFound($"No marker '{name}'. See /api/v1/markers.");
        var model = await db.MarkerModels.AsNoTracking().FirstOrDefaultAsync(x => x.Marker == name, ct);
        return TypedResults.Ok(Info(m, model));
    }

    /// <summary>The catalogue entry (Contracts' <see cref="MarkerCatalogue"/>) with the model version the Classifier announced.</summary>
    private static MarkerInfo Info(MarkerDefinition m, MarkerModelRecord? model) =>
        new(m.Name, m.Family, m.Description, m.Method, model?.ModelVersion, model?.TrainedAt, Limits.TryGetValue(m.Family, out var l) ? l : []);

    private static async Task<Ok<List<RegionInfo>>> RegionsAsync(DashboardDbContext db, CancellationToken ct)
    {
        var regions = await db.SeriesCells.AsNoTracking()
            .GroupBy(c => c.Region)
            .Select(g => new { Region = g.Key, First = g.Min(c => c.BucketStart), Last = g.Max(c => c.BucketStart) })
            .ToListAsync(ct);
        var list = regions.OrderBy(r => r.Region != SeriesKey.AllRegions).ThenBy(r => r.Region, StringComparer.Ordinal)
            .Select(r => new RegionInfo(r.Region, r.Region == SeriesKey.AllRegions, r.First, r.Last)).ToList();
        if (list.Count == 0) list.Add(new RegionInfo(SeriesKey.AllRegions, true, null, null));
        return TypedResults.Ok(list);
    }

    private static async Task<Ok<List<TopicInfo>>> TopicsAsync(DashboardDbContext db, CancellationToken ct)
    {
        var topics = await db.SeriesCells.AsNoTracking().Where(c => c.Topic != "").Select(c => c.Topic).Distinct().ToListAsync(ct);
        return TypedResults.Ok(topics.Order(StringComparer.Ordinal).Select(t => new TopicInfo(t)).ToList());
    }

    private static async Task<Results<Ok<SeriesResponse>, ContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> SeriesAsync(
        HttpContext http,
        DashboardDbContext db,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        TimeProvider time,
        [FromQuery] string[]? marker,
        [FromQuery] string[]? region,
        [FromQuery] string? granularity,
        [FromQuery] string? topic,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? asOf,
        [FromQuery] string? format,
        CancellationToken ct)
    {
        var markers = ApiHelpers.Values(marker);
        if (markers.Count == 0) return ApiHelpers.BadRequest("Give at least one marker: marker=loneliness (repeat it or separate with commas to compare).");
        if (markers.Count > MaxMarkers) return ApiHelpers.BadRequest($"At most {MaxMarkers} markers per request.");
        var unknown = markers.Where(m => !MarkerCatalogue.IsKnown(m)).ToList();
        if (unknown.Count > 0) return ApiHelpers.BadRequest($"Unknown marker(s): {string.Join(", ", unknown)}. See /api/v1/markers.");
        var regions = ApiHelpers.Values(region);
        if (regions.Count == 0) regions.Add(SeriesKey.AllRegions);
        if (regions.Count > MaxRegions) return ApiHelpers.BadRequest($"At most {MaxRegions} regions per request.");
        if (!ApiHelpers.TryGranularity(granularity, out var g)) return ApiHelpers.BadRequest("granularity is one of hour, day, week.");
        if (!ApiHelpers.TryTime(from, out var fromTime) || !ApiHelpers.TryTime(to, out var toTime) || !ApiHelpers.TryTime(asOf, out var asOfTime))
        {
            return ApiHelpers.BadRequest("from, to and asOf are ISO 8601 dates or date-times, e.g. 2024-05-01 or 2024-05-01T12:00:00Z.");
        }
        var end = toTime ?? Suppression.Next(Buckets.StartOf(time.GetUtcNow(), g), g);
        var step = g switch { Granularity.Hour => TimeSpan.FromHours(1), Granularity.Day => TimeSpan.FromDays(1), _ => TimeSpan.FromDays(7) };
        var start = fromTime ?? end - step * (g == Granularity.Hour ? 24 * 7 : 90);
        if (start >= end) return ApiHelpers.BadRequest("from must be before to.");
        if ((end - start) / step > MaxBucketsPerSeries) return ApiHelpers.BadRequest($"At most {MaxBucketsPerSeries} buckets per series; narrow from/to or use a coarser granularity.");
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
            || (format is null && http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)));
        if (format is not null && !csv && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            return ApiHelpers.BadRequest("format is json or csv.");
        }

        var response = await SeriesQuery.RunAsync(db, new SeriesRequest(markers, regions, g, string.IsNullOrWhiteSpace(topic) ? null : topic, start, end, asOfTime), ct);
        var body = csv ? Encoding.UTF8.GetBytes(SeriesQuery.ToCsv(response)) : JsonSerializer.SerializeToUtf8Bytes(response, json.Value.SerializerOptions);
        var etag = ApiHelpers.ETagOf(body);
        http.Response.Headers.ETag = etag;
        http.Response.Headers.Vary = "Accept";
        http.Response.Headers.CacheControl = "no-cache";
        if (ApiHelpers.NotModified(http.Request, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        if (csv)
        {
            http.Response.Headers.ContentDisposition = "attachment; filename=\"series.csv\"";
            return TypedResults.Text(Encoding.UTF8.GetString(body), "text/csv; charset=utf-8");
        }
        return TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<List<ForecastView>>, ProblemHttpResult>> ForecastsAsync(
        DashboardDbContext db,
        [FromQuery] string[]? marker,
        [FromQuery] string[]? region,
        [FromQuery] string? granularity,
        [FromQuery] string? topic,
        CancellationToken ct)
    {
        var markers = ApiHelpers.Values(marker);
        if (markers.Count == 0) return ApiHelpers.BadRequest("Give at least one marker.");
        var regions = ApiHelpers.Values(region);
        if (regions.Count == 0) regions.Add(SeriesKey.AllRegions);
        if (!ApiHelpers.TryGranularity(granularity, out var g)) return ApiHelpers.BadRequest("granularity is one of hour, day, week.");
        var t = topic ?? "";
        var rows = await db.Forecasts.AsNoTracking()
            .Where(f => markers.Contains(f.Marker) && regions.Contains(f.Region) && f.Granularity == g && f.Topic == t)
            .ToListAsync(ct);
        var newest = rows.GroupBy(f => (f.Marker, f.Region)).Select(x => x.MaxBy(f => f.IssuedAt)!)
            .OrderBy(f => markers.IndexOf(f.Marker)).ThenBy(f => regions.IndexOf(f.Region)).ToList();
        var lookup = new SuppressionLookup(db);
        var views = new List<ForecastView>();
        foreach (var f in newest)
        {
            var window = f.Granularity == Granularity.Hour ? TimeSpan.FromDays(7) : TimeSpan.FromDays(28);
            var shown = await lookup.IsWindowShownAsync(f.Marker, f.Region, f.Granularity, f.Topic, f.IssuedAt - window, f.IssuedAt, ct);
            views.Add(new ForecastView(f.Marker, f.Region, f.Granularity, f.Topic.Length == 0 ? null : f.Topic, f.Method, f.IssuedAt, !shown,
                shown ? JsonSerializer.Deserialize<List<ForecastPoint>>(f.PointsJson, ReadModel.Numbers.StorageJson) ?? [] : []));
        }
        return TypedResults.Ok(views);
    }
}
