using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monitoring.Contracts;

namespace Monitoring.Classifier;

/// <summary>
/// Publishes <see cref="ClassifierModelsAnnounced"/> once the host (and its bus) has started, and again every
/// <see cref="Interval"/>, so that a Dashboard whose queue did not exist yet, or that lost its database, catches up.
/// A failed publish is logged and retried at the next tick: the catalogue just shows no version until then.
/// </summary>
public sealed class ModelAnnouncer(PostClassifier classifier, IBus bus, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<ModelAnnouncer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    public ClassifierModelsAnnounced Announcement() => new(classifier.ModelVersion, time.GetUtcNow(), classifier.MarkerModels());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await bus.Publish(Announcement(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not announce the model versions; retrying in {Interval}", Interval);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
