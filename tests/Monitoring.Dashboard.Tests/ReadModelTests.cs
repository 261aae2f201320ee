using Microsoft.EntityFrameworkCore;
using Monitoring.Contracts;
using Monitoring.Dashboard.Alerts;
using Monitoring.Dashboard.Delivery;
using Monitoring.Dashboard.ReadModel;
using Monitoring.Dashboard.Series;
using Monitoring.Dashboard.Storage;
using Monitoring.Hosting.Data;
using Monitoring.Testing;

namespace Monitoring.Dashboard.Tests;

/// <summary>The consumers' idempotency and the as-of reads, on the embedded (SQLite) database.</summary>
public sealed class ReadModelTests : SqliteDashboardTest
{
    private static SeriesBucket B(int day, long posts, long authors, double p) => new(Monday.AddDays(day), posts, authors, posts * p, (long)(posts * p), p, p - 0.01, p + 0.01);

    [Fact]
    public async Task Series_are_idempotent_by_key_bucket_and_vintage_and_as_of_reads_old_vintages()
    {
        var key = new SeriesKey("loneliness", "all", Granularity.Day);
        var first = new SeriesUpdated(Guid.NewGuid(), [new SeriesUpdate(key, Monday.AddDays(2), [B(0, 500, 300, 0.1), B(1, 500, 300, 0.2)])]);
        await SeriesUpdatedConsumer.StoreAsync(this, first, default);
        await SeriesUpdatedConsumer.StoreAsync(this, first, default); // redelivery
        var late = new SeriesUpdated(Guid.NewGuid(), [new SeriesUpdate(key, Monday.AddDays(5), [B(1, 520, 310, 0.3)])]);
        await SeriesUpdatedConsumer.StoreAsync(this, late, default);

        await using var db = CreateDbContext();
        Assert.Equal(3, await db.SeriesCells.CountAsync());
        var request = new SeriesRequest(["loneliness"], ["all"], Granularity.Day, null, Monday, Monday.AddDays(7), null);
        var now = await SeriesQuery.RunAsync(db, request, default);
        Assert.Equal([0.1, 0.3], now.Series[0].Points.Select(p => p.Prevalence!.Value));
        var then = await SeriesQuery.RunAsync(db, request with { AsOf = Monday.AddDays(3) }, default);
        Assert.Equal([0.1, 0.2], then.Series[0].Points.Select(p => p.Prevalence!.Value));
        var before = await SeriesQuery.RunAsync(db, request with { AsOf = Monday.AddDays(1) }, default);
        Assert.Empty(before.Series[0].Points);
    }

    [Fact]
    public async Task Versions_known_within_the_same_hour_collapse_into_the_newest()
    {
        var key = new SeriesKey("loneliness", "AR-B", Granularity.Day);
        var at = Monday.AddDays(2).AddHours(9);
        foreach (var (minutes, p) in new[] { (5, 0.1), (20, 0.2), (59, 0.3), (65, 0.4) })
        {
            await SeriesUpdatedConsumer.StoreAsync(this, new SeriesUpdated(Guid.NewGuid(), [new SeriesUpdate(key, at.AddMinutes(minutes), [B(0, 500, 300, p), B(1, 500, 300, p)])]), default);
        }
        await using var db = CreateDbContext();
        var vintages = await db.SeriesCells.Where(c => c.BucketStart == Monday).Select(c => c.Prevalence).ToListAsync();
        Assert.Equal([0.3, 0.4], vintages.Order());
        var request = new SeriesRequest(["loneliness"], ["AR-B"], Granularity.Day, null, Monday, Monday.AddDays(7), at.AddMinutes(61));
        Assert.Equal(0.3, (await SeriesQuery.RunAsync(db, request, default)).Series[0].Points[0].Prevalence);
    }

