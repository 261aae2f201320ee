using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monitoring.Hosting.Bus;

namespace Monitoring.Classifier;

public static class ClassifierExtensions
{
    /// <summary>
    /// The Classifier role: the models from <c>models/</c> (or <c>MONITORING_MODELS</c>), loaded when the host starts
    /// so a missing or corrupt model file stops start-up with a message naming it, the <c>PostsCollected</c> consumer, and
    /// the announcement of each marker's model version to the Dashboard.
    /// </summary>
    public static IHostApplicationBuilder AddClassifier(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => PostClassifier.Load());
        builder.Services.AddSingleton<ClassifierMetrics>();
        builder.Services.AddHostedService<ModelLoader>();
        builder.Services.AddHostedService<ModelAnnouncer>();
        builder.AddBusConsumer<PostsCollectedConsumer>();
        return builder;
    }

    private sealed class ModelLoader(IServiceProvider services, ILogger<ModelLoader> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var classifier = services.GetRequiredService<PostClassifier>();
            logger.LogInformation("Classifier serving model version {Version} ({Markers} markers)", classifier.ModelVersion, classifier.Markers.Names.Count);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
