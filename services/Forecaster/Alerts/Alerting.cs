using MathNet.Numerics.Distributions;
using Monitoring.Contracts;
using Monitoring.Forecaster.Detection;
using Monitoring.Forecaster.Forecasting;

namespace Monitoring.Forecaster.Alerts;

/// <summary>
/// Privacy minimums of DESIGN.md: a cell with fewer than 11 posts or 50 distinct authors is suppressed, and no alert
/// is raised on a region-week with fewer than 200 distinct authors. For day and hour buckets the caller passes the
/// distinct authors of the region's week so far (the week cell, when week series are kept); the largest bucket count of
/// the trailing 7 days (hour: 168 buckets) is a lower bound used as well, so the rule is never relaxed.
/// </summary>
public static class CellRules
{
    public const int MinPosts = 11;
    public const int MinAuthors = 50;
    public const int MinWeeklyAuthorsForAlert = 200;

    public static bool IsSuppressed(SeriesBucket b) => b.Posts < MinPosts || b.Authors < MinAuthors;

    /// <summary>True when the newest bucket may carry an alert.</summary>
    /// <param name="weekAuthors">Distinct authors of the newest bucket's region-week so far, when known (0 otherwise).</param>
    public static bool CanAlert(IReadOnlyList<SeriesBucket> buckets, Granularity granularity, long weekAuthors = 0)
    {
        if (buckets.Count == 0) return false;
        var last = buckets[^1];
        if (IsSuppressed(last)) return false;
        var span = granularity switch { Granularity.Week => 1, Granularity.Day => 7, _ => 168 };
        var weekly = weekAuthors;
        for (var i = Math.Max(0, buckets.Count - span); i < buckets.Count; i++) weekly = Math.Max(weekly, buckets[i].Authors);
        return weekly >= MinWeeklyAuthorsForAlert;
    }
}

/// <summary>What a detector or a forecast says about the newest bucket.</summary>
public sealed record AlertSignal(AlertKind Kind, DateTimeOffset BucketStart, double Observed, double Expected, double Threshold,
    string Method, double PValue, IReadOnlyList<TermShift> RisingTerms)
{
    /// <summary>Red below p = 0.01, yellow otherwise (signals are only raised for p &lt; 0.05 or a fired detector).</summary>
    public AlertSeverity Severity => PValue < 0.01 ? AlertSeverity.Red : AlertSeverity.Yellow;
}

/// <summary>The change an evaluation makes to an incident.</summary>
public abstract record IncidentChange
{
    public sealed record None : IncidentChange;
    public sealed record Opened(AlertIncident Incident) : IncidentChange;
    public sealed record Updated(AlertIncident Incident) : IncidentChange;
    public sealed record Resolved(AlertResolution Resolution) : IncidentChange;
}

/// <summary>
/// Pure alert logic: turns a series and a detector into signals, and signals into incident changes.
/// An incident opens when a signal appears, is updated (revision + 1) when a new bucket keeps it alive or its
/// severity changes, and resolves when the newest bucket no longer signals. Subscribers are told only on change.
/// </summary>
public static class Alerting
{
    /// <summary>
    /// Observed signal: the detector fired on the newest bucket (and the cell rules allow an alert). The p-value is
    /// the detector's own (ESSENCE) or, for EARS and CUSUM, the normal tail of (y − expected)/σ implied by the bound.
    /// </summary>
    public static AlertSignal? Observe(SeriesKey key, IReadOnlyList<SeriesBucket> buckets, Func<SeriesBucket, double> measure,
        string method, DetectorOptions? options = null, IReadOnlyList<TermShift>? terms = null)
    {
        if (!CellRules.CanAlert(buckets, key.Granularity)) return null;
        var dates = buckets.Select(b => b.Start.UtcDateTime).ToArray();
        var values = buckets.Select(measure).ToArray();
        var points = Detectors.Run(method, dates, values, options);
        return Observe(key, buckets, values, points[^1], method, options, terms);
    }

