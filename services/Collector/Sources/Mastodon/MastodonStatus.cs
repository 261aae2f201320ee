using System.Text.Json.Serialization;

namespace Monitoring.Collector.Sources.Mastodon;

/// <summary>The parts of a Mastodon <c>Status</c> entity (docs.joinmastodon.org/entities/Status) that we read.</summary>
public sealed class MastodonStatus
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("uri")] public string? Uri { get; set; }
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; set; }
    [JsonPropertyName("in_reply_to_id")] public string? InReplyToId { get; set; }
    [JsonPropertyName("language")] public string? Language { get; set; }
    [JsonPropertyName("content")] public string? Content { get; set; }
    [JsonPropertyName("visibility")] public string? Visibility { get; set; }
    [JsonPropertyName("account")] public MastodonAccount? Account { get; set; }
    [JsonPropertyName("reblog")] public MastodonStatus? Reblog { get; set; }
}

public sealed class MastodonAccount
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("acct")] public string? Acct { get; set; }
}

/// <summary>Mastodon ids are decimal snowflakes: a longer id is newer; equal lengths compare as text.</summary>
public static class MastodonId
{
    public static int Compare(string? a, string? b) =>
        a is null ? (b is null ? 0 : -1) : b is null ? 1 : a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);

    public static bool IsNewer(string id, string? than) => Compare(id, than) > 0;
}
