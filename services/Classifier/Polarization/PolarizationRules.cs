using System.Text.RegularExpressions;

namespace Monitoring.Classifier.Polarization;

/// <summary>
/// polarization.outgroup and polarization.affective: rules over a group lexicon, othering phrases and
/// the hostility model (DESIGN.md, "Markers"). No labelled corpus exists for these markers, so the
/// levels below are stated rules, not calibrated probabilities (docs/markers.md).
/// </summary>
public static class PolarizationRules
{
    public const float Threshold = 0.5f;

    private const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | RegexOptions.IgnoreCase;

    /// <summary>Groups people are othered as (political, national, religious, generational, medical-stance).</summary>
    private const string Groups =
        @"(liberals?|conservatives?|democrats?|republicans?|leftists?|lefties|right[\s-]?wingers?|left[\s-]?wingers?|progressives|socialists|communists|fascists|nazis|"
        + @"immigrants?|migrants?|refugees?|foreigners|illegals|muslims?|christians?|jews|atheists|boomers|millennials|zoomers|feminists|"
        + @"vaxxers|anti[\s-]?vaxxers|antivaxxers|maskers|anti[\s-]?maskers|elites|globalists|politicians|protesters|rioters|trump\s+supporters|biden\s+supporters|"
        + @"peronists|kirchneristas|macristas|tories|labourites|brexiteers|remainers)";

    /// <summary>Pejorative names for a whole group: using one is othering by itself.</summary>
    private static readonly Regex Pejorative = new(
        @"\b(libtards?|leftards?|libturds?|conservatards?|retardlicans?|rethuglicans?|repugnicans?|demonrats?|democraps?|trumptards?|magats?|snowflakes|sheeple|"
        + @"feminazis?|commies|covidiots?|cucks|wokeists?|normies|gammons?|soyboys?|karens)\b", Options);

    /// <summary>Othering constructions: "you people", "those people", "their kind", "go back to".</summary>
    private static readonly Regex Othering = new(
        @"\b(you|those|these|them|such)\s+people\b|\b(your|their)\s+kind\b|\bpeople\s+like\s+(you|them)\b|\bthe\s+likes\s+of\s+(you|them)\b|\bgo\s+back\s+to\s+(your|where)\b|\bus\s+(vs\.?|versus|and|against)\s+them\b"
        + @"|\b(all|typical|those|these|bunch\s+of|filthy|stupid|dumb|brainless|disgusting|damn|fucking|f\*+ing|crazy|radical)\s+" + Groups + @"\b", Options);

    /// <summary>A group named at all (used for "hostile and about a group").</summary>
    private static readonly Regex GroupMention = new(@"\b" + Groups + @"\b", Options);

    /// <summary>Topics tracked when the Collector did not tag the post (DESIGN.md: per-topic polarization index).</summary>
    public static readonly IReadOnlyDictionary<string, Regex> TopicLexicon = new Dictionary<string, Regex>
    {
        ["politics"] = new(@"\b(election|elections|vote|voting|voters?|ballot|president|government|congress|parliament|senate|politics|political|policy|liberals?|conservatives?|democrats?|republicans?|trump|biden|milei|peron(ism|ist)?|kirchner|macri)\b", Options),
        ["covid"] = new(@"\b(covid|covid-?19|coronavirus|pandemic|lockdowns?|quarantine|vaccines?|vaccinated|vaccination|vax|vaxx(ed|ers)?|masks?|mandates?)\b", Options),
        ["immigration"] = new(@"\b(immigration|immigrants?|migrants?|refugees?|border|asylum|deport(ation|ed)?)\b", Options),
        ["economy"] = new(@"\b(economy|inflation|prices|wages|unemployment|taxes|tax|jobs|recession|plant\s+clos(ing|ure|ed))\b", Options),
    };

    // An array, so that scoring does not box a dictionary enumerator for every post.
    private static readonly (string Name, Regex Regex)[] TopicList = TopicLexicon.Select(kv => (kv.Key, kv.Value)).ToArray();

    public readonly record struct Result(float Outgroup, float Affective, string? OutgroupCue, string? Topic);

