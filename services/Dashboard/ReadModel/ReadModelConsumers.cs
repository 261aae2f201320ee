using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Monitoring.Contracts;
using Monitoring.Dashboard.Alerts;
using Monitoring.Dashboard.Storage;
using Monitoring.Dashboard.Subscriptions;
using Monitoring.Hosting.Data;
using Microsoft.EntityFrameworkCore.Storage;

namespace Monitoring.Dashboard.ReadModel;

/// <summary>
/// Stores every bucket of a <see cref="SeriesUpdated"/> as a new vintage; a redelivered message changes nothing.
/// Vintages are kept at hourly resolution: a new version replaces the versions of the same bucket known earlier in the
/// same hour (the Forecaster republishes a bucket with every batch), so <c>asOf=</c> is exact to the hour.
/// A batch touches tens of thousands of cells (every marker × region × hour it covers), so this writes with set-based
/// SQL (<see cref="RowWriter"/>) instead of tracked entities: inserts that skip vintages already stored, then one
/// statement that drops the same hour's earlier vintages of every bucket that now has a newer one.
/// </summary>
public sealed class SeriesUpdatedConsumer(IDbContextFactory<DashboardDbContext> factory) : IConsumer<SeriesUpdated>
{
    public async Task Consume(ConsumeContext<SeriesUpdated> context) =>
        await StoreAsync(factory, context.Message, context.CancellationToken);

