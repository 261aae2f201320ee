using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Monitoring.Hosting.Data;

namespace Monitoring.Collector.Storage;

/// <summary>A post key the Collector has taken; the unique key makes de-duplication survive restarts.</summary>
public sealed class SeenPost
{
    public required string PostId { get; set; }

    public DateTimeOffset SeenAt { get; set; }
}

/// <summary>
/// A <c>PostsCollected</c> batch waiting to be published (transactional outbox). It is written in the same
/// transaction as the posts' <see cref="SeenPost"/> rows and the channel's cursor, and deleted once the broker has
/// confirmed it, so a crash at any point neither loses a post nor queues it twice. Holds post text for seconds,
/// inside the Collector-to-Classifier hop only.
/// </summary>
public sealed class OutboxBatch
{
    public long Id { get; set; }

    public Guid BatchId { get; set; }

    public required string Payload { get; set; }

    public int PostCount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// How far a channel got, committed with the posts it produced: records consumed of an import file, the last status
/// id of a Mastodon timeline, the last event time of a Bluesky feed. An interrupted channel resumes from here.
/// </summary>
public sealed class IntakeCursor
{
    public required string Key { get; set; }

    public required string Position { get; set; }

    public bool Completed { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class CollectorDbContext(DbContextOptions<CollectorDbContext> options) : DbContext(options)
{
    public const string DatabaseName = "collector";

    public DbSet<SeenPost> SeenPosts => Set<SeenPost>();

    public DbSet<OutboxBatch> Outbox => Set<OutboxBatch>();

    public DbSet<IntakeCursor> Cursors => Set<IntakeCursor>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var seen = modelBuilder.Entity<SeenPost>();
        seen.ToTable("seen_posts");
        seen.HasKey(s => s.PostId);
        seen.Property(s => s.PostId).HasColumnName("post_id").HasMaxLength(330);
        seen.Property(s => s.SeenAt).HasColumnName("seen_at");

        var outbox = modelBuilder.Entity<OutboxBatch>();
        outbox.ToTable("intake_outbox");
        outbox.Property(o => o.Id).HasColumnName("id");
        outbox.Property(o => o.BatchId).HasColumnName("batch_id");
        outbox.Property(o => o.Payload).HasColumnName("payload");
        outbox.Property(o => o.PostCount).HasColumnName("post_count");
        outbox.Property(o => o.CreatedAt).HasColumnName("created_at");

        var cursor = modelBuilder.Entity<IntakeCursor>();
        cursor.ToTable("intake_cursors");
        cursor.HasKey(c => c.Key);
        cursor.Property(c => c.Key).HasColumnName("key").HasMaxLength(1024);
        cursor.Property(c => c.Position).HasColumnName("position").HasMaxLength(256);
        cursor.Property(c => c.Completed).HasColumnName("completed");
        cursor.Property(c => c.UpdatedAt).HasColumnName("updated_at");
    }
}

public sealed class CollectorDesignTimeFactory : IDesignTimeDbContextFactory<CollectorDbContext>
{
    public CollectorDbContext CreateDbContext(string[] args) => new(DesignTimeDatabase.Options<CollectorDbContext>(CollectorDbContext.DatabaseName));
}
