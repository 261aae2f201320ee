using Monitoring.Hosting.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Monitoring.Collector.Api;
using Monitoring.Collector.Demo;
using Monitoring.Collector.Import;
using Monitoring.Collector.Intake;
using Monitoring.Collector.Privacy;
using Monitoring.Collector.Sources;
using Monitoring.Collector.Sources.Bluesky;
using Monitoring.Collector.Sources.Mastodon;
using Monitoring.Collector.Storage;
using Monitoring.Collector.Tagging;
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
        builder.AddLiveSources();
        builder.Services.AddOptions<DemoOptions>().Bind(builder.Configuration.GetSection(DemoOptions.Section));
        if (builder.Configuration.GetValue<bool>($"{DemoOptions.Section}:Enabled"))
        {
            builder.Services.AddHostedService<DemoReplayer>();
        }
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
        builder.Services.AddOptions<TaggingOptions>().Bind(builder.Configuration.GetSection(TaggingOptions.Section));
        builder.Services.AddSingleton<LanguageIdentifier>();
        builder.Services.AddSingleton<Gazetteer>();
        builder.Services.AddSingleton<PostTagger>();
        builder.Services.AddSingleton<IntakeStore>();
        builder.Services.AddSingleton<OutboxSignal<CollectorDbContext>>();
        builder.Services.AddSingleton<CollectorMetrics>();
        builder.Services.AddSingleton<PostIntake>();
        builder.Services.AddSingleton<OutboxPublisher>();
        builder.Services.AddSingleton<FileImporter>();
        return builder;
    }

    /// <summary>One background service per configured Mastodon timeline and Bluesky feed.</summary>
    public static IHostApplicationBuilder AddLiveSources(this IHostApplicationBuilder builder)
    {
        var sources = builder.Configuration.GetSection(SourcesOptions.Section).Get<SourcesOptions>() ?? new SourcesOptions();
        var problems = sources.Mastodon.Cast<object>().Concat(sources.Bluesky)
            .SelectMany((o, i) => Validate(o).Select(e => $"Invalid setting '{SourcesOptions.Section}' entry {i}: {e}")).ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(SourcesOptions.Section, typeof(SourcesOptions), problems);
        }
        builder.Services.AddHttpClient(MastodonSource.SourceName, c =>
        {
            c.Timeout = Timeout.InfiniteTimeSpan; // streams stay open; pages carry their own timeout
            c.DefaultRequestHeaders.UserAgent.ParseAdd("monitoring/1.0 (+population mental-health research)");
        });
        foreach (var mastodon in sources.Mastodon)
        {
            builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<MastodonSource>(sp, mastodon,
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(MastodonSource.SourceName)));
        }
        foreach (var bluesky in sources.Bluesky)
        {
            builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<JetstreamSource>(sp, bluesky));
        }
        return builder;
    }

    private static IEnumerable<string> Validate(object options)
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);
        return results.Select(r => $"{string.Join(",", r.MemberNames)}: {r.ErrorMessage}");
    }

    public static WebApplication MapCollector(this WebApplication app)
    {
        // Resolve the pseudonymiser now so that a missing author secret stops start-up, not the first request.
        _ = app.Services.GetRequiredService<AuthorPseudonymizer>();
        app.MapPostsApi();
        return app;
    }
}
