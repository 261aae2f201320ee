using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Monitoring.Hosting.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>MassTransit's own ActivitySource and Meter (send, publish, consume spans; message counters and durations).</summary>
    public const string MassTransitSource = "MassTransit";

    /// <summary>
    /// Traces, metrics and logs through the OpenTelemetry hosting package: ASP.NET Core, HttpClient, runtime and Npgsql
    /// instrumentation, MassTransit's source and meter, and the project's own <see cref="MonitoringTelemetry"/>.
    /// Metrics are always kept for the Prometheus scrape endpoint (<see cref="MapMetrics"/>); OTLP export of every
    /// signal is switched on by <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, as the OpenTelemetry specification says.
    /// </summary>
    public static IHostApplicationBuilder AddMonitoringTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t => t
                .AddSource(MonitoringTelemetry.Name, MassTransitSource)
                .AddAspNetCoreInstrumentation(o => o.Filter = IsTraced)
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(m => m
                .AddMeter(MonitoringTelemetry.Name, MassTransitSource)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter())
            .WithLogging(_ => { }, o => o.IncludeScopes = true);
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }
        return builder;
    }

    /// <summary><c>/metrics</c> in the Prometheus text format, from the OpenTelemetry exporter.</summary>
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint();

    /// <summary>Probes and scrapes every few seconds would bury the pipeline's traces; they still count in the metrics.</summary>
    private static bool IsTraced(Microsoft.AspNetCore.Http.HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/metrics");
}
