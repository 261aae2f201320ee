using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Monitoring.Hosting.Telemetry;

/// <summary>The project's own activity source and meter; every role's instruments hang off these.</summary>
public static class MonitoringTelemetry
{
    public const string Name = "Monitoring";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);
}
