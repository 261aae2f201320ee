using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Monitoring.Collector.Api;
using Monitoring.Collector.Import;
using Monitoring.Collector.Intake;
using Monitoring.Collector.Privacy;
using Monitoring.Collector.Storage;
using Monitoring.Hosting.Data;
using Monitoring.Hosting.Options;

namespace Monitoring.Collector;

public static class CollectorExtensions
{
    /// <summary>
    /// The Collector role: intake (push API and import), its database, and the outbox publisher that puts
    /// <c>PostsCollected</c> batches on the bus.
    /// </summary>
    public static IHostApplicationBuilder AddCollector(this IHostApplicationBuilder builder)
    {
        builder.AddCollectorIntake();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxPublisher>());
        return builder;
    }

    /// <summary>Intake without the publisher: what <c>monitoring import</c> needs when another process publishes.</summary>
    public static IHostApplicationBuilder AddCollectorIntake(this IHostApplicationBuilder builder)
    {
        if (builder.Properties.ContainsKey(typeof(PostIntake)))
        {
            return builder;
        }
        builder.Properties[typeof(PostIntake)] = true;
        builder.AddValidatedOptions<CollectorOptions>(CollectorOptions.Section);
        builder.AddMonitoringDatabase<CollectorDbContext>(CollectorDbContext.DatabaseName);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new AuthorPseudonymizer(AuthorSecret.Resolve(
            sp.GetRequiredService<IOptions<CollectorOptions>>().Value,
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value)));
        builder.Services.AddSingleton<PostValidator>();
        builder.Services.AddSingleton<IntakeStore>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<CollectorMetrics>();
        builder.Services.AddSingleton<PostIntake>();
        builder.Services.AddSingleton<OutboxPublisher>();
        builder.Services.AddSingleton<FileImporter>();
        return builder;
    }

    public static WebApplication MapCollector(this WebApplication app)
    {
        // Resolve the pseudonymiser now so that a missing author secret stops start-up, not the first request.
        _ = app.Services.GetRequiredService<AuthorPseudonymizer>();
        app.MapPostsApi();
        return app;
    }
}
