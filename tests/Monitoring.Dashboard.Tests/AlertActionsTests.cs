using Microsoft.EntityFrameworkCore;
using Monitoring.Contracts;
using Monitoring.Dashboard.Alerts;
using Monitoring.Dashboard.ReadModel;
using Monitoring.Dashboard.Storage;
using Monitoring.Hosting.Data;
using Monitoring.Testing;

namespace Monitoring.Dashboard.Tests;

/// <summary>How analysts' acknowledgements and resolutions meet the Forecaster's incident states, on the embedded (SQLite) database.</summary>
public sealed class AlertActionsTests : SqliteDashboardTest
{
    private static AlertIncident Incident(Guid id, int revision, AlertSeverity severity) =>
        new(id, revision, new SeriesKey("loneliness", "AR-B", Granularity.Day), AlertKind.Observed, severity, Monday.AddDays(1), Monday.AddDays(1).AddHours(revision),
            Monday.AddDays(1), 0.3, 0.1, 0.2, "ears-c2", 0.001, []);

    private Task<IReadOnlyList<AlertChange>> RaiseAsync(Guid id, int revision, AlertSeverity severity) =>
        AlertEventsConsumer.ApplyAsync(this, Clock, new AlertRaised(Guid.NewGuid(), [Incident(id, revision, severity)]), default);

    private Task<IReadOnlyList<AlertChange>> ForecasterResolvesAsync(Guid id, int revision) =>
        AlertEventsConsumer.ApplyAsync(this, Clock, new AlertResolved(Guid.NewGuid(),
            [new AlertResolution(id, revision, new SeriesKey("loneliness", "AR-B", Granularity.Day), AlertKind.Observed, Monday.AddDays(3), "normal again")]), default);

    private async Task ActAsync(Guid id, Func<AlertRecord, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult?> action, int? expectStatus = null)
    {
        await using var db = CreateDbContext();
        var row = await db.Alerts.SingleAsync(a => a.AlertId == id);
        var problem = action(row);
        Assert.Equal(expectStatus, problem?.StatusCode);
        await db.SaveChangesAsync();
    }

    private async Task<AlertRecord> LoadAsync(Guid id)
    {
        await using var db = CreateDbContext();
        return await db.Alerts.AsNoTracking().SingleAsync(a => a.AlertId == id);
    }

    private static readonly Guid Key = Guid.NewGuid();

    [Fact]
    public async Task An_acknowledged_incident_stays_acknowledged_through_updates_and_escalation_until_it_resolves()
    {
        var id = Guid.NewGuid();
        await RaiseAsync(id, 1, AlertSeverity.Yellow);
        await ActAsync(id, r => AlertActions.Acknowledge(r, "on-call", Key, "looking", Clock.GetUtcNow()));
        await ActAsync(id, r => AlertActions.Acknowledge(r, "someone else", null, null, Clock.GetUtcNow()), 409);

        var updated = await RaiseAsync(id, 2, AlertSeverity.Red);
        Assert.Equal(AlertEvents.Updated, Assert.Single(updated).Event);
        var row = await LoadAsync(id);
        Assert.Equal((AlertStatus.Acknowledged, "on-call", "looking"), (row.Status, row.AcknowledgedBy, row.AcknowledgeNote));
        Assert.Equal(AlertStatus.Acknowledged, AlertView.From(row).Status);
        Assert.Equal("on-call", AlertView.From(row).Acknowledgement!.By);

        Assert.Equal(AlertEvents.Resolved, Assert.Single(await ForecasterResolvesAsync(id, 3)).Event);
        row = await LoadAsync(id);
        Assert.Equal(AlertStatus.Resolved, row.Status);
        Assert.Null(AlertView.From(row).ManualResolution); // the Forecaster resolved it
        Assert.Equal("on-call", row.AcknowledgedBy); // history kept
        await ActAsync(id, r => AlertActions.Resolve(r, "on-call", Key, null, Clock.GetUtcNow()), 409);
        await ActAsync(id, r => AlertActions.Acknowledge(r, "on-call", Key, null, Clock.GetUtcNow()), 409);
    }

