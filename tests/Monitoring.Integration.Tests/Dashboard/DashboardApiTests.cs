using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Monitoring.Contracts;
using Monitoring.Hosting;
using Monitoring.Hosting.Security;
using Monitoring.Testing;
using static Monitoring.Integration.Tests.Dashboard.DashboardKit;

namespace Monitoring.Integration.Tests.Dashboard;

/// <summary>The Dashboard's REST API through the real pipeline (Kestrel, auth, PostgreSQL, RabbitMQ consumers).</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class DashboardApiTests(InfrastructureFixture infra) : IAsyncLifetime
{
    private TestApp _app = null!;
    private string _viewer = "";

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(MonitoringRoles.Dashboard, await SettingsAsync(infra, "dash-api"));
        _viewer = await _app.KeyAsync(ApiKeyRoles.Viewer);
        await _app.PublishAsync(PlantedWeek());
        await _app.PublishAsync(Revision());
        await EventuallyAsync(async () =>
        {
            using var doc = await (await _app.Client(_viewer).GetAsync("/api/v1/series?marker=loneliness&region=AR-B&from=2024-05-02&to=2024-05-03")).JsonAsync();
            var points = doc.RootElement.GetProperty("series")[0].GetProperty("points");
            return points.GetArrayLength() == 1 && points[0].GetProperty("prevalence").GetDouble() == 0.5 ? "" : null;
        }, "the planted series and its revision");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private const string Week = "from=2024-04-29&to=2024-05-06";

    [Fact]
    public async Task Series_mark_suppressed_cells_and_no_total_reveals_them_in_json_or_csv()
    {
        var client = _app.Client(_viewer);
        var json = await client.GetStringAsync($"/api/v1/series?marker=loneliness&region=all,AR-B,AR-C,AR-X&{Week}");
        using var doc = JsonDocument.Parse(json);
        var series = doc.RootElement.GetProperty("series").EnumerateArray().ToDictionary(s => s.GetProperty("region").GetString()!);
        Assert.Equal(["all", "AR-B", "AR-C", "AR-X"], series.Keys);
        var wednesday = series["AR-X"].GetProperty("points").EnumerateArray().Single(p => p.GetProperty("start").GetDateTimeOffset() == Monday.AddDays(2));
        Assert.True(wednesday.GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, wednesday.GetProperty("posts").ValueKind);
        Assert.Equal(JsonValueKind.Null, wednesday.GetProperty("prevalence").ValueKind);
        Assert.DoesNotContain("0.4286", json);

        // For every day: 'all' minus the shown regions must never isolate a single hidden region, and what it
        // leaves must itself be at least the minimum cell size.
        for (var d = 0; d < 7; d++)
        {
            var day = Monday.AddDays(d);
            JsonElement Point(string r) => series[r].GetProperty("points").EnumerateArray().Single(p => p.GetProperty("start").GetDateTimeOffset() == day);
            var total = Point("all");
            if (total.GetProperty("suppressed").GetBoolean()) continue;
            var regions = new[] { "AR-B", "AR-C", "AR-X" }.Select(Point).ToList();
            var hidden = regions.Count(p => p.GetProperty("suppressed").GetBoolean());
            Assert.True(hidden is 0 or >= 2, $"day {d}: {hidden} hidden region(s) next to a shown total");
            if (hidden > 0)
            {
                var residual = total.GetProperty("posts").GetInt64() - regions.Where(p => !p.GetProperty("suppressed").GetBoolean()).Sum(p => p.GetProperty("posts").GetInt64());
                Assert.True(residual >= 11, $"day {d}: residual {residual}");
            }
        }

        // The same in CSV, by Accept header and by format=csv; changes present, suppressed rows empty.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/series?marker=loneliness&region=all,AR-B,AR-C,AR-X&{Week}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csvResponse = await client.SendAsync(request);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var csv = await csvResponse.Content.ReadAsStringAsync();
        Assert.Equal(csv, await client.GetStringAsync($"/api/v1/series?marker=loneliness&region=all,AR-B,AR-C,AR-X&{Week}&format=csv"));
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("marker,region,topic,granularity,bucket_start,suppressed,posts,authors,prevalence,lower95,upper95,day_over_day,week_over_week", lines[0]);
        Assert.Equal(1 + 4 * 7, lines.Length);
        Assert.Contains("loneliness,AR-X,,day,2024-05-01T00:00:00Z,true,,,,,,,", lines);
        Assert.DoesNotContain("0.4286", csv);
        var tuesdayB = lines.Single(l => l.StartsWith("loneliness,AR-B,,day,2024-04-30", StringComparison.Ordinal)).Split(',');
        Assert.Equal("0.01", double.Parse(tuesdayB[11], System.Globalization.CultureInfo.InvariantCulture).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var line in lines.Skip(1).Where(l => l.Contains(",true,", StringComparison.Ordinal)))
        {
            Assert.EndsWith(",true,,,,,,,", line);
        }
    }

    [Fact]
    public async Task Series_support_etags_as_of_comparison_and_reject_bad_queries()
    {
        var client = _app.Client(_viewer);
        var url = $"/api/v1/series?marker=loneliness&region=AR-B&{Week}";
        var first = await client.GetAsync(url);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(etag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);
        var csv = new HttpRequestMessage(HttpMethod.Get, url + "&format=csv");
        csv.Headers.IfNoneMatch.Add(etag!);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(csv)).StatusCode); // another representation, another tag

        double Thursday(JsonDocument d) => d.RootElement.GetProperty("series")[0].GetProperty("points").EnumerateArray()
            .Single(p => p.GetProperty("start").GetDateTimeOffset() == Monday.AddDays(3)).GetProperty("prevalence").GetDouble();
        using (var now = await first.JsonAsync()) Assert.Equal(0.5, Thursday(now), 9);
        using (var then = await (await client.GetAsync(url + "&asOf=2024-05-07T00:00:00Z")).JsonAsync()) Assert.Equal(0.13, Thursday(then), 9);
        var before = await client.GetAsync(url + "&asOf=2024-05-01");
        using (var none = await before.JsonAsync()) Assert.Equal(0, none.RootElement.GetProperty("series")[0].GetProperty("points").GetArrayLength());
        Assert.NotEqual(etag, before.Headers.ETag);

        // Several markers and regions in one call.
        using (var compare = await (await client.GetAsync($"/api/v1/series?marker=loneliness&marker=hostility&region=AR-B&region=AR-C&{Week}")).JsonAsync())
        {
            Assert.Equal(4, compare.RootElement.GetProperty("series").GetArrayLength());
        }
        using (var topic = await (await client.GetAsync($"/api/v1/series?marker=loneliness&region=AR-B&topic=elections&{Week}")).JsonAsync())
        {
            Assert.Equal(0.3, topic.RootElement.GetProperty("series")[0].GetProperty("points")[0].GetProperty("prevalence").GetDouble(), 9);
        }

        await AssertProblemAsync(await client.GetAsync("/api/v1/series?marker=nope"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.GetAsync("/api/v1/series"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.GetAsync("/api/v1/series?marker=loneliness&granularity=month"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.GetAsync("/api/v1/series?marker=loneliness&from=yesterday"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.GetAsync("/api/v1/series?marker=loneliness&from=2024-05-02&to=2024-05-01"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Catalogue_forecasts_and_openapi()
    {
        var client = _app.Client(_viewer);
        using (var markers = await (await client.GetAsync("/api/v1/markers")).JsonAsync())
        {
            Assert.Equal(MarkerCatalogue.All.Count, markers.RootElement.GetArrayLength());
            var lonely = markers.RootElement.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "loneliness");
            Assert.NotEmpty(lonely.GetProperty("knownLimits").EnumerateArray());
        }
        await AssertProblemAsync(await client.GetAsync("/api/v1/markers/nope"), HttpStatusCode.NotFound);
        using (var regions = await (await client.GetAsync("/api/v1/regions")).JsonAsync())
        {
            Assert.Equal(["all", "AR-B", "AR-C", "AR-X"], regions.RootElement.EnumerateArray().Select(r => r.GetProperty("code").GetString()));
        }
        using (var topics = await (await client.GetAsync("/api/v1/topics")).JsonAsync())
        {
            Assert.Equal(["elections"], topics.RootElement.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        }

        var key = new SeriesKey("loneliness", "AR-B", Granularity.Day);
        ForecastPoint P(int d, double m) => new(Monday.AddDays(7 + d), m, m - 0.01, m + 0.01, m - 0.02, m + 0.02);
        await _app.PublishAsync(new ForecastIssued(Guid.NewGuid(), [new SeriesForecast(key, "ssa", Monday.AddDays(7), [P(0, 0.2), P(1, 0.21)])]));
        await _app.PublishAsync(new ForecastIssued(Guid.NewGuid(), [new SeriesForecast(key, "holt-winters", Monday.AddDays(8), [P(1, 0.3)])]));
        var newest = await EventuallyAsync(async () =>
        {
            var doc = await (await client.GetAsync("/api/v1/forecasts?marker=loneliness&region=AR-B")).JsonAsync();
            return doc.RootElement.GetArrayLength() == 1 && doc.RootElement[0].GetProperty("method").GetString() == "holt-winters" ? doc : null;
        }, "the newest forecast");
        var point = newest.RootElement[0].GetProperty("points")[0];
        Assert.False(newest.RootElement[0].GetProperty("suppressed").GetBoolean());
        // AR-X had a suppressed day in the weeks before: its forecast could echo it, so it is withheld.
        await _app.PublishAsync(new ForecastIssued(Guid.NewGuid(), [new SeriesForecast(key with { Region = "AR-X" }, "seasonal-naive", Monday.AddDays(7), [P(2, 0.4286)])]));
        var withheld = await EventuallyAsync(async () =>
        {
            var doc = await (await client.GetAsync("/api/v1/forecasts?marker=loneliness&region=AR-X")).JsonAsync();
            return doc.RootElement.GetArrayLength() == 1 ? doc : null;
        }, "the AR-X forecast");
        Assert.True(withheld.RootElement[0].GetProperty("suppressed").GetBoolean());
        Assert.Equal(0, withheld.RootElement[0].GetProperty("points").GetArrayLength());
        Assert.DoesNotContain("0.4286", withheld.RootElement.GetRawText());
        Assert.Equal(0.28, point.GetProperty("lower95").GetDouble(), 9);
        Assert.Equal(0.31, point.GetProperty("upper80").GetDouble(), 9);

        var openapi = await _app.Client().GetStringAsync("/openapi/v1.json");
        using var api = JsonDocument.Parse(openapi);
        var paths = api.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/series", "/api/v1/alerts", "/api/v1/alerts/stream", "/api/v1/keys", "/api/v1/subscriptions", "/api/v1/annotations", "/api/v1/alerts/cap" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is in the OpenAPI document");
        }
        Assert.Equal("header", api.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("in").GetString());
        var page = await _app.Client().GetAsync("/api");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/openapi/v1.json", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Alerts_are_filtered_paged_withheld_below_200_authors_and_their_evidence_is_clean()
    {
        var client = _app.Client(_viewer);
        var red = Guid.NewGuid();
        var forecast = Guid.NewGuid();
        var small = Guid.NewGuid();
        TermShift T(string term) => new(term, 0.01, 0.05, 0.04);
        await _app.PublishAsync(new AlertRaised(Guid.NewGuid(),
        [
            Incident(red, 1, "AR-B", AlertKind.Observed, AlertSeverity.Red, terms: [T("alone"), T("@lonelyhandle"), T("https://t.co/x"), T("call 555 123 4567"), T("me@example.org"), T("no one")]),
            Incident(forecast, 1, "AR-B", AlertKind.Forecast, AlertSeverity.Yellow, marker: "hostility"),
            Incident(small, 1, "AR-X", AlertKind.Observed, AlertSeverity.Red),
        ]));
        await _app.PublishAsync(new AlertRaised(Guid.NewGuid(), [Incident(red, 2, "AR-B", AlertKind.Observed, AlertSeverity.Red, terms: [T("alone"), T("@lonelyhandle")])]));
        await _app.PublishAsync(new AlertRaised(Guid.NewGuid(), [Incident(red, 1, "AR-B", AlertKind.Observed, AlertSeverity.Yellow)])); // stale: ignored
        await _app.PublishAsync(new AlertResolved(Guid.NewGuid(), [new AlertResolution(forecast, 2, new SeriesKey("hostility", "AR-B", Granularity.Day), AlertKind.Forecast, Monday.AddDays(5), "back below threshold")]));

        var all = await EventuallyAsync(async () =>
        {
            var doc = await (await client.GetAsync("/api/v1/alerts")).JsonAsync();
            var items = doc.RootElement.GetProperty("items");
            return items.GetArrayLength() == 2 && items.EnumerateArray().Any(i => i.GetProperty("status").GetString() == "resolved")
                && items.EnumerateArray().Any(i => i.GetProperty("revision").GetInt32() == 2 && i.GetProperty("id").GetGuid() == red) ? doc : null;
        }, "two visible alerts, one resolved");
        Assert.Equal(2, all.RootElement.GetProperty("total").GetInt32());
        Assert.DoesNotContain(all.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == small);
        using (var single = await (await client.GetAsync($"/api/v1/alerts/{red}")).JsonAsync())
        {
            Assert.Equal(2, single.RootElement.GetProperty("revision").GetInt32());
            Assert.Equal("observed", single.RootElement.GetProperty("kind").GetString());
            Assert.Equal("open", single.RootElement.GetProperty("status").GetString());
        }
        await AssertProblemAsync(await client.GetAsync($"/api/v1/alerts/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await client.GetAsync($"/api/v1/alerts/{small}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await client.GetAsync($"/api/v1/alerts/{small}/evidence"), HttpStatusCode.NotFound);

        using (var redOnly = await (await client.GetAsync("/api/v1/alerts?severity=red&status=open&marker=loneliness&region=AR-B")).JsonAsync())
        {
            var item = Assert.Single(redOnly.RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal(red, item.GetProperty("id").GetGuid());
            Assert.Equal("red", item.GetProperty("severity").GetString());
        }
        using (var page2 = await (await client.GetAsync("/api/v1/alerts?pageSize=1&page=2")).JsonAsync())
        {
            Assert.Single(page2.RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal(2, page2.RootElement.GetProperty("total").GetInt32());
        }
        using (var forecasts = await (await client.GetAsync("/api/v1/alerts?kind=forecast")).JsonAsync())
        {
            Assert.Equal(forecast, Assert.Single(forecasts.RootElement.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        }
        await AssertProblemAsync(await client.GetAsync("/api/v1/alerts?severity=purple"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.GetAsync("/api/v1/alerts?pageSize=100000"), HttpStatusCode.BadRequest);

        var evidenceText = await client.GetStringAsync($"/api/v1/alerts/{red}/evidence");
        using var evidence = JsonDocument.Parse(evidenceText);
        Assert.Equal(["alone"], evidence.RootElement.GetProperty("risingTerms").EnumerateArray().Select(t => t.GetProperty("term").GetString()));
        Assert.DoesNotContain("lonelyhandle", evidenceText);

        var feed = XDocument.Parse(await client.GetStringAsync("/api/v1/alerts/cap"));
        XNamespace atom = "http://www.w3.org/2005/Atom";
        XNamespace cap = "urn:oasis:names:tc:emergency:cap:1.2";
        var entry = Assert.Single(feed.Root!.Elements(atom + "entry")); // only the open, visible one
        var alert = entry.Element(atom + "content")!.Element(cap + "alert")!;
        Assert.Equal(["identifier", "sender", "sent", "status", "msgType", "scope", "references", "incidents", "info"], alert.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("Update", alert.Element(cap + "msgType")!.Value);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-00:00$", alert.Element(cap + "sent")!.Value);
        var one = await client.GetAsync($"/api/v1/alerts/{red}/cap");
        Assert.Equal("application/cap+xml", one.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Roles_guard_annotations_and_keys_and_every_error_is_problem_details()
    {
        await AssertProblemAsync(await _app.Client().GetAsync("/api/v1/series?marker=loneliness"), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await _app.Client("mon_000000000000_nope").GetAsync("/api/v1/markers"), HttpStatusCode.Unauthorized);
        var ingest = await _app.KeyAsync(ApiKeyRoles.Ingest);
        await AssertProblemAsync(await _app.Client(ingest).GetAsync("/api/v1/markers"), HttpStatusCode.Forbidden);

        var annotation = new { title = "Plant closure announced", date = "2024-05-01", region = "AR-B", link = "https://example.org/news" };
        await AssertProblemAsync(await _app.Client(_viewer).PostAsJsonAsync("/api/v1/annotations", annotation), HttpStatusCode.Forbidden);
        var analyst = await _app.KeyAsync(ApiKeyRoles.Analyst);
        var created = await _app.Client(analyst).PostAsJsonAsync("/api/v1/annotations", annotation);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await AssertProblemAsync(await _app.Client(analyst).PostAsJsonAsync("/api/v1/annotations", new { title = "", date = "2024-05-01" }), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await _app.Client(analyst).PostAsync("/api/v1/annotations", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await _app.Client(analyst).GetAsync("/api/v1/no-such-thing"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _app.Client(analyst).PostAsJsonAsync("/api/v1/annotations", new { title = "x", date = "2024-05-01", link = "javascript:alert(1)" }), HttpStatusCode.BadRequest);
        using (var list = await (await _app.Client(_viewer).GetAsync("/api/v1/annotations?from=2024-04-29&to=2024-05-05&region=AR-B")).JsonAsync())
        {
            Assert.Equal("Plant closure announced", Assert.Single(list.RootElement.EnumerateArray()).GetProperty("title").GetString());
        }
        using (var none = await (await _app.Client(_viewer).GetAsync("/api/v1/annotations?region=AR-C")).JsonAsync())
        {
            Assert.Equal(0, none.RootElement.GetArrayLength());
        }
        var id = (await created.JsonAsync()).RootElement.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await _app.Client(analyst).DeleteAsync($"/api/v1/annotations/{id}")).StatusCode);
        await AssertProblemAsync(await _app.Client(analyst).DeleteAsync($"/api/v1/annotations/{id}"), HttpStatusCode.NotFound);

        // Keys: admins only; the secret is shown once, never listed; revocation locks the key out.
        await AssertProblemAsync(await _app.Client(analyst).GetAsync("/api/v1/keys"), HttpStatusCode.Forbidden);
        var admin = await _app.KeyAsync(ApiKeyRoles.Admin);
        var made = await _app.Client(admin).PostAsJsonAsync("/api/v1/keys", new { role = "viewer", name = "partner" });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        using var madeDoc = await made.JsonAsync();
        var secret = madeDoc.RootElement.GetProperty("secret").GetString()!;
        var prefix = madeDoc.RootElement.GetProperty("key").GetProperty("prefix").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _app.Client(secret).GetAsync("/api/v1/markers")).StatusCode);
        var listed = await _app.Client(admin).GetStringAsync("/api/v1/keys");
        Assert.Contains(prefix, listed);
        Assert.DoesNotContain(secret, listed);
        await AssertProblemAsync(await _app.Client(admin).PostAsJsonAsync("/api/v1/keys", new { role = "emperor" }), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, (await _app.Client(admin).DeleteAsync($"/api/v1/keys/{prefix}")).StatusCode);
        await AssertProblemAsync(await _app.Client(secret).GetAsync("/api/v1/markers"), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await _app.Client(admin).DeleteAsync("/api/v1/keys/ffffffffffff"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_an_admin_can_open_an_internal_network_to_webhooks()
    {
        var analyst = _app.Client(await _app.KeyAsync(ApiKeyRoles.Analyst));
        var admin = _app.Client(await _app.KeyAsync(ApiKeyRoles.Admin));
        var hook = new { channel = "webhook", target = "http://127.0.0.1:9/hook" };
        var refused = await analyst.PostAsJsonAsync("/api/v1/subscriptions", hook);
        await AssertProblemAsync(refused, HttpStatusCode.BadRequest);
        Assert.Contains("loopback", await refused.Content.ReadAsStringAsync());
        await AssertProblemAsync(await analyst.PutAsJsonAsync("/api/v1/settings/allowed-networks/127.0.0.0/8", new { note = "x" }), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await admin.PutAsJsonAsync("/api/v1/settings/allowed-networks/127.0.0.1/8", new { note = "x" }), HttpStatusCode.BadRequest);

        var allowed = await admin.PutAsJsonAsync("/api/v1/settings/allowed-networks/127.0.0.0/8", new { note = "the on-prem relay" });
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await analyst.PostAsJsonAsync("/api/v1/subscriptions", hook)).StatusCode);
        await AssertProblemAsync(await analyst.PostAsJsonAsync("/api/v1/subscriptions", new { channel = "webhook", target = "http://10.0.0.5/hook" }), HttpStatusCode.BadRequest);
        using (var list = await (await admin.GetAsync("/api/v1/settings/allowed-networks")).JsonAsync())
        {
            var n = Assert.Single(list.RootElement.EnumerateArray());
            Assert.Equal("127.0.0.0/8", n.GetProperty("cidr").GetString());
            Assert.Equal("the on-prem relay", n.GetProperty("note").GetString());
        }
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/settings/allowed-networks/127.0.0.0/8")).StatusCode);
        await AssertProblemAsync(await analyst.PostAsJsonAsync("/api/v1/subscriptions", hook), HttpStatusCode.BadRequest);
    }
}
