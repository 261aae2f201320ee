using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Monitoring.Contracts;
using Monitoring.Forecaster.Series;
using Monitoring.Hosting.Data;

namespace Monitoring.Forecaster.Storage;

/// <summary>
/// <see cref="ISeriesStore"/> on PostgreSQL or SQLite. One transaction per batch: the batch id goes into the ledger
/// first (<c>ON CONFLICT DO NOTHING</c>; nothing inserted means the batch was applied before and the transaction is
/// dropped), then additive upserts (<c>ON CONFLICT … DO UPDATE SET posts = posts + excluded.posts</c>) and author
/// memberships whose newly inserted rows increment the cell's distinct-author count. Every statement is additive, so
/// any number of replicas can apply batches concurrently. On PostgreSQL the monthly partitions of
/// <c>series_buckets</c> are created on demand before the transaction.
/// </summary>
public sealed class EfSeriesStore(IDbContextFactory<ForecasterDbContext> factory, TimeProvider? clock = null,
    IReadOnlyCollection<Granularity>? granularities = null) : ISeriesStore
{
    readonly Granularity[] _granularities = [.. granularities ?? SeriesAggregator.AllGranularities];
    const string MemberConflict = "ON CONFLICT (region, granularity, topic, start, author_key) DO NOTHING RETURNING region, granularity, topic, start";
    const string BucketConflict = "ON CONFLICT (marker, region, granularity, topic, start) DO UPDATE SET posts = series_buckets.posts + excluded.posts, " +
        "expected_count = series_buckets.expected_count + excluded.expected_count, flagged_count = series_buckets.flagged_count + excluded.flagged_count, " +
        "updated_at = excluded.updated_at";

    static readonly RowWriter MarkerRatesUpsert = new("INSERT INTO marker_rates (marker, model_version, threshold, tpr, fpr, updated_at)", 6,
        "ON CONFLICT (marker) DO UPDATE SET model_version = excluded.model_version, threshold = excluded.threshold, " +
        "tpr = excluded.tpr, fpr = excluded.fpr, updated_at = excluded.updated_at");
    static readonly RowWriter BucketsUpsert = new(
        "INSERT INTO series_buckets (marker, region, granularity, topic, start, posts, expected_count, flagged_count, updated_at)", 9, BucketConflict);
    static readonly RowWriter BucketAuthorsInsert = new("INSERT INTO bucket_authors (region, granularity, topic, start, author_key)", 5, MemberConflict);
    static readonly RowWriter BucketCellsUpsert = new("INSERT INTO bucket_cells (region, granularity, topic, start, authors)", 5,
        "ON CONFLICT (region, granularity, topic, start) DO UPDATE SET authors = bucket_cells.authors + excluded.authors");
    static readonly RowWriter AuthorSymptomsUpsert = new("INSERT INTO author_symptoms (author_key, symptom, last_seen)", 3,
        "ON CONFLICT (author_key, symptom) DO UPDATE SET last_seen = CASE WHEN excluded.last_seen > author_symptoms.last_seen " +
        "THEN excluded.last_seen ELSE author_symptoms.last_seen END");
    static readonly RowWriter ScreenAuthorsInsert = new("INSERT INTO screen_authors (region, granularity, topic, start, author_key)", 5, MemberConflict);
    static readonly RowWriter TermAuthorsInsert = new("INSERT INTO term_authors (marker, region, granularity, start, term, author_key)", 6,
        "ON CONFLICT (marker, region, granularity, start, term, author_key) DO NOTHING RETURNING marker, region, granularity, start, term");
    static readonly RowWriter BucketTermsUpsert = new("INSERT INTO bucket_terms (marker, region, granularity, start, term, count, authors)", 7,
        "ON CONFLICT (marker, region, granularity, start, term) DO UPDATE SET count = bucket_terms.count + excluded.count, " +
        "authors = bucket_terms.authors + excluded.authors");
    const int RowsPerStatement = RowWriter.RowsPerStatement;
    readonly TimeProvider _clock = clock ?? TimeProvider.System;
    readonly HashSet<long> _knownPartitions = [];

    public static string TopicColumn(string? topic) => topic ?? "";

    public Task<IReadOnlyList<(SeriesKey Key, DateTimeOffset Start)>> ApplyAsync(PostsClassified batch, CancellationToken ct = default) =>
        ApplyAsync(batch, null, ct);

    /// <summary>
    /// Applies a batch and, inside the same transaction, runs <paramref name="inTransaction"/> (re-detection, incidents,
    /// outbox rows) on the same context, so the series change and the messages reporting it commit together.
    /// </summary>
    public async Task<IReadOnlyList<(SeriesKey Key, DateTimeOffset Start)>> ApplyAsync(PostsClassified batch,
        Func<ForecasterDbContext, IReadOnlyList<(SeriesKey Key, DateTimeOffset Start)>, Task>? inTransaction, CancellationToken ct = default)
    {
        var deltas = SeriesAggregator.Aggregate(batch, _granularities);
        await using var db = await factory.CreateDbContextAsync(ct);
        var postgres = db.Database.IsNpgsql();
        if (postgres) await EnsurePartitionsAsync(db, deltas.Select(d => d.Start), ct);
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var dbTx = tx.GetDbTransaction();

        var ledger = await ExecuteAsync(connection, dbTx,
            "INSERT INTO processed_batches (batch_id, processed_at) VALUES (@p0, @p1) ON CONFLICT (batch_id) DO NOTHING",
            [batch.BatchId.ToString("N"), now], ct);
        if (ledger == 0)
        {
            await tx.RollbackAsync(ct);
            return [];
        }

        await MarkerRatesUpsert.ExecuteAsync(connection, dbTx, batch.Rates.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new object[] { kv.Key, batch.ModelVersion, kv.Value.Threshold, kv.Value.TruePositiveRate, kv.Value.FalsePositiveRate, now }), ct);

        // A fixed row order in every transaction: concurrent replicas then wait for each other instead of deadlocking.
        var list = deltas.OrderBy(d => d.Key.Marker, StringComparer.Ordinal).ThenBy(d => d.Key.Region, StringComparer.Ordinal)
            .ThenBy(d => d.Key.Granularity).ThenBy(d => TopicColumn(d.Key.Topic), StringComparer.Ordinal).ThenBy(d => d.Start).ToList();
        await BucketsUpsert.ExecuteAsync(connection, dbTx, list.Select(d => new object[] { d.Key.Marker, d.Key.Region, (short)d.Key.Granularity,
            TopicColumn(d.Key.Topic), d.Start.ToUnixTimeSeconds(), d.Posts, d.ExpectedCount, d.FlaggedCount, now }), ct);

        // Authors per cell (region, granularity, topic, bucket): the union over markers.
        var cells = new Dictionary<(string Region, short G, string Topic, long Start), HashSet<string>>();
        foreach (var d in list)
        {
            var k = (d.Key.Region, (short)d.Key.Granularity, TopicColumn(d.Key.Topic), d.Start.ToUnixTimeSeconds());
            if (!cells.TryGetValue(k, out var set)) cells[k] = set = new HashSet<string>(StringComparer.Ordinal);
            set.UnionWith(d.Authors);
        }
        var memberships = cells.OrderBy(kv => kv.Key).SelectMany(kv => kv.Value.Order(StringComparer.Ordinal).Select(a => (kv.Key, Author: a))).ToList();
        var inserted = await InsertMembershipsAsync(BucketAuthorsInsert, connection, dbTx,
            memberships.Select(m => new object[] { m.Key.Region, m.Key.G, m.Key.Topic, m.Key.Start, m.Author }), ct);
        await BucketCellsUpsert.ExecuteAsync(connection, dbTx,
            cells.Keys.Order().Select(k => new object[] { k.Region, k.G, k.Topic, k.Start, inserted.GetValueOrDefault(k) }), ct);
        await ApplyTermsAsync(connection, dbTx, SeriesAggregator.AggregateTerms(batch), ct);
        var screened = await ApplyEpisodeScreenAsync(connection, dbTx, batch, _granularities, now, ct);
        list.AddRange(screened);

        IReadOnlyList<(SeriesKey, DateTimeOffset)> changed = list.Select(d => (d.Key, d.Start)).ToList();
        if (inTransaction is not null) await inTransaction(db, changed);
        await tx.CommitAsync(ct);
        return changed;
    }

    public async Task<IReadOnlyList<SeriesBucket>> ReadAsync(SeriesKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await ReadAsync(db, key, from, to, ct);
    }

    /// <summary>Reads buckets [from, to) of a series on a given context (inside its transaction, if any).</summary>
    public static async Task<IReadOnlyList<SeriesBucket>> ReadAsync(ForecasterDbContext db, SeriesKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var f = from.ToUnixTimeSeconds();
        var t = to.ToUnixTimeSeconds();
        var topic = TopicColumn(key.Topic);
        var g = (short)key.Granularity;
        var rows = await db.SeriesBuckets.AsNoTracking()
            .Where(x => x.Marker == key.Marker && x.Region == key.Region && x.Granularity == g && x.Topic == topic && x.Start >= f && x.Start < t)
            .OrderBy(x => x.Start).ToListAsync(ct);
        var authors = await db.BucketCells.AsNoTracking()
            .Where(x => x.Region == key.Region && x.Granularity == g && x.Topic == topic && x.Start >= f && x.Start < t)
            .ToDictionaryAsync(x => x.Start, x => x.Authors, ct);
        var rate = await db.MarkerRates.AsNoTracking().FirstOrDefaultAsync(x => x.Marker == key.Marker, ct);
        var rates = rate is null ? null : new MarkerRates(rate.Threshold, rate.TruePositiveRate, rate.FalsePositiveRate);
        return rows.Select(x => SeriesAggregator.ToBucket(DateTimeOffset.FromUnixTimeSeconds(x.Start), x.Posts,
            authors.GetValueOrDefault(x.Start), x.ExpectedCount, x.FlaggedCount, rates, key.Marker)).ToList();
    }

    /// <summary>
    /// Reads many series at once, from each request's start to the newest bucket: one query for the buckets and one for
    /// the author counts per cell (region, granularity, topic) instead of three per series, which is what lets a batch
    /// that touches hundreds of series be evaluated in one transaction quickly.
    /// </summary>
    public static async Task<Dictionary<SeriesKey, IReadOnlyList<SeriesBucket>>> ReadManyAsync(
        ForecasterDbContext db, IReadOnlyList<(SeriesKey Key, DateTimeOffset From)> requests, CancellationToken ct = default)
    {
        var rates = (await db.MarkerRates.AsNoTracking().ToListAsync(ct))
            .ToDictionary(r => r.Marker, r => new MarkerRates(r.Threshold, r.TruePositiveRate, r.FalsePositiveRate));
        var result = new Dictionary<SeriesKey, IReadOnlyList<SeriesBucket>>();
        foreach (var cell in requests.GroupBy(r => (r.Key.Region, r.Key.Granularity, Topic: TopicColumn(r.Key.Topic))))
        {
            var (region, granularity, topic) = cell.Key;
            var g = (short)granularity;
            var f = cell.Min(r => r.From).ToUnixTimeSeconds();
            var markers = cell.Select(r => r.Key.Marker).Distinct().ToList();
            var rows = await db.SeriesBuckets.AsNoTracking()
                .Where(x => x.Region == region && x.Granularity == g && x.Topic == topic && x.Start >= f && markers.Contains(x.Marker))
                .ToListAsync(ct);
            var authors = await db.BucketCells.AsNoTracking()
                .Where(x => x.Region == region && x.Granularity == g && x.Topic == topic && x.Start >= f)
                .ToDictionaryAsync(x => x.Start, x => x.Authors, ct);
            var byMarker = rows.GroupBy(x => x.Marker).ToDictionary(x => x.Key, x => x.OrderBy(r => r.Start).ToList());
            foreach (var (key, from) in cell)
            {
                var start = from.ToUnixTimeSeconds();
                var rate = rates.GetValueOrDefault(key.Marker);
                result[key] = (byMarker.GetValueOrDefault(key.Marker) ?? []).Where(x => x.Start >= start)
                    .Select(x => SeriesAggregator.ToBucket(DateTimeOffset.FromUnixTimeSeconds(x.Start), x.Posts,
                        authors.GetValueOrDefault(x.Start), x.ExpectedCount, x.FlaggedCount, rate, key.Marker)).ToList();
            }
        }
        return result;
    }

    /// <summary>
    /// Updates the 14-day author symptom state and the <c>dsm5.episode_screen</c> series (see <see cref="EpisodeScreen"/>).
    /// Returns the buckets it changed (as deltas for the changed list). Skipped when the batch carries no DSM-5 markers.
    /// </summary>
    static async Task<List<BucketDelta>> ApplyEpisodeScreenAsync(DbConnection connection, DbTransaction dbTx, PostsClassified batch,
        IReadOnlyList<Granularity> granularities, long now, CancellationToken ct)
    {
        if (!batch.Posts.Any(p => p.Probabilities.Keys.Any(k => EpisodeScreen.Symptom(k) is not null))) return [];
        var sightings = batch.Posts
            .SelectMany(p => p.Flagged.Select(EpisodeScreen.Symptom).OfType<string>().Select(s => (p.AuthorKey, Symptom: s, At: p.PublishedAt.ToUnixTimeSeconds())))
            .GroupBy(x => (x.AuthorKey, x.Symptom)).Select(g => (g.Key.AuthorKey, g.Key.Symptom, At: g.Max(x => x.At)))
            .OrderBy(x => x.AuthorKey, StringComparer.Ordinal).ThenBy(x => x.Symptom, StringComparer.Ordinal).ToList();
        await AuthorSymptomsUpsert.ExecuteAsync(connection, dbTx, sightings.Select(x => new object[] { x.AuthorKey, x.Symptom, x.At }), ct);

        var state = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var chunk in batch.Posts.Select(p => p.AuthorKey).Distinct(StringComparer.Ordinal).Chunk(RowsPerStatement))
        {
            var sql = "SELECT author_key, symptom, last_seen FROM author_symptoms WHERE author_key IN (" +
                string.Join(", ", chunk.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture))) + ")";
            await using var cmd = Command(connection, dbTx, sql, chunk);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var author = reader.GetString(0);
                if (!state.TryGetValue(author, out var m)) state[author] = m = new Dictionary<string, long>(StringComparer.Ordinal);
                m[reader.GetString(1)] = Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture);
            }
        }

        var deltas = new Dictionary<(SeriesKey, DateTimeOffset), BucketDelta>();
        var positives = new Dictionary<(SeriesKey, DateTimeOffset), HashSet<string>>();
        foreach (var post in batch.Posts)
        {
            var positive = state.TryGetValue(post.AuthorKey, out var seen) && EpisodeScreen.IsPositive(seen, post.PublishedAt.ToUnixTimeSeconds());
            foreach (var (region, g, topic, start) in SeriesAggregator.CellsOf(post, granularities))
            {
                var key = new SeriesKey(MarkerCatalogue.EpisodeScreen, region, g, topic);
                if (!deltas.TryGetValue((key, start), out var d)) deltas[(key, start)] = d = new BucketDelta(key, start);
                d.Posts++;
                d.Authors.Add(post.AuthorKey);
                if (positive)
                {
                    if (!positives.TryGetValue((key, start), out var set)) positives[(key, start)] = set = new HashSet<string>(StringComparer.Ordinal);
                    set.Add(post.AuthorKey);
                }
            }
        }

        // Newly positive authors per cell, through the membership table.
        var memberships = positives.OrderBy(kv => kv.Key.Item1.Region, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item1.Granularity)
            .ThenBy(kv => TopicColumn(kv.Key.Item1.Topic), StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2)
            .SelectMany(kv => kv.Value.Order(StringComparer.Ordinal).Select(a => (kv.Key.Item1, kv.Key.Item2, Author: a)));
        var inserted = await InsertMembershipsAsync(ScreenAuthorsInsert, connection, dbTx, memberships.Select(m => new object[]
            { m.Item1.Region, (short)m.Item1.Granularity, TopicColumn(m.Item1.Topic), m.Item2.ToUnixTimeSeconds(), m.Author }), ct);
        var ordered = deltas.Values.OrderBy(d => d.Key.Region, StringComparer.Ordinal).ThenBy(d => d.Key.Granularity)
            .ThenBy(d => TopicColumn(d.Key.Topic), StringComparer.Ordinal).ThenBy(d => d.Start).ToList();
        foreach (var d in ordered)
        {
            var newly = inserted.GetValueOrDefault((d.Key.Region, (short)d.Key.Granularity, TopicColumn(d.Key.Topic), d.Start.ToUnixTimeSeconds()));
            d.FlaggedCount = newly;
            d.ExpectedCount = newly;
        }
        await BucketsUpsert.ExecuteAsync(connection, dbTx, ordered.Select(d => new object[] { d.Key.Marker, d.Key.Region, (short)d.Key.Granularity,
            TopicColumn(d.Key.Topic), d.Start.ToUnixTimeSeconds(), d.Posts, d.ExpectedCount, d.FlaggedCount, now }), ct);

        // State expires 14 days after it was last seen, measured in data time (the batch's newest post), so that
        // imports of historical dumps screen correctly; a much later batch can expire state an older one needed.
        var newest = batch.Posts.Max(p => p.PublishedAt).ToUnixTimeSeconds();
        await ExecuteAsync(connection, dbTx, "DELETE FROM author_symptoms WHERE last_seen < @p0", [newest - (long)EpisodeScreen.Window.TotalSeconds], ct);
        return [.. deltas.Values];
    }

    static async Task ApplyTermsAsync(DbConnection connection, DbTransaction dbTx, IReadOnlyCollection<TermDelta> terms, CancellationToken ct)
    {
        if (terms.Count == 0) return;
        var inserted = new Dictionary<(string, string, short, long, string), long>();
        void Count(DbDataReader reader)
        {
            var k = (reader.GetString(0), reader.GetString(1), Convert.ToInt16(reader.GetValue(2), CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture), reader.GetString(4));
            inserted[k] = inserted.GetValueOrDefault(k) + 1;
        }
        terms = terms.OrderBy(t => t.Key.Marker, StringComparer.Ordinal).ThenBy(t => t.Key.Region, StringComparer.Ordinal)
            .ThenBy(t => t.Key.Granularity).ThenBy(t => t.Start).ThenBy(t => t.Term, StringComparer.Ordinal).ToList();
        await TermAuthorsInsert.ExecuteAsync(connection, dbTx, terms.SelectMany(t => t.Authors.Order(StringComparer.Ordinal)
            .Select(a => new object[] { t.Key.Marker, t.Key.Region, (short)t.Key.Granularity, t.Start.ToUnixTimeSeconds(), t.Term, a })), Count, ct);
        await BucketTermsUpsert.ExecuteAsync(connection, dbTx, terms.Select(t => new object[] { t.Key.Marker, t.Key.Region, (short)t.Key.Granularity,
            t.Start.ToUnixTimeSeconds(), t.Term, t.Count,
            inserted.GetValueOrDefault((t.Key.Marker, t.Key.Region, (short)t.Key.Granularity, t.Start.ToUnixTimeSeconds(), t.Term)) }), ct);
    }

    /// <summary>Evidence-term totals per bucket start of a (topic-less) series in [from, to).</summary>
    public static async Task<IReadOnlyList<(long Start, string Term, long Count, long Authors)>> ReadTermsAsync(ForecasterDbContext db, SeriesKey key,
        DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var f = from.ToUnixTimeSeconds();
        var t = to.ToUnixTimeSeconds();
        var g = (short)key.Granularity;
        var rows = await db.BucketTerms.AsNoTracking()
            .Where(x => x.Marker == key.Marker && x.Region == key.Region && x.Granularity == g && x.Start >= f && x.Start < t)
            .ToListAsync(ct);
        return rows.Select(x => (x.Start, x.Term, x.Count, x.Authors)).ToList();
    }

    /// <summary>Creates the monthly partitions (<c>series_buckets_yYYYYmMM</c>) that the given bucket starts need.</summary>
    async Task EnsurePartitionsAsync(ForecasterDbContext db, IEnumerable<DateTimeOffset> starts, CancellationToken ct)
    {
        var months = starts.Select(s => new DateTimeOffset(s.Year, s.Month, 1, 0, 0, 0, TimeSpan.Zero)).Distinct().ToList();
        foreach (var m in months)
        {
            var lo = m.ToUnixTimeSeconds();
            lock (_knownPartitions) if (_knownPartitions.Contains(lo)) continue;
            var hi = m.AddMonths(1).ToUnixTimeSeconds();
            var name = $"series_buckets_y{m.Year:D4}m{m.Month:D2}";
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    // The name and bounds are built from integers only, never from input text.
                    var ddl = "CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF series_buckets FOR VALUES FROM (" +
                        lo.ToString(CultureInfo.InvariantCulture) + ") TO (" + hi.ToString(CultureInfo.InvariantCulture) + ")";
                    await db.Database.ExecuteSqlRawAsync(ddl, ct);
                    break;
                }
                catch (Npgsql.PostgresException e) when (attempt < 3 && e.SqlState is "42P07" or "23505")
                {
                    // Another replica created it at the same moment.
                    await Task.Delay(50, ct);
                }
            }
            lock (_knownPartitions) _knownPartitions.Add(lo);
        }
    }

    /// <summary>Inserts author memberships of cells; returns how many were new per cell (region, granularity, topic, start).</summary>
    static async Task<Dictionary<(string, short, string, long), long>> InsertMembershipsAsync(RowWriter writer, DbConnection connection, DbTransaction dbTx,
        IEnumerable<object[]> rows, CancellationToken ct)
    {
        var inserted = new Dictionary<(string, short, string, long), long>();
        await writer.ExecuteAsync(connection, dbTx, rows, reader =>
        {
            var k = (reader.GetString(0), Convert.ToInt16(reader.GetValue(1), CultureInfo.InvariantCulture), reader.GetString(2), Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture));
            inserted[k] = inserted.GetValueOrDefault(k) + 1;
        }, ct);
        return inserted;
    }

    static DbCommand Command(DbConnection connection, DbTransaction tx, string sql, IReadOnlyList<object> args)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var i = 0; i < args.Count; i++)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            p.Value = args[i];
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction tx, string sql, IReadOnlyList<object> args, CancellationToken ct)
    {
        await using var cmd = Command(connection, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
