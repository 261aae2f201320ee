using Monitoring.Hosting.Outbox;
using Monitoring.Collector.Storage;
using Monitoring.Contracts;

namespace Monitoring.Collector.Intake;

/// <summary>What happened to one post of a batch.</summary>
public sealed record PostResult(int Index, string Status, string? PostId, string? Reason, string? Detail)
{
    public const string AcceptedStatus = "accepted";
    public const string DuplicateStatus = "duplicate";
    public const string RejectedStatus = "rejected";

    /// <summary>Valid, but not taken: a language not enabled, or a near-duplicate of a recent post.</summary>
    public const string DroppedStatus = "dropped";
}

public sealed record IntakeSummary(int Accepted, int Duplicates, int Rejected, IReadOnlyList<PostResult> Results)
{
    public int Dropped => Results.Count(r => r.Status == PostResult.DroppedStatus);
}

/// <summary>
/// The one path every intake channel (push API, file import, live sources) takes: validate and normalise each post,
/// reject the bad ones with their reason, claim the good ones' keys and queue them for publishing.
/// </summary>
public sealed class PostIntake(PostValidator validator, Tagging.PostTagger tagger, IntakeStore store, OutboxSignal<CollectorDbContext> signal, CollectorMetrics metrics, Microsoft.Extensions.Options.IOptions<CollectorOptions> options)
{
    public async Task<IntakeSummary> TakeAsync(
        IReadOnlyList<IncomingPost> incoming, string channel, string? defaultSource = null,
        (string Key, string Position)? cursor = null, CancellationToken ct = default)
    {
        var results = new PostResult[incoming.Count];
        var accepted = new List<(int Index, CollectedPost Post)>(incoming.Count);
        for (var i = 0; i < incoming.Count; i++)
        {
            var verdict = validator.Validate(incoming[i], defaultSource);
            if (verdict.Post is { } valid)
            {
                var (post, dropReason) = tagger.Tag(valid, incoming[i].Post?.Location);
                if (post is not null)
                {
                    accepted.Add((i, post));
                }
                else
                {
                    results[i] = new PostResult(i, PostResult.DroppedStatus, valid.PostId, dropReason, null);
                    metrics.Dropped(dropReason!, channel);
                }
            }
            else
            {
                results[i] = new PostResult(i, PostResult.RejectedStatus, null, verdict.Reason, verdict.Detail);
                metrics.Rejected(verdict.Reason!, channel);
            }
        }

        var (already, nearDuplicates) = await store.CommitAsync(accepted.Select(a => a.Post).ToList(), options.Value.BatchSize, cursor,
            keep: post => tagger.NearDuplicates.TryAdd(post.Text), forget: post => tagger.NearDuplicates.Forget(post.Text), ct);
        var firstIndex = new Dictionary<string, int>();
        int taken = 0, duplicates = 0;
        foreach (var (index, post) in accepted)
        {
            // A key repeated inside one batch is taken once; later copies are duplicates.
            var isNew = !already.Contains(post.PostId) && firstIndex.TryAdd(post.PostId, index);
            if (isNew && nearDuplicates.Contains(post.PostId))
            {
                results[index] = new PostResult(index, PostResult.DroppedStatus, post.PostId, Tagging.PostTagger.NearDuplicate, null);
                metrics.Dropped(Tagging.PostTagger.NearDuplicate, channel);
                continue;
            }
            results[index] = new PostResult(index, isNew ? PostResult.AcceptedStatus : PostResult.DuplicateStatus, post.PostId, null, null);
            if (isNew) taken++; else duplicates++;
        }
        metrics.Accepted(taken, channel);
        metrics.Duplicates(duplicates, channel);
        if (taken > 0)
        {
            signal.Notify();
        }
        return new IntakeSummary(taken, duplicates, results.Count(r => r.Status == PostResult.RejectedStatus), results);
    }
}
