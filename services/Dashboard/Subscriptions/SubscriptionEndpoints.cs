using System.Net.Mail;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Monitoring.Contracts;
using Monitoring.Dashboard.Api;
using Monitoring.Dashboard.Delivery;
using Monitoring.Dashboard.Storage;
using Monitoring.Hosting.Security;

namespace Monitoring.Dashboard.Subscriptions;

public sealed record NewSubscription(
    string? Name,
    SubscriptionChannel? Channel,
    string? Target,
    IReadOnlyList<string>? Markers,
    IReadOnlyList<string>? Regions,
    IReadOnlyList<AlertKind>? Kinds,
    AlertSeverity? MinSeverity,
    int? QuietPeriodMinutes,
    bool? NotifyOnChangeOnly);

public sealed record SubscriptionView(
    Guid Id, string Name, SubscriptionChannel Channel, string Target, IReadOnlyList<string> Markers, IReadOnlyList<string> Regions,
    IReadOnlyList<string> Kinds, AlertSeverity MinSeverity, int QuietPeriodMinutes, bool NotifyOnChangeOnly, bool Active, DateTimeOffset CreatedAt);

/// <summary>The answer to a new webhook subscription: the signing secret, shown only this once.</summary>
public sealed record CreatedSubscription(SubscriptionView Subscription, string? SigningSecret);

public sealed record DeliveryView(Guid Id, Guid AlertId, int Revision, string Event, DeliveryStatus Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? CompletedAt, string? LastError);

