using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Monitoring.Hosting.Outbox;

/// <summary>
/// Wakes an outbox publisher as soon as a transaction queued something, instead of at its next poll. One per outbox
/// (the type parameter is the owning DbContext), so one role's notifications do not wake another role's publisher.
/// </summary>
public sealed class OutboxSignal<TOwner>
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); } catch (SemaphoreFullException) { }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>
/// The loop every hand-written transactional outbox shares (MassTransit's EF outbox is not in our registry): publish a
/// round of rows, wait for a signal or a short poll when there was nothing, back off after a failure. Subclasses say
/// how a round claims, publishes and deletes rows.
/// </summary>
public abstract class OutboxPublisherService<TOwner>(OutboxSignal<TOwner> signal, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan AfterFailure = TimeSpan.FromSeconds(2);

    /// <summary>Publishes one round of queued rows; returns how many were published.</summary>
    public abstract Task<int> PublishRoundAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int published;
            try
            {
                published = await PublishRoundAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Publishing the {Outbox} outbox failed; retrying", typeof(TOwner).Name);
                published = 0;
                await Task.Delay(AfterFailure, stoppingToken);
            }
            if (published == 0)
            {
                await signal.WaitAsync(Poll, stoppingToken);
            }
        }
    }
}
