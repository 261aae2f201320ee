using System.Text.Json.Serialization;

namespace Monitoring.Collector.Intake;

/// <summary>
/// A post as a client or an import file supplies it (push API body, NDJSON and CSV import). <c>author</c> is the
/// raw handle or account id; it is hashed at once and never kept.
/// </summary>
public sealed class RawPost
{
    [JsonPropertyName("source")] public string? Source { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("publishedAt")] public DateTimeOffset? PublishedAt { get; set; }
    [JsonPropertyName("author")] public string? Author { get; set; }
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("language")] public string? Language { get; set; }
    [JsonPropertyName("region")] public string? Region { get; set; }
    [JsonPropertyName("community")] public string? Community { get; set; }
    [JsonPropertyName("topics")] public List<string>? Topics { get; set; }
    [JsonPropertyName("replyTo")] public string? ReplyTo { get; set; }

    /// <summary>The author's self-declared profile location; used to find the region, then discarded.</summary>
    [JsonPropertyName("location")] public string? Location { get; set; }
}

/// <summary>One item of an incoming batch: a parsed post, or the reason it could not even be parsed.</summary>
public readonly record struct IncomingPost(RawPost? Post, string? ParseError)
{
    public static IncomingPost Parsed(RawPost post) => new(post, null);

    public static IncomingPost Invalid(string reason) => new(null, reason);
}
