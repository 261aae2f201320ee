using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Monitoring.Contracts;
using Monitoring.Dashboard.Api;
using Monitoring.Dashboard.ReadModel;
using Monitoring.Dashboard.Storage;
using Monitoring.Dashboard.Subscriptions;

namespace Monitoring.Dashboard.Alerts;

/// <summary>An analyst's action on an alert: when (server clock), which API key (its name and id; never anything from posts), and an optional note.</summary>
public sealed record AlertAction(DateTimeOffset At, string By, Guid? KeyId, string? Note);

/// <summary>Body of <c>POST /alerts/{id}/acknowledge</c> and <c>/resolve</c>; may be absent.</summary>
public sealed record AlertActionRequest(string? Note);

/// <summary>
/// Acknowledge and resolve, for analysts. The rules, in docs/api.md ("Acknowledging and resolving alerts"):
/// an acknowledged incident stays acknowledged while it lasts (Forecaster updates keep flowing); a resolved one
/// cannot be acknowledged or resolved again (409). Resolving by hand tells the subscribers who heard of the incident
/// (a <c>resolved</c> delivery) and silences it: further Forecaster updates at the same or a lower severity are
/// absorbed without events or deliveries, while one at a higher severity reopens it as a new <c>opened</c>.
/// </summary>
public static class AlertActions
{
    public const string ManualResolutionReason = "resolved by an analyst";

    private const int Attempts = 3;

    public static RouteGroupBuilder MapAlertActionsApi(this RouteGroupBuilder analyst)
    {
        analyst.MapPost("/alerts/{id:guid}/acknowledge", AcknowledgeAsync).WithName("AcknowledgeAlert").WithTags("Alerts")
            .WithSummary("Acknowledge an open alert (analyst): it stays acknowledged while the incident lasts. Optional body {\"note\": \"…\"}.")
            .Accepts<AlertActionRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        analyst.MapPost("/alerts/{id:guid}/resolve", ResolveAsync).WithName("ResolveAlert").WithTags("Alerts")
            .WithSummary("Resolve an open or acknowledged alert by hand (analyst). Subscribers who heard of it get 'resolved'; later updates at the same or a lower severity stay silent, a higher severity reopens it. Optional body {\"note\": \"…\"}.")
            .Accepts<AlertActionRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return analyst;
    }

    /// <summary>Whether a Forecaster update at <paramref name="severity"/> leaves a resolved-by-hand incident resolved.</summary>
    public static bool StaysResolved(AlertRecord row, AlertSeverity severity) =>
        row.Status == AlertStatus.Resolved && row.ResolvedBy is not null && severity <= row.Severity;

    /// <summary>Forgets the acknowledgement and the manual resolution (a new episode of the incident).</summary>
    public static void ClearActions(AlertRecord row)
    {
        row.AcknowledgedAt = null;
        row.AcknowledgedBy = null;
        row.AcknowledgedByKeyId = null;
        row.AcknowledgeNote = null;
        row.ResolvedBy = null;
        row.ResolvedByKeyId = null;
        row.ResolutionNote = null;
    }

    public static AlertAction? Acknowledgement(AlertRecord a) =>
        a.AcknowledgedAt is { } at ? new AlertAction(at, a.AcknowledgedBy ?? "unknown", a.AcknowledgedByKeyId, a.AcknowledgeNote) : null;

    public static AlertAction? ManualResolution(AlertRecord a) =>
        a.ResolvedBy is { } by ? new AlertAction(a.ResolvedAt ?? a.UpdatedAt, by, a.ResolvedByKeyId, a.ResolutionNote) : null;

    /// <summary>Applies an acknowledgement to a loaded row; the problem to answer when it cannot be applied.</summary>
    public static ProblemHttpResult? Acknowledge(AlertRecord row, string by, Guid? keyId, string? note, DateTimeOffset now)
    {
        if (row.Status == AlertStatus.Resolved) return Conflict($"Alert {row.AlertId} is resolved{Since(row.ResolvedAt)}; there is nothing to acknowledge.");
        if (row.Status == AlertStatus.Acknowledged) return Conflict($"Alert {row.AlertId} was already acknowledged by '{row.AcknowledgedBy}'{Since(row.AcknowledgedAt)}.");
        row.Status = AlertStatus.Acknowledged;
        row.AcknowledgedAt = now;
        row.AcknowledgedBy = by;
        row.AcknowledgedByKeyId = keyId;
        row.AcknowledgeNote = note;
        row.Stamp = Guid.NewGuid();
        return null;
    }

