using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monitoring.Contracts;
using Monitoring.Hosting;
using Monitoring.Hosting.Security;
using Monitoring.Testing;

namespace Monitoring.Integration.Tests.Dashboard;

/// <summary>Starting the Dashboard role against the fixtures, planting events on the real bus, and waiting for the API.</summary>
public static class DashboardKit
{
    public static readonly DateTimeOffset Monday = new(2024, 4, 29, 0, 0, 0, TimeSpan.Zero);

    public static async Task<Dictionary<string, string>> SettingsAsync(InfrastructureFixture infra, string prefix, string? database = null) => new()
    {
        ["Bus:RabbitMq"] = infra.RabbitMq.AmqpUri,
        ["Bus:QueuePrefix"] = prefix,
        ["Bus:RetryLimit"] = "3",
        ["Database:Postgres"] = database ?? await infra.Postgres.CreateDatabaseAsync(),
        ["Auth:CreateAdminKeyWhenEmpty"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Dashboard:Delivery:PollInterval"] = "00:00:00.200",
        ["Dashboard:Delivery:BaseRetryDelay"] = "00:00:00.500",
    };

    /// <summary>
    /// <see cref="SettingsAsync"/> plus e-mail through <paramref name="smtp"/>; webhooks to loopback are allowed in
    /// configuration unless <paramref name="allowLoopback"/> is false (then an admin has to allow it through the API).
    /// </summary>
    public static async Task<Dictionary<string, string>> DeliverySettingsAsync(InfrastructureFixture infra, string prefix, SmtpTestServer smtp,
        string? database = null, bool allowLoopback = true)
    {
        var settings = await SettingsAsync(infra, prefix, database);
        if (allowLoopback) settings["Dashboard:Delivery:AllowedNetworks:0"] = "127.0.0.0/8";
        settings["Dashboard:Smtp:Host"] = "127.0.0.1";
        settings["Dashboard:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Dashboard:Smtp:From"] = "alerts@monitoring.test";
        return settings;
    }

    /// <summary>Creates a subscription; returns its id and, for webhooks, the signing secret (shown only here).</summary>
    public static async Task<(Guid Id, string? Secret)> SubscribeAsync(HttpClient analyst, object body)
    {
        var response = await analyst.PostAsJsonAsync("/api/v1/subscriptions", body);
        using var doc = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var secret = doc.RootElement.GetProperty("signingSecret");
        return (doc.RootElement.GetProperty("subscription").GetProperty("id").GetGuid(), secret.ValueKind == JsonValueKind.String ? secret.GetString() : null);
    }

    public static async Task<string> KeyAsync(this TestApp app, string role) =>
        (await app.App.Services.GetRequiredService<ApiKeyStore>().CreateAsync(role, $"test {role}")).Secret;

    public static async Task PublishAsync<T>(this TestApp app, T message) where T : class =>
        await app.App.Services.GetRequiredService<IBus>().Publish(message);

    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null) where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(150);
        }
    }

    public static SeriesBucket Bucket(DateTimeOffset start, long posts, long authors, double prevalence) =>
        new(start, posts, authors, posts * prevalence, (long)(posts * prevalence), prevalence, prevalence * 0.8, prevalence * 1.2);

    /// <summary>
    /// One week of daily loneliness series (and the week cells): AR-B large, AR-C middling, AR-X small, tiny on
    /// Wednesday (7 posts, prevalence 0.4286: a value that must never appear), and the 'all' total.
    /// </summary>
    public static SeriesUpdated PlantedWeek()
    {
        var updates = new List<SeriesUpdate>();
        var regions = new Dictionary<string, Func<int, (long Posts, long Authors, double Prevalence)>>
        {
            ["AR-B"] = d => (2000, 300, 0.10 + d * 0.01),
            ["AR-C"] = d => (400, 120, 0.2),
            ["AR-X"] = d => d == 2 ? (7, 6, 0.4286) : (60, 55, 0.15),
        };
        var totals = new (long Posts, long Authors, double Expected)[7];
        foreach (var (region, f) in regions)
        {
            var buckets = new List<SeriesBucket>();
            long weekPosts = 0;
            double weekExpected = 0;
            for (var d = 0; d < 7; d++)
            {
                var (p, a, v) = f(d);
                buckets.Add(Bucket(Monday.AddDays(d), p, a, v));
                totals[d] = (totals[d].Posts + p, totals[d].Authors + a, totals[d].Expected + p * v);
                weekPosts += p;
                weekExpected += p * v;
            }
            updates.Add(new SeriesUpdate(new SeriesKey("loneliness", region, Granularity.Day), Monday.AddDays(7), buckets));
            updates.Add(new SeriesUpdate(new SeriesKey("loneliness", region, Granularity.Week), Monday.AddDays(7),
                [Bucket(Monday, weekPosts, region == "AR-X" ? 120 : 900, weekExpected / weekPosts)]));
        }
        updates.Add(new SeriesUpdate(new SeriesKey("loneliness", SeriesKey.AllRegions, Granularity.Day), Monday.AddDays(7),
            totals.Select((t, d) => Bucket(Monday.AddDays(d), t.Posts, t.Authors, Math.Round(t.Expected / t.Posts, 6))).ToList()));
        updates.Add(new SeriesUpdate(new SeriesKey("loneliness", SeriesKey.AllRegions, Granularity.Week), Monday.AddDays(7),
            [Bucket(Monday, totals.Sum(t => t.Posts), 1500, Math.Round(totals.Sum(t => t.Expected) / totals.Sum(t => t.Posts), 6))]));
        updates.Add(new SeriesUpdate(new SeriesKey("loneliness", "AR-B", Granularity.Day, "elections"), Monday.AddDays(7),
            [Bucket(Monday, 500, 200, 0.3)]));
        return new SeriesUpdated(Guid.NewGuid(), updates);
    }

    /// <summary>Waits until the Dashboard shows the seven days of <see cref="PlantedWeek"/>.</summary>
    public static async Task WaitForWeekAsync(TestApp app, string key) =>
        await EventuallyAsync(async () =>
        {
            using var doc = await (await app.Client(key).GetAsync("/api/v1/series?marker=loneliness&region=AR-B&from=2024-04-29&to=2024-05-06")).JsonAsync();
            return doc.RootElement.GetProperty("series")[0].GetProperty("points").GetArrayLength() == 7 ? "" : null;
        }, "the planted week");

    /// <summary>A late revision of AR-B's Thursday, known ten days after the week started.</summary>
    public static SeriesUpdated Revision() => new(Guid.NewGuid(),
        [new SeriesUpdate(new SeriesKey("loneliness", "AR-B", Granularity.Day), Monday.AddDays(10), [Bucket(Monday.AddDays(3), 2100, 310, 0.5)])]);

    public static AlertIncident Incident(Guid id, int revision, string region, AlertKind kind, AlertSeverity severity, string marker = "loneliness",
        IReadOnlyList<TermShift>? terms = null) =>
        new(id, revision, new SeriesKey(marker, region, Granularity.Day), kind, severity, Monday.AddDays(3).AddHours(1), Monday.AddDays(3).AddHours(revision),
            Monday.AddDays(3), 0.16, 0.11, 0.14, "ears-c2", severity == AlertSeverity.Red ? 0.004 : 0.03, terms ?? []);

    public static async Task<JsonDocument> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }

    public static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.True(problem.RootElement.TryGetProperty("traceId", out _), "Problem Details carry a trace id");
    }
}

