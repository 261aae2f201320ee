using MassTransit;
using Microsoft.EntityFrameworkCore;
using Monitoring.Contracts;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.ReadModel;

/// <summary>
/// Keeps, per marker, the model version the Classifier last announced; an announcement older than the stored one
/// (a redelivery, or a replica still on the old models during a roll-out) changes nothing.
/// </summary>
public sealed class MarkerModelsConsumer(IDbContextFactory<DashboardDbContext> factory) : IConsumer<ClassifierModelsAnnounced>
{
    public async Task Consume(ConsumeContext<ClassifierModelsAnnounced> context) =>
        await StoreAsync(factory, context.Message, context.CancellationToken);

    public static async Task StoreAsync(IDbContextFactory<DashboardDbContext> factory, ClassifierModelsAnnounced message, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var at = message.AnnouncedAt.ToUniversalTime();
        var existing = await db.MarkerModels.ToDictionaryAsync(m => m.Marker, StringComparer.Ordinal, ct);
        foreach (var m in message.Markers.Where(m => MarkerCatalogue.IsKnown(m.Marker) && !string.IsNullOrWhiteSpace(m.ModelVersion)).DistinctBy(m => m.Marker))
        {
            var version = m.ModelVersion.Length > 200 ? m.ModelVersion[..200] : m.ModelVersion;
            if (!existing.TryGetValue(m.Marker, out var row))
            {
                db.MarkerModels.Add(new MarkerModelRecord { Marker = m.Marker, ModelVersion = version, TrainedAt = m.TrainedAt?.ToUniversalTime(), AnnouncedAt = at });
            }
            else if (at >= row.AnnouncedAt)
            {
                row.ModelVersion = version;
                row.TrainedAt = m.TrainedAt?.ToUniversalTime();
                row.AnnouncedAt = at;
            }
        }
        // Two replicas announcing at once may both insert a marker: the loser fails on the key and the bus retries it.
        await db.SaveChangesAsync(ct);
    }
}
