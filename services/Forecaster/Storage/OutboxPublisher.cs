using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Monitoring.Contracts;
using Monitoring.Forecaster.Alerts;
using Monitoring.Hosting.Outbox;

namespace Monitoring.Forecaster.Storage;

/// <summary>
/// Publishes the Forecaster's outbox (SeriesUpdated, AlertRaised, AlertResolved) in order and deletes each row once the
/// broker has confirmed it. A crash between the two republishes the same message (same batch id); subscribers
/// de-duplicate by batch id or by (alert id, revision). On PostgreSQL replicas share the rows with
/// <c>FOR UPDATE SKIP LOCKED</c>.
/// </summary>
public sealed class ForecasterOutboxPublisher(
    IDbContextFactory<ForecasterDbContext> factory,
    IBus bus,
    OutboxSignal<ForecasterDbContext> signal,
    ILogger<ForecasterOutboxPublisher> logger) : OutboxPublisherService<ForecasterDbContext>(signal, logger)
{
    const int RowsPerRound = 32;

    public override async Task<int> PublishRoundAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = db.Database.IsNpgsql()
            ? await db.Outbox.FromSqlRaw($"SELECT * FROM forecaster_outbox ORDER BY \"Id\" LIMIT {RowsPerRound} FOR UPDATE SKIP LOCKED").ToListAsync(ct)
            : await db.Outbox.OrderBy(r => r.Id).Take(RowsPerRound).ToListAsync(ct);
        foreach (var row in rows)
        {
            switch (row.MessageType)
            {
                case nameof(SeriesUpdated):
                    await bus.Publish(JsonSerializer.Deserialize<SeriesUpdated>(row.Payload, AlertEvaluator.Json)!, ct);
                    break;
                case nameof(AlertRaised):
                    await bus.Publish(JsonSerializer.Deserialize<AlertRaised>(row.Payload, AlertEvaluator.Json)!, ct);
                    break;
                case nameof(AlertResolved):
                    await bus.Publish(JsonSerializer.Deserialize<AlertResolved>(row.Payload, AlertEvaluator.Json)!, ct);
                    break;
                case nameof(ForecastIssued):
                    await bus.Publish(JsonSerializer.Deserialize<ForecastIssued>(row.Payload, AlertEvaluator.Json)!, ct);
                    break;
                default:
                    logger.LogError("Unknown outbox message type {Type}; dropping row {Id}", row.MessageType, row.Id);
                    break;
            }
            db.Outbox.Remove(row);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }
}
