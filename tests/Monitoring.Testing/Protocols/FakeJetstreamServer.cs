using System.Globalization;
using System.Net.WebSockets;
using System.Text;
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
/// A local server that speaks Jetstream's subscriber protocol (github.com/bluesky-social/jetstream, README):
/// a WebSocket at <c>/subscribe</c> with <c>wantedCollections</c> and <c>cursor</c> (unix microseconds) parameters,
/// replaying every event at or after the cursor, then live events, as JSON text frames. It can drop connections.
/// </summary>
public sealed class FakeJetstreamServer : IAsyncDisposable
{
    private readonly List<(long TimeUs, string Json)> _events = [];
    private readonly List<Channel<string>> _live = [];
    private readonly WebApplication _app;
    private long _clock = 1_725_911_162_000_000;

    public FakeJetstreamServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Map("/subscribe", SubscribeAsync);
    }

    public string Endpoint { get; private set; } = "";

    /// <summary>Close each connection after this many messages. 0: never.</summary>
    public int DropAfter { get; set; }

    public int Connections { get; private set; }

    public List<long?> CursorsAsked { get; } = [];

    public async Task StartAsync()
    {
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Endpoint = address.Replace("http://", "ws://", StringComparison.Ordinal) + "/subscribe";
    }

    /// <summary>Emits a post-creation commit event; returns the post's rkey.</summary>
    public string PublishPost(string text, string did = "did:plc:abc123", string lang = "en")
    {
        var timeUs = Interlocked.Add(ref _clock, 1_000);
        var rkey = "3l" + timeUs.ToString("x", CultureInfo.InvariantCulture);
        var evt = new JsonObject
        {
            ["did"] = did,
            ["time_us"] = timeUs,
            ["kind"] = "commit",
            ["commit"] = new JsonObject
            {
                ["rev"] = "3l3qo2vutsw2b",
                ["operation"] = "create",
                ["collection"] = "app.bsky.feed.post",
                ["rkey"] = rkey,
                ["record"] = new JsonObject
                {
                    ["$type"] = "app.bsky.feed.post",
                    ["createdAt"] = DateTimeOffset.UtcNow.AddSeconds(-2).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                    ["langs"] = new JsonArray("en".Equals(lang, StringComparison.Ordinal) ? "en" : lang),
                    ["text"] = text,
                },
                ["cid"] = "bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcqi",
            },
        };
        Emit(timeUs, evt.ToJsonString());
        return rkey;
    }

    /// <summary>Emits an identity event, which carries a time but no post.</summary>
    public void PublishIdentity(string did = "did:plc:abc123")
    {
        var timeUs = Interlocked.Add(ref _clock, 1_000);
        Emit(timeUs, new JsonObject
        {
            ["did"] = did, ["time_us"] = timeUs, ["kind"] = "identity",
            ["identity"] = new JsonObject { ["did"] = did, ["handle"] = "someone.bsky.social", ["seq"] = 1, ["time"] = "2024-09-09T19:46:02.102Z" },
        }.ToJsonString());
    }

    private void Emit(long timeUs, string json)
    {
        lock (_events) _events.Add((timeUs, json));
        lock (_live)
        {
            foreach (var channel in _live) channel.Writer.TryWrite(json);
        }
    }

    private async Task SubscribeAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        Connections++;
        long? cursor = long.TryParse(context.Request.Query["cursor"], out var c) ? c : null;
        lock (CursorsAsked) CursorsAsked.Add(cursor);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var channel = Channel.CreateUnbounded<string>();
        lock (_events)
        {
            if (cursor is { } from)
            {
                foreach (var e in _events.Where(e => e.TimeUs >= from)) channel.Writer.TryWrite(e.Json);
            }
            lock (_live) _live.Add(channel);
        }
        try
        {
            var sent = 0;
            await foreach (var json in channel.Reader.ReadAllAsync(context.RequestAborted))
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, context.RequestAborted);
                if (DropAfter > 0 && ++sent >= DropAfter)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "going away", CancellationToken.None);
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            lock (_live) _live.Remove(channel);
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_live)
        {
            foreach (var channel in _live) channel.Writer.TryComplete();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
