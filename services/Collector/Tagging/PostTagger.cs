using Microsoft.Extensions.Options;
using Monitoring.Contracts;

namespace Monitoring.Collector.Tagging;

/// <summary>
/// Fills in what a client did not supply: language (identified when missing; posts in languages not enabled are
/// dropped), region (instance, then community mapping, then the profile location through the gazetteer; otherwise
/// <c>unknown</c>), and tracked topics. Near-duplicates are judged later, only for posts not seen before.
/// </summary>
public sealed class PostTagger
{
    public const string LanguageNotEnabled = "language_not_enabled";
    public const string NearDuplicate = "near_duplicate";

    private readonly TaggingOptions _options;
    private readonly HashSet<string> _languages;
    private readonly LanguageIdentifier _identifier;
    private readonly Gazetteer _gazetteer;
    private readonly TopicMatcher _topics;

    public PostTagger(IOptions<TaggingOptions> options, LanguageIdentifier identifier, Gazetteer gazetteer)
    {
        _options = options.Value;
        _languages = new HashSet<string>(_options.EnabledLanguages.Select(l => l.ToLowerInvariant()));
        _identifier = identifier;
        _gazetteer = gazetteer;
        _topics = new TopicMatcher(_options.Topics);
        NearDuplicates = new NearDuplicateFilter(_options.NearDuplicateWindow, _options.NearDuplicateMinWords);
    }

    public NearDuplicateFilter NearDuplicates { get; }

    /// <summary>The tagged post, or the reason it is dropped.</summary>
    public (CollectedPost? Post, string? DropReason) Tag(CollectedPost post, string? profileLocation)
    {
        var language = post.Language ?? _identifier.Identify(post.Text)?.Language;
        if (language is not null && !_languages.Contains(BaseLanguage(language)))
        {
            return (null, LanguageNotEnabled);
        }
        var region = post.Region != SeriesKey.UnknownRegion ? post.Region : RegionOf(post, profileLocation) ?? SeriesKey.UnknownRegion;
        var topics = post.Topics.Concat(_topics.Match(post.Text)).Distinct().ToArray();
        return (post with { Language = language, Region = region, Topics = topics }, null);
    }

    private string? RegionOf(CollectedPost post, string? profileLocation)
    {
        var regions = _options.Regions;
        if (Uri.TryCreate(post.SourceId, UriKind.Absolute, out var uri) && regions.Instances.TryGetValue(uri.Host, out var byInstance))
        {
            return byInstance;
        }
        if (post.Community is { } community && regions.Communities.TryGetValue(community, out var byCommunity))
        {
            return byCommunity;
        }
        return regions.UseProfileLocation ? _gazetteer.Resolve(profileLocation) : null;
    }

    private static string BaseLanguage(string tag) => tag.Split('-', '_')[0].ToLowerInvariant();
}
