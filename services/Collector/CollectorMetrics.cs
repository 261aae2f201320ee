using System.Diagnostics.Metrics;
using Monitoring.Hosting.Telemetry;

namespace Monitoring.Collector;

/// <summary>The Collector's counters: accepted, duplicate, rejected (by reason) and published posts.</summary>
public sealed class CollectorMetrics
{
    private readonly Counter<long> _accepted = MonitoringTelemetry.Meter.CreateCounter<long>("monitoring.collector.posts.accepted", "{post}", "Posts accepted and queued for classification.");
    private readonly Counter<long> _duplicates = MonitoringTelemetry.Meter.CreateCounter<long>("monitoring.collector.posts.duplicate", "{post}", "Posts dropped because their (source, id) was already taken.");
    private readonly Counter<long> _rejected = MonitoringTelemetry.Meter.CreateCounter<long>("monitoring.collector.posts.rejected", "{post}", "Posts rejected, by reason.");
    private readonly Counter<long> _dropped = MonitoringTelemetry.Meter.CreateCounter<long>("monitoring.collector.posts.dropped", "{post}", "Valid posts not taken, by reason (language_not_enabled, near_duplicate).");
    private readonly Counter<long> _published = MonitoringTelemetry.Meter.CreateCounter<long>("monitoring.collector.posts.published", "{post}", "Posts published on the bus in PostsCollected batches.");

    public void Accepted(long n, string channel) => _accepted.Add(n, new KeyValuePair<string, object?>("channel", channel));

    public void Duplicates(long n, string channel) => _duplicates.Add(n, new KeyValuePair<string, object?>("channel", channel));

    public void Rejected(string reason, string channel) =>
        _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("channel", channel));

    public void Published(long n) => _published.Add(n);

    public void Dropped(string reason, string channel) =>
        _dropped.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("channel", channel));
}
