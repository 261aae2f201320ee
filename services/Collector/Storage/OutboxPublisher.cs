using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Monitoring.Contracts;
using Monitoring.Hosting.Outbox;

namespace Monitoring.Collector.Storage;

/// <summary>
/// Publishes queued <see cref="PostsCollected"/> batches and deletes them once the broker confirmed. A crash between
/// the two republishes a batch with the same id; consumers are idempotent by post id. On PostgreSQL, replicas share
/// the work through <c>FOR UPDATE SKIP LOCKED</c>.
/// </summary>
public sealed class OutboxPublisher(
    IDbContextFactory<CollectorDbContext> factory,
    IBus bus,
    OutboxSignal<CollectorDbContext> signal,
    CollectorMetrics metrics,
    ILogger<OutboxPublisher> logger) : OutboxPublisherService<CollectorDbContext>(signal, logger)
{
    private const int BatchesPerRound = 16;

    /// <summary>Publishes one round of batches; returns how many were published.</summary>
    public override async Task<int> PublishRoundAsync(CancellationToken ct)
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
