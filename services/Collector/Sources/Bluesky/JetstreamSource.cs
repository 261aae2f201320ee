using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monitoring.Collector.Intake;
using Monitoring.Collector.Storage;

namespace Monitoring.Collector.Sources.Bluesky;

/// <summary>
/// Follows Bluesky's public firehose through Jetstream (github.com/bluesky-social/jetstream): JSON events over a
/// WebSocket, filtered to <c>app.bsky.feed.post</c>. Every event carries <c>time_us</c>; the cursor is the last one
/// committed with its posts, and a reconnection asks for playback from a little before it.
/// </summary>
public sealed class JetstreamSource(
    BlueskySourceOptions options, PostIntake intake, IntakeStore store, ILogger<JetstreamSource> logger) : BackgroundService
{
    public const string SourceName = "bluesky";
    public const string PostCollection = "app.bsky.feed.post";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batcher = new LiveBatcher(intake, SourceName, options.CursorKey, logger);
        var flushing = batcher.RunAsync(stoppingToken);
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        var committed = (await store.CursorAsync(options.CursorKey, stoppingToken))?.Position;
        long? cursor = committed is null ? null : long.Parse(committed, CultureInfo.InvariantCulture);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var socket = new ClientWebSocket();
                var from = cursor is { } c ? Math.Max(0, c - options.RewindMicroseconds) : (long?)null;
                var url = $"{options.Endpoint}?wantedCollections={PostCollection}" + (from is { } f ? $"&cursor={f}" : "");
                await socket.ConnectAsync(new Uri(url), stoppingToken);
                await foreach (var message in ReadMessagesAsync(socket, stoppingToken))
                {
                    var parsed = Parse(message);
                    if (parsed is not { } evt) continue;
                    if (cursor is { } last && evt.TimeUs <= last && evt.Post is null) continue;
                    cursor = Math.Max(cursor ?? 0, evt.TimeUs);
                    await batcher.WriteAsync(evt.Post, cursor.Value.ToString(CultureInfo.InvariantCulture), stoppingToken);
                    backoff.Reset();
                }
                logger.LogInformation("Jetstream {Key} closed the connection; reconnecting", options.CursorKey);
                await Task.Delay(backoff.Next(), stoppingToken);
            }
            catch (Exception e) when (e is WebSocketException or IOException or HttpRequestException)
            {
                var delay = backoff.Next();
                logger.LogWarning("Jetstream {Key} failed ({Error}); retrying in {Delay}", options.CursorKey, e.GetType().Name, delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
        await flushing;
    }

    private static async IAsyncEnumerable<byte[]> ReadMessagesAsync(ClientWebSocket socket, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                yield break;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                yield return message.ToArray();
                message.SetLength(0);
            }
        }
    }

    /// <summary>One Jetstream event: its time, and the post it creates if it creates one.</summary>
    public readonly record struct JetstreamEvent(long TimeUs, RawPost? Post);

    public static JetstreamEvent? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            if (!root.TryGetProperty("time_us", out var time) || !time.TryGetInt64(out var timeUs)) return null;
            if (root.GetProperty("kind").GetString() != "commit"
                || !root.TryGetProperty("commit", out var commit)
                || commit.GetProperty("operation").GetString() != "create"
                || commit.GetProperty("collection").GetString() != PostCollection
                || !commit.TryGetProperty("record", out var record))
            {
                return new JetstreamEvent(timeUs, null);
            }
            var did = root.GetProperty("did").GetString()!;
            var rkey = commit.GetProperty("rkey").GetString()!;
            string? language = record.TryGetProperty("langs", out var langs) && langs.ValueKind == JsonValueKind.Array && langs.GetArrayLength() > 0
                ? langs[0].GetString() : null;
            string? replyTo = record.TryGetProperty("reply", out var reply) && reply.TryGetProperty("parent", out var parent)
                ? parent.GetProperty("uri").GetString() : null;
            return new JetstreamEvent(timeUs, new RawPost
            {
                Source = SourceName,
                Id = $"at://{did}/{PostCollection}/{rkey}",
                Author = did,
                PublishedAt = record.TryGetProperty("createdAt", out var created) && created.TryGetDateTimeOffset(out var at) ? at : null,
                Text = record.TryGetProperty("text", out var text) ? text.GetString() : null,
                Language = language,
                ReplyTo = replyTo,
            });
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null; // not an event we understand; Jetstream adds kinds over time
        }
    }
}
