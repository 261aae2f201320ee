using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Monitoring.Collector.Intake;

namespace Monitoring.Collector.Sources;

/// <summary>
/// Between a live source's reader and the intake: gathers posts into batches (up to <see cref="MaxBatch"/> or one
/// second), and commits each batch together with the source position of its last event, so the committed cursor
/// never runs ahead of the committed posts. A crash re-reads from the cursor; repeats are dropped by post id.
/// </summary>
public sealed class LiveBatcher(PostIntake intake, string channelName, string cursorKey, ILogger logger)
{
    public const int MaxBatch = 200;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private readonly Channel<(RawPost? Post, string Position)> _queue =
        Channel.CreateBounded<(RawPost?, string)>(new BoundedChannelOptions(2_000) { SingleReader = true });

    /// <summary>Queues a post (or, with <paramref name="post"/> null, only a new position) in stream order.</summary>
    public ValueTask WriteAsync(RawPost? post, string position, CancellationToken ct) => _queue.Writer.WriteAsync((post, position), ct);

    public async Task RunAsync(CancellationToken ct)
    {
        var posts = new List<IncomingPost>(MaxBatch);
        string? position = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(ct))
            {
                using var window = CancellationTokenSource.CreateLinkedTokenSource(ct);
                window.CancelAfter(MaxWait);
                try
                {
                    while (posts.Count < MaxBatch)
                    {
                        if (_queue.Reader.TryRead(out var item))
                        {
                            if (item.Post is not null) posts.Add(IncomingPost.Parsed(item.Post));
                            position = item.Position;
                        }
                        else if (!await _queue.Reader.WaitToReadAsync(window.Token))
                        {
                            break;
                        }
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // the batch window closed
                }
                await FlushAsync(posts, position, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: commit what was read so far.
            while (_queue.Reader.TryRead(out var item))
            {
                if (item.Post is not null) posts.Add(IncomingPost.Parsed(item.Post));
                position = item.Position;
            }
            await FlushAsync(posts, position, CancellationToken.None);
        }
    }

    private async Task FlushAsync(List<IncomingPost> posts, string? position, CancellationToken ct)
    {
        if (position is null) return;
        var summary = await intake.TakeAsync(posts, channelName, channelName, (cursorKey, position), ct);
        if (summary.Rejected > 0)
        {
            logger.LogDebug("{Channel}: {Rejected} of {Count} posts rejected", channelName, summary.Rejected, posts.Count);
        }
        posts.Clear();
    }
}
