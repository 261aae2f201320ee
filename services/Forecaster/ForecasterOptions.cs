using System.ComponentModel.DataAnnotations;
using Monitoring.Contracts;
using Monitoring.Forecaster.Detection;
using Monitoring.Hosting.Options;

namespace Monitoring.Forecaster;

/// <summary>Section <c>Forecaster</c>.</summary>
public sealed class ForecasterOptions : IValidatableSettings
{
    public const string Section = "Forecaster";

    /// <summary>Detector for observed alerts (a name accepted by <c>monitoring detect</c>).</summary>
    public string DetectionMethod { get; set; } = "switch";

    /// <summary>Significance level of the detector (null: the method's default).</summary>
    public double? Alpha { get; set; }

    /// <summary>
    /// Granularities kept as series. Hourly series are most of the rows (24 per day per marker, region and topic); a
    /// deployment whose hourly cells would all fall below the minimum cell sizes can leave them out. Null (unset): all
    /// three. (No default list here: the configuration binder appends to a list it finds instead of replacing it.)
    /// </summary>
    public List<Granularity>? Granularities { get; set; }

    /// <summary>The granularities kept: <see cref="Granularities"/>, or hour, day and week when unset.</summary>
    public IReadOnlyList<Granularity> KeptGranularities => Granularities is { Count: > 0 } g ? g.Distinct().ToList() : Series.SeriesAggregator.AllGranularities;

    /// <summary>Granularities whose series raise alerts.</summary>
    public List<Granularity> AlertGranularities { get; set; } = [Granularity.Day];

    /// <summary>Also alert on per-topic series (more series, smaller cells).</summary>
    public bool AlertOnTopics { get; set; }

    /// <summary>Buckets of history read for detection and forecasting.</summary>
    [Range(14, 5000)]
    public int HistoryBuckets { get; set; } = 120;

    /// <summary>Raise <c>forecast</c> alerts when the forecast crosses the detector's bound within the horizon.</summary>
    public bool ForecastAlerts { get; set; } = true;

    /// <summary>Forecasting method for forecast alerts (ssa|snaive|holt-winters|auto).</summary>
    public string ForecastMethod { get; set; } = "holt-winters";

    [Range(1, 365)]
    public int ForecastHorizon { get; set; } = 7;

    [Range(1, 366)]
    public int Season { get; set; } = 7;

    /// <summary>
    /// Buckets between refits of a series' stored forecasting model (Holt-Winters parameters by Nelder–Mead); in between,
    /// each new bucket is forecast with the stored parameters in one filter pass. 1 refits on every new bucket.
    /// </summary>
    [Range(1, 366)]
    public int RefitEvery { get; set; } = 7;

    /// <summary>Start a refit's Nelder–Mead from the stored parameters (fewer iterations) instead of the default start.</summary>
    public bool WarmStartRefits { get; set; }

    public IEnumerable<(string Member, string Message)> Validate()
    {
        if (!Detectors.Names.Contains(DetectionMethod))
            yield return (nameof(DetectionMethod), $"must be one of {string.Join(", ", Detectors.Names)}.");
        if (ForecastMethod is not ("ssa" or "snaive" or "holt-winters" or "auto"))
            yield return (nameof(ForecastMethod), "must be ssa, snaive, holt-winters or auto.");
        foreach (var missing in AlertGranularities.Where(g => !KeptGranularities.Contains(g)).Distinct())
            yield return (nameof(AlertGranularities), $"includes {missing}, which is not kept as a series (Forecaster:Granularities).");
        if (Alpha is { } a && !(a > 0 && a < 1))
            yield return (nameof(Alpha), "must be in (0, 1).");
    }
}
