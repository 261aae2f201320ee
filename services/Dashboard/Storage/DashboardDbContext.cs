using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Monitoring.Contracts;
using Monitoring.Hosting.Data;

namespace Monitoring.Dashboard.Storage;

/// <summary>
/// One vintage of one bucket of a series. A bucket revised by late posts gets a new row with a later
/// <see cref="KnownAt"/>; the newest row is the current value and <c>asOf=</c> picks the newest at or before a time.
/// Unique by (series key, bucket, known-at), which makes the consumer idempotent.
/// </summary>
public sealed class SeriesCell
{
    public long Id { get; set; }

    public required string Marker { get; set; }

    public required string Region { get; set; }

    public Granularity Granularity { get; set; }

    /// <summary>The topic, or the empty string for the series over all topics.</summary>
    public string Topic { get; set; } = "";

    public DateTimeOffset BucketStart { get; set; }

    public DateTimeOffset KnownAt { get; set; }

    public long Posts { get; set; }

    public long Authors { get; set; }

    public double ExpectedCount { get; set; }

    public long FlaggedCount { get; set; }

    /// <summary>Null when the Forecaster could not estimate it (NaN: no rates, no posts).</summary>
    public double? Prevalence { get; set; }

    public double? Lower95 { get; set; }

    public double? Upper95 { get; set; }
}

/// <summary>A forecast as issued; the newest per series is served. Points are kept as JSON.</summary>
public sealed class ForecastRecord
{
    public long Id { get; set; }

    public required string Marker { get; set; }

    public required string Region { get; set; }

    public Granularity Granularity { get; set; }

    public string Topic { get; set; } = "";

    public DateTimeOffset IssuedAt { get; set; }

    public required string Method { get; set; }

    public required string PointsJson { get; set; }
}

/// <summary>
/// <c>Open</c>: raised and not yet acknowledged; <c>Acknowledged</c>: an analyst is on it (the incident still runs);
/// <c>Resolved</c>: over, by the Forecaster or by an analyst. See docs/api.md, "Acknowledging and resolving alerts".
/// </summary>
public enum AlertStatus { Open, Acknowledged, Resolved }

/// <summary>The latest known state of an alert incident (applied only when its revision is newer).</summary>
public sealed class AlertRecord
{
    public Guid AlertId { get; set; }

    public int Revision { get; set; }

    public required string Marker { get; set; }

    public required string Region { get; set; }

    public Granularity Granularity { get; set; }

    public string Topic { get; set; } = "";

    public AlertKind Kind { get; set; }

    public AlertSeverity Severity { get; set; }

    public AlertStatus Status { get; set; }

    public DateTimeOffset OpenedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset BucketStart { get; set; }

    public double? Observed { get; set; }

    public double? Expected { get; set; }

    public double? Threshold { get; set; }

    public required string Method { get; set; }

    public double? PValue { get; set; }

    /// <summary>The rising terms as sent by the Forecaster (JSON); filtered again before they are served.</summary>
    public required string TermsJson { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? ResolutionReason { get; set; }

    /// <summary>When an analyst acknowledged the incident (wall clock); null when nobody did during this episode.</summary>
    public DateTimeOffset? AcknowledgedAt { get; set; }

    /// <summary>The name of the API key that acknowledged it (never anything from posts).</summary>
    public string? AcknowledgedBy { get; set; }

    public Guid? AcknowledgedByKeyId { get; set; }

    public string? AcknowledgeNote { get; set; }

    /// <summary>The name of the API key that resolved it by hand; null when the Forecaster resolved it (or it is open).</summary>
    public string? ResolvedBy { get; set; }

    public Guid? ResolvedByKeyId { get; set; }

    public string? ResolutionNote { get; set; }

    /// <summary>Optimistic concurrency: renewed on every write, so an analyst's action and a Forecaster update never overwrite each other.</summary>
    public Guid Stamp { get; set; }

    public const int MaxNoteLength = 1000;
}

/// <summary>The model version that scores a marker, as the Classifier last announced it (<see cref="ClassifierModelsAnnounced"/>).</summary>
public sealed class MarkerModelRecord
{
    public required string Marker { get; set; }