    public static async Task StoreAsync(IDbContextFactory<DashboardDbContext> factory, SeriesUpdated message, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var table = SeriesCellTable.For(db);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var dbTransaction = transaction.GetDbTransaction();
        var rows = message.Updates.SelectMany(update => update.Buckets.Select(bucket => table.Row(update.Key, update.KnownAt.ToUniversalTime(), bucket)));
        await table.Insert.ExecuteAsync(connection, dbTransaction, rows, ct);
        foreach (var knownAt in message.Updates.Select(u => u.KnownAt.ToUniversalTime()).Distinct())
        {
            var hour = Buckets.StartOf(knownAt, Granularity.Hour);
            await using var delete = connection.CreateCommand();
            delete.Transaction = dbTransaction;
            delete.CommandText = table.DeleteSupersededSql;
            AddParameter(delete, "@hour", table.KnownAtValue(hour));
            AddParameter(delete, "@known", table.KnownAtValue(knownAt));
            await delete.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    static void AddParameter(System.Data.Common.DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    /// <summary>
    /// The <c>series_cells</c> columns and their value conversions, read from the EF model so the SQL follows the same
    /// mapping as the rest of the read model on both PostgreSQL and SQLite (where time is stored as ticks).
    /// </summary>
    sealed class SeriesCellTable
    {
        static readonly string[] Properties = [nameof(SeriesCell.Marker), nameof(SeriesCell.Region), nameof(SeriesCell.Granularity),
            nameof(SeriesCell.Topic), nameof(SeriesCell.BucketStart), nameof(SeriesCell.KnownAt), nameof(SeriesCell.Posts),
            nameof(SeriesCell.Authors), nameof(SeriesCell.ExpectedCount), nameof(SeriesCell.FlaggedCount), nameof(SeriesCell.Prevalence),
            nameof(SeriesCell.Lower95), nameof(SeriesCell.Upper95)];

        static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SeriesCellTable> Cache = new();

        readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter?[] _converters;

        SeriesCellTable(DashboardDbContext db)
        {
            var entity = db.Model.FindEntityType(typeof(SeriesCell))!;
            var store = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var props = Properties.Select(p => entity.FindProperty(p)!).ToArray();
            _converters = props.Select(p => p.GetTypeMapping().Converter).ToArray();
            string Column(string property) => "\"" + props[Array.IndexOf(Properties, property)].GetColumnName(store) + "\"";
            var table = "\"" + entity.GetTableName() + "\"";
            string[] key = [nameof(SeriesCell.Marker), nameof(SeriesCell.Granularity), nameof(SeriesCell.Region), nameof(SeriesCell.Topic), nameof(SeriesCell.BucketStart)];
            var keyColumns = string.Join(", ", key.Select(Column));
            Insert = new RowWriter($"INSERT INTO {table} ({string.Join(", ", Properties.Select(Column))})", Properties.Length,
                $"ON CONFLICT ({keyColumns}, {Column(nameof(SeriesCell.KnownAt))}) DO NOTHING");
            var knownAt = Column(nameof(SeriesCell.KnownAt));
            DeleteSupersededSql = $"DELETE FROM {table} WHERE {knownAt} >= @hour AND {knownAt} < @known AND EXISTS (SELECT 1 FROM {table} AS newer " +
                $"WHERE newer.{knownAt} = @known AND " + string.Join(" AND ", key.Select(k => $"newer.{Column(k)} = {table}.{Column(k)}")) + ")";
        }

        public RowWriter Insert { get; }

        public string DeleteSupersededSql { get; }

        public static SeriesCellTable For(DashboardDbContext db) => Cache.GetOrAdd(db.Database.ProviderName ?? "", _ => new SeriesCellTable(db));

        public object KnownAtValue(DateTimeOffset value) => Convert(5, value);

        public object[] Row(SeriesKey key, DateTimeOffset knownAt, SeriesBucket bucket)
        {
            object?[] values = [key.Marker, key.Region, key.Granularity, key.Topic ?? "", bucket.Start.ToUniversalTime(), knownAt, bucket.Posts,
                bucket.Authors, bucket.ExpectedCount, bucket.FlaggedCount, Numbers.Finite(bucket.Prevalence), Numbers.Finite(bucket.Lower95),
                Numbers.Finite(bucket.Upper95)];
            var row = new object[values.Length];
            for (var i = 0; i < values.Length; i++) row[i] = values[i] is null ? DBNull.Value : Convert(i, values[i]!);
            return row;
        }

        object Convert(int index, object value) => _converters[index] is { } c ? c.ConvertToProvider(value)! : value;
    }
}

public sealed class ForecastIssuedConsumer(IDbContextFactory<DashboardDbContext> factory) : IConsumer<ForecastIssued>
{
    public async Task Consume(ConsumeContext<ForecastIssued> context) =>
        await StoreAsync(factory, context.Message, context.CancellationToken);

    public static async Task StoreAsync(IDbContextFactory<DashboardDbContext> factory, ForecastIssued message, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        foreach (var forecast in message.Forecasts)
        {
            var key = forecast.Key;
            var topic = key.Topic ?? "";
            var issuedAt = forecast.IssuedAt.ToUniversalTime();
            var exists = await db.Forecasts.AnyAsync(f => f.Marker == key.Marker && f.Granularity == key.Granularity
                && f.Region == key.Region && f.Topic == topic && f.IssuedAt == issuedAt, ct)
                || db.Forecasts.Local.Any(f => f.Marker == key.Marker && f.Granularity == key.Granularity && f.Region == key.Region && f.Topic == topic && f.IssuedAt == issuedAt);
            if (exists)
            {
                continue;
            }
            db.Forecasts.Add(new ForecastRecord
            {
                Marker = key.Marker,
                Region = key.Region,
                Granularity = key.Granularity,
                Topic = topic,
                IssuedAt = issuedAt,
                Method = forecast.Method,
                PointsJson = JsonSerializer.Serialize(forecast.Points.Select(p => p with { Start = p.Start.ToUniversalTime() }), Numbers.StorageJson),
            });
        }
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>
/// Applies incident states by alert id and revision (older or repeated revisions are ignored) and, in the same
/// transaction, queues one delivery per matching subscription: the Dashboard's outbox.
/// </summary>
public sealed class AlertEventsConsumer(
    IDbContextFactory<DashboardDbContext> factory,
    AlertBroadcaster broadcaster,
    DashboardMetrics metrics,
    TimeProvider time,
    ILogger<AlertEventsConsumer> logger) : IConsumer<AlertRaised>, IConsumer<AlertResolved>
{
    public async Task Consume(ConsumeContext<AlertRaised> context)
    {
        var changes = await ApplyAsync(factory, time, context.Message, context.CancellationToken);
        Announce(changes);
    }

    public async Task Consume(ConsumeContext<AlertResolved> context)
    {
        var changes = await ApplyAsync(factory, time, context.Message, context.CancellationToken);
        Announce(changes);
    }

    private void Announce(IReadOnlyList<AlertChange> changes)
    {
        foreach (var change in changes)
        {
            logger.LogInformation("Alert {AlertId} {Event} (revision {Revision})", change.Alert.AlertId, change.Event, change.Alert.Revision);
            metrics.AlertChange(change.Event);
            broadcaster.Publish(change);
        }
    }

    /// <summary>The method of an incident known only from its resolution (every detector has a name, so none is empty).</summary>
    public const string KnownFromResolution = "";

    /// <summary>What the Forecaster says an incident is; status, revision and timestamps of the episode are the caller's.</summary>
    static void CopyDetails(AlertIncident incident, AlertRecord row)
    {
        row.Kind = incident.Kind;
        row.Severity = incident.Severity;
        row.OpenedAt = incident.OpenedAt.ToUniversalTime();
        row.BucketStart = incident.BucketStart.ToUniversalTime();
        row.Observed = Numbers.Finite(incident.Observed);
        row.Expected = Numbers.Finite(incident.Expected);
        row.Threshold = Numbers.Finite(incident.Threshold);
        row.Method = incident.Method;
        row.PValue = Numbers.Finite(incident.PValue);
        row.TermsJson = JsonSerializer.Serialize(incident.RisingTerms, Numbers.StorageJson);
    }

    public static async Task<IReadOnlyList<AlertChange>> ApplyAsync(IDbContextFactory<DashboardDbContext> factory, TimeProvider time, AlertRaised message, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var changes = new List<AlertChange>();
        foreach (var incident in message.Alerts)
        {
            var row = await db.Alerts.FindAsync([incident.AlertId], ct);
            string evt;
            if (row is null)
            {
                row = new AlertRecord
                {
                    AlertId = incident.AlertId,
                    Marker = incident.Key.Marker,
                    Region = incident.Key.Region,
                    Granularity = incident.Key.Granularity,
                    Topic = incident.Key.Topic ?? "",
                    Method = incident.Method,
                    TermsJson = "[]",
                };
                db.Alerts.Add(row);
                evt = AlertEvents.Opened;
            }
            else if (incident.Revision <= row.Revision && row.Method == KnownFromResolution)
            {
                // The resolution came first: fill in what the incident was, quietly (it is already over), so that the
                // row ends exactly as it would have in delivery order.
                CopyDetails(incident, row);
                row.Stamp = Guid.NewGuid();
                continue;
            }
            else if (incident.Revision > row.Revision)
            {
                if (AlertActions.StaysResolved(row, incident.Severity))
                {
                    // An analyst resolved it: the same incident at the same or a lower severity stays resolved, and
                    // nobody hears about it again (docs/api.md, "Acknowledging and resolving alerts").
                    row.Revision = incident.Revision;
                    row.Stamp = Guid.NewGuid();
                    continue;
                }
                evt = row.Status == AlertStatus.Resolved ? AlertEvents.Opened : AlertEvents.Updated;
            }
            else
            {
                continue;
            }
            var previousSeverity = row.Severity;
            row.Revision = incident.Revision;
            if (evt == AlertEvents.Opened)
            {
                // A new episode (or a reopening): whoever acknowledged or resolved the old one is not on this one.
                row.Status = AlertStatus.Open;
                AlertActions.ClearActions(row);
            }
            row.Stamp = Guid.NewGuid();
            CopyDetails(incident, row);
            row.UpdatedAt = incident.UpdatedAt.ToUniversalTime();
            row.ResolvedAt = null;
            row.ResolutionReason = null;
            var severityChanged = evt == AlertEvents.Updated && previousSeverity != incident.Severity;
            changes.Add(new AlertChange(row, evt, severityChanged));
        }
        await DeliveryPlanner.QueueAsync(db, changes, time.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        return changes;
    }

    public static async Task<IReadOnlyList<AlertChange>> ApplyAsync(IDbContextFactory<DashboardDbContext> factory, TimeProvider time, AlertResolved message, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var changes = new List<AlertChange>();
        foreach (var resolution in message.Alerts)
        {
            var row = await db.Alerts.FindAsync([resolution.AlertId], ct);
            if (row is null)
            {
                // Raised and resolved travel as separate messages and may be consumed in either order. Keep the
                // resolution (failing it would dead-letter it once retries ran out, and the alert would stay open for
                // ever); the raise fills in the details when it arrives. Nobody was told it opened, so nobody is told
                // it ended.
                db.Alerts.Add(new AlertRecord
                {
                    AlertId = resolution.AlertId,
                    Revision = resolution.Revision,
                    Marker = resolution.Key.Marker,
                    Region = resolution.Key.Region,
                    Granularity = resolution.Key.Granularity,
                    Topic = resolution.Key.Topic ?? "",
                    Kind = resolution.Kind,
                    Status = AlertStatus.Resolved,
                    OpenedAt = resolution.ResolvedAt.ToUniversalTime(),
                    UpdatedAt = resolution.ResolvedAt.ToUniversalTime(),
                    BucketStart = resolution.ResolvedAt.ToUniversalTime(),
                    ResolvedAt = resolution.ResolvedAt.ToUniversalTime(),
                    ResolutionReason = resolution.Reason,
                    Method = KnownFromResolution,
                    TermsJson = "[]",
                    Stamp = Guid.NewGuid(),
                });
                continue;
            }
            if (row.Status == AlertStatus.Resolved)
            {
                if (resolution.Revision > row.Revision)
                {
                    row.Revision = resolution.Revision; // resolved by an analyst before the Forecaster saw it end
                    row.Stamp = Guid.NewGuid();
                }
                continue;
            }
            if (resolution.Revision < row.Revision)
            {
                continue; // an older state
            }
            row.Revision = resolution.Revision;
            row.Status = AlertStatus.Resolved;
            row.ResolvedAt = resolution.ResolvedAt.ToUniversalTime();
            row.UpdatedAt = resolution.ResolvedAt.ToUniversalTime();
            row.ResolutionReason = resolution.Reason;
            row.Stamp = Guid.NewGuid();
            changes.Add(new AlertChange(row, AlertEvents.Resolved, false));
        }
        await DeliveryPlanner.QueueAsync(db, changes, time.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        return changes;
    }
}

public static class AlertEvents
{
    public const string Opened = "opened";
    public const string Updated = "updated";
    public const string Resolved = "resolved";

    /// <summary>An analyst acknowledged the incident: streamed live, never delivered to subscribers.</summary>
    public const string Acknowledged = "acknowledged";
}

/// <summary>An incident state that changed, for the outbox and the live stream.</summary>
public sealed record AlertChange(AlertRecord Alert, string Event, bool SeverityChanged);


/// <summary>The Forecaster writes NaN where it cannot estimate; the read model keeps null instead (SQLite cannot store NaN).</summary>
public static class Numbers
{
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>JSON for stored blobs: NaN and infinities survive as named literals.</summary>
    public static readonly JsonSerializerOptions StorageJson = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
