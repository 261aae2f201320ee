using System.Net.Mail;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Monitoring.Dashboard.Storage;
using Monitoring.Dashboard.Subscriptions;

namespace Monitoring.Dashboard.Delivery;

/// <summary>The outcome of one attempt: success, a retryable failure, or a permanent one (dead-letter now).</summary>
public sealed record SendResult(bool Success, bool Permanent, string? Error)
{
    public static readonly SendResult Ok = new(true, false, null);

    public static SendResult Retry(string error) => new(false, false, error);

    public static SendResult Fail(string error) => new(false, true, error);
}

public interface IAlertSender
{
    SubscriptionChannel Channel { get; }

    Task<SendResult> SendAsync(Subscription subscription, AlertDelivery delivery, CancellationToken ct);
}

/// <summary>POSTs the JSON body, signed (<see cref="WebhookSignature"/>), through an SSRF-guarded handler. 2xx is success; 4xx other than 408/429 is permanent.</summary>
public sealed class WebhookSender : IAlertSender, IDisposable
{
    private readonly HttpClient _http;
    private readonly SsrfGuard _guard;
    private readonly TimeProvider _time;

    public WebhookSender(SsrfGuard guard, IOptions<DashboardOptions> options, TimeProvider time)
    {
        _guard = guard;
        _time = time;
        _http = new HttpClient(guard.CreateHandler()) { Timeout = options.Value.Delivery.AttemptTimeout };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("monitoring-webhooks/1");
    }

    public SubscriptionChannel Channel => SubscriptionChannel.Webhook;

    public async Task<SendResult> SendAsync(Subscription subscription, AlertDelivery delivery, CancellationToken ct)
    {
        if (await _guard.CheckAsync(subscription.Target, ct) is { } refused) return SendResult.Fail(refused);
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(subscription.Secret ?? "", _time.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id.ToString());
        request.Headers.Add(WebhookSignature.EventHeader, delivery.Event);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var code = (int)response.StatusCode;
            if (code is >= 200 and < 300) return SendResult.Ok;
            var error = $"HTTP {code}";
            return code is >= 400 and < 500 and not 408 and not 429 ? SendResult.Fail(error) : SendResult.Retry(error);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return SendResult.Retry(e.GetType().Name + ": " + e.Message);
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>
/// E-mail over SMTP (System.Net.Mail; STARTTLS when <see cref="SmtpOptions.UseTls"/>; implicit TLS, which System.Net.Mail
/// cannot speak, through <see cref="ImplicitTlsSmtp"/>).
/// </summary>
public sealed class EmailSender(IOptions<DashboardOptions> options) : IAlertSender
{
    public SubscriptionChannel Channel => SubscriptionChannel.Email;

    private static string F(double? v) => v?.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) ?? "n/a";

    public async Task<SendResult> SendAsync(Subscription subscription, AlertDelivery delivery, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        if (!smtp.Enabled) return SendResult.Retry("SMTP is not configured (Dashboard:Smtp:Host).");
        var notification = JsonSerializer.Deserialize<AlertNotification>(delivery.Payload, Json.Options)!;
        var a = notification.Alert;
        using var message = new MailMessage(smtp.From!, subscription.Target)
        {
            Subject = $"[{a.Severity.ToString().ToUpperInvariant()}] {a.Marker} in {a.Region}: alert {notification.Event}",
            Body = $"""
                Alert {a.Id} was {notification.Event} (revision {a.Revision}).

                Marker:    {a.Marker}
                Region:    {a.Region}
                Kind:      {a.Kind}
                Severity:  {a.Severity}
                Status:    {a.Status}
                Bucket:    {a.BucketStart:u} ({a.Granularity})
                Observed:  {(a.Observed is { } o ? o.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) : "suppressed")} (expected {F(a.Expected)}, threshold {F(a.Threshold)}, {a.Method}, p = {F(a.PValue)})

                Population-level aggregate; no individual post or author is part of this message.
                Subscription: {subscription.Name} ({subscription.Id})
                """,
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = System.Net.Mime.TransferEncoding.QuotedPrintable, // readable in any mail tool
            SubjectEncoding = Encoding.UTF8,
        };
        message.Headers.Add("X-Monitoring-Delivery", delivery.Id.ToString());
        message.Headers.Add("Message-ID", $"<{delivery.Id:N}@monitoring>");
        if (smtp.UsesImplicitTls) return await ImplicitTlsSmtp.SendAsync(smtp, message, options.Value.Delivery.AttemptTimeout, ct);
        using var client = new SmtpClient(smtp.Host, smtp.Port)
        {
            EnableSsl = smtp.UseTls,
            Timeout = (int)options.Value.Delivery.AttemptTimeout.TotalMilliseconds,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (!string.IsNullOrEmpty(smtp.Username)) client.Credentials = new System.Net.NetworkCredential(smtp.Username, smtp.Password);
        try
        {
            await client.SendMailAsync(message, ct);
            return SendResult.Ok;
        }
        catch (SmtpFailedRecipientException e) when (e.StatusCode is SmtpStatusCode.MailboxUnavailable or SmtpStatusCode.MailboxNameNotAllowed)
        {
            return SendResult.Fail($"SMTP {(int)e.StatusCode}: {e.Message}");
        }
        catch (Exception e) when (e is SmtpException or IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            return SendResult.Retry(e.GetType().Name + ": " + e.Message);
        }
    }
}
