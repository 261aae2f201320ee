using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Contracts;
using Monitoring.Forecaster.Detection;
using Monitoring.Forecaster.Forecasting;
using Monitoring.Forecaster.Series;
using Monitoring.Forecaster.Storage;

namespace Monitoring.Forecaster.Alerts;

/// <summary>
/// Runs inside the series transaction of a batch: writes the <see cref="SeriesUpdated"/> message for the changed
/// buckets, re-detects the newest bucket of every changed alerting series, opens/updates/resolves incidents
/// (<c>observed</c> and <c>forecast</c>) and queues <see cref="AlertRaised"/>/<see cref="AlertResolved"/> in the outbox,
/// with a <see cref="ForecastIssued"/> for the alerting series (when forecast alerts are on).
/// A late bucket (older than the series' newest) is updated and reported in SeriesUpdated but does not move incidents,
/// which follow the newest bucket.
/// </summary>
public sealed class AlertEvaluator(IOptions<ForecasterOptions> options, TimeProvider clock)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task EvaluateAsync(ForecasterDbContext db, Guid batchId, IReadOnlyList<(SeriesKey Key, DateTimeOffset Start)> changed, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var updates = new List<SeriesUpdate>();
        var raised = new List<AlertIncident>();
        var resolved = new List<AlertResolution>();
        var forecasts = new List<SeriesForecast>();
        // No alerts on the "unknown" region: it is not a place anyone can act on (its posts still count in "all").
        bool IsAlerting(SeriesKey key) => o.AlertGranularities.Contains(key.Granularity) && (key.Topic is null || o.AlertOnTopics)
            && key.Region != SeriesKey.UnknownRegion;
        var groups = changed.GroupBy(c => c.Key).ToList();
        var histories = await EfSeriesStore.ReadManyAsync(db, groups.Select(group =>
        {
            var first = group.Min(c => c.Start);
            var from = IsAlerting(group.Key) ? group.Max(c => c.Start) - Step(group.Key.Granularity) * o.HistoryBuckets : first;
            return (group.Key, from < first ? from : first);
        }).ToList(), ct);
        // Open incidents are few: load them once instead of querying per series.
        var openIncidents = (await db.AlertIncidents.Where(x => x.ResolvedAt == null).ToListAsync(ct))
            .ToDictionary(x => (x.Marker, x.Region, x.Granularity, x.Topic, x.Kind));
        var models = o.ForecastAlerts && UsesStoredModels(o)
            ? await FittedModelStore.ReadAsync(db, groups.Select(g => g.Key).Where(IsAlerting).ToList(), ct)
            : [];
        var weekAuthors = await WeekAuthorsAsync(db, groups.Select(g => g.Key).Where(IsAlerting).Select(k => k.Region).Distinct().ToList(),
            groups.Where(g => IsAlerting(g.Key)).Select(g => Buckets.StartOf(g.Max(c => c.Start), Granularity.Week)).Distinct().ToList(), ct);
        var refitted = new List<FittedModelRow>();
        foreach (var group in groups)
        {
            var key = group.Key;
            var step = Step(key.Granularity);
            var last = group.Max(c => c.Start);
            var alerting = IsAlerting(key);
            var history = histories[key];
            var starts = group.Select(c => c.Start).ToHashSet();
            updates.Add(new SeriesUpdate(key, now, history.Where(b => starts.Contains(b.Start)).ToList()));
            if (!alerting || history.Count == 0 || history[^1].Start != last) continue;

            var window = history.Where(b => b.Start > last - step * o.HistoryBuckets).ToList();
            var filled = Contiguous(window, step);
            var detectorOptions = new DetectorOptions(o.Alpha, From: filled.Count - 1);
            var values = filled.Select(b => b.Prevalence).ToArray();
            // One detector run serves the observed alert and the forecast alert's threshold (none when neither can use it).
            var regionWeek = weekAuthors.GetValueOrDefault((key.Region, Buckets.StartOf(last, Granularity.Week)));
            var point = o.ForecastAlerts || CellRules.CanAlert(filled, key.Granularity, regionWeek)
                ? Detectors.Run(o.DetectionMethod, filled.Select(b => b.Start.UtcDateTime).ToArray(), values, detectorOptions)[^1]
                : DetectionPoint.NotEvaluable;
            var observed = Alerting.Observe(key, filled, values, point, o.DetectionMethod, detectorOptions, weekAuthors: regionWeek);
            if (observed is not null) observed = observed with { RisingTerms = await RisingTermsAsync(db, key, last, step, ct) };
            Apply(db, openIncidents, key, AlertKind.Observed, observed, now, raised, resolved);

            if (o.ForecastAlerts)
            {
                AlertSignal? forecast = null;
                if (values.Count(v => !double.IsNaN(v)) >= 2 * o.Season + 2)
                {
                    var f = Forecast(o, key, values, last, step, models.GetValueOrDefault(key), refitted, now);
                    forecasts.Add(new SeriesForecast(key, f.Method, now, Enumerable.Range(0, f.Horizon).Select(h => new ForecastPoint(
                        last + step * (h + 1), f.Mean[h], f.Lower80[h], f.Upper80[h], f.Lower95[h], f.Upper95[h])).ToList()));
                    // A forecast alert only while no observed alert is open for the newest bucket.
                    if (observed is null && point.IsEvaluable) forecast = Alerting.Forecast(filled, key, f, point.UpperBound, step, weekAuthors: regionWeek);
                    if (forecast is not null) forecast = forecast with { RisingTerms = await RisingTermsAsync(db, key, last, step, ct) };
                }
                Apply(db, openIncidents, key, AlertKind.Forecast, forecast, now, raised, resolved);
            }
        }
        if (refitted.Count > 0) await FittedModelStore.UpsertAsync(db, refitted, ct);
        db.Outbox.Add(new ForecasterOutboxRow { MessageType = nameof(SeriesUpdated), Payload = JsonSerializer.Serialize(new SeriesUpdated(batchId, updates), Json), CreatedAt = now });
        if (forecasts.Count > 0)
            db.Outbox.Add(new ForecasterOutboxRow { MessageType = nameof(ForecastIssued), Payload = JsonSerializer.Serialize(new ForecastIssued(batchId, forecasts), Json), CreatedAt = now });
        if (raised.Count > 0)
            db.Outbox.Add(new ForecasterOutboxRow { MessageType = nameof(AlertRaised), Payload = JsonSerializer.Serialize(new AlertRaised(Guid.NewGuid(), raised), Json), CreatedAt = now });
        if (resolved.Count > 0)
            db.Outbox.Add(new ForecasterOutboxRow { MessageType = nameof(AlertResolved), Payload = JsonSerializer.Serialize(new AlertResolved(Guid.NewGuid(), resolved), Json), CreatedAt = now });
        await db.SaveChangesAsync(ct);
    }

    static readonly HoltWinters HoltWintersMethod = new();

    /// <summary>The methods whose fitted parameters are stored per series (the others are cheap or refit on every call).</summary>
    static bool UsesStoredModels(ForecasterOptions o) => o.ForecastMethod == HoltWintersMethod.Name;

    /// <summary>
    /// The forecast of an alerting series. Holt-Winters applies the series' stored parameters (one filter pass) and refits
    /// them by Nelder–Mead only when there is no usable model, the model's newest bucket is <see cref="ForecasterOptions.RefitEvery"/>
    /// or more buckets behind (or ahead of) this one, or the stored parameters do not suit the history (its effective
    /// season changed) or forecast non-finite values. Refits are added to <paramref name="refitted"/> for the upsert.
    /// </summary>
    static ForecastResult Forecast(ForecasterOptions o, SeriesKey key, double[] values, DateTimeOffset last, TimeSpan step,
        FittedModelRow? row, List<FittedModelRow> refitted, DateTimeOffset now)
    {
        if (!UsesStoredModels(o)) return Metrics.Method(o.ForecastMethod).Forecast(values, o.ForecastHorizon, o.Season);
        var stored = row is not null && row.Method == HoltWintersMethod.Name ? ReadParameters(row) : null;
        var newest = last.ToUnixTimeSeconds();
        string reason;
        if (stored is null) reason = row is null ? "missing" : "unusable";
        else if (newest - row!.LastBucket >= (long)step.TotalSeconds * o.RefitEvery || newest < row.LastBucket) reason = "due";
        else
        {
            var applied = HoltWintersMethod.Apply(stored, values, o.ForecastHorizon, o.Season);
            if (applied is not null) return applied;
            reason = "apply_failed";
        }
        var fitted = HoltWintersMethod.FitModel(values, o.Season, o.WarmStartRefits ? stored?.Parameters : null);
        ForecasterMetrics.ModelRefits.Add(1, new KeyValuePair<string, object?>("reason", reason));
        if (fitted is not null)
        {
            refitted.Add(new FittedModelRow
            {
                Marker = key.Marker, Region = key.Region, Granularity = (short)key.Granularity, Topic = EfSeriesStore.TopicColumn(key.Topic),
                Method = HoltWintersMethod.Name, Season = fitted.Season, Parameters = JsonSerializer.Serialize(fitted.Parameters, Json),
                Points = values.Length, LastBucket = newest, FittedAt = now.ToUnixTimeSeconds(),
            });
            if (HoltWintersMethod.Apply(fitted, values, o.ForecastHorizon, o.Season) is { } f) return f;
        }
        // Parameters that forecast non-finite values even on the history they were fitted on: the seasonal naive forecast.
        return new SeasonalNaive().Forecast(values, o.ForecastHorizon, o.Season);
    }

    static HoltWinters.Fitted? ReadParameters(FittedModelRow row)
    {
        try
        {
            return JsonSerializer.Deserialize<HoltWinters.Parameters>(row.Parameters, Json) is { } p ? new HoltWinters.Fitted(p, row.Season) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Baseline window of the word shift: the 28 buckets before the newest.</summary>
    public const int TermBaselineBuckets = 28;

    /// <summary>
    /// Terms that rose most in the newest bucket against the previous <see cref="TermBaselineBuckets"/> buckets, each used
    /// by at least 10 distinct authors in the newest bucket (<see cref="Prevalence.WordShift"/>).
    /// </summary>
    static async Task<IReadOnlyList<TermShift>> RisingTermsAsync(ForecasterDbContext db, SeriesKey key, DateTimeOffset newest, TimeSpan step, CancellationToken ct)
    {
        if (key.Topic is not null) return [];
        var rows = await EfSeriesStore.ReadTermsAsync(db, key with { Topic = null }, newest - step * TermBaselineBuckets, newest + step, ct);
        var n = newest.ToUnixTimeSeconds();
        var current = rows.Where(r => r.Start == n).Select(r => new Prevalence.TermCount(r.Term, r.Count, r.Authors));
        var baseline = rows.Where(r => r.Start < n).Select(r => new Prevalence.TermCount(r.Term, r.Count, r.Authors));
        return Prevalence.WordShift.Rising(current, baseline);
    }

    /// <summary>Missing buckets inside the window become empty (NaN prevalence, zero counts) so positions are days apart.</summary>
    static List<SeriesBucket> Contiguous(List<SeriesBucket> window, TimeSpan step)
    {
        if (window.Count == 0) return window;
        var byStart = window.ToDictionary(b => b.Start);
        var result = new List<SeriesBucket>();
        for (var t = window[0].Start; t <= window[^1].Start; t += step)
            result.Add(byStart.TryGetValue(t, out var b) ? b : new SeriesBucket(t, 0, 0, 0, 0, double.NaN, double.NaN, double.NaN));
        return result;
    }

    /// <summary>
    /// Distinct authors of each (region, ISO week) so far, from the week cells (all topics), for the privacy rule on
    /// alerts. Missing when week series are not kept; the rule then falls back to its lower bound from the buckets.
    /// </summary>
    static async Task<Dictionary<(string Region, DateTimeOffset Week), long>> WeekAuthorsAsync(ForecasterDbContext db,
        IReadOnlyList<string> regions, IReadOnlyList<DateTimeOffset> weeks, CancellationToken ct)
    {
        if (regions.Count == 0 || weeks.Count == 0) return [];
        var week = (short)Granularity.Week;
        var starts = weeks.Select(w => w.ToUnixTimeSeconds()).ToList();
        var cells = await db.BucketCells.AsNoTracking()
            .Where(c => c.Granularity == week && c.Topic == "" && regions.Contains(c.Region) && starts.Contains(c.Start))
            .ToListAsync(ct);
        return cells.ToDictionary(c => (c.Region, DateTimeOffset.FromUnixTimeSeconds(c.Start)), c => c.Authors);
    }

    static TimeSpan Step(Granularity g) => g switch { Granularity.Hour => TimeSpan.FromHours(1), Granularity.Day => TimeSpan.FromDays(1), _ => TimeSpan.FromDays(7) };

    static void Apply(ForecasterDbContext db, Dictionary<(string, string, short, string, short), AlertIncidentRow> openIncidents,
        SeriesKey key, AlertKind kind, AlertSignal? signal, DateTimeOffset now, List<AlertIncident> raised, List<AlertResolution> resolved)
    {
        var topic = EfSeriesStore.TopicColumn(key.Topic);
        var g = (short)key.Granularity;
        var k = (short)kind;
        var row = openIncidents.GetValueOrDefault((key.Marker, key.Region, g, topic, k));
        var open = row is null ? null : ToIncident(row, key);
        switch (Alerting.Apply(key, kind, open, signal, now))
        {
            case IncidentChange.Opened c:
                db.AlertIncidents.Add(ToRow(c.Incident, new AlertIncidentRow
                {
                    AlertId = c.Incident.AlertId, Marker = key.Marker, Region = key.Region, Granularity = g, Topic = topic, Kind = k,
                    Method = "", RisingTerms = "[]",
                }));
                raised.Add(c.Incident);
                break;
            case IncidentChange.Updated c:
                ToRow(c.Incident, row!);
                raised.Add(c.Incident);
                break;
            case IncidentChange.Resolved c:
                row!.ResolvedAt = now;
                row.ResolveReason = c.Resolution.Reason;
                row.Revision = c.Resolution.Revision;
                row.UpdatedAt = now;
                resolved.Add(c.Resolution);
                break;
        }
    }

    static AlertIncidentRow ToRow(AlertIncident i, AlertIncidentRow row)
    {
        row.Severity = (short)i.Severity;
        row.Revision = i.Revision;
        row.OpenedAt = i.OpenedAt;
        row.UpdatedAt = i.UpdatedAt;
        row.BucketStart = i.BucketStart;
        row.Observed = i.Observed;
        row.Expected = i.Expected;
        row.Threshold = i.Threshold;
        row.Method = i.Method;
        row.PValue = i.PValue;
        row.RisingTerms = JsonSerializer.Serialize(i.RisingTerms, Json);
        return row;
    }

    public static AlertIncident ToIncident(AlertIncidentRow r, SeriesKey key) => new(r.AlertId, r.Revision, key, (AlertKind)r.Kind,
        (AlertSeverity)r.Severity, r.OpenedAt, r.UpdatedAt, r.BucketStart, r.Observed, r.Expected, r.Threshold, r.Method, r.PValue,
        JsonSerializer.Deserialize<List<TermShift>>(r.RisingTerms, Json) ?? []);
}
