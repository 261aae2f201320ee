using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Monitoring.Dashboard.Access;
using Monitoring.Dashboard.Alerts;
using Monitoring.Dashboard.Annotations;
using Monitoring.Dashboard.Cap;
using Monitoring.Dashboard.Delivery;
using Monitoring.Dashboard.Keys;
using Monitoring.Dashboard.ReadModel;
using Monitoring.Dashboard.Series;
using Monitoring.Dashboard.Storage;
using Monitoring.Dashboard.Subscriptions;
using Monitoring.Dashboard.WebUi;
using Monitoring.Hosting.Bus;
using Monitoring.Hosting.Data;
using Monitoring.Hosting.Options;
using Monitoring.Hosting.Security;

namespace Monitoring.Dashboard;

public static class DashboardExtensions
{
    /// <summary>
    /// The Dashboard role: its read model (consumers of SeriesUpdated, ForecastIssued, AlertRaised, AlertResolved),
    /// the REST API, OpenAPI, access rules, and alert delivery (webhooks, e-mail, live stream, CAP).
    /// </summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        if (builder.Properties.ContainsKey(typeof(DashboardDbContext)))
        {
            return builder;
        }
        builder.Properties[typeof(DashboardDbContext)] = true;
        builder.AddValidatedOptions<DashboardOptions>(DashboardOptions.Section);
        builder.AddMonitoringDatabase<DashboardDbContext>(DashboardDbContext.DatabaseName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AlertBroadcaster>();
        builder.Services.AddSingleton<DashboardMetrics>();
        builder.Services.AddSingleton<SsrfGuard>();
        builder.Services.AddSingleton<IAlertSender, WebhookSender>();
        builder.Services.AddSingleton<IAlertSender, EmailSender>();
        builder.Services.AddSingleton<DeliveryWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeliveryWorker>());
        builder.Services.AddSingleton<WebUi.DashboardWarmup>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebUi.DashboardWarmup>());
        builder.Services.AddHealthChecks().AddCheck<WebUi.DashboardWarmupHealthCheck>("dashboard-warm-up", tags: ["ready"]);
        builder.Services.AddHostedService<Annotations.DemoAnnotation>();
        builder.AddBusConsumer<SeriesUpdatedConsumer>();
        builder.AddBusConsumer<ForecastIssuedConsumer>();
        builder.AddBusConsumer<AlertEventsConsumer>();
        builder.AddBusConsumer<MarkerModelsConsumer>();
        builder.AddDashboardAccess();
        // A value the Forecaster could not estimate may reach a response as NaN; write it as "NaN" rather than fail.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling |= System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals);
        builder.Services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Monitoring API";
                document.Info.Description = "Population-level mental-health signals from public posts: markers, series, forecasts, alerts and their delivery. Send an API key in the X-Api-Key header.";
                document.Components ??= new Microsoft.OpenApi.OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new Microsoft.OpenApi.OpenApiSecurityScheme
                {
                    Type = Microsoft.OpenApi.SecuritySchemeType.ApiKey,
                    In = Microsoft.OpenApi.ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = "mon_<prefix>_<secret>; roles viewer, analyst, admin.",
                };
                document.Security ??= [];
                document.Security.Add(new Microsoft.OpenApi.OpenApiSecurityRequirement
                {
                    [new Microsoft.OpenApi.OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [],
                });
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapGet("/api", ApiPage).ExcludeFromDescription().AllowAnonymous();

        var read = app.MapGroup("/api/v1").RequireAuthorization(DashboardAccess.ReadPolicy).RequireRateLimiting(DashboardAccess.RateLimitPolicy);
        var analyst = app.MapGroup("/api/v1").RequireAuthorization(MonitoringPolicies.Analyst);
        var admin = app.MapGroup("/api/v1").RequireAuthorization(MonitoringPolicies.Admin);
        app.MapGroup("/api/v1").RequireRateLimiting(DashboardAccess.RateLimitPolicy).MapWhoAmI();
        read.MapSeriesApi();
        read.MapAlertsApi(analyst);
        read.MapCapApi();
        read.MapAnnotationsApi(analyst);
        analyst.MapSubscriptionsApi();
        admin.MapKeysApi();
        admin.MapSettingsApi();
        app.MapDashboardWeb();
        return app;
    }

    private static IResult ApiPage()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Monitoring.Dashboard.api.html")!;
        using var reader = new StreamReader(stream);
        return TypedResults.Content(reader.ReadToEnd(), "text/html; charset=utf-8");
    }
}
