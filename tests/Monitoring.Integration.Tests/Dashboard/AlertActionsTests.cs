using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Monitoring.Contracts;
using Monitoring.Hosting;
using Monitoring.Hosting.Security;
using Monitoring.Testing;
using static Monitoring.Integration.Tests.Dashboard.DashboardKit;

namespace Monitoring.Integration.Tests.Dashboard;

/// <summary>Acknowledging and resolving alerts by hand, through the real pipeline, and how Forecaster updates meet them.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class AlertActionsTests(InfrastructureFixture infra)
{
    private static async Task<JsonDocument> AlertAsync(HttpClient client, Guid id) => await (await client.GetAsync($"/api/v1/alerts/{id}")).JsonAsync();

    private static async Task<JsonDocument> WaitForAlertAsync(HttpClient client, Guid id, Func<JsonElement, bool> condition, string what) =>
        await EventuallyAsync(async () =>
        {
            var response = await client.GetAsync($"/api/v1/alerts/{id}");
            if (!response.IsSuccessStatusCode) return null;
            var doc = await response.JsonAsync();
            return condition(doc.RootElement) ? doc : null;
        }, what);

    private static IEnumerable<Guid> Ids(JsonDocument page) => page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid());

    [Fact]
    public async Task Analysts_acknowledge_and_resolve_viewers_cannot_and_a_higher_severity_reopens()
    {
        var settings = await SettingsAsync(infra, "dash-ack");
        var app = await TestApp.StartAsync(MonitoringRoles.Dashboard, settings);
        try
        {
            var viewerKey = await app.KeyAsync(ApiKeyRoles.Viewer);
            var viewer = app.Client(viewerKey);
            var analyst = app.Client(await app.KeyAsync(ApiKeyRoles.Analyst));
            var admin = app.Client(await app.KeyAsync(ApiKeyRoles.Admin));
            var yellow = Guid.NewGuid();
            var other = Guid.NewGuid();
            var small = Guid.NewGuid();
            await app.PublishAsync(PlantedWeek());
            await app.PublishAsync(new AlertRaised(Guid.NewGuid(),
            [
                Incident(yellow, 1, "AR-B", AlertKind.Observed, AlertSeverity.Yellow),
                Incident(other, 1, "AR-B", AlertKind.Forecast, AlertSeverity.Red, marker: "hostility"),
                Incident(small, 1, "AR-X", AlertKind.Observed, AlertSeverity.Red), // fewer than 200 authors: withheld
            ]));
            await WaitForAlertAsync(viewer, other, a => true, "the planted alerts");
            using (var fresh = await AlertAsync(viewer, yellow))
            {
                Assert.Equal("open", fresh.RootElement.GetProperty("status").GetString());
                Assert.Equal(JsonValueKind.Null, fresh.RootElement.GetProperty("acknowledgement").ValueKind);
                Assert.Equal(JsonValueKind.Null, fresh.RootElement.GetProperty("manualResolution").ValueKind);
            }

            // Roles: anonymous 401, viewer 403; unknown and withheld alerts 404; a too-long note 400.
            await AssertProblemAsync(await app.Client().PostAsync($"/api/v1/alerts/{yellow}/acknowledge", null), HttpStatusCode.Unauthorized);
            await AssertProblemAsync(await viewer.PostAsync($"/api/v1/alerts/{yellow}/acknowledge", null), HttpStatusCode.Forbidden);
            await AssertProblemAsync(await viewer.PostAsJsonAsync($"/api/v1/alerts/{yellow}/resolve", new { note = "x" }), HttpStatusCode.Forbidden);
            await AssertProblemAsync(await analyst.PostAsync($"/api/v1/alerts/{Guid.NewGuid()}/acknowledge", null), HttpStatusCode.NotFound);
            await AssertProblemAsync(await analyst.PostAsync($"/api/v1/alerts/{Guid.NewGuid()}/resolve", null), HttpStatusCode.NotFound);
            await AssertProblemAsync(await analyst.PostAsync($"/api/v1/alerts/{small}/acknowledge", null), HttpStatusCode.NotFound);
            await AssertProblemAsync(await analyst.PostAsJsonAsync($"/api/v1/alerts/{yellow}/acknowledge", new { note = new string('n', 1001) }), HttpStatusCode.BadRequest);
            using (var still = await AlertAsync(viewer, yellow)) Assert.Equal("open", still.RootElement.GetProperty("status").GetString());

            // Acknowledge: who (the key's name and id), when, the note; twice is a conflict.
            var acked = await analyst.PostAsJsonAsync($"/api/v1/alerts/{yellow}/acknowledge", new { note = "  calling the regional office  " });
            using (var doc = await acked.JsonAsync())
            {
                Assert.Equal("acknowledged", doc.RootElement.GetProperty("status").GetString());
                var ack = doc.RootElement.GetProperty("acknowledgement");
                Assert.Equal("test analyst", ack.GetProperty("by").GetString());
                Assert.NotEqual(Guid.Empty, ack.GetProperty("keyId").GetGuid());
                Assert.Equal("calling the regional office", ack.GetProperty("note").GetString());
                Assert.Equal(JsonValueKind.String, ack.GetProperty("at").ValueKind);
            }
            await AssertProblemAsync(await admin.PostAsync($"/api/v1/alerts/{yellow}/acknowledge", null), HttpStatusCode.Conflict);

            // The list shows and filters the status.
            using (var list = await (await viewer.GetAsync("/api/v1/alerts?status=acknowledged")).JsonAsync()) Assert.Equal([yellow], Ids(list));
            using (var list = await (await viewer.GetAsync("/api/v1/alerts?status=open")).JsonAsync()) Assert.Equal([other], Ids(list));
            using (var list = await (await viewer.GetAsync("/api/v1/alerts?status=open,acknowledged")).JsonAsync()) Assert.Equal(2, Ids(list).Count());
            await AssertProblemAsync(await viewer.GetAsync("/api/v1/alerts?status=snoozed"), HttpStatusCode.BadRequest);

            // A Forecaster update of the incident keeps it acknowledged.
            await app.PublishAsync(new AlertRaised(Guid.NewGuid(), [Incident(yellow, 2, "AR-B", AlertKind.Observed, AlertSeverity.Yellow)]));
            using (var updated = await WaitForAlertAsync(viewer, yellow, a => a.GetProperty("revision").GetInt32() == 2, "revision 2"))
            {
                Assert.Equal("acknowledged", updated.RootElement.GetProperty("status").GetString());
                Assert.Equal("calling the regional office", updated.RootElement.GetProperty("acknowledgement").GetProperty("note").GetString());
            }

            // Resolve (no body at all); then neither acknowledge nor resolve again.
            using (var resolved = await (await analyst.PostAsync($"/api/v1/alerts/{yellow}/resolve", null)).JsonAsync())
            {
                Assert.Equal("resolved", resolved.RootElement.GetProperty("status").GetString());
                var manual = resolved.RootElement.GetProperty("manualResolution");
                Assert.Equal("test analyst", manual.GetProperty("by").GetString());
                Assert.Equal(JsonValueKind.Null, manual.GetProperty("note").ValueKind);
                Assert.Equal("resolved by an analyst", resolved.RootElement.GetProperty("resolutionReason").GetString());
            }
            await AssertProblemAsync(await analyst.PostAsync($"/api/v1/alerts/{yellow}/resolve", null), HttpStatusCode.Conflict);
            await AssertProblemAsync(await analyst.PostAsync($"/api/v1/alerts/{yellow}/acknowledge", null), HttpStatusCode.Conflict);
            // Resolving an acknowledged-free open alert works directly, with a note.
            using (var direct = await (await admin.PostAsJsonAsync($"/api/v1/alerts/{other}/resolve", new { note = "known data glitch" })).JsonAsync())
            {
                Assert.Equal("known data glitch", direct.RootElement.GetProperty("manualResolution").GetProperty("note").GetString());
                Assert.Equal("test admin", direct.RootElement.GetProperty("manualResolution").GetProperty("by").GetString());
            }
            using (var list = await (await viewer.GetAsync("/api/v1/alerts?status=resolved")).JsonAsync()) Assert.Equal(2, Ids(list).Count());
        }
        finally
        {
            await app.DisposeAsync();
        }

        // Persisted: a restarted Dashboard on the same database shows the same.
        app = await TestApp.StartAsync(MonitoringRoles.Dashboard, settings);
        try
        {
            var viewer = app.Client(await app.KeyAsync(ApiKeyRoles.Viewer));
            var yellowId = await EventuallyAsync(async () =>
            {
                using var list = await (await viewer.GetAsync("/api/v1/alerts?status=resolved&marker=loneliness")).JsonAsync();
                return list.RootElement.GetProperty("items").EnumerateArray().Select(i => (Guid?)i.GetProperty("id").GetGuid()).FirstOrDefault() is { } id ? (object)id : null;
            }, "the resolved alert after a restart");
            var yellow = (Guid)yellowId;
            using (var after = await AlertAsync(viewer, yellow))
            {
                Assert.Equal("resolved", after.RootElement.GetProperty("status").GetString());
                Assert.Equal("test analyst", after.RootElement.GetProperty("manualResolution").GetProperty("by").GetString());
                Assert.Equal("calling the regional office", after.RootElement.GetProperty("acknowledgement").GetProperty("note").GetString());
            }

            // The Forecaster still sees the incident at the same severity: it stays resolved.
            await app.PublishAsync(new AlertRaised(Guid.NewGuid(), [Incident(yellow, 3, "AR-B", AlertKind.Observed, AlertSeverity.Yellow)]));
            using (var quiet = await WaitForAlertAsync(viewer, yellow, a => a.GetProperty("revision").GetInt32() == 3, "revision 3 absorbed"))
            {
                Assert.Equal("resolved", quiet.RootElement.GetProperty("status").GetString());
            }
            // At a higher severity it reopens, as a new episode: nobody has acknowledged or resolved that one.
            await app.PublishAsync(new AlertRaised(Guid.NewGuid(), [Incident(yellow, 4, "AR-B", AlertKind.Observed, AlertSeverity.Red)]));
            using (var reopened = await WaitForAlertAsync(viewer, yellow, a => a.GetProperty("revision").GetInt32() == 4, "revision 4 reopens"))
            {
                Assert.Equal("open", reopened.RootElement.GetProperty("status").GetString());
                Assert.Equal("red", reopened.RootElement.GetProperty("severity").GetString());
                Assert.Equal(JsonValueKind.Null, reopened.RootElement.GetProperty("acknowledgement").ValueKind);
                Assert.Equal(JsonValueKind.Null, reopened.RootElement.GetProperty("manualResolution").ValueKind);
                Assert.Equal(JsonValueKind.Null, reopened.RootElement.GetProperty("resolvedAt").ValueKind);
            }
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Resolving_by_hand_tells_subscribers_once_and_silences_later_updates()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = await SettingsAsync(infra, "dash-ack-delivery");
        settings["Dashboard:Delivery:AllowedNetworks:0"] = "127.0.0.0/8";
        await using var app = await TestApp.StartAsync(MonitoringRoles.Dashboard, settings);
        var analyst = app.Client(await app.KeyAsync(ApiKeyRoles.Analyst));
        var subscribed = await analyst.PostAsJsonAsync("/api/v1/subscriptions", new { channel = "webhook", target = receiver.Url, markers = new[] { "loneliness" } });
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        await app.PublishAsync(PlantedWeek());
        await EventuallyAsync(async () =>
        {
            using var doc = await (await analyst.GetAsync("/api/v1/series?marker=loneliness&region=AR-B&from=2024-04-29&to=2024-05-06")).JsonAsync();
            return doc.RootElement.GetProperty("series")[0].GetProperty("points").GetArrayLength() == 7 ? "" : null;
        }, "the planted week");
        var id = Guid.NewGuid();
        await app.PublishAsync(new AlertRaised(Guid.NewGuid(), [Incident(id, 1, "AR-B", AlertKind.Observed, AlertSeverity.Red)]));
        string[] Events() => receiver.Requests.Select(r => r.Event ?? "").ToArray();
        await EventuallyAsync(() => Task.FromResult(Events().Contains("opened") ? "" : null), "the opening delivered");

        // Acknowledging is not news to subscribers; resolving by hand is.
        Assert.Equal(HttpStatusCode.OK, (await analyst.PostAsync($"/api/v1/alerts/{id}/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analyst.PostAsJsonAsync($"/api/v1/alerts/{id}/resolve", new { note = "handled" })).StatusCode);
        await EventuallyAsync(() => Task.FromResult(Events().Contains("resolved") ? "" : null), "the manual resolution delivered");
        var resolved = receiver.Requests.Single(r => r.Event == "resolved");
        using (var body = JsonDocument.Parse(resolved.Body))
        {
            var alert = body.RootElement.GetProperty("alert");
            Assert.Equal("resolved", alert.GetProperty("status").GetString());
            Assert.Equal("handled", alert.GetProperty("manualResolution").GetProperty("note").GetString());
        }

        // Later Forecaster updates (same severity) and its own resolution stay silent; the API shows they arrived.
        await app.PublishAsync(new AlertRaised(Guid.NewGuid(), [Incident(id, 2, "AR-B", AlertKind.Observed, AlertSeverity.Red)]));
        await app.PublishAsync(new AlertResolved(Guid.NewGuid(), [new AlertResolution(id, 3, new SeriesKey("loneliness", "AR-B", Granularity.Day), AlertKind.Observed, Monday.AddDays(5), "back below threshold")]));
        await WaitForAlertAsync(analyst, id, a => a.GetProperty("revision").GetInt32() == 3, "revision 3");
        // A later, unrelated opening is delivered after them: had the absorbed states been queued, they would be there too.
        var later = Guid.NewGuid();
        await app.PublishAsync(new AlertRaised(Guid.NewGuid(), [Incident(later, 1, "AR-B", AlertKind.Observed, AlertSeverity.Red)]));
        await EventuallyAsync(() => Task.FromResult(Events().Length == 3 ? "" : null), "the later opening delivered");
        Assert.Equal(["opened", "resolved", "opened"], Events());
        using (var alert = await AlertAsync(analyst, id))
        {
            Assert.Equal("resolved", alert.RootElement.GetProperty("status").GetString());
            Assert.Equal("handled", alert.RootElement.GetProperty("manualResolution").GetProperty("note").GetString());
        }
    }

    [Fact]
    public async Task The_catalogue_shows_the_announced_model_versions_me_names_the_key_and_openapi_describes_the_actions()
    {
        await using var app = await TestApp.StartAsync(MonitoringRoles.Dashboard, await SettingsAsync(infra, "dash-ack-catalogue"));
        var viewer = app.Client(await app.KeyAsync(ApiKeyRoles.Viewer));
        using (var before = await (await viewer.GetAsync("/api/v1/markers/loneliness")).JsonAsync())
        {
            Assert.Equal(JsonValueKind.Null, before.RootElement.GetProperty("modelVersion").ValueKind);
        }
        var at = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
        var trained = at.AddDays(-3);
        await app.PublishAsync(new ClassifierModelsAnnounced("emotions-a+loneliness-b", at,
            MarkerCatalogue.All.Select(m => new MarkerModel(m.Name, m.Family == MarkerCatalogue.LonelinessFamily ? "loneliness-b" : "emotions-a", trained)).ToList()));
        var markers = await EventuallyAsync(async () =>
        {
            var doc = await (await viewer.GetAsync("/api/v1/markers")).JsonAsync();
            return doc.RootElement.EnumerateArray().All(m => m.GetProperty("modelVersion").ValueKind == JsonValueKind.String) ? doc : null;
        }, "model versions in the catalogue");
        Assert.Equal(MarkerCatalogue.All.Count, markers.RootElement.GetArrayLength());
        var lonely = markers.RootElement.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "loneliness");
        Assert.Equal("loneliness-b", lonely.GetProperty("modelVersion").GetString());
        Assert.Equal(trained, lonely.GetProperty("modelTrainedAt").GetDateTimeOffset());
        using (var one = await (await viewer.GetAsync("/api/v1/markers/emotion.joy")).JsonAsync())
        {
            Assert.Equal("emotions-a", one.RootElement.GetProperty("modelVersion").GetString());
        }

        using (var me = await (await app.Client(await app.KeyAsync(ApiKeyRoles.Analyst)).GetAsync("/api/v1/me")).JsonAsync())
        {
            Assert.True(me.RootElement.GetProperty("authenticated").GetBoolean());
            Assert.Equal("test analyst", me.RootElement.GetProperty("name").GetString());
            Assert.Equal(["analyst", "viewer"], me.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Order());
        }
        using (var anonymous = await (await app.Client().GetAsync("/api/v1/me")).JsonAsync())
        {
            Assert.False(anonymous.RootElement.GetProperty("authenticated").GetBoolean());
            Assert.Equal(0, anonymous.RootElement.GetProperty("roles").GetArrayLength());
        }

        using var api = JsonDocument.Parse(await app.Client().GetStringAsync("/openapi/v1.json"));
        var paths = api.RootElement.GetProperty("paths");
        foreach (var action in new[] { "acknowledge", "resolve" })
        {
            var post = paths.GetProperty($"/api/v1/alerts/{{id}}/{action}").GetProperty("post");
            var responses = post.GetProperty("responses");
            foreach (var status in new[] { "200", "400", "404", "409" }) Assert.True(responses.TryGetProperty(status, out _), $"{action} documents {status}");
            Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _), $"{action} takes a JSON note");
        }
        Assert.True(paths.TryGetProperty("/api/v1/me", out _));
        var schemas = api.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("AlertView").GetProperty("properties").TryGetProperty("acknowledgement", out _));
        Assert.True(schemas.GetProperty("MarkerInfo").GetProperty("properties").TryGetProperty("modelVersion", out _));
    }
}
