namespace Monitoring.Contracts;

/// <summary>
/// One public post as the Collector hands it to the Classifier. This is the only message that carries
/// text; it never leaves the Collector-to-Classifier hop.
/// </summary>
/// <param name="Source">Where the post came from: <c>mastodon</c>, <c>bluesky</c>, <c>reddit</c>, <c>push</c>…</param>
/// <param name="SourceId">The id the source gave the post, unique within <paramref name="Source"/>.</param>
/// <param name="PublishedAt">Publication time, UTC.</param>
/// <param name="AuthorKey">HMAC-SHA256 of the author's handle under the deployment secret (hex); never the handle.</param>
/// <param name="Text">Normalised text: NFC, HTML stripped, URLs and mentions replaced by placeholders.</param>
/// <param name="Language">ISO 639-1 code, or null until tagging fills it in.</param>
/// <param name="Region">Region code, or <c>unknown</c>; never guessed.</param>
/// <param name="Community">Subreddit, hashtag or instance, when known.</param>
/// <param name="Topics">Tracked topics the post matched.</param>
/// <param name="ReplyToId">Source-scoped id of the post this one replies to, when known.</param>
public sealed record CollectedPost(
    string Source,
    string SourceId,
    DateTimeOffset PublishedAt,
    string AuthorKey,
    string Text,
    string? Language,
    string Region,
    string? Community,
    IReadOnlyList<string> Topics,
    string? ReplyToId)
{
    /// <summary>The business key of a post across the system: <c>source:id</c>.</summary>
    public string PostId => PostKey.Of(Source, SourceId);
}

/// <summary>The business key of a post.</summary>
public static class PostKey
{
    public static string Of(string source, string sourceId) => $"{source}:{sourceId}";
}

/// <summary>A batch of collected posts (up to a few hundred), published by the Collector.</summary>
public sealed record PostsCollected(Guid BatchId, DateTimeOffset CollectedAt, IReadOnlyList<CollectedPost> Posts);

/// <summary>
/// The Classifier's verdict on one post, without its text.
/// </summary>
/// <param name="Probabilities">Every marker's calibrated probability, by marker name.</param>
/// <param name="Flagged">The markers whose probability is at or above their tuned threshold.</param>
/// <param name="Evidence">For each flagged marker, the n-grams that pushed it up most.</param>
public sealed record ClassifiedPost(
    string PostId,
    DateTimeOffset PublishedAt,
    string AuthorKey,
    string? Language,
    string Region,
    string? Community,
    IReadOnlyList<string> Topics,
    IReadOnlyDictionary<string, double> Probabilities,
    IReadOnlyList<string> Flagged,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Evidence);

/// <summary>
/// A marker's threshold and its measured true- and false-positive rates at that threshold on held-apart
/// data; the Forecaster needs them for adjusted classify-and-count (Forman 2008).
/// </summary>
public sealed record MarkerRates(double Threshold, double TruePositiveRate, double FalsePositiveRate);

/// <summary>
/// A batch of classified posts. Idempotency key downstream: post id + model version.
/// </summary>
/// <param name="Rates">Per marker, the rates of the model version that scored this batch.</param>
public sealed record PostsClassified(
    Guid BatchId,
    Guid CollectedBatchId,
    string ModelVersion,
    DateTimeOffset ClassifiedAt,
    IReadOnlyList<ClassifiedPost> Posts,
    IReadOnlyDictionary<string, MarkerRates> Rates);