/// <summary>A webhook receiver on loopback that records what it gets and answers with the status the test sets.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    public sealed record Received(string Body, string? Signature, string? DeliveryId, string? Event);

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    public int StatusCode { get; set; } = 200;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? self = null;
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            self!.Requests.Enqueue(new Received(body, request.Headers["Monitoring-Signature"], request.Headers["Monitoring-Delivery"], request.Headers["Monitoring-Event"]));
            return Results.StatusCode(self.StatusCode);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new WebhookReceiver(app, address + "/hook");
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// A small SMTP server (RFC 5321 subset: EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) that keeps what it
/// receives; with a certificate it speaks implicit TLS (TLS from the first byte, as on port 465).
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _implicitTls;
    private readonly Task _loop;

    public sealed record Message(string From, IReadOnlyList<string> To, string Data);

    public SmtpTestServer(X509Certificate2? implicitTls = null)
    {
        _implicitTls = implicitTls;
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<Message> Messages { get; } = new();

    /// <summary>User names that authenticated (AUTH PLAIN).</summary>
    public ConcurrentQueue<string> Logins { get; } = new();

    /// <summary>A self-signed certificate for localhost and 127.0.0.1.</summary>
    public static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => SessionAsync(client));
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        Stream stream = client.GetStream();
        if (_implicitTls is not null)
        {
            var tls = new SslStream(stream);
            try
            {
                await tls.AuthenticateAsServerAsync(_implicitTls);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
                await tls.DisposeAsync(); // the client refused the certificate
                return;
            }
            stream = tls;
        }
        var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 test-smtp ready");
        string? from = null;
        var to = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-test-smtp");
                    await writer.WriteLineAsync("250-AUTH PLAIN");
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "AUTH":
                    var plain = Encoding.UTF8.GetString(Convert.FromBase64String(line.Split(' ')[^1])).Split('\0');
                    Logins.Enqueue(plain[1]);
                    await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                    break;
                case "HELO":
                    await writer.WriteLineAsync("250 test-smtp");
                    break;
                case "MAIL":
                    from = line[(line.IndexOf(':') + 1)..].Trim().Trim('<', '>');
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    to.Add(line[(line.IndexOf(':') + 1)..].Trim().Trim('<', '>'));
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } l && l != ".")
                    {
                        data.Append(l.StartsWith("..", StringComparison.Ordinal) ? l[1..] : l).Append("\r\n");
                    }
                    Messages.Enqueue(new Message(from ?? "", to.ToList(), data.ToString()));
                    from = null;
                    to.Clear();
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "RSET":
                    from = null;
                    to.Clear();
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "NOOP":
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 Command not implemented");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