/// <summary>Subscriptions (analysts): each key sees and manages its own; admins see all.</summary>
public static class SubscriptionEndpoints
{
    public static RouteGroupBuilder MapSubscriptionsApi(this RouteGroupBuilder analyst)
    {
        analyst.MapPost("/subscriptions", CreateAsync).WithName("CreateSubscription").WithTags("Subscriptions")
            .WithSummary("Subscribe a webhook or an e-mail address to alerts by marker, region, kind and severity.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        analyst.MapGet("/subscriptions", ListAsync).WithName("ListSubscriptions").WithTags("Subscriptions");
        analyst.MapGet("/subscriptions/{id:guid}", GetAsync).WithName("GetSubscription").WithTags("Subscriptions")
            .ProducesProblem(StatusCodes.Status404NotFound);
        analyst.MapDelete("/subscriptions/{id:guid}", DeleteAsync).WithName("DeleteSubscription").WithTags("Subscriptions")
            .ProducesProblem(StatusCodes.Status404NotFound);
        analyst.MapGet("/subscriptions/{id:guid}/deliveries", DeliveriesAsync).WithName("ListDeliveries").WithTags("Subscriptions")
            .WithSummary("Deliveries of a subscription, newest first; status=dead lists the dead-lettered ones.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return analyst;
    }

    private static string[] Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static SubscriptionView View(Subscription s) => new(s.Id, s.Name, s.Channel, s.Target, Split(s.Markers), Split(s.Regions),
        Split(s.Kinds), s.MinSeverity, s.QuietPeriodMinutes, s.NotifyOnChangeOnly, s.Active, s.CreatedAt);

    private static async Task<Results<Created<CreatedSubscription>, ProblemHttpResult>> CreateAsync(
        NewSubscription body, DashboardDbContext db, ClaimsPrincipal user, SsrfGuard guard, TimeProvider time, CancellationToken ct)
    {
        if (body.Channel is not { } channel) return ApiHelpers.BadRequest("channel is webhook or email.");
        var target = body.Target?.Trim() ?? "";
        if (channel == SubscriptionChannel.Webhook)
        {
            if (await guard.CheckAsync(target, ct) is { } problem) return ApiHelpers.BadRequest(problem, "Webhook target refused");
        }
        else if (!MailAddress.TryCreate(target, out var address) || address.Address != target)
        {
            return ApiHelpers.BadRequest("target must be a plain e-mail address for the email channel.");
        }
        var markers = (body.Markers ?? []).Select(m => m.Trim()).Where(m => m.Length > 0).Distinct().ToList();
        var unknown = markers.Where(m => !MarkerCatalogue.IsKnown(m)).ToList();
        if (unknown.Count > 0) return ApiHelpers.BadRequest($"Unknown marker(s): {string.Join(", ", unknown)}.");
        var regions = (body.Regions ?? []).Select(r => r.Trim()).Where(r => r.Length > 0 && !r.Contains(',')).Distinct().ToList();
        var quiet = body.QuietPeriodMinutes ?? 0;
        if (quiet is < 0 or > 10080) return ApiHelpers.BadRequest("quietPeriodMinutes is between 0 and 10080 (a week).");
        var s = new Subscription
        {
            Id = Guid.NewGuid(),
            OwnerKeyId = ApiHelpers.KeyId(user),
            Name = string.IsNullOrWhiteSpace(body.Name) ? target : body.Name.Trim()[..Math.Min(200, body.Name.Trim().Length)],
            Channel = channel,
            Target = target,
            Secret = channel == SubscriptionChannel.Webhook ? "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) : null,
            Markers = string.Join(',', markers),
            Regions = string.Join(',', regions),
            Kinds = string.Join(',', (body.Kinds ?? []).Distinct().Select(k => k.ToString().ToLowerInvariant())),
            MinSeverity = body.MinSeverity ?? AlertSeverity.Yellow,
            QuietPeriodMinutes = quiet,
            NotifyOnChangeOnly = body.NotifyOnChangeOnly ?? false,
            CreatedAt = time.GetUtcNow(),
        };
        db.Subscriptions.Add(s);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/subscriptions/{s.Id}", new CreatedSubscription(View(s), s.Secret));
    }

    private static IQueryable<Subscription> Mine(DashboardDbContext db, ClaimsPrincipal user)
    {
        if (user.IsInRole(ApiKeyRoles.Admin)) return db.Subscriptions;
        var owner = ApiHelpers.KeyId(user);
        return db.Subscriptions.Where(s => s.OwnerKeyId == owner);
    }

    private static async Task<Ok<List<SubscriptionView>>> ListAsync(DashboardDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var list = await Mine(db, user).AsNoTracking().Where(s => s.Active).ToListAsync(ct);
        return TypedResults.Ok(list.OrderBy(s => s.CreatedAt).Select(View).ToList());
    }

    private static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> GetAsync(Guid id, DashboardDbContext db, ClaimsPrincipal user, CancellationToken ct) =>
        await Mine(db, user).AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.Active, ct) is { } s
            ? TypedResults.Ok(View(s)) : ApiHelpers.NotFound($"No subscription {id}.");

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, DashboardDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var s = await Mine(db, user).FirstOrDefaultAsync(x => x.Id == id && x.Active, ct);
        if (s is null) return ApiHelpers.NotFound($"No subscription {id}.");
        s.Active = false; // kept so that its delivery history stays readable to admins
        await db.Deliveries.Where(d => d.SubscriptionId == id && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, DeliveryStatus.Withheld).SetProperty(d => d.LastError, "subscription deleted"), ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<List<DeliveryView>>, ProblemHttpResult>> DeliveriesAsync(
        Guid id, string? status, DashboardDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!await Mine(db, user).AnyAsync(s => s.Id == id, ct)) return ApiHelpers.NotFound($"No subscription {id}.");
        if (!ApiHelpers.TryEnum<DeliveryStatus>(status, out var st)) return ApiHelpers.BadRequest("status is pending, delivered, dead or withheld.");
        var query = db.Deliveries.AsNoTracking().Where(d => d.SubscriptionId == id);
        if (st is { } x) query = query.Where(d => d.Status == x);
        var list = await query.ToListAsync(ct);
        return TypedResults.Ok(list.OrderByDescending(d => d.CreatedAt)
            .Select(d => new DeliveryView(d.Id, d.AlertId, d.Revision, d.Event, d.Status, d.Attempts, d.CreatedAt, d.NextAttemptAt, d.CompletedAt, d.LastError))
            .Take(500).ToList());
    }
}
