using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Monitoring.Hosting.Data;

namespace Monitoring.Forecaster.Storage;

/// <summary>
/// One bucket of one series (additive totals). Topic "" means no topic. <see cref="Start"/> is Unix seconds (UTC),
/// which keeps comparisons identical on PostgreSQL and SQLite; on PostgreSQL the table is partitioned by month on it.
/// </summary>
public sealed class SeriesBucketRow
{
    public required string Marker { get; set; }
    public required string Region { get; set; }
    public short Granularity { get; set; }
    public required string Topic { get; set; }
    public long Start { get; set; }
    public long Posts { get; set; }
    public double ExpectedCount { get; set; }
    public long FlaggedCount { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>Distinct authors of a cell (region, granularity, topic, bucket), shared by every marker of the cell.</summary>
public sealed class BucketCellRow
{
    public required string Region { get; set; }
    public short Granularity { get; set; }
    public required string Topic { get; set; }
    public long Start { get; set; }
    public long Authors { get; set; }
}

/// <summary>Membership of a pseudonymous author key in a cell; its primary key makes the distinct count additive and idempotent.</summary>
public sealed class BucketAuthorRow
{
    public required string Region { get; set; }
    public short Granularity { get; set; }
    public required string Topic { get; set; }
    public long Start { get; set; }
    public required string AuthorKey { get; set; }
}

/// <summary>Occurrences and distinct authors of an evidence term in a bucket of a series (no topic).</summary>
public sealed class BucketTermRow
{
    public required string Marker { get; set; }
    public required string Region { get; set; }
    public short Granularity { get; set; }
    public long Start { get; set; }
    public required string Term { get; set; }
    public long Count { get; set; }
    public long Authors { get; set; }
}

/// <summary>Membership of an author in a term's bucket (makes the distinct-author count of a term idempotent).</summary>
public sealed class TermAuthorRow
{
    public required string Marker { get; set; }
    public required string Region { get; set; }
    public short Granularity { get; set; }
    public long Start { get; set; }
    public required string Term { get; set; }
    public required string AuthorKey { get; set; }
}

/// <summary>
/// Pseudonymous author state for <c>dsm5.episode_screen</c>: when each DSM-5 symptom was last seen for an author key.
/// Rows older than 14 days are deleted; nothing else about the author is kept.
/// </summary>
public sealed class AuthorSymptomRow
{
    public required string AuthorKey { get; set; }
    public required string Symptom { get; set; }
    public long LastSeen { get; set; }
}

/// <summary>An author who screened positive in a cell's bucket (makes the positive-author count idempotent).</summary>
public sealed class ScreenAuthorRow
{
    public required string Region { get; set; }
    public short Granularity { get; set; }
    public required string Topic { get; set; }
    public long Start { get; set; }
    public required string AuthorKey { get; set; }
}

/// <summary>The ledger of applied <c>PostsClassified</c> batches: a redelivered batch changes nothing.</summary>
public sealed class ProcessedBatchRow
{
    public required string BatchId { get; set; }
    public long ProcessedAt { get; set; }
}

/// <summary>The latest threshold and TPR/FPR of each marker (from the batches), for the adjusted prevalence.</summary>
public sealed class MarkerRateRow
{
    public required string Marker { get; set; }
    public required string ModelVersion { get; set; }
    public double Threshold { get; set; }
    public double TruePositiveRate { get; set; }
    public double FalsePositiveRate { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>An alert incident; at most one open (ResolvedAt null) per series and kind (unique filtered index).</summary>
public sealed class AlertIncidentRow
{
    public Guid AlertId { get; set; }
    public required string Marker { get; set; }
    public required string Region { get; set; }
    public short Granularity { get; set; }
    public required string Topic { get; set; }
    public short Kind { get; set; }
    public short Severity { get; set; }
    public int Revision { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset BucketStart { get; set; }
    public double Observed { get; set; }
    public double Expected { get; set; }
    public double Threshold { get; set; }
    public required string Method { get; set; }
    public double PValue { get; set; }
    public required string RisingTerms { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolveReason { get; set; }
}

/// <summary>
/// The fitted forecasting model of one series (Topic "" = no topic): the role applies it to each new bucket with a single
/// filter pass and refits only every <c>Forecaster:RefitEvery</c> buckets. <see cref="Parameters"/> is the method's JSON
/// (Holt-Winters: α, β, γ, φ); <see cref="LastBucket"/> is the newest bucket (Unix seconds) of the history it was fitted on.
/// </summary>
public sealed class FittedModelRow
{
    public required string Marker { get; set; }
    public required string Region { get; set; }
    public short Granularity { get; set; }
    public required string Topic { get; set; }
    public required string Method { get; set; }
    public int Season { get; set; }
    public required string Parameters { get; set; }
    public int Points { get; set; }
    public long LastBucket { get; set; }
    public long FittedAt { get; set; }
}

/// <summary>A message (AlertRaised, AlertResolved, SeriesUpdated) written in the same transaction as the change it reports.</summary>
public sealed class ForecasterOutboxRow
{
    public long Id { get; set; }
    public required string MessageType { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class ForecasterDbContext(DbContextOptions<ForecasterDbContext> options) : DbContext(options)
{
    public const string DatabaseName = "forecaster";

    public DbSet<SeriesBucketRow> SeriesBuckets => Set<SeriesBucketRow>();
    public DbSet<BucketCellRow> BucketCells => Set<BucketCellRow>();
    public DbSet<BucketAuthorRow> BucketAuthors => Set<BucketAuthorRow>();
    public DbSet<BucketTermRow> BucketTerms => Set<BucketTermRow>();
    public DbSet<TermAuthorRow> TermAuthors => Set<TermAuthorRow>();
    public DbSet<AuthorSymptomRow> AuthorSymptoms => Set<AuthorSymptomRow>();
    public DbSet<ScreenAuthorRow> ScreenAuthors => Set<ScreenAuthorRow>();
    public DbSet<ProcessedBatchRow> ProcessedBatches => Set<ProcessedBatchRow>();
    public DbSet<MarkerRateRow> MarkerRates => Set<MarkerRateRow>();
    public DbSet<AlertIncidentRow> AlertIncidents => Set<AlertIncidentRow>();
    public DbSet<ForecasterOutboxRow> Outbox => Set<ForecasterOutboxRow>();
    public DbSet<FittedModelRow> FittedModels => Set<FittedModelRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var s = modelBuilder.Entity<SeriesBucketRow>();
        s.ToTable("series_buckets");
        s.HasKey(x => new { x.Marker, x.Region, x.Granularity, x.Topic, x.Start });
        s.Property(x => x.Marker).HasColumnName("marker").HasMaxLength(100);
        s.Property(x => x.Region).HasColumnName("region").HasMaxLength(64);
        s.Property(x => x.Granularity).HasColumnName("granularity");
        s.Property(x => x.Topic).HasColumnName("topic").HasMaxLength(100);
        s.Property(x => x.Start).HasColumnName("start");
        s.Property(x => x.Posts).HasColumnName("posts");
        s.Property(x => x.ExpectedCount).HasColumnName("expected_count");
        s.Property(x => x.FlaggedCount).HasColumnName("flagged_count");
        s.Property(x => x.UpdatedAt).HasColumnName("updated_at");

        var c = modelBuilder.Entity<BucketCellRow>();
        c.ToTable("bucket_cells");
        c.HasKey(x => new { x.Region, x.Granularity, x.Topic, x.Start });
        c.Property(x => x.Region).HasColumnName("region").HasMaxLength(64);
        c.Property(x => x.Granularity).HasColumnName("granularity");
        c.Property(x => x.Topic).HasColumnName("topic").HasMaxLength(100);
        c.Property(x => x.Start).HasColumnName("start");
        c.Property(x => x.Authors).HasColumnName("authors");

        var a = modelBuilder.Entity<BucketAuthorRow>();
        a.ToTable("bucket_authors");
        a.HasKey(x => new { x.Region, x.Granularity, x.Topic, x.Start, x.AuthorKey });
        a.Property(x => x.Region).HasColumnName("region").HasMaxLength(64);
        a.Property(x => x.Granularity).HasColumnName("granularity");
        a.Property(x => x.Topic).HasColumnName("topic").HasMaxLength(100);
        a.Property(x => x.Start).HasColumnName("start");
        a.Property(x => x.AuthorKey).HasColumnName("author_key").HasMaxLength(128);

        var bt = modelBuilder.Entity<BucketTermRow>();
        bt.ToTable("bucket_terms");
        bt.HasKey(x => new { x.Marker, x.Region, x.Granularity, x.Start, x.Term });
        bt.Property(x => x.Marker).HasColumnName("marker").HasMaxLength(100);
        bt.Property(x => x.Region).HasColumnName("region").HasMaxLength(64);
        bt.Property(x => x.Granularity).HasColumnName("granularity");
        bt.Property(x => x.Start).HasColumnName("start");
        bt.Property(x => x.Term).HasColumnName("term").HasMaxLength(100);
        bt.Property(x => x.Count).HasColumnName("count");
        bt.Property(x => x.Authors).HasColumnName("authors");

        var ta = modelBuilder.Entity<TermAuthorRow>();
        ta.ToTable("term_authors");
        ta.HasKey(x => new { x.Marker, x.Region, x.Granularity, x.Start, x.Term, x.AuthorKey });
        ta.Property(x => x.Marker).HasColumnName("marker").HasMaxLength(100);
        ta.Property(x => x.Region).HasColumnName("region").HasMaxLength(64);
        ta.Property(x => x.Granularity).HasColumnName("granularity");
        ta.Property(x => x.Start).HasColumnName("start");
        ta.Property(x => x.Term).HasColumnName("term").HasMaxLength(100);
        ta.Property(x => x.AuthorKey).HasColumnName("author_key").HasMaxLength(128);

        var asy = modelBuilder.Entity<AuthorSymptomRow>();
        asy.ToTable("author_symptoms");
        asy.HasKey(x => new { x.AuthorKey, x.Symptom });
        asy.Property(x => x.AuthorKey).HasColumnName("author_key").HasMaxLength(128);
        asy.Property(x => x.Symptom).HasColumnName("symptom").HasMaxLength(64);
        asy.Property(x => x.LastSeen).HasColumnName("last_seen");
        asy.HasIndex(x => x.LastSeen).HasDatabaseName("ix_author_symptoms_last_seen");

        var sa = modelBuilder.Entity<ScreenAuthorRow>();
        sa.ToTable("screen_authors");
        sa.HasKey(x => new { x.Region, x.Granularity, x.Topic, x.Start, x.AuthorKey });
        sa.Property(x => x.Region).HasColumnName("region").HasMaxLength(64);
        sa.Property(x => x.Granularity).HasColumnName("granularity");
        sa.Property(x => x.Topic).HasColumnName("topic").HasMaxLength(100);
        sa.Property(x => x.Start).HasColumnName("start");
        sa.Property(x => x.AuthorKey).HasColumnName("author_key").HasMaxLength(128);

        var b = modelBuilder.Entity<ProcessedBatchRow>();
        b.ToTable("processed_batches");
        b.HasKey(x => x.BatchId);
        b.Property(x => x.BatchId).HasColumnName("batch_id").HasMaxLength(40);
        b.Property(x => x.ProcessedAt).HasColumnName("processed_at");

        var r = modelBuilder.Entity<MarkerRateRow>();
        r.ToTable("marker_rates");
        r.HasKey(x => x.Marker);
        r.Property(x => x.Marker).HasColumnName("marker").HasMaxLength(100);
        // The Classifier's version names every model it serves ("emotions-…+loneliness-…+hostility-…+dsm5-…+polarization-…"):
        // already over 100 characters with the committed models.
        r.Property(x => x.ModelVersion).HasColumnName("model_version").HasMaxLength(1000);
        r.Property(x => x.Threshold).HasColumnName("threshold");
        r.Property(x => x.TruePositiveRate).HasColumnName("tpr");
        r.Property(x => x.FalsePositiveRate).HasColumnName("fpr");
        r.Property(x => x.UpdatedAt).HasColumnName("updated_at");

        var i = modelBuilder.Entity<AlertIncidentRow>();
        i.ToTable("alert_incidents");
        i.HasKey(x => x.AlertId);
        i.Property(x => x.Marker).HasMaxLength(100);
        i.Property(x => x.Region).HasMaxLength(64);
        i.Property(x => x.Topic).HasMaxLength(100);
        i.Property(x => x.Method).HasMaxLength(64);
        i.HasIndex(x => new { x.Marker, x.Region, x.Granularity, x.Topic, x.Kind }).IsUnique()
            .HasFilter("\"ResolvedAt\" IS NULL").HasDatabaseName("ux_alert_incidents_open");

        var fm = modelBuilder.Entity<FittedModelRow>();
        fm.ToTable("fitted_models");
        fm.HasKey(x => new { x.Marker, x.Region, x.Granularity, x.Topic });
        fm.Property(x => x.Marker).HasColumnName("marker").HasMaxLength(100);
        fm.Property(x => x.Region).HasColumnName("region").HasMaxLength(64);
        fm.Property(x => x.Granularity).HasColumnName("granularity");
        fm.Property(x => x.Topic).HasColumnName("topic").HasMaxLength(100);
        fm.Property(x => x.Method).HasColumnName("method").HasMaxLength(64);
        fm.Property(x => x.Season).HasColumnName("season");
        fm.Property(x => x.Parameters).HasColumnName("parameters");
        fm.Property(x => x.Points).HasColumnName("points");
        fm.Property(x => x.LastBucket).HasColumnName("last_bucket");
        fm.Property(x => x.FittedAt).HasColumnName("fitted_at");

        var o = modelBuilder.Entity<ForecasterOutboxRow>();
        o.ToTable("forecaster_outbox");
        o.HasKey(x => x.Id);
        o.Property(x => x.MessageType).HasMaxLength(64);
    }
}

public sealed class ForecasterDesignTimeFactory : IDesignTimeDbContextFactory<ForecasterDbContext>
{
    public ForecasterDbContext CreateDbContext(string[] args) => new(DesignTimeDatabase.Options<ForecasterDbContext>(ForecasterDbContext.DatabaseName));
}
