using System.Net.Mail;
using System.Security.Cryptography;
using Monitoring.Contracts;
using Monitoring.Dashboard;
using Monitoring.Dashboard.Delivery;
using Monitoring.Hosting;
using Monitoring.Hosting.Security;
using Monitoring.Testing;
using static Monitoring.Integration.Tests.Dashboard.DashboardKit;

namespace Monitoring.Integration.Tests.Dashboard;

/// <summary>E-mail over implicit TLS (the submissions port 465 of RFC 8314), to a relay with a self-signed, pinned certificate.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class SmtpImplicitTlsTests(InfrastructureFixture infra)
{
    [Fact]
    public async Task Alerts_are_mailed_over_implicit_tls_with_credentials_only_to_the_pinned_certificate()
    {
        using var certificate = SmtpTestServer.SelfSignedCertificate();
        var pin = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        await using var smtp = new SmtpTestServer(certificate);
        var settings = await DeliverySettingsAsync(infra, "dash-smtps", smtp);
        settings["Dashboard:Smtp:ImplicitTls"] = "true";
        settings["Dashboard:Smtp:CertificateSha256"] = string.Join(':', pin.Chunk(2).Select(c => new string(c))).ToLowerInvariant();
        settings["Dashboard:Smtp:Username"] = "relay-user";
        settings["Dashboard:Smtp:Password"] = "relay-password";
        await using var app = await TestApp.StartAsync(MonitoringRoles.Dashboard, settings);
        var analyst = app.Client(await app.KeyAsync(ApiKeyRoles.Analyst));
        var (mailId, _) = await SubscribeAsync(analyst, new { channel = "email", target = "oncall@health.test" });
        await app.PublishAsync(PlantedWeek());
        await WaitForWeekAsync(app, await app.KeyAsync(ApiKeyRoles.Viewer));
        var alertId = Guid.NewGuid();
        await app.PublishAsync(new AlertRaised(Guid.NewGuid(), [Incident(alertId, 1, "AR-B", AlertKind.Observed, AlertSeverity.Red)]));

        var mail = await EventuallyAsync(() => Task.FromResult(smtp.Messages.TryPeek(out var m) ? m : null), "the e-mail over TLS");
        Assert.Equal("alerts@monitoring.test", mail.From);
        Assert.Equal(["oncall@health.test"], mail.To);
        Assert.Contains(alertId.ToString(), mail.Data);
        Assert.Contains("Subject: ", mail.Data);
        Assert.DoesNotContain("X-Sender:", mail.Data); // pickup-directory envelope headers are not sent
        Assert.Equal(["relay-user"], smtp.Logins);
        await EventuallyAsync(async () =>
        {
            using var doc = await (await analyst.GetAsync($"/api/v1/subscriptions/{mailId}/deliveries?status=delivered")).JsonAsync();
            return doc.RootElement.GetArrayLength() == 1 ? "" : null;
        }, "the delivery to be recorded");

        // A server with another self-signed certificate is refused before anything is sent; the attempt is retried later.
        using var impostorCertificate = SmtpTestServer.SelfSignedCertificate();
        await using var impostor = new SmtpTestServer(impostorCertificate);
        var options = new SmtpOptions { Host = "127.0.0.1", Port = impostor.Port, From = "alerts@monitoring.test", ImplicitTls = true, CertificateSha256 = pin };
        using var message = new MailMessage("alerts@monitoring.test", "oncall@health.test", "test", "body");
        var refused = await ImplicitTlsSmtp.SendAsync(options, message, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.False(refused.Success);
        Assert.False(refused.Permanent);
        Assert.StartsWith("TLS", refused.Error);
        Assert.Empty(impostor.Messages);
    }
}
