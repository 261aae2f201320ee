using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Monitoring.Contracts;
using Monitoring.Hosting.Data;

namespace Monitoring.Forecaster.Storage;

/// <summary>
/// Reads and writes <see cref="FittedModelRow"/>s on the context (and transaction) of the batch being evaluated, so a
/// refit commits with the forecast it produced. Writes are upserts: two replicas refitting the same series both
/// succeed, the later one wins (the row is a cache of parameters, either is valid).
/// </summary>
public static class FittedModelStore
{
    /// <summary>The stored models of the given series (one query; filtered on markers and regions, then matched exactly).</summary>
    public static async Task<Dictionary<SeriesKey, FittedModelRow>> ReadAsync(ForecasterDbContext db, IReadOnlyCollection<SeriesKey> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return [];
        var markers = keys.Select(k => k.Marker).Distinct().ToList();
        var regions = keys.Select(k => k.Region).Distinct().ToList();
        var wanted = keys.ToHashSet();
        var rows = await db.FittedModels.AsNoTracking()
            .Where(x => markers.Contains(x.Marker) && regions.Contains(x.Region))
            .ToListAsync(ct);
        var result = new Dictionary<SeriesKey, FittedModelRow>();
        foreach (var row in rows)
        {
            var key = KeyOf(row);
            if (wanted.Contains(key)) result[key] = row;
        }
        return result;
    }

    public static SeriesKey KeyOf(FittedModelRow row) =>
        new(row.Marker, row.Region, (Granularity)row.Granularity, row.Topic.Length == 0 ? null : row.Topic);

    static readonly RowWriter Upsert = new(
        "INSERT INTO fitted_models (marker, region, granularity, topic, method, season, parameters, points, last_bucket, fitted_at)", 10,
        "ON CONFLICT (marker, region, granularity, topic) DO UPDATE SET method = excluded.method, season = excluded.season, " +
        "parameters = excluded.parameters, points = excluded.points, last_bucket = excluded.last_bucket, fitted_at = excluded.fitted_at");

    /// <summary>
    /// Inserts or replaces models, in key order (concurrent replicas then wait for each other instead of deadlocking), in
    /// the context's current transaction.
    /// </summary>
    public static async Task UpsertAsync(ForecasterDbContext db, IReadOnlyCollection<FittedModelRow> rows, CancellationToken ct)
    {
        var ordered = rows.OrderBy(r => r.Marker, StringComparer.Ordinal).ThenBy(r => r.Region, StringComparer.Ordinal)
            .ThenBy(r => r.Granularity).ThenBy(r => r.Topic, StringComparer.Ordinal)
            .Select(r => new object[] { r.Marker, r.Region, r.Granularity, r.Topic, r.Method, r.Season, r.Parameters, r.Points, r.LastBucket, r.FittedAt });
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await Upsert.ExecuteAsync(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), ordered, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
