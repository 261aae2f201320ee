using System.Net.Http.Json;
using System.Text.Json;
using Monitoring.Contracts;

namespace Monitoring.Browser.Tests;

/// <summary>
/// Made-up series, forecasts and alerts published on the bus to the Dashboard's read model, the way the Forecaster
/// publishes them: 120 days of seven headline markers in three provinces and the total, a crisis in AR-X at the end,
/// a few days of AR-X too small to show (suppressed), forecasts with bands, and two alerts with word-shift evidence.
/// </summary>
public static class Planted
{
    public static readonly DateTimeOffset FirstDay = new(2026, 7, 4, 0, 0, 0, TimeSpan.Zero);
    public const int Days = 120;
    public static DateTimeOffset LastDay => FirstDay.AddDays(Days - 1);

    public static readonly string[] Markers =
        ["emotion.sadness", "ekman.fear", "sentiment.negative", "loneliness", "hostility", "polarization.outgroup", "dsm5.episode_screen"];

    public static readonly string[] Regions = ["AR-B", "AR-C", "AR-X"];

    /// <summary>AR-X has too few posts on these days: the cells are suppressed.</summary>
    public static readonly int[] SmallDays = [96, 97, 98];

    public static readonly Guid RedAlert = new("6f1b9c52-0000-4000-8000-000000000001");
    public static readonly Guid ForecastAlert = new("6f1b9c52-0000-4000-8000-000000000002");

    private static double Base(string marker) => marker switch
    {
        "loneliness" => 0.06,
        "emotion.sadness" => 0.09,
        "ekman.fear" => 0.05,
        "sentiment.negative" => 0.24,
        "hostility" => 0.04,
        "polarization.outgroup" => 0.02,
        _ => 0.015,
    };

    private static double Value(string marker, string region, int d)
    {
        var wave = 1 + 0.12 * Math.Sin(d / 6.0 + region.Length + marker.Length) + 0.05 * Math.Sin(d * 1.7 + marker.Length);
        var crisis = region == "AR-X" && d >= Days - 14 && marker is "loneliness" or "emotion.sadness" or "ekman.fear" ? 1.6 : 1.0;
        var regional = region switch { "AR-B" => 1.0, "AR-C" => 0.9, _ => 1.1 };
        return Math.Round(Base(marker) * wave * crisis * regional, 5);
    }

    private static SeriesBucket Bucket(DateTimeOffset start, long posts, long authors, double p)
    {
        var half = 1.96 * Math.Sqrt(p * (1 - p) / posts);
        return new SeriesBucket(start, posts, authors, posts * p, (long)(posts * p), p, Math.Max(0, p - half), Math.Min(1, p + half));
    }

    public static SeriesUpdated Series()
    {
        var knownAt = LastDay.AddDays(1);
        var updates = new List<SeriesUpdate>();
        foreach (var marker in Markers)
        {
            var totals = new (long Posts, long Authors, double Expected)[Days];
            foreach (var region in Regions)
            {
                var buckets = new List<SeriesBucket>();
                for (var d = 0; d < Days; d++)
                {
                    var small = region == "AR-X" && SmallDays.Contains(d);
                    var posts = small ? 8L : 900L + 40 * region[^1] % 300;
                    var authors = small ? 7L : posts / 3;
                    var p = Value(marker, region, d);
                    buckets.Add(Bucket(FirstDay.AddDays(d), posts, authors, p));
                    totals[d] = (totals[d].Posts + posts, totals[d].Authors + authors, totals[d].Expected + posts * p);
                }
                updates.Add(new SeriesUpdate(new SeriesKey(marker, region, Granularity.Day), knownAt, buckets));
                updates.Add(new SeriesUpdate(new SeriesKey(marker, region, Granularity.Week), knownAt, Weeks(buckets, 1500)));
            }
            var all = totals.Select((t, d) => Bucket(FirstDay.AddDays(d), t.Posts, t.Authors, Math.Round(t.Expected / t.Posts, 6))).ToList();
            updates.Add(new SeriesUpdate(new SeriesKey(marker, SeriesKey.AllRegions, Granularity.Day), knownAt, all));
            updates.Add(new SeriesUpdate(new SeriesKey(marker, SeriesKey.AllRegions, Granularity.Week), knownAt, Weeks(all, 4500)));
        }
        return new SeriesUpdated(Guid.NewGuid(), updates);
    }