    [Fact]
    public async Task Values_the_forecaster_could_not_estimate_are_stored_and_served_as_null()
    {
        var key = new SeriesKey("loneliness", "all", Granularity.Day);
        await SeriesUpdatedConsumer.StoreAsync(this, new SeriesUpdated(Guid.NewGuid(),
            [new SeriesUpdate(key, Monday.AddDays(2), [new SeriesBucket(Monday, 500, 300, 10, 9, double.NaN, double.NaN, double.NaN)])]), default);
        await ForecastIssuedConsumer.StoreAsync(this, new ForecastIssued(Guid.NewGuid(),
            [new SeriesForecast(key, "ssa", Monday.AddDays(2), [new ForecastPoint(Monday.AddDays(3), 0.1, double.NaN, double.NaN, 0, 0.2)])]), default);
        var id = Guid.NewGuid();
        await AlertEventsConsumer.ApplyAsync(this, Clock, new AlertRaised(Guid.NewGuid(),
            [Incident(id, 1, AlertSeverity.Red) with { PValue = double.NaN, Threshold = double.PositiveInfinity }]), default);

        await using var db = CreateDbContext();
        var response = await SeriesQuery.RunAsync(db, new SeriesRequest(["loneliness"], ["all"], Granularity.Day, null, Monday, Monday.AddDays(7), null), default);
        var point = Assert.Single(response.Series[0].Points);
        Assert.False(point.Suppressed);
        Assert.Equal(500, point.Posts);
        Assert.Null(point.Prevalence);
        Assert.Contains("\"prevalence\":null", System.Text.Json.JsonSerializer.Serialize(response, System.Text.Json.JsonSerializerOptions.Web));
        Assert.Contains("NaN", (await db.Forecasts.SingleAsync()).PointsJson);
        var alert = await db.Alerts.SingleAsync();
        Assert.Null(alert.PValue);
        Assert.Null(alert.Threshold);
        Assert.Equal(0.3, alert.Observed);
    }

    private static AlertIncident Incident(Guid id, int revision, AlertSeverity severity, string region = "AR-B") =>
        new(id, revision, new SeriesKey("loneliness", region, Granularity.Day), AlertKind.Observed, severity, Monday.AddDays(1), Monday.AddDays(1).AddHours(revision),
            Monday.AddDays(1), 0.3, 0.1, 0.2, "ears-c2", 0.001, []);

