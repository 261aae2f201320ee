using System.ComponentModel.DataAnnotations;

namespace Monitoring.Collector;

/// <summary>Section <c>Collector</c>.</summary>
public sealed class CollectorOptions
{
    public const string Section = "Collector";

    /// <summary>
    /// The deployment secret that keys author pseudonyms (HMAC-SHA256), at least 16 characters. Required with
    /// PostgreSQL; the embedded default creates one in its data folder at first start.
    /// </summary>
    [MinLength(16)]
    public string? AuthorSecret { get; set; }

    /// <summary>Posts per <c>PostsCollected</c> message.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 250;

    /// <summary>Most posts one push request may carry.</summary>
    [Range(1, 100_000)]
    public int MaxPostsPerRequest { get; set; } = 5_000;

    /// <summary>Largest push request body, in bytes.</summary>
    [Range(1024, 1_073_741_824)]
    public long MaxRequestBytes { get; set; } = 10 * 1024 * 1024;
}
