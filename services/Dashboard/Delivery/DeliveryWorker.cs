using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitoring.Dashboard.Alerts;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.Delivery;

/// <summary>
/// Sends due deliveries from the <c>deliveries</c> table. Each row is leased first (a conditional update, so replicas
/// never send one row at the same time), then sent, then marked delivered. Failures are retried with exponential
/// backoff and jitter until <see cref="DeliveryOptions.GiveUpAfter"/> (24 h), then dead-lettered. An alert whose
/// region-week has too few authors waits, and is withheld if that never changes.
/// </summary>
public sealed class DeliveryWorker(
    IDbContextFactory<DashboardDbContext> factory,
    IEnumerable<IAlertSender> senders,
    IOptions<DashboardOptions> options,
    DashboardMetrics metrics,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value.Delivery;
        if (!o.Enabled)
        {
            logger.LogInformation("Alert delivery is switched off on this instance (Dashboard:Delivery:Enabled=false)");
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await RunOnceAsync(stoppingToken);
                if (sent > 0) continue;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Delivery pass failed; retrying");
            }
            try
            {
                await Task.Delay(o.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over due deliveries; returns how many were attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value.Delivery;
        var now = time.GetUtcNow();
        List<Guid> due;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            due = await db.Deliveries.AsNoTracking()
                .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
                .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(o.BatchSize).ToListAsync(ct);
        }
        var attempted = 0;
        foreach (var id in due)
        {
            if (await AttemptAsync(id, ct)) attempted++;
        }
        return attempted;
    }

    private async Task<bool> AttemptAsync(Guid id, CancellationToken ct)
    {
        var o = options.Value.Delivery;
        var now = time.GetUtcNow();
        var lease = Guid.NewGuid();
        await using var db = await factory.CreateDbContextAsync(ct);
        var leased = await db.Deliveries
            .Where(d => d.Id == id && d.Status == DeliveryStatus.Pending && (d.LeaseUntil == null || d.LeaseUntil < now))
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.LeaseId, lease).SetProperty(d => d.LeaseUntil, now + Lease), ct);
        if (leased == 0) return false; // another replica has it
        var delivery = await db.Deliveries.FirstAsync(d => d.Id == id, ct);
        var subscription = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == delivery.SubscriptionId, ct);
        var alert = await db.Alerts.AsNoTracking().FirstOrDefaultAsync(a => a.AlertId == delivery.AlertId, ct);
        SendResult result;
        if (subscription is null || !subscription.Active || alert is null)
        {
            result = SendResult.Fail("subscription deleted");
            delivery.Status = DeliveryStatus.Withheld;
        }
        else if (!await AlertEligibility.IsEligibleAsync(db, alert, ct))
        {
            result = SendResult.Retry($"withheld: the region-week has fewer than {PrivacyRules.MinAlertAuthors} distinct authors (so far)");
        }
        else if (senders.FirstOrDefault(s => s.Channel == subscription.Channel) is not { } sender)
        {
            result = SendResult.Fail($"no sender for {subscription.Channel}");
        }
        else
        {
            delivery.Attempts++;
            if (!await AlertMasking.CellShownAsync(new Series.SuppressionLookup(db), alert, ct))
            {
                delivery.Payload = MaskObserved(delivery.Payload); // the cell is suppressed: its value must not travel
            }
            result = await sender.SendAsync(subscription, delivery, ct);
        }

        now = time.GetUtcNow();
        delivery.LeaseId = null;
        delivery.LeaseUntil = null;
        delivery.LastError = result.Error is null ? null : result.Error[..Math.Min(1000, result.Error.Length)];
        if (result.Success)
        {
            delivery.Status = DeliveryStatus.Delivered;
            delivery.CompletedAt = now;
            logger.LogInformation("Delivered {Event} of alert {AlertId} to subscription {SubscriptionId} (attempt {Attempt})", delivery.Event, delivery.AlertId, delivery.SubscriptionId, delivery.Attempts);
        }
        else if (delivery.Status == DeliveryStatus.Pending)
        {
            var next = now + Backoff(delivery.Attempts, o);
            if (result.Permanent || next - delivery.CreatedAt > o.GiveUpAfter)
            {
                var withheld = result.Error?.StartsWith("withheld", StringComparison.Ordinal) == true;
                delivery.Status = withheld ? DeliveryStatus.Withheld : DeliveryStatus.Dead;
                delivery.CompletedAt = now;
                logger.LogWarning("Delivery {DeliveryId} to subscription {SubscriptionId} {Outcome}: {Error}", delivery.Id, delivery.SubscriptionId, withheld ? "withheld" : "dead-lettered", result.Error);
            }
            else
            {
                delivery.NextAttemptAt = next;
            }
        }
        else
        {
            delivery.CompletedAt = now;
        }
        metrics.Attempt(subscription?.Channel.ToString().ToLowerInvariant() ?? "none",
            delivery.Status == DeliveryStatus.Pending ? "retry" : delivery.Status.ToString().ToLowerInvariant());
        // Saved with CancellationToken.None: a send that happened must be recorded even while shutting down.
        await db.SaveChangesAsync(CancellationToken.None);
        return true;
    }

    private static string MaskObserved(string payload)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(payload)!;
        node["alert"]!["observed"] = null;
        return node.ToJsonString();
    }

    /// <summary>Exponential backoff with "equal jitter": half of base·2^(n-1) (capped) plus a random share of the other half.</summary>
    public static TimeSpan Backoff(int attempts, DeliveryOptions o)
    {
        var exp = Math.Min(o.MaxRetryDelay.TotalSeconds, o.BaseRetryDelay.TotalSeconds * Math.Pow(2, Math.Max(0, attempts - 1)));
        return TimeSpan.FromSeconds(exp / 2 + Random.Shared.NextDouble() * exp / 2);
    }
}
