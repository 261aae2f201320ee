using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monitoring.Contracts;

namespace Monitoring.Collector.Storage;

/// <summary>Wakes the <see cref="OutboxPublisher"/> as soon as something was queued, instead of waiting for its next poll.</summary>
public sealed class OutboxSignal
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
/// Publishes queued <see cref="PostsCollected"/> batches and deletes them once the broker confirmed. A crash between
/// the two republishes a batch with the same id; consumers are idempotent by post id. On PostgreSQL, replicas share
/// the work through <c>FOR UPDATE SKIP LOCKED</c>.
/// </summary>
public sealed class OutboxPublisher(
    IDbContextFactory<CollectorDbContext> factory,
    IBus bus,
    OutboxSignal signal,
    CollectorMetrics metrics,
    ILogger<OutboxPublisher> logger) : BackgroundService
{
    private const int BatchesPerRound = 16;

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
                logger.LogWarning(e, "Publishing queued post batches failed; retrying");
                published = 0;
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
            if (published == 0)
            {
                await signal.WaitAsync(TimeSpan.FromMilliseconds(500), stoppingToken);
            }
        }
    }

    /// <summary>Publishes one round of batches; returns how many were published.</summary>
    public async Task<int> PublishRoundAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = db.Database.IsNpgsql()
            ? await db.Outbox.FromSqlRaw($"SELECT * FROM intake_outbox ORDER BY id LIMIT {BatchesPerRound} FOR UPDATE SKIP LOCKED").ToListAsync(ct)
            : await db.Outbox.OrderBy(o => o.Id).Take(BatchesPerRound).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return 0;
        }
        await Task.WhenAll(rows.Select(row => bus.Publish(JsonSerializer.Deserialize<PostsCollected>(row.Payload)!, ct)));
        db.Outbox.RemoveRange(rows);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        metrics.Published(rows.Sum(r => r.PostCount));
        return rows.Count;
    }

    /// <summary>Posts still waiting to be published.</summary>
    public static async Task<long> PendingPostsAsync(IDbContextFactory<CollectorDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Outbox.SumAsync(o => (long)o.PostCount, ct);
    }
}