    [Fact]
    public async Task Alert_states_apply_by_revision_and_queue_one_delivery_per_state()
    {
        await using (var setup = CreateDbContext())
        {
            setup.Subscriptions.Add(new Subscription { Id = Guid.NewGuid(), Name = "s", Target = "https://example.org/hook", Channel = SubscriptionChannel.Webhook, Secret = "k" });
            await setup.SaveChangesAsync();
        }
        var id = Guid.NewGuid();
        var opened = await AlertEventsConsumer.ApplyAsync(this, Clock, new AlertRaised(Guid.NewGuid(), [Incident(id, 1, AlertSeverity.Yellow)]), default);
        Assert.Equal(AlertEvents.Opened, Assert.Single(opened).Event);
        Assert.Empty(await AlertEventsConsumer.ApplyAsync(this, Clock, new AlertRaised(Guid.NewGuid(), [Incident(id, 1, AlertSeverity.Yellow)]), default));
        var updated = await AlertEventsConsumer.ApplyAsync(this, Clock, new AlertRaised(Guid.NewGuid(), [Incident(id, 3, AlertSeverity.Red)]), default);
        Assert.True(Assert.Single(updated).SeverityChanged);
        Assert.Empty(await AlertEventsConsumer.ApplyAsync(this, Clock, new AlertRaised(Guid.NewGuid(), [Incident(id, 2, AlertSeverity.Yellow)]), default)); // out of order
        var resolution = new AlertResolved(Guid.NewGuid(), [new AlertResolution(id, 4, new SeriesKey("loneliness", "AR-B", Granularity.Day), AlertKind.Observed, Monday.AddDays(3), "normal again")]);
        Assert.Single(await AlertEventsConsumer.ApplyAsync(this, Clock, resolution, default));
        Assert.Empty(await AlertEventsConsumer.ApplyAsync(this, Clock, resolution, default));

        await using var db = CreateDbContext();
        var alert = await db.Alerts.SingleAsync();
        Assert.Equal((4, AlertStatus.Resolved, AlertSeverity.Red), (alert.Revision, alert.Status, alert.Severity));
        var deliveries = await db.Deliveries.OrderBy(d => d.Revision).ToListAsync();
        Assert.Equal([(1, "opened"), (3, "updated"), (4, "resolved")], deliveries.Select(d => (d.Revision, d.Event)));
        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Pending, d.Status));
    }

    /// <summary>What a reader sees of an alert, without the per-write stamp.</summary>
    private static object View(AlertRecord a) => new { a.AlertId, a.Revision, a.Marker, a.Region, a.Granularity, a.Topic, a.Kind, a.Severity, a.Status,
        a.OpenedAt, a.UpdatedAt, a.BucketStart, a.Observed, a.Expected, a.Threshold, a.Method, a.PValue, a.TermsJson, a.ResolvedAt, a.ResolutionReason };

    [Fact]
    public async Task Raise_and_resolve_in_either_order_converge_to_the_same_resolved_alert()
    {
        var inOrder = Guid.NewGuid();
        var reversed = Guid.NewGuid();
        AlertResolved Resolution(Guid id) => new(Guid.NewGuid(), [new AlertResolution(id, 2, new SeriesKey("loneliness", "AR-B", Granularity.Day), AlertKind.Observed, Monday.AddDays(3), "normal again")]);
        AlertRaised Raise(Guid id) => new(Guid.NewGuid(), [Incident(id, 1, AlertSeverity.Red)]);

        await AlertEventsConsumer.ApplyAsync(this, Clock, Raise(inOrder), default);
        await AlertEventsConsumer.ApplyAsync(this, Clock, Resolution(inOrder), default);
        // The resolution overtakes the raise (a redelivery, another Dashboard replica): it is kept, not failed.
        await AlertEventsConsumer.ApplyAsync(this, Clock, Resolution(reversed), default);
        Assert.Empty(await AlertEventsConsumer.ApplyAsync(this, Clock, Raise(reversed), default));

        await using var db = CreateDbContext();
        var a = await db.Alerts.SingleAsync(x => x.AlertId == inOrder);
        var b = await db.Alerts.SingleAsync(x => x.AlertId == reversed);
        Assert.Equal(AlertStatus.Resolved, b.Status);
        Assert.Equal(View(a).ToString()!.Replace(inOrder.ToString(), "id"), View(b).ToString()!.Replace(reversed.ToString(), "id"));
    }

    [Fact]
    public async Task An_alert_on_a_suppressed_cell_does_not_show_its_observed_value()
    {
        await SeriesUpdatedConsumer.StoreAsync(this, new SeriesUpdated(Guid.NewGuid(),
        [
            new SeriesUpdate(new SeriesKey("loneliness", "AR-Y", Granularity.Week), Monday.AddDays(7), [B(0, 3000, 400, 0.1)]),
            new SeriesUpdate(new SeriesKey("loneliness", "AR-Y", Granularity.Day), Monday.AddDays(7), [B(1, 9, 9, 0.7), B(2, 900, 300, 0.1), B(3, 500, 200, 0.1)]),
        ]), default);
        await using var db = CreateDbContext();
        var lookup = new SuppressionLookup(db);
        AlertRecord A(int day) => new() { AlertId = Guid.NewGuid(), Marker = "loneliness", Region = "AR-Y", Granularity = Granularity.Day, BucketStart = Monday.AddDays(day), Observed = 0.7, Method = "m", TermsJson = "[]" };
        var onSmall = A(1);
        Assert.True(await AlertEligibility.IsEligibleAsync(db, onSmall, default));
        Assert.False(await AlertMasking.CellShownAsync(lookup, onSmall, default));
        Assert.Null(AlertView.From(onSmall, cellShown: false).Observed);
        Assert.Equal(0.7, AlertView.From(A(2), await AlertMasking.CellShownAsync(lookup, A(2), default)).Observed);
    }

    [Fact]
    public async Task Alerts_need_200_distinct_authors_in_their_region_week()
    {
        var week = new SeriesKey("loneliness", "AR-B", Granularity.Week);
        var smallDay = new SeriesKey("hostility", "AR-X", Granularity.Day);
        await SeriesUpdatedConsumer.StoreAsync(this, new SeriesUpdated(Guid.NewGuid(),
        [
            new SeriesUpdate(week, Monday.AddDays(7), [B(0, 5000, 200, 0.1)]),
            new SeriesUpdate(smallDay, Monday.AddDays(7), [B(0, 900, 199, 0.1), B(3, 900, 150, 0.1)]),
        ]), default);
        await using var db = CreateDbContext();
        AlertRecord A(string region, int day) => new() { AlertId = Guid.NewGuid(), Marker = "loneliness", Region = region, BucketStart = Monday.AddDays(day).AddHours(5), Method = "m", TermsJson = "[]" };
        Assert.True(await AlertEligibility.IsEligibleAsync(db, A("AR-B", 4), default));   // any marker's week cell counts
        Assert.False(await AlertEligibility.IsEligibleAsync(db, A("AR-X", 1), default));  // 199 < 200
        Assert.False(await AlertEligibility.IsEligibleAsync(db, A("AR-B", 8), default));  // next week: no data, withheld
        Assert.False(await AlertEligibility.IsEligibleAsync(db, A("AR-C", 1), default));
    }

    private sealed class FailingSender(SubscriptionChannel channel) : IAlertSender
    {
        public int Calls { get; private set; }

        public SubscriptionChannel Channel => channel;

        public Task<SendResult> SendAsync(Subscription subscription, AlertDelivery delivery, CancellationToken ct)
        {
            Calls++;
            return Task.FromResult(SendResult.Retry("HTTP 503"));
        }
    }

    private async Task<Guid> QueueAsync(string region)
    {
        await using (var setup = CreateDbContext())
        {
            setup.Subscriptions.Add(new Subscription { Id = Guid.NewGuid(), Name = "s", Target = "https://example.org/hook", Channel = SubscriptionChannel.Webhook, Secret = "k" });
            await setup.SaveChangesAsync();
        }
        await SeriesUpdatedConsumer.StoreAsync(this, new SeriesUpdated(Guid.NewGuid(),
            [new SeriesUpdate(new SeriesKey("loneliness", "AR-B", Granularity.Week), Monday.AddDays(7), [B(0, 5000, 400, 0.1)])]), default);
        var id = Guid.NewGuid();
        await AlertEventsConsumer.ApplyAsync(this, Clock, new AlertRaised(Guid.NewGuid(), [Incident(id, 1, AlertSeverity.Red, region)]), default);
        return id;
    }

    private Delivery.DeliveryWorker Worker(IAlertSender sender) => new(this, [sender],
        Microsoft.Extensions.Options.Options.Create(new DashboardOptions()), new DashboardMetrics(), Clock,
        Microsoft.Extensions.Logging.Abstractions.NullLogger<Delivery.DeliveryWorker>.Instance);

    [Fact]
    public async Task Failing_deliveries_back_off_and_are_dead_lettered_after_24_hours()
    {
        await QueueAsync("AR-B");
        var sender = new FailingSender(SubscriptionChannel.Webhook);
        var worker = Worker(sender);
        var start = Clock.Now;
        var gaps = new List<TimeSpan>();
        AlertDelivery row;
        while (true)
        {
            Assert.Equal(1, await worker.RunOnceAsync(default));
            await using var db = CreateDbContext();
            row = await db.Deliveries.SingleAsync();
            if (row.Status != DeliveryStatus.Pending) break;
            Assert.Equal(0, await worker.RunOnceAsync(default)); // not due yet
            gaps.Add(row.NextAttemptAt - Clock.Now);
            Clock.Now = row.NextAttemptAt;
            Assert.True(Clock.Now - start < TimeSpan.FromHours(25), "gave up too late");
        }
        Assert.Equal(DeliveryStatus.Dead, row.Status);
        Assert.Equal("HTTP 503", row.LastError);
        Assert.Equal(sender.Calls, row.Attempts);
        Assert.InRange(Clock.Now - start, TimeSpan.FromHours(22), TimeSpan.FromHours(24));
        Assert.True(gaps[3] > gaps[0] * 3, "the delay grows exponentially");
        Assert.All(gaps, g => Assert.True(g <= TimeSpan.FromHours(1), "capped at an hour"));
    }

    [Fact]
    public async Task Deliveries_wait_while_the_region_week_is_too_small_and_are_withheld_after_24_hours()
    {
        await QueueAsync("AR-Z"); // no cells at all for AR-Z: never shown to have 200 authors
        var sender = new FailingSender(SubscriptionChannel.Webhook);
        var worker = Worker(sender);
        for (var i = 0; i < 60; i++)
        {
            await worker.RunOnceAsync(default);
            Clock.Now += TimeSpan.FromMinutes(30);
        }
        await using var db = CreateDbContext();
        var row = await db.Deliveries.SingleAsync();
        Assert.Equal(DeliveryStatus.Withheld, row.Status);
        Assert.Equal(0, sender.Calls); // nothing about it ever left the process
    }
}
