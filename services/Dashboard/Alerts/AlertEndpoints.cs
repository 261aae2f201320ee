using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Contracts;
using Monitoring.Dashboard.Api;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.Alerts;

public sealed record AlertPage(IReadOnlyList<AlertView> Items, int Page, int PageSize, int Total);

/// <summary>A change on the live stream: the event and the alert's new state.</summary>
public sealed record AlertStreamEvent(string Event, AlertView? Alert);

public static class AlertEndpoints
{
    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api, RouteGroupBuilder analyst)
    {
        analyst.MapAlertActionsApi();
        api.MapGet("/alerts", ListAsync).WithName("ListAlerts").WithTags("Alerts")
            .WithSummary("Alerts, newest first, filtered by marker, region, status (open, acknowledged, resolved; several separated by commas), severity, kind and time; paged.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/alerts/stream", Stream).WithName("StreamAlerts").WithTags("Alerts")
            .WithSummary("Server-sent events: one event per alert change (opened, updated, acknowledged, resolved).")
            .Produces<AlertStreamEvent>(StatusCodes.Status200OK, "text/event-stream");
        api.MapGet("/alerts/{id:guid}", GetAsync).WithName("GetAlert").WithTags("Alerts")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/alerts/{id:guid}/evidence", EvidenceAsync).WithName("GetAlertEvidence").WithTags("Alerts")
            .WithSummary("The word shift of an alert: the terms that rose most against the baseline (n-grams of at least 10 distinct authors; never posts, handles, e-mails, phone numbers or URLs).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<AlertPage>, ProblemHttpResult>> ListAsync(
        DashboardDbContext db,
        IOptions<DashboardOptions> options,
        [FromQuery] string[]? marker,
        [FromQuery] string[]? region,
        [FromQuery] string? status,
        [FromQuery] string? severity,
        [FromQuery] string? kind,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] int? page,
        [FromQuery] int? pageSize,
        CancellationToken ct)
    {
        var markers = ApiHelpers.Values(marker);
        var regions = ApiHelpers.Values(region);
        var statuses = new List<AlertStatus>();
        foreach (var value in ApiHelpers.Values(status is null ? null : [status]))
        {
            if (!ApiHelpers.TryEnum<AlertStatus>(value, out var one)) return ApiHelpers.BadRequest("status is open, acknowledged or resolved (several separated by commas).");
            statuses.Add(one!.Value);
        }
        if (!ApiHelpers.TryEnum<AlertSeverity>(severity, out var sev)) return ApiHelpers.BadRequest("severity is yellow or red.");
        if (!ApiHelpers.TryEnum<AlertKind>(kind, out var k)) return ApiHelpers.BadRequest("kind is observed or forecast.");
        if (!ApiHelpers.TryTime(from, out var f) || !ApiHelpers.TryTime(to, out var t)) return ApiHelpers.BadRequest("from and to are ISO 8601 dates or date-times.");
        var p = page ?? 1;
        var size = pageSize ?? 50;
        if (p < 1) return ApiHelpers.BadRequest("page starts at 1.");
        if (size < 1 || size > options.Value.MaxPageSize) return ApiHelpers.BadRequest($"pageSize is between 1 and {options.Value.MaxPageSize}.");

        var query = db.Alerts.AsNoTracking();
        if (markers.Count > 0) query = query.Where(a => markers.Contains(a.Marker));
        if (regions.Count > 0) query = query.Where(a => regions.Contains(a.Region));
        if (statuses.Count > 0) query = query.Where(a => statuses.Contains(a.Status));
        if (sev is { } v) query = query.Where(a => a.Severity == v);
        if (k is { } kk) query = query.Where(a => a.Kind == kk);
        if (f is { } ff) query = query.Where(a => a.UpdatedAt >= ff);
        if (t is { } tt) query = query.Where(a => a.OpenedAt < tt);
        var rows = await query.ToListAsync(ct);
        var eligible = await AlertEligibility.EligibleAsync(db, rows, ct);
        var visible = rows.Where(a => eligible.Contains((a.Region, Buckets.StartOf(a.BucketStart, Granularity.Week))))
            .OrderByDescending(a => a.UpdatedAt).ThenBy(a => a.AlertId).ToList();
        var lookup = new Series.SuppressionLookup(db);
        var items = new List<AlertView>();
        foreach (var a in visible.Skip((p - 1) * size).Take(size))
        {
            items.Add(AlertView.From(a, await AlertMasking.CellShownAsync(lookup, a, ct)));
        }
        return TypedResults.Ok(new AlertPage(items, p, size, visible.Count));
    }

    /// <summary>The alert if it exists and may be shown; withheld alerts answer 404 like missing ones.</summary>
    public static async Task<AlertRecord?> VisibleAsync(DashboardDbContext db, Guid id, CancellationToken ct)
    {
        var alert = await db.Alerts.AsNoTracking().FirstOrDefaultAsync(a => a.AlertId == id, ct);
        return alert is not null && await AlertEligibility.IsEligibleAsync(db, alert, ct) ? alert : null;
    }

    private static async Task<Results<Ok<AlertView>, ProblemHttpResult>> GetAsync(Guid id, DashboardDbContext db, CancellationToken ct) =>
        await VisibleAsync(db, id, ct) is { } alert
            ? TypedResults.Ok(AlertView.From(alert, await AlertMasking.CellShownAsync(new Series.SuppressionLookup(db), alert, ct)))
            : ApiHelpers.NotFound($"No alert {id}.");

    private static async Task<Results<Ok<AlertEvidence>, ProblemHttpResult>> EvidenceAsync(Guid id, DashboardDbContext db, CancellationToken ct)
    {
        if (await VisibleAsync(db, id, ct) is not { } a) return ApiHelpers.NotFound($"No alert {id}.");
        // The word shift of a suppressed cell would describe too few people: it is withheld with the cell.
        var shown = await AlertMasking.CellShownAsync(new Series.SuppressionLookup(db), a, ct);
        return TypedResults.Ok(new AlertEvidence(a.AlertId, a.Revision, a.Marker, a.Region, a.BucketStart, PrivacyRules.MinTermAuthors, !shown,
            shown ? EvidenceFilter.FromJson(a.TermsJson) : []));
    }

    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(20);

    private static ServerSentEventsResult<AlertStreamEvent> Stream(AlertBroadcaster broadcaster, Microsoft.EntityFrameworkCore.IDbContextFactory<DashboardDbContext> factory, HttpContext http) =>
        TypedResults.ServerSentEvents(Events(broadcaster, factory, http.RequestAborted));

    private static async IAsyncEnumerable<SseItem<AlertStreamEvent>> Events(AlertBroadcaster broadcaster, IDbContextFactory<DashboardDbContext> factory, [EnumeratorCancellation] CancellationToken ct)
    {
        // A comment-like first event lets clients (and proxies) see the stream is open at once.
        yield return new SseItem<AlertStreamEvent>(new AlertStreamEvent("ready", null), "ready");
        using var listener = broadcaster.Subscribe();
        while (!ct.IsCancellationRequested)
        {
            // A 'ping' event every 20 s keeps idle connections open through proxies and shows clients the stream is alive.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(Heartbeat);
            bool ready;
            try
            {
                ready = await listener.Reader.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                ready = false;
            }
            if (!ready)
            {
                if (ct.IsCancellationRequested) yield break;
                yield return new SseItem<AlertStreamEvent>(new AlertStreamEvent("ping", null), "ping");
                continue;
            }
            if (!listener.Reader.TryRead(out var change)) continue;
            await using var db = await factory.CreateDbContextAsync(ct);
            if (!await AlertEligibility.IsEligibleAsync(db, change.Alert, ct)) continue;
            var shown = await AlertMasking.CellShownAsync(new Series.SuppressionLookup(db), change.Alert, ct);
            yield return new SseItem<AlertStreamEvent>(new AlertStreamEvent(change.Event, AlertView.From(change.Alert, shown)), change.Event)
            {
                EventId = $"{change.Alert.AlertId}:{change.Alert.Revision}:{change.Event}",
            };
        }
    }
}
