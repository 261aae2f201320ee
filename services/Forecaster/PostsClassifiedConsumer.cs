using Monitoring.Hosting.Outbox;
using MassTransit;
using Monitoring.Contracts;
using Monitoring.Forecaster.Alerts;
using Monitoring.Forecaster.Storage;

namespace Monitoring.Forecaster;

/// <summary>
/// Consumes <see cref="PostsClassified"/>: one transaction applies the batch to the series (idempotent by batch id),
/// re-detects the changed series and queues SeriesUpdated / AlertRaised / AlertResolved in the outbox.
/// </summary>
public sealed class PostsClassifiedConsumer(EfSeriesStore store, AlertEvaluator alerts, OutboxSignal<ForecasterDbContext> signal) : IConsumer<PostsClassified>
{
    public async Task Consume(ConsumeContext<PostsClassified> context)
    {
        var batch = context.Message;
        var changed = await store.ApplyAsync(batch, (db, keys) => alerts.EvaluateAsync(db, batch.BatchId, keys, context.CancellationToken),
            context.CancellationToken);
        if (changed.Count > 0) signal.Notify();
    }
}
