using Monitoring.Classifier;
using Monitoring.Collector;
using Monitoring.Dashboard;
using Monitoring.Forecaster;
using Monitoring.Hosting;
using Monitoring.Hosting.Bus;

namespace Monitoring.Host;

/// <summary>Composes the chosen roles into one process: the single-binary pattern of Loki and Mimir.</summary>
public static class Roles
{
    public static WebApplication Build(MonitoringRoles roles, string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json ships beside the binary; relative data paths still resolve against the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (IsEmbedded(builder.Configuration))
        {
            // The embedded default shows a living system: it replays the bundled, simulated demo posts (in larger batches,
            // since one process holds every role) and opens the web dashboard without a key, for public aggregates only,
            // rate-limited per client. Subscriptions, annotations and keys still need the admin key printed at first start.
            // Each default yields to explicit configuration.
            builder.Configuration["Collector:Demo:Enabled"] ??= "true";
            builder.Configuration["Collector:BatchSize"] ??= "1000";
            builder.Configuration["Dashboard:AnonymousRead"] ??= "true";
            builder.Configuration["Dashboard:AnonymousPermitLimit"] ??= "600";
            // Hourly series are left out: at the demo's few hundred posts a day every hourly cell is below the minimum
            // cell size and would only show as suppressed, while hourly rows would be most of the replay's work.
            if (!builder.Configuration.GetSection("Forecaster:Granularities").Exists())
            {
                builder.Configuration["Forecaster:Granularities:0"] = "Day";
                builder.Configuration["Forecaster:Granularities:1"] = "Week";
            }
        }
        builder.AddServiceDefaults();
        if (roles.HasFlag(MonitoringRoles.Collector)) builder.AddCollector();
        if (roles.HasFlag(MonitoringRoles.Classifier)) builder.AddClassifier();
        if (roles.HasFlag(MonitoringRoles.Forecaster)) builder.AddForecaster();
        if (roles.HasFlag(MonitoringRoles.Dashboard)) builder.AddDashboard();
        builder.AddMonitoringBus();

        var app = builder.Build();
        app.MapServiceDefaults();
        if (roles.HasFlag(MonitoringRoles.Collector)) app.MapCollector();
        if (roles.HasFlag(MonitoringRoles.Dashboard)) app.MapDashboard();
        return app;
    }

    /// <summary>In-memory bus and SQLite: the one-process default of `monitoring run`.</summary>
    public static bool IsEmbedded(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration["Bus:RabbitMq"]) && string.IsNullOrWhiteSpace(configuration["Database:Postgres"]);

    /// <summary>A host without a web server, for offline subcommands that need configuration, the database or the bus.</summary>
    public static HostApplicationBuilder CreateOfflineBuilder(string[]? args = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args ?? [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // A command's own output is the point; the host's start-up chatter is not.
        builder.Logging.AddFilter((_, level) => level >= LogLevel.Warning);
        return builder;
    }
}
