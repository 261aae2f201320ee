using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Monitoring.Contracts;
using Monitoring.Dashboard.Alerts;
using Monitoring.Dashboard.ReadModel;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.Subscriptions;

/// <summary>The body of a webhook (and the data of an e-mail): one state of one incident.</summary>
public sealed record AlertNotification(Guid DeliveryId, Guid SubscriptionId, string Event, AlertView Alert);

/// <summary>Decides which subscriptions hear about an incident change and queues their deliveries (same transaction).</summary>
public static class DeliveryPlanner
{
    public static bool Matches(Subscription s, AlertRecord a)
    {
        if (!s.Active) return false;
        if (!InList(s.Markers, a.Marker) || !InList(s.Regions, a.Region)) return false;
        if (!InList(s.Kinds, a.Kind.ToString().ToLowerInvariant())) return false;
        return a.Severity >= s.MinSeverity || (a.Status == AlertStatus.Resolved);
    }

    /// <summary>Whether a change is worth telling this subscriber, given the last delivery it got for the same incident.</summary>
    public static bool Wants(Subscription s, AlertChange change, DateTimeOffset? lastQueuedAt, DateTimeOffset now)
    {
        if (change.Event != AlertEvents.Updated)
        {
            return true; // opening and resolution always go out
        }
        if (s.NotifyOnChangeOnly && !change.SeverityChanged)
        {
            return false;
        }
        return lastQueuedAt is null || s.QuietPeriodMinutes <= 0 || now - lastQueuedAt.Value >= TimeSpan.FromMinutes(s.QuietPeriodMinutes);
    }

    public static async Task QueueAsync(DashboardDbContext db, IReadOnlyList<AlertChange> changes, DateTimeOffset now, CancellationToken ct)
    {
        if (changes.Count == 0) return;
        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => s.Active).ToListAsync(ct);
        if (subscriptions.Count == 0) return;
        foreach (var change in changes)
        {
            var alertId = change.Alert.AlertId;
            var last = await db.Deliveries.AsNoTracking().Where(d => d.AlertId == alertId)
                .GroupBy(d => d.SubscriptionId)
                .Select(g => new { SubscriptionId = g.Key, Last = g.Max(d => d.CreatedAt) })
                .ToDictionaryAsync(x => x.SubscriptionId, x => x.Last, ct);
            foreach (var s in subscriptions.Where(s => Matches(s, change.Alert)))
            {
                // Resolution of an incident the subscriber was never told about is not news to them.
                if (change.Event == AlertEvents.Resolved && !last.ContainsKey(s.Id)) continue;
                if (!Wants(s, change, last.TryGetValue(s.Id, out var l) ? l : null, now)) continue;
                var id = Guid.NewGuid();
                var payload = JsonSerializer.Serialize(new AlertNotification(id, s.Id, change.Event, AlertView.From(change.Alert)), Json.Options);
                db.Deliveries.Add(new AlertDelivery
                {
                    Id = id,
                    SubscriptionId = s.Id,
                    AlertId = alertId,
                    Revision = change.Alert.Revision,
                    Event = change.Event,
                    Payload = payload,
                    Status = DeliveryStatus.Pending,
                    CreatedAt = now,
                    NextAttemptAt = now,
                });
            }
        }
    }

    private static bool InList(string list, string value) =>
        list.Length == 0 || list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(value, StringComparer.OrdinalIgnoreCase);
}

/// <summary>The JSON conventions of the API (camelCase, enums as camelCase strings), for bodies built outside a request.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        o.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        o.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver();
        o.MakeReadOnly();
        return o;
    }
}
