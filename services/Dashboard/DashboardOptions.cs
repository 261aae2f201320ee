using System.ComponentModel.DataAnnotations;
using System.Net;
using Monitoring.Hosting.Options;

namespace Monitoring.Dashboard;

/// <summary>The privacy rules of DESIGN.md. Constants on purpose: a deployment cannot loosen them.</summary>
public static class PrivacyRules
{
    /// <summary>Cells with fewer posts are suppressed.</summary>
    public const long MinCellPosts = 11;

    /// <summary>Cells with fewer distinct authors are suppressed.</summary>
    public const long MinCellAuthors = 50;

    /// <summary>No alert is shown or delivered for a region-week with fewer distinct authors.</summary>
    public const long MinAlertAuthors = 200;

    /// <summary>An n-gram appears in evidence only if at least this many distinct authors used it (the Forecaster's guarantee).</summary>
    public const int MinTermAuthors = 10;
}

/// <summary>Section <c>Dashboard</c>.</summary>
public sealed class DashboardOptions : IValidatableSettings
{
    public const string Section = "Dashboard";

    /// <summary>Lets requests without a key read public aggregates (markers, regions, topics, series, forecasts, alerts, the CAP feed), rate-limited per client.</summary>
    public bool AnonymousRead { get; set; }

    /// <summary>Anonymous requests per client and window.</summary>
    [Range(1, 1_000_000)]
    public int AnonymousPermitLimit { get; set; } = 60;

    [Range(1, 86_400)]
    public int AnonymousWindowSeconds { get; set; } = 60;

    /// <summary>
    /// After start-up, request the overview page and its API calls once over loopback so the first visitor gets a warm
    /// server (see <c>WebUi/DashboardWarmup</c>). Those requests count as a loopback client's anonymous reads.
    /// </summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>Alerts per page at most.</summary>
    [Range(1, 1000)]
    public int MaxPageSize { get; set; } = 200;

    /// <summary>The <c>sender</c> of CAP messages (CAP 1.2 §3.2.1: no spaces, commas or restricted characters).</summary>
    [RegularExpression("^[^\\s,&<]+$", ErrorMessage = "must not contain spaces, commas, '&' or '<'.")]
    public string CapSender { get; set; } = "monitoring@example.org";

    public DeliveryOptions Delivery { get; set; } = new();

    public SmtpOptions Smtp { get; set; } = new();

    public IEnumerable<(string Member, string Message)> Validate()
    {
        foreach (var network in Delivery.AllowedNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                yield return ("Delivery:AllowedNetworks", $"'{network}' is not a network in CIDR notation (e.g. 10.1.0.0/16).");
            }
        }
        if (Delivery.BaseRetryDelay >= Delivery.GiveUpAfter)
        {
            yield return ("Delivery:BaseRetryDelay", "must be shorter than Delivery:GiveUpAfter.");
        }
        if (Smtp.Enabled && string.IsNullOrWhiteSpace(Smtp.From))
        {
            yield return ("Smtp:From", "is required when Smtp:Host is set.");
        }
        if (Smtp.CertificateSha256 is { } pin && SmtpOptions.Fingerprint(pin) is var hex && (hex.Length != 64 || !hex.All(Uri.IsHexDigit)))
        {
            yield return ("Smtp:CertificateSha256", "must be a SHA-256 fingerprint: 64 hexadecimal digits (colons allowed).");
        }
    }
}

public sealed class DeliveryOptions
{
    /// <summary>Whether this instance sends deliveries. Switch off on replicas that only serve the API.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Networks (CIDR) that webhooks may target although they are private, loopback or link-local. Empty by default.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>How often the delivery worker looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The first retry delay; each retry doubles it (with full jitter), capped at <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After this long without success a delivery is dead-lettered (visible to its subscriber).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Timeout of one webhook or SMTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 20;
}

/// <summary>E-mail delivery; off while <see cref="Host"/> is empty.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>STARTTLS (on 587/25) or, with port 465, implicit TLS.</summary>
    public bool UseTls { get; set; }

    /// <summary>
    /// TLS from the first byte (RFC 8314 "implicit TLS", the submissions port 465) instead of STARTTLS. Unset: on with
    /// <see cref="UseTls"/> on port 465.
    /// </summary>
    public bool? ImplicitTls { get; set; }

    /// <summary>
    /// With implicit TLS: the SHA-256 fingerprint (hex) of a server certificate to accept although it does not chain to
    /// a trusted root (a private relay's self-signed certificate). Other certificates are validated as usual.
    /// </summary>
    public string? CertificateSha256 { get; set; }

    public bool UsesImplicitTls => ImplicitTls ?? (UseTls && Port == 465);

    /// <summary>A fingerprint as written (any case, colons allowed) in the form compared: upper-case hex without colons.</summary>
    public static string Fingerprint(string value) => value.Replace(":", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? From { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
