using System.Text.RegularExpressions;

namespace Monitoring.Classifier.Dsm5;

/// <summary>
/// The nine DSM-5 major-depressive-episode symptoms (criterion A1–A9, American Psychiatric Association
/// 2013) as hand-written cue patterns. A cue counts only when
/// <list type="bullet">
/// <item>its sentence is in the first person (the criteria describe the writer, not a friend or a character),</item>
/// <item>no negator sits in the three words before it ("I'm <b>not</b> tired"),</item>
/// <item>and it is damped when the sentence places it in the past ("used to", "years ago") or in a
/// hypothetical ("if I"), and raised when it says the state persists ("every day", "for weeks",
/// "anymore"), because the criteria ask for a change lasting nearly every day for two weeks.</item>
/// </list>
/// The scores are heuristic levels, not calibrated probabilities: no open post-level DSM-5 corpus
/// exists to calibrate them (see docs/markers.md). `train --task dsm5` replaces them with a supervised model.
/// </summary>
public sealed class Dsm5Patterns
{
    public static readonly IReadOnlyList<string> Symptoms =
    [
        "depressed_mood", "anhedonia", "appetite_change", "sleep_issues", "psychomotor", "fatigue", "worthlessness", "cognitive_issues", "suicidal_thoughts",
    ];

    /// <summary>Score when no cue matched: a low floor rather than zero, since patterns miss paraphrases.</summary>
    public const float NoMatch = 0.02f;
    public const float Matched = 0.75f;
    public const float Threshold = 0.5f;

