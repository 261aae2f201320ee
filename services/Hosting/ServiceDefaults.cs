using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Monitoring.Hosting.Security;
using Monitoring.Hosting.Telemetry;

namespace Monitoring.Hosting;

public static class ServiceDefaults
{
    /// <summary>
    /// What every role shares: OpenTelemetry, health checks, Problem Details for every error, JSON conventions
    /// and the API-key store. Call first; then the roles' <c>AddX</c>; then <see cref="Bus.BusExtensions.AddMonitoringBus"/>.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName = "monitoring")
    {
        builder.AddMonitoringTelemetry(serviceName);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        });
        builder.AddApiKeys();
        return builder;
    }

    /// <summary>
    /// Error handling, authentication, <c>/health/live</c> (the process answers), <c>/health/ready</c> (bus and databases)
    /// and <c>/metrics</c> (Prometheus text). Every role runs on this web host, so every role answers all three.
    /// </summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live") });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapMetrics();
        return app;
    }
}