    /// <summary>
    /// outgroup = 0.60 + 0.35·h with a pejorative or othering construction, 0.20 + 0.40·h when a group is
    /// merely named, 0.05·h otherwise (h = hostility probability); affective = min(outgroup, h) on a tracked topic, else 0.
    /// </summary>
    public static Result Score(ReadOnlySpan<char> text, float hostility, IReadOnlyList<string>? topics)
    {
        if (text.Length > Text.SocialTokenizer.MaxChars)
        {
            text = text[..Text.SocialTokenizer.MaxChars];
        }
        float outgroup;
        string? cue = null;
        if (FirstMatch(Pejorative, text) is { } p)
        {
            outgroup = 0.60f + 0.35f * hostility;
            cue = p;
        }
        else if (FirstMatch(Othering, text) is { } o)
        {
            outgroup = 0.60f + 0.35f * hostility;
            cue = o;
        }
        else if (FirstMatch(GroupMention, text) is { } g)
        {
            outgroup = 0.20f + 0.40f * hostility;
            cue = g;
        }
        else
        {
            outgroup = 0.05f * hostility;
        }
        string? topic = topics is { Count: > 0 } ? topics[0] : null;
        if (topic is null)
        {
            foreach (var (name, regex) in TopicList)
            {
                if (regex.IsMatch(text))
                {
                    topic = name;
                    break;
                }
            }
        }
        var affective = topic is null ? 0f : MathF.Min(outgroup, hostility);
        return new Result(outgroup, affective, cue, topic);
    }

    private static string? FirstMatch(Regex regex, ReadOnlySpan<char> text)
    {
        foreach (var m in regex.EnumerateMatches(text))
        {
            return text.Slice(m.Index, m.Length).ToString().ToLowerInvariant();
        }
        return null;
    }

    internal static bool HasCue(ReadOnlySpan<char> text) => Pejorative.IsMatch(text) || Othering.IsMatch(text) || GroupMention.IsMatch(text);
}

/// <summary>
/// The per-topic, per-bucket polarization index of docs/markers.md:
/// PI = ½·S + ½·H, where S = BC·σ is the bimodality-weighted spread of valence toward the topic
/// (Sarle's bimodality coefficient BC of the valences v = P(positive) − P(negative), times their standard
/// deviation σ, both in [0, 1]) and H is the mean polarization.affective probability of the topic's posts.
/// </summary>
public static class PolarizationIndex
{
    public sealed record Value(double Index, double Spread, double Bimodality, double HostileOthering, int Posts);

    public static Value Compute(IReadOnlyList<double> valences, IReadOnlyList<double> affective)
    {
        var n = valences.Count;
        if (n != affective.Count)
        {
            throw new ArgumentException("valences and affective must have the same length");
        }
        if (n == 0)
        {
            return new Value(0, 0, 0, 0, 0);
        }
        var h = affective.Average();
        double bc = 0, sd = 0;
        if (n >= 4)
        {
            var mean = valences.Average();
            double m2 = 0, m3 = 0, m4 = 0;
            foreach (var v in valences)
            {
                var d = v - mean;
                m2 += d * d;
                m3 += d * d * d;
                m4 += d * d * d * d;
            }
            m2 /= n;
            m3 /= n;
            m4 /= n;
            sd = Math.Sqrt(m2);
            if (m2 > 1e-12)
            {
                // Sample skewness and excess kurtosis with the usual small-sample corrections (SAS/SPSS G1, G2).
                var g1 = m3 / Math.Pow(m2, 1.5) * Math.Sqrt(n * (n - 1.0)) / (n - 2.0);
                var g2 = (n - 1.0) / ((n - 2.0) * (n - 3.0)) * ((n + 1.0) * (m4 / (m2 * m2) - 3.0) + 6.0);
                bc = (g1 * g1 + 1.0) / (g2 + 3.0 * (n - 1.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0)));
                bc = Math.Clamp(bc, 0, 1);
            }
        }
        var spread = Math.Clamp(bc * Math.Min(1.0, sd), 0, 1);
        return new Value(0.5 * spread + 0.5 * h, spread, bc, h, n);
    }
}
