using Monitoring.Collector.Storage;
using Monitoring.Contracts;

namespace Monitoring.Collector.Intake;

/// <summary>What happened to one post of a batch.</summary>
public sealed record PostResult(int Index, string Status, string? PostId, string? Reason, string? Detail)
{
    public const string AcceptedStatus = "accepted";
    public const string DuplicateStatus = "duplicate";
    public const string RejectedStatus = "rejected";
}

public sealed record IntakeSummary(int Accepted, int Duplicates, int Rejected, IReadOnlyList<PostResult> Results);

/// <summary>
/// The one path every intake channel (push API, file import, live sources) takes: validate and normalise each post,
/// reject the bad ones with their reason, claim the good ones' keys and queue them for publishing.
/// </summary>
public sealed class PostIntake(PostValidator validator, IntakeStore store, OutboxSignal signal, CollectorMetrics metrics, Microsoft.Extensions.Options.IOptions<CollectorOptions> options)
{
    public async Task<IntakeSummary> TakeAsync(
        IReadOnlyList<IncomingPost> incoming, string channel, string? defaultSource = null,
        (string FileKey, long Records)? checkpoint = null, CancellationToken ct = default)
    {
        var results = new PostResult[incoming.Count];
        var accepted = new List<(int Index, CollectedPost Post)>(incoming.Count);
        for (var i = 0; i < incoming.Count; i++)
        {
            var verdict = validator.Validate(incoming[i], defaultSource);
            if (verdict.Post is { } post)
            {
                accepted.Add((i, post));
            }
            else
            {
                results[i] = new PostResult(i, PostResult.RejectedStatus, null, verdict.Reason, verdict.Detail);
                metrics.Rejected(verdict.Reason!, channel);
            }
        }

        var already = await store.CommitAsync(accepted.Select(a => a.Post).ToList(), options.Value.BatchSize, checkpoint, ct);
        var firstIndex = new Dictionary<string, int>();
        int taken = 0, duplicates = 0;
        foreach (var (index, post) in accepted)
        {
            // A key repeated inside one batch is taken once; later copies are duplicates.
            var isNew = !already.Contains(post.PostId) && firstIndex.TryAdd(post.PostId, index);
            results[index] = new PostResult(index, isNew ? PostResult.AcceptedStatus : PostResult.DuplicateStatus, post.PostId, null, null);
            if (isNew) taken++; else duplicates++;
        }
        metrics.Accepted(taken, channel);
        metrics.Duplicates(duplicates, channel);
        if (taken > 0)
        {
            signal.Notify();
        }
        return new IntakeSummary(taken, duplicates, incoming.Count - accepted.Count, results);
    }
}
