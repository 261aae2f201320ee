namespace Monitoring.Hosting;

/// <summary>The roles one <c>monitoring</c> process can run (the Loki/Mimir <c>-target</c> pattern).</summary>
[Flags]
public enum MonitoringRoles
{
    None = 0,
    Collector = 1,
    Classifier = 2,
    Forecaster = 4,
    Dashboard = 8,
    All = Collector | Classifier | Forecaster | Dashboard,
}

public static class MonitoringRolesParser
{
    public static readonly IReadOnlyList<string> Names = ["all", "collector", "classifier", "forecaster", "dashboard"];

    /// <summary>Parses <c>all</c> or a comma-separated list of role names.</summary>
    public static MonitoringRoles Parse(string value)
    {
        var roles = MonitoringRoles.None;
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            roles |= part.ToLowerInvariant() switch
            {
                "all" => MonitoringRoles.All,
                "collector" => MonitoringRoles.Collector,
                "classifier" => MonitoringRoles.Classifier,
                "forecaster" => MonitoringRoles.Forecaster,
                "dashboard" => MonitoringRoles.Dashboard,
                _ => throw new ArgumentException($"Unknown role '{part}'. Roles: {string.Join(", ", Names)}."),
            };
        }
        return roles == MonitoringRoles.None ? throw new ArgumentException("No role given.") : roles;
    }
}