    private const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    // Texts are matched lower-cased with apostrophes removed ("can't" → "cant"), like the tokenizer folds them.
    private static readonly Regex[] Cues =
    [
        // A1 depressed mood: sad, empty, hopeless; tearfulness.
        new(@"\b(i\s+(feel|felt|am|m|have\s+been|ve\s+been|keep\s+feeling)|im|ive\s+been|feeling)\s+(so\s+|really\s+|very\s+|extremely\s+|incredibly\s+|completely\s+|always\s+|just\s+)*(sad|empty|hopeless|depressed|miserable|numb|down|low|broken|dead\s+inside)\b"
            + @"|\b(cant|can\s+not|cannot)\s+stop\s+crying\b|\b(i|im)\s+(cry|crying|cried)\b|\bcry(ing)?\s+(myself\s+to\s+sleep|every\s+(day|night)|all\s+the\s+time)\b"
            + @"|\b(i\s+hate|hate)\s+my\s+life\b|\bhopeless(ness)?\b|\blow\s+mood\b|\bno\s+hope\b|\beverything\s+(feels|is|seems)\s+(pointless|meaningless|empty|hopeless)\b|\bmy\s+depression\b", Options),
        // A2 anhedonia: markedly diminished interest or pleasure.
        new(@"\b(nothing|no\s*thing)\s+(interests|excites|matters\s+to|makes)\s+me\b|\blost\s+(all\s+)?(interest|motivation|the\s+will|passion)\b|\bno\s+(longer\s+)?(interest|motivation|joy|pleasure|desire)\s+(in|for|to)\b"
            + @"|\b(dont|cant|no\s+longer)\s+(enjoy|care\s+about|feel\s+like\s+doing)\s+(anything|things|much)\b|\bnothing\s+(is\s+)?fun\s+anymore\b|\bno\s+longer\s+enjoy\b|\banhedoni[ac]\b|\bdont\s+enjoy\b.*\banymore\b"
            + @"|\bnever\s+really\s+been\s+into\b|\bnothing\s+brings\s+me\s+(joy|happiness)\b", Options),
        // A3 appetite or weight change.
        new(@"\b(lost|losing|no|zero|lack\s+of)\s+(my\s+)?appetite\b|\b(cant|can\s+not|cannot|barely|stopped|stop|forget\s+to|forgot\s+to|havent)\s+eat(ing)?\b|\b(gained|lost|gaining|losing|put\s+on)\s+(\w+\s+){0,2}(pounds|lbs|kilos|kg|weight)\b"
            + @"|\bskipp(ing|ed)\s+(meals|breakfast|lunch|dinner)\b|\b(binge|stress|over)\s*eat(ing)?\b|\beat(ing)?\s+(too\s+much|all\s+the\s+time|nonstop)\b|\bfeed(ing)?\s+myself\b|\bappetite\b", Options),
        // A4 insomnia or hypersomnia.
        new(@"\b(cant|can\s+not|cannot|couldnt|unable\s+to|trouble|struggle\s+to|struggling\s+to|hard\s+to|not|barely)\s+(fall(ing)?\s+a?sleep|sleep(ing)?|stay(ing)?\s+asleep)\b|\binsomnia\b|\bsleeping\s+pills?\b"
            + @"|\bsleep(ing)?\s+(all\s+day|too\s+much|through\s+the\s+day|more\s+than\s+\d+|\d+\s*(\+|plus)?\s*hours)\b|\b(up|awake)\s+all\s+night\b|\boversleep(ing)?\b"
            + @"|\bsleep\s+(pattern|schedule|cycle)\b|\bonly\s+(getting|get|got)\s+(about\s+)?\d+\s+hours\s+of\s+sleep\b|\bwake\s+up\s+(at\s+\d|every\s+(hour|night)|in\s+the\s+middle)\b", Options),
        // A5 psychomotor agitation or retardation (observable slowing or restlessness).
        new(@"\b(cant|can\s+not|cannot)\s+sit\s+still\b|\brestless(ness)?\b|\b(moving|move|talking|talk|thinking)\s+(so\s+|really\s+)?slow(ly)?\b|\bpacing\b|\bfidget(ing|y)?\b|\bslow\s+motion\b"
            + @"|\b(frozen|paralyzed|paralysed)\b|\b(cant|cannot)\s+(move|stop\s+moving)\b|\blying\s+(in\s+bed|on\s+the\s+floor|on\s+the\s+couch)\b|\bstar(e|ing)\s+at\s+the\s+(wall|ceiling)\b", Options),
        // A6 fatigue or loss of energy.
        new(@"\b(always|so|constantly|extremely|really|completely|very|just|incredibly|too)?\s*(tired|exhausted|drained|fatigued|worn\s+out|wiped\s+out)\b|\b(no|zero|lack\s+of|loss\s+of|without)\s+energy\b"
            + @"|\b(cant|cannot|can\s+not)\s+get\s+out\s+of\s+bed\b|\beverything\s+takes\s+(so\s+much\s+)?effort\b|\bfatigue\b", Options),
        // A7 worthlessness or excessive guilt.
        new(@"\b(i\s+am|im|i\s+feel|i\s+felt|feeling|i\s+m)\s+(so\s+|such\s+|completely\s+|totally\s+|just\s+|\w+ly\s+)*(worthless|useless|a\s+failure|a\s+burden|pathetic|a\s+disappointment|a\s+waste|guilty|ashamed|a\s+mess|awkward|weak|nothing)\b"
            + @"|\bhate\s+myself\b|\b(its|it\s+is)\s+all\s+my\s+fault\b|\b(i\s+)?(always\s+)?(ruin|mess\s+up|screw\s+up|messed\s+up|fuck\s+up)\s+(everything|it|things)\b|\b(i\s+)?dont\s+deserve\b"
            + @"|\bnobody\s+(cares|would\s+miss\s+me)\b|\bnot\s+good\s+enough\b|\bbad\s+choices\b|\bso\s+much\s+guilt\b", Options),
        // A8 diminished ability to think or concentrate, or indecisiveness.
        new(@"\b(cant|can\s+not|cannot|couldnt|unable\s+to|trouble|hard\s+to|struggle\s+to|struggling\s+to|hard\s+time)\s+(focus(ing)?|concentrat(e|ing)|think(ing)?(\s+straight)?|remember(ing)?|make\s+(a\s+)?decisions?|decid(e|ing))\b"
            + @"|\bbrain\s+fog\b|\bindecisive(ness)?\b|\bmind\s+(goes|is|went)\s+blank\b|\bforget(ting)?\s+everything\b|\bstruggle\s+to\s+focus\b", Options),
        // A9 recurrent thoughts of death, suicidal ideation.
        new(@"\b(kill|killing|killed)\s+myself\b|\b(want|wanna|wanted|going|wish\s+i\s+(was|were)|rather\s+be)\s+(to\s+)?(die|dead)\b|\bsuicid(e|al)\b|\bend\s+(my\s+life|it\s+all)\b|\btak(e|ing)\s+my\s+(own\s+)?life\b"
            + @"|\bbetter\s+off\s+dead\b|\bno\s+reason\s+to\s+live\b|\bself[\s-]?harm(ing)?\b|\b(dont|do\s+not)\s+want\s+to\s+(live|be\s+alive|wake\s+up|exist)\b|\bnot\s+be\s+here\s+anymore\b|\bthoughts\s+of\s+death\b", Options),
    ];

