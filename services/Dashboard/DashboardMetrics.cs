using System.Diagnostics.Metrics;
using Monitoring.Hosting.Telemetry;

namespace Monitoring.Dashboard;

/// <summary>The Dashboard's counters: alert changes taken in, and deliveries by channel and outcome.</summary>
public sealed class DashboardMetrics
{
    private readonly Counter<long> _alertChanges = MonitoringTelemetry.Meter.CreateCounter<long>("monitoring.dashboard.alert.changes", "{change}", "Alert incident changes applied to the read model, by event.");
    private readonly Counter<long> _attempts = MonitoringTelemetry.Meter.CreateCounter<long>("monitoring.dashboard.delivery.attempts", "{attempt}", "Delivery attempts, by channel and outcome (delivered, retry, dead, withheld).");

    public void AlertChange(string evt) => _alertChanges.Add(1, new KeyValuePair<string, object?>("event", evt));

    public void Attempt(string channel, string outcome) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", outcome));
}