    public required string ModelVersion { get; set; }

    public DateTimeOffset? TrainedAt { get; set; }

    public DateTimeOffset AnnouncedAt { get; set; }
}

/// <summary>A crisis event analysts add so charts can draw it.</summary>
public sealed class Annotation
{
    public Guid Id { get; set; }

    public required string Title { get; set; }

    public DateOnly Date { get; set; }

    /// <summary>A region code, or <c>all</c>.</summary>
    public required string Region { get; set; }

    public string? Link { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }
}

public enum SubscriptionChannel { Webhook, Email }

public sealed class Subscription
{
    public Guid Id { get; set; }

    /// <summary>The API key that created it; subscribers see only their own subscriptions (admins see all).</summary>
    public Guid OwnerKeyId { get; set; }

    public required string Name { get; set; }

    public SubscriptionChannel Channel { get; set; }

    /// <summary>Webhook URL or e-mail address.</summary>
    public required string Target { get; set; }

    /// <summary>HMAC-SHA256 key of a webhook (shown once at creation).</summary>
    public string? Secret { get; set; }

    /// <summary>Comma-separated; empty means any.</summary>
    public string Markers { get; set; } = "";

    public string Regions { get; set; } = "";

    public string Kinds { get; set; } = "";

    public AlertSeverity MinSeverity { get; set; }

    public int QuietPeriodMinutes { get; set; }

    public bool NotifyOnChangeOnly { get; set; }

    public bool Active { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }
}

public enum DeliveryStatus { Pending, Delivered, Dead, Withheld }

/// <summary>
/// One notification of one subscriber about one state of one incident: the Dashboard's outbox. Written in the same
/// transaction as the alert change, unique by (subscription, alert, revision, event), so a restart loses nothing and
/// the same incident state is never queued twice.
/// </summary>
public sealed class AlertDelivery
{
    public Guid Id { get; set; }

    public Guid SubscriptionId { get; set; }

    public Guid AlertId { get; set; }

    public int Revision { get; set; }

    /// <summary><c>opened</c>, <c>updated</c> or <c>resolved</c>.</summary>
    public required string Event { get; set; }

    /// <summary>The JSON body, fixed when the state was queued (a later revision does not change it).</summary>
    public required string Payload { get; set; }

    public DeliveryStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>Optimistic lock so that two replicas never send the same row at once.</summary>
    public Guid? LeaseId { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }
}

/// <summary>A network (CIDR) an admin allowed as a webhook target although it is private, loopback or link-local.</summary>
public sealed class AllowedNetwork
{
    public required string Cidr { get; set; }

