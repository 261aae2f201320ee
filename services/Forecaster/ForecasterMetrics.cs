using System.Diagnostics.Metrics;
using Monitoring.Hosting.Telemetry;

namespace Monitoring.Forecaster;

/// <summary>The Forecaster role's instruments (meter <see cref="MonitoringTelemetry.Name"/>).</summary>
public static class ForecasterMetrics
{
    /// <summary>Refits of a series' stored forecasting model, tagged with why (missing, unusable, due, apply_failed).</summary>
    public static readonly Counter<long> ModelRefits = MonitoringTelemetry.Meter.CreateCounter<long>("monitoring.forecaster.model_refits", "{refit}",
        "Refits of stored forecasting models (Nelder–Mead), by reason.");
}
