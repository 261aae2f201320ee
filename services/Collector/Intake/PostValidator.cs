using Monitoring.Collector.Normalisation;
using Monitoring.Collector.Privacy;
using Monitoring.Contracts;

namespace Monitoring.Collector.Intake;

/// <summary>The verdict on one incoming post.</summary>
public sealed record PostVerdict(CollectedPost? Post, string? Reason, string? Detail)
{
    public bool Accepted => Post is not null;

    public static PostVerdict Reject(string reason, string detail) => new(null, reason, detail);
}

/// <summary>
/// Checks an incoming post and turns it into a <see cref="CollectedPost"/>: required fields, text length (at most
/// <see cref="MaxTextLength"/> characters), a timestamp between 2006 and a little past now, then normalisation and
/// pseudonymisation. Language and region supplied by the client are kept; region defaults to <c>unknown</c>.
/// </summary>
public sealed class PostValidator(AuthorPseudonymizer pseudonymizer, TimeProvider time)
{
    public const int MaxTextLength = 40_000;

    /// <summary>The earliest accepted timestamp: the start of 2006 (before it, the sources we read did not exist).</summary>
    public static readonly DateTimeOffset Earliest = new(2006, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Clock skew tolerated for "future" timestamps.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public PostVerdict Validate(IncomingPost incoming, string? defaultSource = null)
    {
        if (incoming.ParseError is not null)
        {
            var (reason, detail) = SplitReason(incoming.ParseError);
            return PostVerdict.Reject(reason, detail);
        }
        var raw = incoming.Post!;
        var source = string.IsNullOrWhiteSpace(raw.Source) ? defaultSource : raw.Source.Trim().ToLowerInvariant();
        if (string.IsNullOrWhiteSpace(source)) return Missing("source");
        if (string.IsNullOrWhiteSpace(raw.Id)) return Missing("id");
        if (raw.PublishedAt is null) return Missing("publishedAt");
        if (string.IsNullOrWhiteSpace(raw.Author)) return Missing("author");
        if (raw.Text is null || string.IsNullOrWhiteSpace(raw.Text)) return Missing("text");
        if (raw.Text.Length > MaxTextLength)
        {
            return PostVerdict.Reject(RejectionReasons.TextTooLong, $"text has {raw.Text.Length} characters; at most {MaxTextLength} are accepted.");
        }
        if (source.Length > 64 || raw.Id.Length > 256)
        {
            return PostVerdict.Reject(RejectionReasons.InvalidField, "source (64) or id (256) is too long.");
        }
        var published = raw.PublishedAt.Value.ToUniversalTime();
        if (published < Earliest)
        {
            return PostVerdict.Reject(RejectionReasons.TimestampTooOld, $"publishedAt {published:O} is before 2006.");
        }
        if (published > time.GetUtcNow() + FutureTolerance)
        {
            return PostVerdict.Reject(RejectionReasons.TimestampInFuture, $"publishedAt {published:O} is in the future.");
        }
        var text = TextNormalizer.Normalize(raw.Text);
        if (text.Length == 0) return Missing("text");

        var post = new CollectedPost(
            Source: source,
            SourceId: raw.Id.Trim(),
            PublishedAt: published,
            AuthorKey: pseudonymizer.KeyOf(source, raw.Author),
            Text: text,
            Language: string.IsNullOrWhiteSpace(raw.Language) ? null : raw.Language.Trim().ToLowerInvariant(),
            Region: string.IsNullOrWhiteSpace(raw.Region) ? SeriesKey.UnknownRegion : raw.Region.Trim(),
            Community: string.IsNullOrWhiteSpace(raw.Community) ? null : raw.Community.Trim(),
            Topics: raw.Topics?.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim().ToLowerInvariant()).Distinct().ToArray() ?? [],
            ReplyToId: string.IsNullOrWhiteSpace(raw.ReplyTo) ? null : raw.ReplyTo.Trim());
        return new PostVerdict(post, null, null);
    }

    private static PostVerdict Missing(string field) =>
        PostVerdict.Reject(RejectionReasons.MissingField, $"'{field}' is required.");

    /// <summary>Parse errors arrive as "reason: detail".</summary>
    private static (string Reason, string Detail) SplitReason(string error)
    {
        var colon = error.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? (error, error) : (error[..colon], error[(colon + 2)..]);
    }
}