    [Fact]
    public async Task A_manually_resolved_incident_absorbs_same_or_lower_severity_and_reopens_at_a_higher_one()
    {
        var id = Guid.NewGuid();
        await RaiseAsync(id, 1, AlertSeverity.Yellow);
        await ActAsync(id, r => AlertActions.Acknowledge(r, "on-call", Key, null, Clock.GetUtcNow()));
        await ActAsync(id, r => AlertActions.Resolve(r, "on-call", Key, "a holiday effect", Clock.GetUtcNow()));
        var row = await LoadAsync(id);
        Assert.Equal((AlertStatus.Resolved, AlertActions.ManualResolutionReason, Clock.GetUtcNow()), (row.Status, row.ResolutionReason, row.ResolvedAt));
        Assert.Equal("a holiday effect", AlertView.From(row).ManualResolution!.Note);

        Assert.Empty(await RaiseAsync(id, 2, AlertSeverity.Yellow)); // no event, no delivery
        row = await LoadAsync(id);
        Assert.Equal((2, AlertStatus.Resolved, AlertSeverity.Yellow), (row.Revision, row.Status, row.Severity));
        Assert.Empty(await RaiseAsync(id, 2, AlertSeverity.Red)); // a repeated revision is still ignored

        var reopened = await RaiseAsync(id, 3, AlertSeverity.Red);
        Assert.Equal(AlertEvents.Opened, Assert.Single(reopened).Event);
        row = await LoadAsync(id);
        Assert.Equal((3, AlertStatus.Open, AlertSeverity.Red), (row.Revision, row.Status, row.Severity));
        Assert.Null(row.ResolvedAt);
        Assert.Null(AlertView.From(row).Acknowledgement);
        Assert.Null(AlertView.From(row).ManualResolution);
    }

    [Fact]
    public async Task The_forecasters_resolution_of_a_manually_resolved_incident_is_silent()
    {
        var id = Guid.NewGuid();
        await RaiseAsync(id, 1, AlertSeverity.Red);
        await ActAsync(id, r => AlertActions.Resolve(r, "on-call", Key, null, Clock.GetUtcNow()));
        Assert.Empty(await ForecasterResolvesAsync(id, 2));
        var row = await LoadAsync(id);
        Assert.Equal((2, AlertStatus.Resolved, "on-call"), (row.Revision, row.Status, row.ResolvedBy));
        Assert.Empty(await RaiseAsync(id, 3, AlertSeverity.Red)); // red is the top: it stays resolved
    }

    [Fact]
    public async Task A_stale_write_loses_instead_of_overwriting_the_other()
    {
        var id = Guid.NewGuid();
        await RaiseAsync(id, 1, AlertSeverity.Yellow);
        await using var analyst = CreateDbContext();
        var row = await analyst.Alerts.SingleAsync(a => a.AlertId == id);
        await ForecasterResolvesAsync(id, 2); // meanwhile
        Assert.Null(AlertActions.Acknowledge(row, "on-call", Key, null, Clock.GetUtcNow()));
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => analyst.SaveChangesAsync());
        Assert.Equal(AlertStatus.Resolved, (await LoadAsync(id)).Status);
    }

    [Fact]
    public async Task Marker_models_keep_the_newest_announcement_of_known_markers()
    {
        var at = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
        await MarkerModelsConsumer.StoreAsync(this, new ClassifierModelsAnnounced("v2", at,
            [new MarkerModel("loneliness", "loneliness-2", at.AddDays(-1)), new MarkerModel("nope", "x", null), new MarkerModel("dsm5.fatigue", "dsm5-rules-1", null)]), default);
        await MarkerModelsConsumer.StoreAsync(this, new ClassifierModelsAnnounced("v1", at.AddHours(-1), [new MarkerModel("loneliness", "loneliness-1", null)]), default);
        await using var db = CreateDbContext();
        var models = await db.MarkerModels.OrderBy(m => m.Marker).ToListAsync();
        Assert.Equal([("dsm5.fatigue", "dsm5-rules-1"), ("loneliness", "loneliness-2")], models.Select(m => (m.Marker, m.ModelVersion)));
        Assert.Equal(at.AddDays(-1), models[1].TrainedAt);
    }
}
