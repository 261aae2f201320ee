using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Monitoring.Hosting.Options;

namespace Monitoring.Dashboard.Tests;

public sealed class OptionsTests
{
    private static DashboardOptions Bind(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build()
            .BindValidated<DashboardOptions>(DashboardOptions.Section);

    [Fact]
    public void Defaults_are_valid_and_closed()
    {
        var o = Bind();
        Assert.False(o.AnonymousRead);
        Assert.Empty(o.Delivery.AllowedNetworks);
        Assert.Equal(TimeSpan.FromHours(24), o.Delivery.GiveUpAfter);
        Assert.False(o.Smtp.Enabled);
    }

    [Theory]
    [InlineData("Dashboard:Delivery:AllowedNetworks:0", "10.0.0.0/33", "Dashboard:Delivery:AllowedNetworks")]
    [InlineData("Dashboard:Smtp:Host", "smtp.example.org", "Dashboard:Smtp:From")]
    [InlineData("Dashboard:AnonymousPermitLimit", "0", "Dashboard:AnonymousPermitLimit")]
    [InlineData("Dashboard:Smtp:CertificateSha256", "not-a-fingerprint", "Dashboard:Smtp:CertificateSha256")]
    [InlineData("Dashboard:CapSender", "has space", "Dashboard:CapSender")]
    [InlineData("Dashboard:Delivery:BaseRetryDelay", "2.00:00:00", "Dashboard:Delivery:BaseRetryDelay")]
    public void Bad_settings_stop_start_up_naming_the_key(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => key == "Dashboard:Smtp:CertificateSha256"
            ? Bind((key, value), ("Dashboard:Smtp:Host", "smtp.example.org"), ("Dashboard:Smtp:From", "a@b.test"), ("Dashboard:Smtp:UseTls", "true"))
            : Bind((key, value)));
        Assert.Contains($"'{named}'", error.Message);
    }

    [Fact]
    public void Port_465_with_tls_means_implicit_tls_and_a_pin_may_have_colons()
    {
        var o = Bind(("Dashboard:Smtp:Host", "smtp.example.org"), ("Dashboard:Smtp:From", "a@b.test"), ("Dashboard:Smtp:Port", "465"), ("Dashboard:Smtp:UseTls", "true"),
            ("Dashboard:Smtp:CertificateSha256", string.Join(':', Enumerable.Repeat("ab", 32))));
        Assert.True(o.Smtp.UsesImplicitTls);
        Assert.Equal(new string('A', 32).Replace("A", "AB", StringComparison.Ordinal), SmtpOptions.Fingerprint(o.Smtp.CertificateSha256!));
        Assert.False(Bind(("Dashboard:Smtp:Port", "587"), ("Dashboard:Smtp:UseTls", "true")).Smtp.UsesImplicitTls);
    }
}
