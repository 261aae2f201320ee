using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Monitoring.Contracts;
using Monitoring.Dashboard.Delivery;
using Monitoring.Hosting;
using Monitoring.Hosting.Security;
using Monitoring.Testing;
using static Monitoring.Integration.Tests.Dashboard.DashboardKit;

namespace Monitoring.Integration.Tests.Dashboard;

/// <summary>Subscriptions and their delivery: signed webhooks, e-mail over SMTP, the live stream, dead letters, restarts.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class DashboardDeliveryTests(InfrastructureFixture infra)
{
    [Fact]
    public async Task Alerts_reach_webhooks_signed_email_and_the_live_stream_once_per_state()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var gone = await WebhookReceiver.StartAsync();
        gone.StatusCode = 410;
        await using var smtp = new SmtpTestServer();
        await using var app = await TestApp.StartAsync(MonitoringRoles.Dashboard, await DeliverySettingsAsync(infra, "dash-delivery", smtp));
        var analyst = app.Client(await app.KeyAsync(ApiKeyRoles.Analyst));

        // SSRF: link-local and private targets are refused unless their network is allowed (only 127.0.0.0/8 is here).
        var refused = await analyst.PostAsJsonAsync("/api/v1/subscriptions", new { channel = "webhook", target = "http://169.254.169.254/latest/meta-data" });
        await AssertProblemAsync(refused, HttpStatusCode.BadRequest);
        await AssertProblemAsync(await analyst.PostAsJsonAsync("/api/v1/subscriptions", new { channel = "webhook", target = "http://10.1.2.3/hook" }), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await analyst.PostAsJsonAsync("/api/v1/subscriptions", new { channel = "email", target = "not an address" }), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await app.Client(await app.KeyAsync(ApiKeyRoles.Viewer)).PostAsJsonAsync("/api/v1/subscriptions", new { channel = "email", target = "a@b.test" }), HttpStatusCode.Forbidden);

        var (hookId, secret) = await SubscribeAsync(analyst, new { name = "health ministry", channel = "webhook", target = receiver.Url, markers = new[] { "loneliness" }, regions = new[] { "AR-B" }, minSeverity = "yellow" });
        Assert.StartsWith("whsec_", secret);
        var (mailId, _) = await SubscribeAsync(analyst, new { channel = "email", target = "analyst@health.test", markers = new[] { "loneliness" }, kinds = new[] { "observed" }, minSeverity = "red" });
        var (deadId, _) = await SubscribeAsync(analyst, new { channel = "webhook", target = gone.Url });
        var (otherId, _) = await SubscribeAsync(analyst, new { channel = "webhook", target = receiver.Url, markers = new[] { "hostility" } });

        // The live stream.
        var stream = new ConcurrentQueue<string>();
        using var sseCts = new CancellationTokenSource();
        var sseClient = app.Client(await app.KeyAsync(ApiKeyRoles.Viewer));
        var sseResponse = await sseClient.GetAsync("/api/v1/alerts/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", sseResponse.Content.Headers.ContentType?.MediaType);
        var sseTask = Task.Run(async () =>
        {
            using var reader = new StreamReader(await sseResponse.Content.ReadAsStreamAsync(sseCts.Token));
            while (await reader.ReadLineAsync(sseCts.Token) is { } line) stream.Enqueue(line);
        });
        await EventuallyAsync(() => Task.FromResult(stream.Contains("event: ready") ? "" : null), "the stream to open");

        await app.PublishAsync(PlantedWeek());
        await WaitForWeekAsync(app, await app.KeyAsync(ApiKeyRoles.Viewer));
        var alertId = Guid.NewGuid();
        var raised = new AlertRaised(Guid.NewGuid(), [Incident(alertId, 1, "AR-B", AlertKind.Observed, AlertSeverity.Red)]);
        await app.PublishAsync(raised);
        await app.PublishAsync(raised); // redelivered: nothing new

        var first = await EventuallyAsync(() => Task.FromResult(receiver.Requests.TryPeek(out var r) ? r : null), "the webhook");
        Assert.True(WebhookSignature.Verify(secret!, first.Signature!, Encoding.UTF8.GetBytes(first.Body), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), "the signature verifies");
        Assert.False(WebhookSignature.Verify(secret!, first.Signature!, Encoding.UTF8.GetBytes(first.Body.Replace("AR-B", "AR-C")), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        using (var body = JsonDocument.Parse(first.Body))
        {
            Assert.Equal("opened", body.RootElement.GetProperty("event").GetString());
            Assert.Equal(alertId, body.RootElement.GetProperty("alert").GetProperty("id").GetGuid());
            Assert.Equal(first.DeliveryId, body.RootElement.GetProperty("deliveryId").GetGuid().ToString());
        }
        var mail = await EventuallyAsync(() => Task.FromResult(smtp.Messages.TryPeek(out var m) ? m : null), "the e-mail");
        Assert.Equal(["analyst@health.test"], mail.To);
        Assert.Equal("alerts@monitoring.test", mail.From);
        Assert.Contains("loneliness", mail.Data);
        Assert.Contains(alertId.ToString(), mail.Data);
        await EventuallyAsync(() => Task.FromResult(stream.Any(l => l.Contains(alertId.ToString(), StringComparison.Ordinal)) ? "" : null), "the live event");
        Assert.Contains("event: opened", stream);

        // The dead subscriber's 410 is permanent: dead-lettered at once and visible to its owner.
        var dead = await EventuallyAsync(async () =>
        {
            var doc = await (await analyst.GetAsync($"/api/v1/subscriptions/{deadId}/deliveries?status=dead")).JsonAsync();
            return doc.RootElement.GetArrayLength() == 1 ? doc : null;
        }, "the dead letter");
        Assert.Equal("HTTP 410", dead.RootElement[0].GetProperty("lastError").GetString());

        // A new state (severity changes) is a new delivery; the same state never is.
        await app.PublishAsync(new AlertRaised(Guid.NewGuid(), [Incident(alertId, 2, "AR-B", AlertKind.Observed, AlertSeverity.Yellow)]));
        await EventuallyAsync(() => Task.FromResult(receiver.Requests.Count >= 2 ? "" : null), "the update");
        await Task.Delay(1500);
        var events = receiver.Requests.Select(r => r.Event).ToList();
        Assert.Equal(["opened", "updated"], events);
        Assert.Single(smtp.Messages); // yellow is below the e-mail subscription's minimum
        using (var delivered = await (await analyst.GetAsync($"/api/v1/subscriptions/{hookId}/deliveries")).JsonAsync())
        {
            Assert.All(delivered.RootElement.EnumerateArray(), d => Assert.Equal("delivered", d.GetProperty("status").GetString()));
            Assert.Equal(2, delivered.RootElement.GetArrayLength());
        }
        using (var none = await (await analyst.GetAsync($"/api/v1/subscriptions/{otherId}/deliveries")).JsonAsync())
        {
            Assert.Equal(0, none.RootElement.GetArrayLength());
        }
        using (var one = await (await analyst.GetAsync($"/api/v1/subscriptions/{hookId}")).JsonAsync())
        {
            Assert.Equal("health ministry", one.RootElement.GetProperty("name").GetString());
            Assert.Equal(["loneliness"], one.RootElement.GetProperty("markers").EnumerateArray().Select(m => m.GetString()));
            Assert.False(one.RootElement.TryGetProperty("secret", out _), "the signing secret is shown only at creation");
        }
        Assert.Equal(HttpStatusCode.NoContent, (await analyst.DeleteAsync($"/api/v1/subscriptions/{otherId}")).StatusCode);
        using (var left = await (await analyst.GetAsync("/api/v1/subscriptions")).JsonAsync())
        {
            Assert.Equal(3, left.RootElement.GetArrayLength());
            Assert.DoesNotContain(left.RootElement.EnumerateArray(), x => x.GetProperty("id").GetGuid() == otherId);
        }
        await AssertProblemAsync(await analyst.DeleteAsync($"/api/v1/subscriptions/{otherId}"), HttpStatusCode.NotFound);
        // Another analyst sees none of these subscriptions.
        var stranger = app.Client(await app.KeyAsync(ApiKeyRoles.Analyst));
        await AssertProblemAsync(await stranger.GetAsync($"/api/v1/subscriptions/{mailId}"), HttpStatusCode.NotFound);
        using (var mine = await (await stranger.GetAsync("/api/v1/subscriptions")).JsonAsync()) Assert.Equal(0, mine.RootElement.GetArrayLength());

        await sseCts.CancelAsync();
        try { await sseTask; } catch (OperationCanceledException) { } catch (IOException) { }
    }

    [Fact]
    public async Task A_restart_between_raising_and_delivering_loses_nothing_and_sends_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var smtp = new SmtpTestServer();
        var database = await infra.Postgres.CreateDatabaseAsync();
        var settings = await DeliverySettingsAsync(infra, "dash-restart", smtp, database);
        settings["Dashboard:Delivery:Enabled"] = "false"; // this instance only records; it is stopped before it could send
        Guid hookId;
        string secret;
        var alertId = Guid.NewGuid();
        await using (var before = await TestApp.StartAsync(MonitoringRoles.Dashboard, settings))
        {
            var analyst = before.Client(await before.KeyAsync(ApiKeyRoles.Analyst));
            (hookId, secret) = await SubscribeAsync(analyst, new { channel = "webhook", target = receiver.Url }) is var (i, s) ? (i, s!) : default;
            await SubscribeAsync(analyst, new { channel = "email", target = "oncall@health.test" });
            await before.PublishAsync(PlantedWeek());
            await WaitForWeekAsync(before, await before.KeyAsync(ApiKeyRoles.Viewer));
            await before.PublishAsync(new AlertRaised(Guid.NewGuid(), [Incident(alertId, 1, "AR-B", AlertKind.Observed, AlertSeverity.Red)]));
            await EventuallyAsync(async () =>
            {
                using var doc = await (await analyst.GetAsync($"/api/v1/subscriptions/{hookId}/deliveries?status=pending")).JsonAsync();
                return doc.RootElement.GetArrayLength() == 1 ? "" : null;
            }, "the queued delivery");
        }
        Assert.Empty(receiver.Requests);

        settings["Dashboard:Delivery:Enabled"] = "true";
        await using var after = await TestApp.StartAsync(MonitoringRoles.Dashboard, settings);
        await EventuallyAsync(() => Task.FromResult(receiver.Requests.Count >= 1 && smtp.Messages.Count >= 1 ? "" : null), "delivery after the restart");
        // The same incident state arriving again after the restart (at-least-once bus) queues nothing new.
        await after.PublishAsync(new AlertRaised(Guid.NewGuid(), [Incident(alertId, 1, "AR-B", AlertKind.Observed, AlertSeverity.Red)]));
        await Task.Delay(2000);
        var request = Assert.Single(receiver.Requests);
        Assert.Single(smtp.Messages);
        Assert.True(WebhookSignature.Verify(secret, request.Signature!, Encoding.UTF8.GetBytes(request.Body), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        var analystAfter = after.Client(await after.KeyAsync(ApiKeyRoles.Admin));
        using var deliveries = await (await analystAfter.GetAsync($"/api/v1/subscriptions/{hookId}/deliveries")).JsonAsync();
        var d = Assert.Single(deliveries.RootElement.EnumerateArray());
        Assert.Equal("delivered", d.GetProperty("status").GetString());
        Assert.Equal(1, d.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Failed_webhooks_are_retried_with_backoff_until_they_succeed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.StatusCode = 503;
        await using var smtp = new SmtpTestServer();
        await using var app = await TestApp.StartAsync(MonitoringRoles.Dashboard, await DeliverySettingsAsync(infra, "dash-retry", smtp));
        var analyst = app.Client(await app.KeyAsync(ApiKeyRoles.Analyst));
        var (hookId, _) = await SubscribeAsync(analyst, new { channel = "webhook", target = receiver.Url });
        await app.PublishAsync(PlantedWeek());
        await WaitForWeekAsync(app, await app.KeyAsync(ApiKeyRoles.Viewer));
        await app.PublishAsync(new AlertRaised(Guid.NewGuid(), [Incident(Guid.NewGuid(), 1, "AR-B", AlertKind.Forecast, AlertSeverity.Yellow)]));
        await EventuallyAsync(() => Task.FromResult(receiver.Requests.Count >= 2 ? "" : null), "two failed attempts");
        using (var pending = await (await analyst.GetAsync($"/api/v1/subscriptions/{hookId}/deliveries")).JsonAsync())
        {
            var p = Assert.Single(pending.RootElement.EnumerateArray());
            Assert.Equal("pending", p.GetProperty("status").GetString());
            Assert.Equal("HTTP 503", p.GetProperty("lastError").GetString());
        }
        receiver.StatusCode = 204;
        await EventuallyAsync(async () =>
        {
            using var doc = await (await analyst.GetAsync($"/api/v1/subscriptions/{hookId}/deliveries?status=delivered")).JsonAsync();
            return doc.RootElement.GetArrayLength() == 1 ? "" : null;
        }, "the delivery to succeed");
        var ids = receiver.Requests.Select(r => r.DeliveryId).Distinct().ToList();
        Assert.Single(ids); // every attempt is the same delivery, so a receiver can de-duplicate
    }
}