    private static readonly Regex Past = new(@"\b(used\s+to|years\s+ago|months\s+ago|when\s+i\s+was|back\s+then|in\s+the\s+past|as\s+a\s+(kid|child|teen)|last\s+year|once\s+upon|looking\s+back|i\s+recall|i\s+remember)\b", Options);
    private static readonly Regex Persistent = new(@"\b(every\s+(single\s+)?(day|night|morning)|all\s+the\s+time|for\s+(weeks|months|years|days)|anymore|lately|constantly|always|these\s+days|nowadays|still|right\s+now)\b", Options);
    private static readonly Regex Hypothetical = new(@"\b(if\s+i|what\s+if|would\s+be|imagine|pretend|in\s+the\s+movie|the\s+character)\b", Options);
    private static readonly Regex FirstPerson = new(@"\b(i|im|ive|id|ill|me|my|mine|myself)\b", Options);
    private static readonly Regex Negator = new(@"\b(not|never|no|dont|didnt|doesnt|isnt|wasnt|arent|werent|hardly|barely|nor|without)\b", Options);

    [ThreadStatic] private static char[]? t_folded;

    /// <summary>One matched cue, for evidence.</summary>
    public readonly record struct Cue(int Symptom, int Start, int Length);

    /// <summary>
    /// Scores every symptom into <paramref name="scores"/> (length 9, order of <see cref="Symptoms"/>);
    /// when <paramref name="cues"/> is given, the accepted cue of each matched symptom is added to it.
    /// </summary>
    public static void Score(ReadOnlySpan<char> text, Span<float> scores, List<(int Symptom, string Phrase)>? cues = null)
    {
        if (text.Length > Text.SocialTokenizer.MaxChars)
        {
            text = text[..Text.SocialTokenizer.MaxChars];
        }
        var folded = Fold(text);
        for (var s = 0; s < Cues.Length; s++)
        {
            float best = NoMatch;
            foreach (var m in Cues[s].EnumerateMatches(folded))
            {
                var score = Judge(folded, m.Index, m.Length, damp: s != SuicidalIndex);
                if (score > best)
                {
                    best = score;
                    if (cues is not null)
                    {
                        AddCue(cues, s, folded.Slice(m.Index, m.Length).Trim().ToString());
                    }
                }
            }
            scores[s] = best;
        }
    }

    // A plain loop rather than RemoveAll(lambda): a captured loop variable would allocate a closure on every Score call.
    private static void AddCue(List<(int Symptom, string Phrase)> cues, int symptom, string phrase)
    {
        for (var i = cues.Count - 1; i >= 0; i--)
        {
            if (cues[i].Symptom == symptom)
            {
                cues.RemoveAt(i);
            }
        }
        cues.Add((symptom, phrase));
    }

    /// <summary>Suicidal thoughts are not damped for the past or hypotheticals: "if I go, I'll end my life" is still ideation.</summary>
    private const int SuicidalIndex = 8;

    private static float Judge(ReadOnlySpan<char> folded, int start, int length, bool damp)
    {
        // The sentence around the match.
        var from = start;
        while (from > 0 && folded[from - 1] is not ('.' or '!' or '?' or '\n' or ';'))
        {
            from--;
        }
        var to = start + length;
        while (to < folded.Length && folded[to] is not ('.' or '!' or '?' or '\n' or ';'))
        {
            to++;
        }
        var sentence = folded[from..to];
        if (!FirstPerson.IsMatch(sentence))
        {
            return NoMatch;
        }
        // A negator in the three words before the cue ("I'm not tired", "don't feel hopeless").
        var before = folded[from..start];
        var words = 0;
        var k = before.Length;
        while (k > 0 && words < 3)
        {
            while (k > 0 && !char.IsLetter(before[k - 1])) k--;
            var end = k;
            while (k > 0 && char.IsLetter(before[k - 1])) k--;
            if (end > k)
            {
                words++;
                if (Negator.IsMatch(before[k..end]))
                {
                    return NoMatch;
                }
            }
        }
        var score = Matched;
        if (damp && Past.IsMatch(sentence))
        {
            score *= 0.7f; // history, possibly not the current episode
        }
        if (damp && Hypothetical.IsMatch(sentence))
        {
            score *= 0.7f;
        }
        if (Persistent.IsMatch(sentence))
        {
            score = MathF.Min(0.95f, score + 0.15f);
        }
        return score;
    }

    private static ReadOnlySpan<char> Fold(ReadOnlySpan<char> text)
    {
        var buf = t_folded;
        if (buf is null || buf.Length < text.Length)
        {
            buf = t_folded = new char[Math.Max(256, text.Length)];
        }
        var n = 0;
        foreach (var c in text)
        {
            if (c is '\'' or '\u2019' or '`')
            {
                continue;
            }
            buf[n++] = c is '\u2014' or '\u2013' ? ' ' : char.ToLowerInvariant(c);
        }
        return buf.AsSpan(0, n);
    }
}
