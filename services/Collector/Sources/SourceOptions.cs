using System.ComponentModel.DataAnnotations;

namespace Monitoring.Collector.Sources;

/// <summary>Section <c>Collector:Sources</c>: any number of live sources, run beside the push API and imports.</summary>
public sealed class SourcesOptions
{
    public const string Section = "Collector:Sources";

    public List<MastodonSourceOptions> Mastodon { get; set; } = [];

    public List<BlueskySourceOptions> Bluesky { get; set; } = [];
}

public sealed class MastodonSourceOptions
{
    /// <summary>Instance base address, e.g. <c>https://mastodon.social</c>.</summary>
    [Required, Url]
    public string Instance { get; set; } = "";

    /// <summary><c>public</c>, <c>local</c> (the instance's own public posts) or <c>hashtag:&lt;tag&gt;</c>.</summary>
    [Required, RegularExpression("^(public|local|hashtag:[A-Za-z0-9_]+)$", ErrorMessage = "Use public, local or hashtag:<tag>.")]
    public string Timeline { get; set; } = "public";

    /// <summary>Follow the streaming API (server-sent events); otherwise poll the REST timeline.</summary>
    public bool Streaming { get; set; } = true;

    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 30;

    /// <summary>Many instances require a token (scope <c>read:statuses</c>) for streaming.</summary>
    public string? AccessToken { get; set; }

    /// <summary>The region this instance's posts belong to (instance → region mapping), if it has one.</summary>
    public string? Region { get; set; }

    public string CursorKey => $"mastodon:{new Uri(Instance).Host}:{Timeline}";
}

public sealed class BlueskySourceOptions
{
    /// <summary>Jetstream WebSocket endpoint, e.g. <c>wss://jetstream2.us-east.bsky.network/subscribe</c>.</summary>
    [Required]
    public string Endpoint { get; set; } = "wss://jetstream2.us-east.bsky.network/subscribe";

    /// <summary>Microseconds to rewind the cursor on reconnect, as Jetstream advises for gapless playback; repeats are dropped by post id.</summary>
    [Range(0, 60_000_000)]
    public long RewindMicroseconds { get; set; } = 2_000_000;

    public string CursorKey => $"bluesky:{new Uri(Endpoint).Host}";
}
