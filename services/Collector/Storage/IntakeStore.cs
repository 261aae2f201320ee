using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Monitoring.Contracts;

namespace Monitoring.Collector.Storage;

/// <summary>
/// Records accepted posts: in one transaction it claims their keys in <c>seen_posts</c> (the database decides which
/// are new, so concurrent requests and replicas cannot both take a post), queues the new ones as outbox batches, and
/// advances the channel's cursor when one is given.
/// </summary>
public sealed class IntakeStore(IDbContextFactory<CollectorDbContext> factory, TimeProvider time)
{
    /// <summary>
    /// Stores the posts that are new; returns the keys that were already seen, and the new ones that
    /// <paramref name="keep"/> turned down (they are claimed, so a repeat is a duplicate, but not queued).
    /// <paramref name="keep"/> may remember what it keeps (the near-duplicate window); when the attempt does not commit,
    /// <paramref name="forget"/> is called for each post it kept, so a failed commit leaves no trace and a retry (the
    /// execution strategy's or the client's) is judged afresh.
    /// </summary>
    public async Task<(IReadOnlySet<string> Seen, IReadOnlySet<string> Dropped)> CommitAsync(
        IReadOnlyList<CollectedPost> posts, int batchSize, (string Key, string Position)? cursor = null,
        Func<CollectedPost, bool>? keep = null, Action<CollectedPost>? forget = null, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            var kept = new List<CollectedPost>();
            try
            {
                return await AttemptAsync(db, posts, batchSize, cursor, keep is null ? null : p => keep(p) && Remember(kept, p), ct);
            }
            catch
            {
                foreach (var post in kept) forget?.Invoke(post);
                db.ChangeTracker.Clear(); // a retried attempt starts from nothing, not from this one's queued batches
                throw;
            }
        });
    }

    private static bool Remember(List<CollectedPost> kept, CollectedPost post)
    {
        kept.Add(post);
        return true;
    }

    private async Task<(IReadOnlySet<string> Seen, IReadOnlySet<string> Dropped)> AttemptAsync(CollectorDbContext db,
        IReadOnlyList<CollectedPost> posts, int batchSize, (string Key, string Position)? cursor, Func<CollectedPost, bool>? keep, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var fresh = posts.Count == 0 ? [] : await ClaimAsync(db, posts.Select(p => p.PostId).Distinct().ToList(), now, ct);
        var taken = new HashSet<string>();
        var dropped = new HashSet<string>();
        var queued = posts.Where(p => fresh.Contains(p.PostId) && taken.Add(p.PostId) && (keep is null || keep(p) || !dropped.Add(p.PostId))).ToList();
        foreach (var chunk in queued.Chunk(batchSize))
        {
            var batch = new PostsCollected(Guid.NewGuid(), now, chunk);
            db.Outbox.Add(new OutboxBatch
            {
                BatchId = batch.BatchId,
                Payload = JsonSerializer.Serialize(batch),
                PostCount = chunk.Length,
                CreatedAt = now,
            });
        }
        if (cursor is { } c)
        {
            var row = await db.Cursors.FindAsync([c.Key], ct);
            if (row is null)
            {
                db.Cursors.Add(new IntakeCursor { Key = c.Key, Position = c.Position, UpdatedAt = now });
            }
            else
            {
                row.Position = c.Position;
                row.UpdatedAt = now;
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return ((IReadOnlySet<string>)posts.Select(p => p.PostId).Where(id => !fresh.Contains(id)).ToHashSet(), (IReadOnlySet<string>)dropped);
    }

    /// <summary>INSERT … ON CONFLICT DO NOTHING RETURNING: the rows returned are exactly the keys this call took.</summary>
    private static async Task<HashSet<string>> ClaimAsync(CollectorDbContext db, List<string> ids, DateTimeOffset now, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        if (db.Database.IsNpgsql())
        {
            command.CommandText = "INSERT INTO seen_posts (post_id, seen_at) SELECT unnest(@ids), @now ON CONFLICT DO NOTHING RETURNING post_id";
            command.Parameters.Add(new Npgsql.NpgsqlParameter("ids", ids.ToArray()));
            command.Parameters.Add(new Npgsql.NpgsqlParameter("now", now));
        }
        else
        {
            var values = string.Join(",", ids.Select((_, i) => $"(@p{i}, @now)"));
            command.CommandText = $"INSERT INTO seen_posts (post_id, seen_at) VALUES {values} ON CONFLICT DO NOTHING RETURNING post_id";
            for (var i = 0; i < ids.Count; i++)
            {
                AddParameter(command, $"@p{i}", ids[i]);
            }
            // EF's SQLite provider stores DateTimeOffset as ISO text; keep the same form.
            AddParameter(command, "@now", now.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture));
        }
        var fresh = new HashSet<string>(ids.Count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            fresh.Add(reader.GetString(0));
        }
        return fresh;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    /// <summary>The committed position of a channel, or null when it never committed one.</summary>
    public async Task<IntakeCursor?> CursorAsync(string key, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Cursors.AsNoTracking().FirstOrDefaultAsync(c => c.Key == key, ct);
    }

    /// <summary>Marks a finite channel (an import file) as done.</summary>
    public async Task CompleteAsync(string key, string position, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Cursors.FindAsync([key], ct);
        if (row is null)
        {
            db.Cursors.Add(row = new IntakeCursor { Key = key, Position = position });
        }
        row.Position = position;
        row.Completed = true;
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }
}
