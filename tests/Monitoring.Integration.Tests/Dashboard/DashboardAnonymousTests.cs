using System.Net;
using System.Net.Http.Json;
using Monitoring.Hosting;
using Monitoring.Hosting.Security;
using Monitoring.Testing;
using static Monitoring.Integration.Tests.Dashboard.DashboardKit;

namespace Monitoring.Integration.Tests.Dashboard;

[Collection(InfrastructureCollection.Name)]
public sealed class DashboardAnonymousTests(InfrastructureFixture infra)
{
    [Fact]
    public async Task Anonymous_reads_are_rate_limited_per_client_with_retry_after_and_keys_are_not()
    {
        var settings = await SettingsAsync(infra, "dash-anon");
        settings["Dashboard:AnonymousRead"] = "true";
        settings["Dashboard:AnonymousPermitLimit"] = "3";
        settings["Dashboard:AnonymousWindowSeconds"] = "60";
        // The start-up warm-up reads anonymously from loopback too, and would take this client's permits.
        settings["Dashboard:WarmUp"] = "false";
        await using var app = await TestApp.StartAsync(MonitoringRoles.Dashboard, settings);
        var anonymous = app.Client();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/v1/markers")).StatusCode);
        }
        var limited = await anonymous.GetAsync("/api/v1/series?marker=loneliness");
        await AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);

        var viewer = app.Client(await app.KeyAsync(ApiKeyRoles.Viewer));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/markers")).StatusCode);
        }
        // Anonymous access covers reading public aggregates only.
        await AssertProblemAsync(await app.Client().PostAsJsonAsync("/api/v1/annotations", new { title = "x", date = "2024-05-01" }), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await app.Client().GetAsync("/api/v1/keys"), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await app.Client().GetAsync("/api/v1/subscriptions"), HttpStatusCode.Unauthorized);
    }
}
