using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Monitoring.Collector.Normalisation;

/// <summary>
/// Turns a post's raw text into the form every later step sees: HTML stripped and entities decoded, Unicode NFC,
/// URLs and @-mentions replaced by the placeholders <see cref="UrlPlaceholder"/> and <see cref="MentionPlaceholder"/>
/// (so that no handle or link travels further), whitespace collapsed.
/// </summary>
public static partial class TextNormalizer
{
    public const string UrlPlaceholder = "<url>";
    public const string MentionPlaceholder = "<user>";

    public static string Normalize(string raw)
    {
        var text = raw;
        if (text.Contains('<') || text.Contains('&'))
        {
            // Block-level tags become spaces so that "<p>a</p><p>b</p>" does not glue words together.
            text = BlockTag().Replace(text, " ");
            text = AnyTag().Replace(text, "");
            text = WebUtility.HtmlDecode(text);
        }
        text = text.Normalize(NormalizationForm.FormC);
        text = Url().Replace(text, UrlPlaceholder);
        text = Mention().Replace(text, m => m.Groups[1].Value + MentionPlaceholder);
        text = Whitespace().Replace(text, " ").Trim();
        return text;
    }

    [GeneratedRegex(@"<\s*(br|/p|p|/div|div|li|/li)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockTag();

    [GeneratedRegex(@"<[^<>]{0,2000}>")]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"\b(?:https?://|www\.)[^\s<>""]+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    // @user, @user@instance.social (Mastodon), @handle.bsky.social (Bluesky), u/name (Reddit).
    [GeneratedRegex(@"(^|[^\w/])(?:@[\w.\-]+(?:@[\w.\-]+)?|/?\bu/[\w\-]+)")]
    private static partial Regex Mention();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