    /// <summary>
    /// <see cref="Observe(SeriesKey, IReadOnlyList{SeriesBucket}, Func{SeriesBucket, double}, string, DetectorOptions?, IReadOnlyList{TermShift}?)"/>
    /// from the detector's result for the newest bucket, for a caller that needs that result anyway (the forecast alert's
    /// threshold) and should not run the detector twice.
    /// </summary>
    public static AlertSignal? Observe(SeriesKey key, IReadOnlyList<SeriesBucket> buckets, IReadOnlyList<double> values, DetectionPoint p,
        string method, DetectorOptions? options = null, IReadOnlyList<TermShift>? terms = null, long weekAuthors = 0)
    {
        if (!CellRules.CanAlert(buckets, key.Granularity, weekAuthors)) return null;
        if (p.Alarm != true) return null;
        var pValue = double.IsNaN(p.PValue) ? NormalTail(p, values[^1], method, options) : p.PValue;
        return new AlertSignal(AlertKind.Observed, buckets[^1].Start, values[^1], p.Expected, p.UpperBound, p.Method ?? method,
            pValue, terms ?? []);
    }

    static double NormalTail(DetectionPoint p, double y, string method, DetectorOptions? options)
    {
        if (method.StartsWith("ears-c1", StringComparison.Ordinal) || method.StartsWith("ears-c2", StringComparison.Ordinal))
        {
            // bound = mean + z·σ → σ = (bound − mean)/z
            var z = RStats.QNorm(1 - (options?.Alpha ?? Ears.DefaultAlpha));
            var sigma = (p.UpperBound - p.Expected) / z;
            return sigma > 0 ? 1 - Normal.CDF(0, 1, (y - p.Expected) / sigma) : 0;
        }
        return 0; // C3, CUSUM: no p-value; a fired chart is treated as red
    }

    /// <summary>
    /// Forecast signal: the first forecast step whose point estimate exceeds <paramref name="threshold"/>
    /// (the detector's current bound). The p-value is the forecast's probability of staying below the threshold,
    /// from its 95 % interval width.
    /// </summary>
    public static AlertSignal? Forecast(IReadOnlyList<SeriesBucket> buckets, SeriesKey key, ForecastResult forecast, double threshold,
        TimeSpan step, IReadOnlyList<TermShift>? terms = null, long weekAuthors = 0)
    {
        if (!CellRules.CanAlert(buckets, key.Granularity, weekAuthors) || !double.IsFinite(threshold)) return null;
        for (var h = 0; h < forecast.Horizon; h++)
        {
            if (!(forecast.Mean[h] > threshold)) continue;
            var sd = (forecast.Upper95[h] - forecast.Lower95[h]) / (2 * ForecastResult.Z95);
            var p = sd > 0 ? Normal.CDF(0, 1, (threshold - forecast.Mean[h]) / sd) : 0;
            return new AlertSignal(AlertKind.Forecast, buckets[^1].Start + step * (h + 1), forecast.Mean[h], forecast.Mean[h], threshold,
                forecast.Method, p, terms ?? []);
        }
        return null;
    }

    /// <summary>Applies a signal (or its absence) to the open incident of the same series and kind.</summary>
    public static IncidentChange Apply(SeriesKey key, AlertKind kind, AlertIncident? open, AlertSignal? signal, DateTimeOffset now,
        Func<Guid>? newId = null)
    {
        if (signal is not null && signal.Kind != kind) throw new ArgumentException("signal kind differs from the incident kind");
        if (open is null)
        {
            if (signal is null) return new IncidentChange.None();
            return new IncidentChange.Opened(new AlertIncident((newId ?? Guid.NewGuid)(), 1, key, kind, signal.Severity, now, now,
                signal.BucketStart, signal.Observed, signal.Expected, signal.Threshold, signal.Method, signal.PValue, signal.RisingTerms));
        }
        if (signal is null)
            return new IncidentChange.Resolved(new AlertResolution(open.AlertId, open.Revision + 1, key, kind, now, "no longer above the threshold"));
        var changed = signal.BucketStart != open.BucketStart || signal.Severity != open.Severity
            || signal.Observed != open.Observed || signal.Threshold != open.Threshold;
        if (!changed) return new IncidentChange.None();
        return new IncidentChange.Updated(open with
        {
            Revision = open.Revision + 1,
            Severity = signal.Severity,
            UpdatedAt = now,
            BucketStart = signal.BucketStart,
            Observed = signal.Observed,
            Expected = signal.Expected,
            Threshold = signal.Threshold,
            Method = signal.Method,
            PValue = signal.PValue,
            RisingTerms = signal.RisingTerms,
        });
    }
}
