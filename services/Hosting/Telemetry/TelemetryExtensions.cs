using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Monitoring.Hosting.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>
    /// Traces, metrics and logs through the OpenTelemetry SDK. The hosting and instrumentation packages are not
    /// in our registry, so the SDK is created directly and the framework's own ActivitySources and Meters
    /// (ASP.NET Core, HttpClient, MassTransit, Npgsql) stand in for the instrumentation packages.
    /// OTLP export is switched on by <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, as the OpenTelemetry spec says.
    /// </summary>
    public static IHostApplicationBuilder AddMonitoringTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddSingleton(_ => OpenTelemetrySdk.Create(otel =>
        {
            otel.ConfigureResource(r => r.AddService(serviceName));
            otel.WithTracing(t => t.AddSource(MonitoringTelemetry.Name, "MassTransit", "Microsoft.AspNetCore", "System.Net.Http", "Npgsql"));
            otel.WithMetrics(m => m.AddMeter(MonitoringTelemetry.Name, "MassTransit", "Microsoft.AspNetCore.Hosting",
                "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime", "Npgsql"));
            if (otlp)
            {
                otel.UseOtlpExporter();
            }
        }));
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeScopes = true;
            if (otlp)
            {
                o.AddOtlpExporter();
            }
        });
        builder.Services.AddHostedService<TelemetryStarter>();
        return builder;
    }

    /// <summary>Resolving the SDK at start-up builds its providers; the container disposes (and flushes) it at shutdown.</summary>
    private sealed class TelemetryStarter(OpenTelemetrySdk sdk) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(sdk);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
