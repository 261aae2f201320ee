using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Monitoring.Testing.Protocols;

/// <summary>
/// A local server that speaks the parts of the Mastodon API a client of public timelines uses
/// (docs.joinmastodon.org/methods/timelines and /methods/streaming): <c>GET /api/v1/timelines/public</c> with
/// <c>limit</c> and <c>min_id</c>, newest first, and <c>GET /api/v1/streaming/public</c> as server-sent events.
/// It can drop streams after a number of events and answer 429 to test backoff.
/// </summary>
public sealed class FakeMastodonServer : IAsyncDisposable
{
    private readonly List<JsonObject> _statuses = [];
    private readonly List<Channel<JsonObject>> _streams = [];
    private readonly WebApplication _app;
    private long _nextId = 109_000_000_000_000_000;

    public FakeMastodonServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/api/v1/timelines/public", Timeline);
        _app.MapGet("/api/v1/streaming/public", StreamAsync);
    }

    public string Instance { get; private set; } = "";

    /// <summary>Close each stream after this many events (the server "drops" the client). 0: never.</summary>
    public int DropStreamAfter { get; set; }

    /// <summary>Answer this many of the next timeline requests with 429 and Retry-After: 1.</summary>
    public int RateLimitNext { get; set; }

    public int StreamConnections { get; private set; }

    public int TimelineRequests { get; private set; }

    public int ConnectedStreams { get { lock (_streams) return _streams.Count; } }

    public async Task StartAsync()
    {
        await _app.StartAsync();
        Instance = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>Publishes a status: stored for the REST timeline and sent to every open stream.</summary>
    public string Publish(string text, string acct = "alice", DateTimeOffset? at = null)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var host = new Uri(Instance).Authority;
        var status = new JsonObject
        {
            ["id"] = id,
            ["uri"] = $"https://{host}/users/{acct}/statuses/{id}",
            ["url"] = $"https://{host}/@{acct}/{id}",
            ["created_at"] = (at ?? DateTimeOffset.UtcNow.AddSeconds(-5)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["in_reply_to_id"] = null,
            ["in_reply_to_account_id"] = null,
            ["sensitive"] = false,
            ["spoiler_text"] = "",
            ["visibility"] = "public",
            ["language"] = "en",
            ["replies_count"] = 0,
            ["reblogs_count"] = 0,
            ["favourites_count"] = 0,
            ["content"] = $"<p>{System.Net.WebUtility.HtmlEncode(text)}</p>",
            ["reblog"] = null,
            ["account"] = new JsonObject
            {
                ["id"] = "1" + Math.Abs(acct.GetHashCode()).ToString(CultureInfo.InvariantCulture),
                ["username"] = acct,
                ["acct"] = acct,
                ["display_name"] = acct,
                ["url"] = $"https://{host}/@{acct}",
            },
            ["media_attachments"] = new JsonArray(),
            ["mentions"] = new JsonArray(),
            ["tags"] = new JsonArray(),
            ["emojis"] = new JsonArray(),
        };
        lock (_statuses) _statuses.Add(status);
        lock (_streams)
        {
            foreach (var stream in _streams) stream.Writer.TryWrite(status);
        }
        return id;
    }

    private IResult Timeline(HttpContext context, int? limit, string? min_id)
    {
        TimelineRequests++;
        if (RateLimitNext > 0)
        {
            RateLimitNext--;
            context.Response.Headers.RetryAfter = "1";
            return Results.StatusCode(StatusCodes.Status429TooManyRequests);
        }
        var n = Math.Clamp(limit ?? 20, 1, 40);
        List<JsonObject> page;
        lock (_statuses)
        {
            page = min_id is null
                ? _statuses.TakeLast(n).ToList()
                : _statuses.Where(s => IdGreater((string)s["id"]!, min_id)).Take(n).ToList();
        }
        page.Reverse(); // Mastodon returns newest first
        return Results.Text(JsonSerializer.Serialize(page), "application/json");
    }

    private async Task StreamAsync(HttpContext context)
    {
        StreamConnections++;
        var channel = Channel.CreateUnbounded<JsonObject>();
        lock (_streams) _streams.Add(channel);
        try
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(":)\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            var sent = 0;
            await foreach (var status in channel.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.WriteAsync($"event: update\ndata: {status.ToJsonString()}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (DropStreamAfter > 0 && ++sent >= DropStreamAfter) break;
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_streams) _streams.Remove(channel);
        }
    }

    private static bool IdGreater(string a, string b) => a.Length != b.Length ? a.Length > b.Length : string.CompareOrdinal(a, b) > 0;

    public async ValueTask DisposeAsync()
    {
        lock (_streams)
        {
            foreach (var stream in _streams) stream.Writer.TryComplete();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
