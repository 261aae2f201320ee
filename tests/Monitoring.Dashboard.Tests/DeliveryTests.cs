using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Monitoring.Contracts;
using Monitoring.Dashboard.Alerts;
using Monitoring.Dashboard.Delivery;
using Monitoring.Dashboard.ReadModel;
using Monitoring.Dashboard.Storage;
using Monitoring.Dashboard.Subscriptions;

namespace Monitoring.Dashboard.Tests;

public sealed class DeliveryTests
{
    [Fact]
    public void A_signature_verifies_and_any_change_breaks_it()
    {
        var body = Encoding.UTF8.GetBytes("""{"event":"opened"}""");
        var now = DateTimeOffset.FromUnixTimeSeconds(1_714_560_000);
        var header = WebhookSignature.Sign("whsec_test", now.ToUnixTimeSeconds(), body);
        Assert.Matches("^t=1714560000,v1=[0-9a-f]{64}$", header);
        Assert.True(WebhookSignature.Verify("whsec_test", header, body, now.AddSeconds(30), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_other", header, body, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_test", header, Encoding.UTF8.GetBytes("""{"event":"resolved"}"""), now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_test", header, body, now.AddMinutes(10), TimeSpan.FromMinutes(5)), "a replay after the tolerance must fail");
    }

    [Fact]
    public void The_signature_is_hmac_sha256_of_timestamp_dot_body()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes("42.{}")));
        Assert.Equal($"t=42,v1={expected}", WebhookSignature.Sign("k", 42, body));
    }

    [Fact]
    public void Backoff_grows_exponentially_with_jitter_and_is_capped()
    {
        var o = new DeliveryOptions { BaseRetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromHours(1) };
        for (var i = 0; i < 50; i++)
        {
            var first = DeliveryWorker.Backoff(1, o);
            Assert.InRange(first.TotalSeconds, 5, 10);
            var fifth = DeliveryWorker.Backoff(5, o);
            Assert.InRange(fifth.TotalSeconds, 80, 160);
            Assert.InRange(DeliveryWorker.Backoff(30, o).TotalSeconds, 1800, 3600);
        }
        Assert.True(Enumerable.Range(0, 20).Select(_ => DeliveryWorker.Backoff(5, o)).Distinct().Count() > 1, "jitter");
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.2.3.4", false)]
    [InlineData("172.20.0.1", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("93.184.215.14", true)]
    [InlineData("2606:4700::1111", true)]
    public void Ssrf_guard_refuses_internal_addresses(string address, bool allowed) =>
        Assert.Equal(allowed, new SsrfGuard(Options.Create(new DashboardOptions())).IsAllowed(IPAddress.Parse(address)));

    [Fact]
    public async Task An_admin_allowed_network_opens_only_that_network()
    {
        var guard = new SsrfGuard(Options.Create(new DashboardOptions { Delivery = { AllowedNetworks = ["127.0.0.0/8"] } }));
        Assert.True(guard.IsAllowed(IPAddress.Loopback));
        Assert.False(guard.IsAllowed(IPAddress.Parse("10.0.0.1")));
        Assert.Null(await guard.CheckAsync("http://127.0.0.1:8080/hook", CancellationToken.None));
        var strict = new SsrfGuard(Options.Create(new DashboardOptions()));
        Assert.Contains("private, loopback or link-local", await strict.CheckAsync("http://127.0.0.1:8080/hook", CancellationToken.None));
        Assert.Contains("private, loopback or link-local", await strict.CheckAsync("http://localhost/hook", CancellationToken.None));
        Assert.NotNull(await strict.CheckAsync("ftp://example.org/x", CancellationToken.None));
        Assert.NotNull(await strict.CheckAsync("http://user:pw@93.184.215.14/x", CancellationToken.None));
    }

    private static AlertRecord Alert(AlertSeverity severity = AlertSeverity.Red, AlertKind kind = AlertKind.Observed) => new()
    {
        AlertId = Guid.NewGuid(), Revision = 1, Marker = "loneliness", Region = "AR-B", Kind = kind, Severity = severity,
        Method = "ears-c2", TermsJson = "[]",
    };

    [Fact]
    public void Subscriptions_match_by_marker_region_kind_and_severity()
    {
        var s = new Subscription { Name = "s", Target = "x", Markers = "loneliness,hostility", Regions = "AR-B", Kinds = "observed", MinSeverity = AlertSeverity.Red };
        Assert.True(DeliveryPlanner.Matches(s, Alert()));
        Assert.False(DeliveryPlanner.Matches(s, Alert(AlertSeverity.Yellow)));
        Assert.False(DeliveryPlanner.Matches(s, Alert(kind: AlertKind.Forecast)));
        var other = Alert();
        other.Region = "AR-C";
        Assert.False(DeliveryPlanner.Matches(s, other));
        Assert.True(DeliveryPlanner.Matches(new Subscription { Name = "any", Target = "x" }, other));
    }

    [Fact]
    public void Quiet_period_and_change_only_hold_back_updates_but_never_openings_or_resolutions()
    {
        var now = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var quiet = new Subscription { Name = "q", Target = "x", QuietPeriodMinutes = 60 };
        var update = new AlertChange(Alert(), AlertEvents.Updated, SeverityChanged: false);
        Assert.False(DeliveryPlanner.Wants(quiet, update, now.AddMinutes(-10), now));
        Assert.True(DeliveryPlanner.Wants(quiet, update, now.AddMinutes(-61), now));
        Assert.True(DeliveryPlanner.Wants(quiet, update with { Event = AlertEvents.Resolved }, now.AddMinutes(-1), now));
        var changeOnly = new Subscription { Name = "c", Target = "x", NotifyOnChangeOnly = true };
        Assert.False(DeliveryPlanner.Wants(changeOnly, update, null, now));
        Assert.True(DeliveryPlanner.Wants(changeOnly, update with { SeverityChanged = true }, null, now));
    }

    [Theory]
    [InlineData("lonely", true)]
    [InlineData("so alone tonight", true)]
    [InlineData("@someone", false)]
    [InlineData("ping <user>", false)]
    [InlineData("mail me at a.b@example.org", false)]
    [InlineData("https://example.org/x", false)]
    [InlineData("see example.com", false)]
    [InlineData("www.bad", false)]
    [InlineData("call +54 11 4123-4567", false)]
    [InlineData("555 123 4567", false)]
    [InlineData("covid 19", true)]
    public void Evidence_never_shows_handles_emails_urls_or_phone_numbers(string term, bool shown) =>
        Assert.Equal(shown, EvidenceFilter.IsSafe(term));
}

/// <summary>The C# verification example of docs/api.md, verbatim, against what the sender produces.</summary>
public sealed class DocumentedVerificationTests
{
    static bool Verify(string secret, string header, byte[] body)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var t = long.Parse(parts["t"]);
        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - t) > 300) return false;
        var signed = Encoding.UTF8.GetBytes($"{t}.").Concat(body).ToArray();
        var mac = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(mac)), Encoding.ASCII.GetBytes(parts["v1"]));
    }

    [Fact]
    public void The_documented_example_verifies_real_signatures()
    {
        var body = Encoding.UTF8.GetBytes("""{"deliveryId":"x","event":"opened"}""");
        var header = WebhookSignature.Sign("whsec_abc", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body);
        Assert.True(Verify("whsec_abc", header, body));
        Assert.False(Verify("whsec_abd", header, body));
        Assert.False(Verify("whsec_abc", WebhookSignature.Sign("whsec_abc", DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds(), body), body));
    }
}