    public required string Note { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class DashboardDbContext(DbContextOptions<DashboardDbContext> options) : DbContext(options)
{
    public const string DatabaseName = "dashboard";

    public DbSet<SeriesCell> SeriesCells => Set<SeriesCell>();

    public DbSet<ForecastRecord> Forecasts => Set<ForecastRecord>();

    public DbSet<AlertRecord> Alerts => Set<AlertRecord>();

    public DbSet<Annotation> Annotations => Set<Annotation>();

    public DbSet<Subscription> Subscriptions => Set<Subscription>();

    public DbSet<AlertDelivery> Deliveries => Set<AlertDelivery>();

    public DbSet<AllowedNetwork> AllowedNetworks => Set<AllowedNetwork>();

    public DbSet<MarkerModelRecord> MarkerModels => Set<MarkerModelRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Granularity>().HaveConversion<string>().HaveMaxLength(8);
        configurationBuilder.Properties<AlertKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<AlertSeverity>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<AlertStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<SubscriptionChannel>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<DeliveryStatus>().HaveConversion<string>().HaveMaxLength(16);
        if (Database.IsSqlite())
        {
            // SQLite cannot order or compare DateTimeOffset; every value here is UTC, so ticks order correctly.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var cell = modelBuilder.Entity<SeriesCell>();
        cell.ToTable("series_cells");
        cell.Property(c => c.Marker).HasMaxLength(64);
        cell.Property(c => c.Region).HasMaxLength(64);
        cell.Property(c => c.Topic).HasMaxLength(64);
        cell.HasIndex(c => new { c.Marker, c.Granularity, c.Region, c.Topic, c.BucketStart, c.KnownAt }).IsUnique();
        // The read model drops the same hour's superseded vintages by KnownAt range after every SeriesUpdated.
        cell.HasIndex(c => c.KnownAt);

        var forecast = modelBuilder.Entity<ForecastRecord>();
        forecast.ToTable("forecasts");
        forecast.Property(c => c.Marker).HasMaxLength(64);
        forecast.Property(c => c.Region).HasMaxLength(64);
        forecast.Property(c => c.Topic).HasMaxLength(64);
        forecast.Property(c => c.Method).HasMaxLength(64);
        forecast.HasIndex(c => new { c.Marker, c.Granularity, c.Region, c.Topic, c.IssuedAt }).IsUnique();

        var alert = modelBuilder.Entity<AlertRecord>();
        alert.ToTable("alerts");
        alert.HasKey(a => a.AlertId);
        alert.Property(c => c.Marker).HasMaxLength(64);
        alert.Property(c => c.Region).HasMaxLength(64);
        alert.Property(c => c.Topic).HasMaxLength(64);
        alert.Property(c => c.Method).HasMaxLength(64);
        alert.Property(c => c.ResolutionReason).HasMaxLength(500);
        alert.Property(c => c.AcknowledgedBy).HasMaxLength(200);
        alert.Property(c => c.AcknowledgeNote).HasMaxLength(AlertRecord.MaxNoteLength);
        alert.Property(c => c.ResolvedBy).HasMaxLength(200);
        alert.Property(c => c.ResolutionNote).HasMaxLength(AlertRecord.MaxNoteLength);
        alert.Property(c => c.Stamp).IsConcurrencyToken();
        alert.HasIndex(a => new { a.Status, a.UpdatedAt });

        var annotation = modelBuilder.Entity<Annotation>();
        annotation.ToTable("annotations");
        annotation.Property(a => a.Title).HasMaxLength(200);
        annotation.Property(a => a.Region).HasMaxLength(64);
        annotation.Property(a => a.Link).HasMaxLength(2000);
        annotation.Property(a => a.CreatedBy).HasMaxLength(200);
        annotation.HasIndex(a => a.Date);

        var subscription = modelBuilder.Entity<Subscription>();
        subscription.ToTable("subscriptions");
        subscription.Property(s => s.Name).HasMaxLength(200);
        subscription.Property(s => s.Target).HasMaxLength(2000);
        subscription.Property(s => s.Secret).HasMaxLength(100);
        subscription.Property(s => s.Markers).HasMaxLength(2000);
        subscription.Property(s => s.Regions).HasMaxLength(2000);
        subscription.Property(s => s.Kinds).HasMaxLength(100);
        subscription.HasIndex(s => s.OwnerKeyId);

        var delivery = modelBuilder.Entity<AlertDelivery>();
        delivery.ToTable("deliveries");
        delivery.Property(d => d.Event).HasMaxLength(16);
        delivery.Property(d => d.LastError).HasMaxLength(1000);
        delivery.HasIndex(d => new { d.SubscriptionId, d.AlertId, d.Revision, d.Event }).IsUnique();
        delivery.HasIndex(d => new { d.Status, d.NextAttemptAt });

        var network = modelBuilder.Entity<AllowedNetwork>();
        network.ToTable("allowed_networks");
        network.HasKey(n => n.Cidr);
        network.Property(n => n.Cidr).HasMaxLength(64);
        network.Property(n => n.Note).HasMaxLength(500);
        network.Property(n => n.CreatedBy).HasMaxLength(200);

        var model = modelBuilder.Entity<MarkerModelRecord>();
        model.ToTable("marker_models");
        model.HasKey(m => m.Marker);
        model.Property(m => m.Marker).HasMaxLength(64);
        model.Property(m => m.ModelVersion).HasMaxLength(200);
    }
}

public sealed class DashboardDesignTimeFactory : IDesignTimeDbContextFactory<DashboardDbContext>
{
    public DashboardDbContext CreateDbContext(string[] args) => new(DesignTimeDatabase.Options<DashboardDbContext>(DashboardDbContext.DatabaseName));
}