    /// <summary>ISO weeks (Monday first) of daily buckets.</summary>
    private static List<SeriesBucket> Weeks(List<SeriesBucket> days, long authors) =>
        days.GroupBy(b => b.Start.AddDays(-(((int)b.Start.DayOfWeek + 6) % 7)))
            .Select(g => Bucket(g.Key, g.Sum(b => b.Posts), authors, Math.Round(g.Sum(b => b.ExpectedCount) / g.Sum(b => b.Posts), 6)))
            .ToList();

    public static ForecastIssued Forecasts()
    {
        var issued = LastDay.AddDays(1);
        var list = new List<SeriesForecast>();
        foreach (var marker in Markers)
        {
            foreach (var region in Regions.Append(SeriesKey.AllRegions))
            {
                var last = Value(marker, region == SeriesKey.AllRegions ? "AR-B" : region, Days - 1);
                var points = Enumerable.Range(1, 14).Select(h =>
                {
                    var spread = last * (0.08 + 0.02 * h);
                    return new ForecastPoint(LastDay.AddDays(h), last, last - spread * 0.66, last + spread * 0.66, Math.Max(0, last - spread), last + spread);
                }).ToList();
                list.Add(new SeriesForecast(new SeriesKey(marker, region, Granularity.Day), "ets-aan", issued, points));
            }
        }
        return new ForecastIssued(Guid.NewGuid(), list);
    }

    public static AlertRaised Alerts()
    {
        var bucket = LastDay.AddDays(-3);
        var observed = Value("loneliness", "AR-X", Days - 4);
        TermShift[] terms =
        [
            new("alone", 0.010, 0.031, 0.021), new("plant closure", 0.001, 0.018, 0.017), new("nobody", 0.006, 0.016, 0.010),
            new("laid off", 0.002, 0.011, 0.009), new("empty house", 0.001, 0.007, 0.006), new("miss", 0.012, 0.017, 0.005),
        ];
        return new AlertRaised(Guid.NewGuid(),
        [
            new AlertIncident(RedAlert, 1, new SeriesKey("loneliness", "AR-X", Granularity.Day), AlertKind.Observed, AlertSeverity.Red,
                bucket.AddHours(2), bucket.AddHours(2), bucket, observed, observed / 1.6, observed / 1.3, "ears-c2", 0.004, terms),
            new AlertIncident(ForecastAlert, 1, new SeriesKey("ekman.fear", "AR-X", Granularity.Day), AlertKind.Forecast, AlertSeverity.Yellow,
                bucket.AddHours(3), bucket.AddHours(3), bucket, Value("ekman.fear", "AR-X", Days - 4), 0.05, 0.07, "forecast-pi95", 0.03, terms[..3]),
        ]);
    }

    public const string LonelinessModelVersion = "loneliness-20261122-s13";

    /// <summary>What a Classifier announces when it starts: the model version behind each marker (made up here).</summary>
    public static ClassifierModelsAnnounced Models() => new("emotions-x+" + LonelinessModelVersion, LastDay.AddDays(1),
        MarkerCatalogue.All.Select(m => new MarkerModel(m.Name,
            m.Family == MarkerCatalogue.LonelinessFamily ? LonelinessModelVersion : m.Family == MarkerCatalogue.Dsm5Family ? "dsm5-rules-1" : "emotions-20261122-s13",
            m.Family == MarkerCatalogue.Dsm5Family ? null : LastDay.AddDays(-200))).ToList());

    /// <summary>Publishes everything and waits until the API serves it.</summary>
    public static async Task PlantAsync(BrowserApp app)
    {
        await app.PublishAsync(Models());
        await app.PublishAsync(Series());
        await app.PublishAsync(Forecasts());
        await app.PublishAsync(Alerts());
        using var client = app.Client();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var alerts = await client.GetFromJsonAsync<JsonElement>("/api/v1/alerts");
            var forecasts = await client.GetFromJsonAsync<JsonElement>("/api/v1/forecasts?marker=loneliness&region=AR-X");
            var regions = await client.GetFromJsonAsync<JsonElement>("/api/v1/regions");
            var lonely = await client.GetFromJsonAsync<JsonElement>("/api/v1/markers/loneliness");
            if (alerts.GetProperty("total").GetInt32() >= 2 && forecasts.GetArrayLength() == 1 && regions.GetArrayLength() == 4
                && lonely.GetProperty("modelVersion").ValueKind == JsonValueKind.String) break;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The read model did not fill: alerts {alerts}, regions {regions}.");
            await Task.Delay(200);
        }
        var annotation = await client.PostAsJsonAsync("/api/v1/annotations",
            new { title = "Plant closure in Córdoba (simulated)", date = LastDay.AddDays(-13).ToString("yyyy-MM-dd"), region = "AR-X" });
        annotation.EnsureSuccessStatusCode();
    }
}
