using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monitoring.Collector.Intake;
using Monitoring.Collector.Storage;

namespace Monitoring.Collector.Sources.Mastodon;

/// <summary>
/// Follows one Mastodon timeline. On every (re)connection it first pages the REST timeline forward from its cursor,
/// so statuses published while it was away are not lost, then follows the streaming API (or polls). The cursor is the
/// newest status id committed with its posts; repeats from overlapping reads are dropped by post id.
/// </summary>
public sealed class MastodonSource(
    MastodonSourceOptions options, HttpClient http, PostIntake intake, IntakeStore store, ILogger<MastodonSource> logger) : BackgroundService
{
    public const string SourceName = "mastodon";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batcher = new LiveBatcher(intake, SourceName, options.CursorKey, logger);
        var flushing = batcher.RunAsync(stoppingToken);
        var client = new MastodonClient(http, options);
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        var cursor = (await store.CursorAsync(options.CursorKey, stoppingToken))?.Position;
        var host = new Uri(options.Instance).Host;

        async Task TakeAsync(MastodonStatus status)
        {
            if (!MastodonId.IsNewer(status.Id, cursor)) return;
            cursor = status.Id;
            await batcher.WriteAsync(ToRawPost(status, host, options), status.Id, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Catch up from the cursor, page by page, oldest first.
                while (true)
                {
                    var page = await client.PageAsync(cursor, stoppingToken);
                    foreach (var status in page) await TakeAsync(status);
                    if (page.Count == 0 || cursor is null) break;
                    if (!options.Streaming && page.Count < 40) break;
                }
                backoff.Reset();
                if (options.Streaming)
                {
                    await foreach (var status in client.StreamAsync(stoppingToken))
                    {
                        await TakeAsync(status);
                        backoff.Reset();
                    }
                    logger.LogInformation("Mastodon stream {Key} closed by the server; reconnecting", options.CursorKey);
                    await Task.Delay(backoff.Next(), stoppingToken);
                }
                else
                {
                    await Task.Delay(TimeSpan.FromSeconds(options.PollSeconds), stoppingToken);
                }
            }
            catch (SourceUnavailableException e)
            {
                var delay = backoff.Next(e.RetryAfter);
                logger.LogWarning("Mastodon {Key} answered {Status}; retrying in {Delay}", options.CursorKey, e.Status, delay);
                await Task.Delay(delay, stoppingToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                var delay = backoff.Next();
                logger.LogWarning("Mastodon {Key} failed ({Error}); retrying in {Delay}", options.CursorKey, e.GetType().Name, delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
        await flushing;
    }

    /// <summary>
    /// The post id is the status's URI, which is the same on every instance the status federates to, so a status seen
    /// through two instances is taken once. Reblogs are reposts: the original is taken, not the wrapper.
    /// </summary>
    public static RawPost ToRawPost(MastodonStatus status, string instanceHost, MastodonSourceOptions options)
    {
        var original = status.Reblog ?? status;
        var acct = original.Account?.Acct;
        return new RawPost
        {
            Source = SourceName,
            Id = original.Uri ?? $"https://{instanceHost}/statuses/{original.Id}",
            PublishedAt = original.CreatedAt,
            Author = acct is null ? null : acct.Contains('@') ? acct : $"{acct}@{instanceHost}",
            Text = original.Content,
            Language = original.Language,
            Region = options.Region,
            Community = options.Timeline.StartsWith("hashtag:", StringComparison.Ordinal) ? "#" + options.Timeline["hashtag:".Length..] : instanceHost,
            ReplyTo = original.InReplyToId,
        };
    }
}
