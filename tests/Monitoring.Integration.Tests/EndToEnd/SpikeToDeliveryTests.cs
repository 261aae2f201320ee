using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Classifier;
using Monitoring.Collector.Privacy;
using Monitoring.Hosting;
using Monitoring.Hosting.Security;
using Monitoring.Integration.Tests.Dashboard;
using Monitoring.Testing;
using static Monitoring.Integration.Tests.Dashboard.DashboardKit;
using static Monitoring.Integration.Tests.EndToEnd.PlantedSpike;

namespace Monitoring.Integration.Tests.EndToEnd;

/// <summary>
/// The whole system over a real RabbitMQ node and PostgreSQL: posts pushed to the Collector are classified, aggregated
/// and tested by the Forecaster; a spike planted on the last day opens an alert that reaches a subscriber's webhook
/// (signed) and mailbox exactly once, although the Dashboard that recorded it stops before sending and another
/// instance on the same database delivers.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class SpikeToDeliveryTests(InfrastructureFixture infra)
{
    [Fact]
    public async Task A_planted_spike_reaches_one_signed_webhook_and_one_email_across_a_dashboard_restart()
    {
        var prefix = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        // Every consumer fault on the broker (after its retries): none is expected, and a timeout below names them.
        await using var faults = await BusTap<JsonElement>.StartAsync(infra.RabbitMq.AmqpUri, "MassTransit:Fault");
        async Task<T> WaitAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null) where T : class
        {
            try
            {
                return await EventuallyAsync(probe, what, timeout);
            }
            catch (TimeoutException e) when (!faults.Received.IsEmpty)
            {
                throw new TimeoutException($"{e.Message} Consumer faults: {Describe(faults.Received)}", e);
            }
        }
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var smtp = new SmtpTestServer();

        // Three deployments, each with its own database, one queue prefix. The Dashboard starts first so its queues
        // exist before anything is published; its first instance only records (delivery switched off).
        var dashboardSettings = await DeliverySettingsAsync(infra, prefix, smtp, allowLoopback: false);
        dashboardSettings["Dashboard:Delivery:Enabled"] = "false";
        TestApp? dashboard = await TestApp.StartAsync(MonitoringRoles.Dashboard, dashboardSettings);
        try
        {
            var forecasterSettings = await SettingsAsync(infra, prefix);
            await using var forecaster = await TestApp.StartAsync(MonitoringRoles.Forecaster, forecasterSettings);
            var collectorSettings = await SettingsAsync(infra, prefix);
            collectorSettings["Collector:AuthorSecret"] = "end-to-end-test-secret-0123456789";
            collectorSettings["Collector:BatchSize"] = "1000"; // one push request of this test is one batch
            collectorSettings["Collector:Tagging:NearDuplicateMinWords"] = "1000"; // templated texts: drop only exact repeats
            await using var collector = await TestApp.StartAsync(MonitoringRoles.Collector | MonitoringRoles.Classifier, collectorSettings);

            var days = All();
            AssertTextsScoreAsPlanted(collector, days.SelectMany(d => d).ToList());

            // An admin lets webhooks reach loopback; a subscriber asks for loneliness alerts in the region.
            var admin = dashboard.Client(await dashboard.KeyAsync(ApiKeyRoles.Admin));
            using (var allowed = await admin.PutAsJsonAsync("/api/v1/settings/allowed-networks/127.0.0.0/8", new { note = "end-to-end test receiver" }))
            {
                Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            }
            var analystKey = await dashboard.KeyAsync(ApiKeyRoles.Analyst);
            var analyst = dashboard.Client(analystKey);
            var filter = new { markers = new[] { Marker }, regions = new[] { Region }, kinds = new[] { "observed" } };
            var (hookId, secret) = await SubscribeAsync(analyst, new { name = "on-call webhook", channel = "webhook", target = receiver.Url, filter.markers, filter.regions, filter.kinds });
            var (mailId, _) = await SubscribeAsync(analyst, new { name = "on-call e-mail", channel = "email", target = "oncall@health.test", filter.markers, filter.regions, filter.kinds });
            Assert.NotNull(secret);

            // Five quiet weeks, a week per request, then wait until the Dashboard shows every day.
            var ingest = collector.Client(await collector.KeyAsync(ApiKeyRoles.Ingest));
            for (var week = 0; week < BaselineDays / 7; week++)
            {
                await PushAsync(ingest, days.Skip(week * 7).Take(7).SelectMany(d => d).ToList(), expectAccepted: true);
            }
            var viewer = dashboard.Client(await dashboard.KeyAsync(ApiKeyRoles.Viewer));
            await WaitAsync(async () =>
            {
                using var doc = await (await viewer.GetAsync($"/api/v1/series?marker={Marker}&region={Region}&from={Day0:yyyy-MM-dd}&to={SpikeDay:yyyy-MM-dd}")).JsonAsync();
                var points = doc.RootElement.GetProperty("series")[0].GetProperty("points");
                return points.GetArrayLength() == BaselineDays && points.EnumerateArray().All(p => p.GetProperty("posts").ValueKind == JsonValueKind.Number
                    && p.GetProperty("posts").GetInt32() == PostsPerDay) ? "" : null;
            }, "the quiet weeks on the Dashboard", TimeSpan.FromMinutes(3));
            Assert.Equal(0, await AlertCountAsync(viewer)); // nothing in the quiet weeks

            // The spike, in one request: the Forecaster sees the whole day at once.
            await PushAsync(ingest, days[BaselineDays], expectAccepted: true);
            var alert = await WaitAsync(async () =>
            {
                using var doc = await (await viewer.GetAsync($"/api/v1/alerts?marker={Marker}&region={Region}&kind=observed")).JsonAsync();
                var items = doc.RootElement.GetProperty("items");
                return items.GetArrayLength() > 0 ? JsonDocument.Parse(items[0].GetRawText()) : null;
            }, "the alert on the Dashboard", TimeSpan.FromMinutes(2));
            var alertId = alert.RootElement.GetProperty("id").GetGuid();
            Assert.Equal(SpikeDay, alert.RootElement.GetProperty("bucketStart").GetDateTimeOffset());
            Assert.Equal("open", alert.RootElement.GetProperty("status").GetString());
            alert.Dispose();
            foreach (var subscription in new[] { hookId, mailId })
            {
                await WaitAsync(async () =>
                {
                    using var doc = await (await analyst.GetAsync($"/api/v1/subscriptions/{subscription}/deliveries?status=pending")).JsonAsync();
                    return doc.RootElement.EnumerateArray().Any(d => d.GetProperty("alertId").GetGuid() == alertId) ? "" : null;
                }, "the queued delivery");
            }
            Assert.Empty(receiver.Requests);
            Assert.Empty(smtp.Messages);

            // Restart between raising and delivering: a new Dashboard on the same database and queues sends.
            await dashboard.DisposeAsync();
            dashboard = null;
            dashboardSettings["Dashboard:Delivery:Enabled"] = "true";
            dashboard = await TestApp.StartAsync(MonitoringRoles.Dashboard, dashboardSettings);
            var analystAfter = dashboard.Client(analystKey);
            foreach (var subscription in new[] { hookId, mailId })
            {
                await WaitAsync(async () =>
                {
                    using var doc = await (await analystAfter.GetAsync($"/api/v1/subscriptions/{subscription}/deliveries")).JsonAsync();
                    return doc.RootElement.GetArrayLength() > 0 && doc.RootElement.EnumerateArray().All(d => d.GetProperty("status").GetString() == "delivered") ? "" : null;
                }, "the deliveries after the restart", TimeSpan.FromMinutes(1));
            }

            // The same posts pushed again (a client retrying) are duplicates: nothing new flows.
            await PushAsync(ingest, days[BaselineDays], expectAccepted: false);

            var deliveryIds = new List<Guid>();
            foreach (var subscription in new[] { hookId, mailId })
            {
                using var doc = await (await analystAfter.GetAsync($"/api/v1/subscriptions/{subscription}/deliveries")).JsonAsync();
                var delivery = Assert.Single(doc.RootElement.EnumerateArray());
                Assert.Equal(alertId, delivery.GetProperty("alertId").GetGuid());
                Assert.Equal(1, delivery.GetProperty("revision").GetInt32());
                Assert.Equal("opened", delivery.GetProperty("event").GetString());
                Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
                deliveryIds.Add(delivery.GetProperty("id").GetGuid());
            }

            // Exactly one webhook, signed as docs/api.md says a receiver should verify it.
            var hook = Assert.Single(receiver.Requests);
            var body = Encoding.UTF8.GetBytes(hook.Body);
            Assert.True(DocumentedVerify(secret, hook.Signature!, body), "the signature verifies");
            Assert.False(DocumentedVerify(secret, hook.Signature!, Encoding.UTF8.GetBytes(hook.Body.Replace(Region, "AR-C", StringComparison.Ordinal))), "a changed body does not verify");
            Assert.False(DocumentedVerify("whsec_not-the-secret", hook.Signature!, body), "another secret does not verify");
            Assert.Equal("opened", hook.Event);
            Assert.Equal(deliveryIds[0].ToString(), hook.DeliveryId);
            using (var payload = JsonDocument.Parse(hook.Body))
            {
                var root = payload.RootElement;
                Assert.Equal(hook.DeliveryId, root.GetProperty("deliveryId").GetGuid().ToString());
                Assert.Equal(hookId, root.GetProperty("subscriptionId").GetGuid());
                Assert.Equal("opened", root.GetProperty("event").GetString());
                var a = root.GetProperty("alert");
                Assert.Equal(alertId, a.GetProperty("id").GetGuid());
                Assert.Equal(1, a.GetProperty("revision").GetInt32());
                Assert.Equal(Marker, a.GetProperty("marker").GetString());
                Assert.Equal(Region, a.GetProperty("region").GetString());
                Assert.Equal("observed", a.GetProperty("kind").GetString());
                Assert.Equal(SpikeDay, a.GetProperty("bucketStart").GetDateTimeOffset());
                Assert.True(a.GetProperty("observed").GetDouble() > a.GetProperty("threshold").GetDouble(), "the spike is above the threshold");
            }

            // Exactly one e-mail, naming the marker, region and alert.
            var mail = Assert.Single(smtp.Messages);
            Assert.Equal(["oncall@health.test"], mail.To);
            Assert.Contains($"X-Monitoring-Delivery: {deliveryIds[1]}", mail.Data, StringComparison.OrdinalIgnoreCase);
            var text = DecodeQuotedPrintable(mail.Data);
            Assert.Contains(Marker, text, StringComparison.Ordinal);
            Assert.Contains(Region, text, StringComparison.Ordinal);
            Assert.Contains(alertId.ToString(), text, StringComparison.Ordinal);

            Assert.True(faults.Received.IsEmpty, Describe(faults.Received));

            // Aggregates only: no post text, handle, author pseudonym or post id travels to a subscriber.
            var pseudonyms = collector.App.Services.GetRequiredService<AuthorPseudonymizer>();
            foreach (var post in days.SelectMany(d => d))
            {
                foreach (var leak in new[] { post.Text, post.Author, post.Author.TrimStart('@'), pseudonyms.KeyOf(Source, post.Author), $"{Source}:{post.Id}" })
                {
                    Assert.DoesNotContain(leak, hook.Body, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain(leak, text, StringComparison.OrdinalIgnoreCase);
                }
            }
        }
        finally
        {
            if (dashboard is not null) await dashboard.DisposeAsync();
        }
    }

    /// <summary>Message types and exceptions of MassTransit faults (never the faulted message: it may hold post text).</summary>
    private static string Describe(IEnumerable<JsonElement> faults) => string.Join("; ", faults.Select(f =>
        $"{f.GetProperty("faultMessageTypes")[0].GetString()}: " + string.Join(" / ", f.GetProperty("exceptions").EnumerateArray()
            .Select(x => $"{x.GetProperty("exceptionType").GetString()}: {x.GetProperty("message").GetString()}"))));

    /// <summary>The committed models score the planted texts as intended (else the test would fail for the wrong reason).</summary>
    private static void AssertTextsScoreAsPlanted(TestApp classifierApp, IReadOnlyList<Post> posts)
    {
        var classifier = classifierApp.App.Services.GetRequiredService<PostClassifier>();
        var lonely = posts.Where(p => p.Lonely).ToList();
        var other = posts.Where(p => !p.Lonely).ToList();
        var lonelyFlagged = lonely.Count(p => classifier.Detail(p.Text, "en").Flagged.Contains(Marker));
        var otherFlagged = other.Count(p => classifier.Detail(p.Text, "en").Flagged.Contains(Marker));
        Assert.True(lonelyFlagged >= lonely.Count * 0.9, $"{lonelyFlagged} of {lonely.Count} lonely texts flagged");
        Assert.True(otherFlagged <= other.Count * 0.02, $"{otherFlagged} of {other.Count} other texts flagged");
    }

    private static async Task PushAsync(HttpClient ingest, IReadOnlyList<Post> posts, bool expectAccepted)
    {
        using var content = new StringContent(Ndjson(posts), Encoding.UTF8, "application/x-ndjson");
        using var response = await ingest.PostAsync("/api/v1/posts", content);
        using var summary = await response.JsonAsync();
        Assert.Equal(expectAccepted ? posts.Count : 0, summary.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(expectAccepted ? 0 : posts.Count, summary.RootElement.GetProperty("duplicates").GetInt32());
    }

    private static async Task<int> AlertCountAsync(HttpClient viewer)
    {
        using var doc = await (await viewer.GetAsync($"/api/v1/alerts?marker={Marker}&region={Region}")).JsonAsync();
        return doc.RootElement.GetProperty("total").GetInt32();
    }

    /// <summary>The C# verification of docs/api.md ("Verifying a webhook"), as a subscriber would write it.</summary>
    private static bool DocumentedVerify(string secret, string header, byte[] body)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var t = long.Parse(parts["t"], System.Globalization.CultureInfo.InvariantCulture);
        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - t) > 300) return false;
        var signed = Encoding.UTF8.GetBytes($"{t}.").Concat(body).ToArray();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(mac)), Encoding.ASCII.GetBytes(parts["v1"]));
    }

    /// <summary>The e-mail body travels quoted-printable: soft line breaks and =XX escapes undone.</summary>
    private static string DecodeQuotedPrintable(string data)
    {
        var joined = data.Replace("=\r\n", "", StringComparison.Ordinal);
        var bytes = new List<byte>(joined.Length);
        for (var i = 0; i < joined.Length; i++)
        {
            if (joined[i] == '=' && i + 2 < joined.Length && Uri.IsHexDigit(joined[i + 1]) && Uri.IsHexDigit(joined[i + 2]))
            {
                bytes.Add(Convert.ToByte(joined.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)joined[i]);
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
