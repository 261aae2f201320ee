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
/// transaction as the posts' <see cref="SeenPost"/> rows and the import checkpoint, and deleted once the broker has
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

/// <summary>How far an import of one file got (records consumed), so an interrupted import resumes.</summary>
public sealed class ImportCheckpoint
{
    public required string FileKey { get; set; }

    public long Records { get; set; }

    public bool Completed { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class CollectorDbContext(DbContextOptions<CollectorDbContext> options) : DbContext(options)
{
    public const string DatabaseName = "collector";

    public DbSet<SeenPost> SeenPosts => Set<SeenPost>();

    public DbSet<OutboxBatch> Outbox => Set<OutboxBatch>();

    public DbSet<ImportCheckpoint> ImportCheckpoints => Set<ImportCheckpoint>();

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

        var checkpoint = modelBuilder.Entity<ImportCheckpoint>();
        checkpoint.ToTable("import_checkpoints");
        checkpoint.HasKey(c => c.FileKey);
        checkpoint.Property(c => c.FileKey).HasMaxLength(1024);
    }
}

public sealed class CollectorDesignTimeFactory : IDesignTimeDbContextFactory<CollectorDbContext>
{
    public CollectorDbContext CreateDbContext(string[] args) => new(DesignTimeDatabase.Options<CollectorDbContext>(CollectorDbContext.DatabaseName));
}
