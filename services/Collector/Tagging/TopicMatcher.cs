using System.Text.RegularExpressions;

namespace Monitoring.Collector.Tagging;

/// <summary>
/// Puts posts on configured topics: a keyword matches as a whole word or phrase, case- and accent-insensitively; a
/// <c>#hashtag</c> matches that hashtag.
/// </summary>
public sealed class TopicMatcher
{
    private readonly (string Topic, Regex Pattern)[] _topics;

    public TopicMatcher(IReadOnlyDictionary<string, List<string>> topics)
    {
        _topics = topics.Select(t => (t.Key.ToLowerInvariant(), new Regex(
            @"(?<!\w)(?:" + string.Join("|", t.Value.Where(k => k.Length > 0).Select(k => Regex.Escape(TextFolding.Fold(k.Trim())))) + @")(?!\w)",
            RegexOptions.CultureInvariant | RegexOptions.Compiled))).Where(t => t.Item2.ToString() != @"(?<!\w)(?:)(?!\w)").ToArray();
    }

    public IEnumerable<string> Match(string text)
    {
        if (_topics.Length == 0) yield break;
        var folded = TextFolding.Fold(text);
        foreach (var (topic, pattern) in _topics)
        {
            if (pattern.IsMatch(folded)) yield return topic;
        }
    }
}
