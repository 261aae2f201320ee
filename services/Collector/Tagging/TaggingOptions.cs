namespace Monitoring.Collector.Tagging;

/// <summary>Section <c>Collector:Tagging</c>: which languages are taken, how regions and topics are assigned.</summary>
public sealed class TaggingOptions
{
    public const string Section = "Collector:Tagging";

    /// <summary>
    /// Languages taken (ISO 639-1); empty means <see cref="LanguageIdentifier.Supported"/>. Posts identified as another
    /// language are dropped and counted. (Empty rather than pre-filled: configuration binding adds to a list, it does
    /// not replace it.)
    /// </summary>
    public List<string> Languages { get; set; } = [];

    public IReadOnlyList<string> EnabledLanguages => Languages.Count > 0 ? Languages : LanguageIdentifier.Supported;

    /// <summary>Region mappings; the first that applies wins after a client-supplied region.</summary>
    public RegionMappings Regions { get; set; } = new();

    /// <summary>Topic name → keywords and hashtags (<c>#tag</c>) that put a post on the topic.</summary>
    public Dictionary<string, List<string>> Topics { get; set; } = [];

    /// <summary>How many recent posts near-duplicates are looked for among (about 200 bytes each).</summary>
    public int NearDuplicateWindow { get; set; } = 50_000;

    /// <summary>Shorter posts are compared exactly only: two people writing "thank you so much" are not a repost.</summary>
    public int NearDuplicateMinWords { get; set; } = 8;
}

public sealed class RegionMappings
{
    /// <summary>Mastodon instance host → region (e.g. <c>mastodon.com.ar</c> → <c>AR</c>).</summary>
    public Dictionary<string, string> Instances { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Community (subreddit <c>r/argentina</c>, hashtag <c>#buenosaires</c>, instance) → region.</summary>
    public Dictionary<string, string> Communities { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Resolve self-declared profile locations with the gazetteer of countries and subdivisions.</summary>
    public bool UseProfileLocation { get; set; } = true;
}