    /// <summary>Applies a manual resolution to a loaded row; the problem to answer when it cannot be applied.</summary>
    public static ProblemHttpResult? Resolve(AlertRecord row, string by, Guid? keyId, string? note, DateTimeOffset now)
    {
        if (row.Status == AlertStatus.Resolved)
        {
            return Conflict(row.ResolvedBy is { } who
                ? $"Alert {row.AlertId} was already resolved by '{who}'{Since(row.ResolvedAt)}."
                : $"Alert {row.AlertId} was already resolved by the Forecaster{Since(row.ResolvedAt)}: {row.ResolutionReason}.");
        }
        row.Status = AlertStatus.Resolved;
        row.ResolvedAt = now;
        row.ResolutionReason = ManualResolutionReason;
        row.ResolvedBy = by;
        row.ResolvedByKeyId = keyId;
        row.ResolutionNote = note;
        row.Stamp = Guid.NewGuid();
        return null;
    }

    private static string Since(DateTimeOffset? at) => at is { } t ? " at " + AlertEligibility.Format(t) : "";

    private static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    private static Task<Results<Ok<AlertView>, ProblemHttpResult>> AcknowledgeAsync(
        Guid id, AlertActionRequest? body, DashboardDbContext db, ClaimsPrincipal user, TimeProvider time, AlertBroadcaster broadcaster,
        DashboardMetrics metrics, ILoggerFactory logs, CancellationToken ct) =>
        ActAsync(id, body, db, user, time, broadcaster, metrics, logs, AlertEvents.Acknowledged, ct);

    private static Task<Results<Ok<AlertView>, ProblemHttpResult>> ResolveAsync(
        Guid id, AlertActionRequest? body, DashboardDbContext db, ClaimsPrincipal user, TimeProvider time, AlertBroadcaster broadcaster,
        DashboardMetrics metrics, ILoggerFactory logs, CancellationToken ct) =>
        ActAsync(id, body, db, user, time, broadcaster, metrics, logs, AlertEvents.Resolved, ct);

    private static async Task<Results<Ok<AlertView>, ProblemHttpResult>> ActAsync(
        Guid id, AlertActionRequest? body, DashboardDbContext db, ClaimsPrincipal user, TimeProvider time, AlertBroadcaster broadcaster,
        DashboardMetrics metrics, ILoggerFactory logs, string evt, CancellationToken ct)
    {
        var note = string.IsNullOrWhiteSpace(body?.Note) ? null : body.Note.Trim();
        if (note is { Length: > AlertRecord.MaxNoteLength }) return ApiHelpers.BadRequest($"note is at most {AlertRecord.MaxNoteLength} characters.");
        var by = ApiHelpers.KeyName(user);
        var keyId = ApiHelpers.KeyId(user) is var k && k != Guid.Empty ? k : (Guid?)null;
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var row = await db.Alerts.FirstOrDefaultAsync(a => a.AlertId == id, ct);
            // Withheld alerts (too few authors) answer 404 like missing ones, as everywhere else.
            if (row is null || !await AlertEligibility.IsEligibleAsync(db, row, ct)) return ApiHelpers.NotFound($"No alert {id}.");
            var now = time.GetUtcNow();
            var problem = evt == AlertEvents.Acknowledged ? Acknowledge(row, by, keyId, note, now) : Resolve(row, by, keyId, note, now);
            if (problem is not null) return problem;
            var change = new AlertChange(row, evt, false);
            if (evt == AlertEvents.Resolved)
            {
                // The subscribers' outbox, in the same transaction as the state: those who heard of it hear it is over.
                await DeliveryPlanner.QueueAsync(db, [change], now, ct);
            }
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                continue; // the Forecaster (or another analyst) changed it meanwhile: decide again on the new state
            }
            logs.CreateLogger(typeof(AlertActions)).LogInformation("Alert {AlertId} {Event} by key {KeyId} (revision {Revision})", row.AlertId, evt, keyId, row.Revision);
            metrics.AlertChange(evt);
            broadcaster.Publish(change);
            return TypedResults.Ok(AlertView.From(row, await AlertMasking.CellShownAsync(new Series.SuppressionLookup(db), row, ct)));
        }
    }
}
