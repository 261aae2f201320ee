using Monitoring.Classifier.Dsm5;
using Monitoring.Classifier.Features;
using Monitoring.Classifier.Models;
using Monitoring.Classifier.Polarization;
using Monitoring.Classifier.Text;
using Monitoring.Contracts;

namespace Monitoring.Classifier;

/// <summary>The full verdict on one text, for the <c>classify</c> command and for tests.</summary>
public sealed record ClassificationDetail(
    IReadOnlyDictionary<string, double> Probabilities,
    IReadOnlyList<string> Flagged,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Evidence,
    bool LowConfidence);

/// <summary>
/// Scores a post on every per-post marker of the catalogue (the author-level dsm5.episode_screen is the
/// Forecaster's): the emotion, loneliness and hostility models over one shared feature vector, the
/// polarization rules over them, and the DSM-5 patterns (or a supervised DSM-5 model when one is installed).
/// Thread-safe; scratch space is per thread. The post text never leaves this class: only scores and
/// short evidence n-grams do.
/// </summary>
public sealed class PostClassifier
{
    private const int EvidencePerMarker = 3;

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoEvidence = new EvidenceMap([], []);

    private readonly ModelSet _models;
    private readonly FeatureExtractor _extractor;
    private readonly (LinearModel Model, int[] MarkerOf)[] _linear;
    private readonly int _hostility;
    private readonly int _outgroup;
    private readonly int _affective;
    private readonly int _positive;
    private readonly int _negative;
    private readonly int[] _dsm5;
    private readonly double[] _threshold;
    private readonly double[] _prior;

    [ThreadStatic] private static FeatureVector? t_features;
    [ThreadStatic] private static float[]? t_scratch;

    public PostClassifier(ModelSet models)
    {
        _models = models;
        Markers = new MarkerIndex(MarkerCatalogue.All.Where(m => m.Name != MarkerCatalogue.EpisodeScreen).Select(m => m.Name).ToList());
        var spec = models.Emotions.Spec;
        foreach (var m in new[] { models.Loneliness, models.Hostility, models.Dsm5 })
        {
            if (m is not null && m.Spec != spec)
            {
                throw new ModelLoadException($"Model '{m.Header.Task}' was trained with features {m.Spec}, but the emotion model with {spec}; retrain it so all models share one feature space.");
            }
        }
        _extractor = new FeatureExtractor(spec);
        var linear = new List<LinearModel> { models.Emotions, models.Loneliness, models.Hostility };
        if (models.Dsm5 is not null)
        {
            linear.Add(models.Dsm5);
        }
        _linear = linear.Select(m => (m, m.Labels.Select(l => Markers.IndexOf(l.Name)).ToArray())).ToArray();
        foreach (var (m, markerOf) in _linear)
        {
            var unknown = m.Labels.Where((l, i) => markerOf[i] < 0).Select(l => l.Name).ToList();
            if (unknown.Count > 0)
            {
                throw new ModelLoadException($"Model '{m.Header.Task}' scores labels that are not catalogue markers: {string.Join(", ", unknown)}.");
            }
        }
        _hostility = Markers.IndexOf("hostility");
        _outgroup = Markers.IndexOf("polarization.outgroup");
        _affective = Markers.IndexOf("polarization.affective");
        _positive = Markers.IndexOf("sentiment.positive");
        _negative = Markers.IndexOf("sentiment.negative");
        _dsm5 = Dsm5Patterns.Symptoms.Select(s => Markers.IndexOf("dsm5." + s)).ToArray();

        _threshold = new double[Markers.Names.Count];
        _prior = new double[Markers.Names.Count];
        var rates = new Dictionary<string, MarkerRates>(StringComparer.Ordinal);
        foreach (var (m, markerOf) in _linear)
        {
            for (var i = 0; i < m.Labels.Count; i++)
            {
                var l = m.Labels[i];
                _threshold[markerOf[i]] = l.Threshold;
                _prior[markerOf[i]] = l.Prior;
                rates[l.Name] = new MarkerRates(l.Threshold, l.Tpr, l.Fpr);
            }
        }
        // Rule markers have no labelled held-apart data: TPR 1 and FPR 0 make adjusted counting equal
        // classify-and-count for them, which is the honest default (docs/markers.md).
        foreach (var name in new[] { "polarization.outgroup", "polarization.affective" })
        {
            _threshold[Markers.IndexOf(name)] = PolarizationRules.Threshold;
            _prior[Markers.IndexOf(name)] = 0;
            rates[name] = new MarkerRates(PolarizationRules.Threshold, 1, 0);
        }
        if (models.Dsm5 is null)
        {
            foreach (var i in _dsm5)
            {
                _threshold[i] = Dsm5Patterns.Threshold;
                _prior[i] = Dsm5Patterns.NoMatch;
                rates[Markers.Names[i]] = new MarkerRates(Dsm5Patterns.Threshold, 1, 0);
            }
        }
        Rates = rates;
        ModelVersion = models.Version;
    }

    /// <summary>Loads the models from <paramref name="directory"/> (default <see cref="ModelSet.DefaultDirectory"/>).</summary>
    public static PostClassifier Load(string? directory = null) => new(ModelSet.Load(directory));

    public MarkerIndex Markers { get; }

    public string ModelVersion { get; }

    /// <summary>The model version behind each marker (announced to the Dashboard's catalogue).</summary>
    public IReadOnlyList<MarkerModel> MarkerModels() => _models.MarkerModels();

    /// <summary>Each marker's threshold and measured TPR/FPR, for adjusted counting downstream.</summary>
    public IReadOnlyDictionary<string, MarkerRates> Rates { get; }

    public double Threshold(int marker) => _threshold[marker];

    /// <summary>
    /// Scores every marker into <paramref name="probabilities"/> (in <see cref="Markers"/> order).
    /// Returns false (low confidence) when the language is not supported or there is nothing to read;
    /// the scores are then the training base rates. Never NaN. Allocation-free after warm-up.
    /// </summary>
    public bool Score(ReadOnlySpan<char> text, string? language, IReadOnlyList<string>? topics, Span<double> probabilities)
    {
        var tokens = SocialTokenizer.TokenizeShared(text);
        if (tokens.Count == 0 || !LanguageGuard.IsSupported(language, tokens, text))
        {
            _prior.CopyTo(probabilities);
            return false;
        }
        var features = t_features ??= new FeatureVector();
        _extractor.Extract(tokens, features);
        var scratch = t_scratch ??= new float[128];
        foreach (var (model, markerOf) in _linear)
        {
            var probs = scratch.AsSpan(0, model.Labels.Count);
            model.Predict(features, probs);
            for (var i = 0; i < probs.Length; i++)
            {
                probabilities[markerOf[i]] = probs[i];
            }
        }
        if (_models.Dsm5 is null)
        {
            var dsm = scratch.AsSpan(0, _dsm5.Length);
            Dsm5Patterns.Score(text, dsm);
            for (var i = 0; i < _dsm5.Length; i++)
            {
                probabilities[_dsm5[i]] = dsm[i];
            }
        }
        var pol = PolarizationRules.Score(text, (float)probabilities[_hostility], topics);
        probabilities[_outgroup] = pol.Outgroup;
        probabilities[_affective] = pol.Affective;
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (!double.IsFinite(probabilities[i]))
            {
                probabilities[i] = _prior[i];
            }
        }
        return true;
    }

    /// <summary>Valence toward the post's topic for the polarization index: P(positive) − P(negative).</summary>
    public double Valence(IReadOnlyDictionary<string, double> probabilities) =>
        probabilities[Markers.Names[_positive]] - probabilities[Markers.Names[_negative]];

    /// <summary>Scores a collected post into the message the Classifier publishes (no text in it).</summary>
    public ClassifiedPost Classify(CollectedPost post) => ToMessage(post, Detail(post.Text, post.Language, post.Topics));

    /// <summary>
    /// As <see cref="Classify"/>, but false for a post the models do not cover (its language): the Classifier leaves
    /// such posts out rather than guess.
    /// </summary>
    public bool TryClassify(CollectedPost post, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ClassifiedPost? classified)
    {
        var detail = Detail(post.Text, post.Language, post.Topics);
        classified = detail.LowConfidence ? null : ToMessage(post, detail);
        return classified is not null;
    }

    private static ClassifiedPost ToMessage(CollectedPost post, ClassificationDetail detail) =>
        new(post.PostId, post.PublishedAt, post.AuthorKey, post.Language, post.Region, post.Community, post.Topics,
            detail.Probabilities, detail.Flagged, detail.Evidence);

    /// <summary>Probabilities, flagged markers and evidence n-grams for one text.</summary>
    public ClassificationDetail Detail(string text, string? language = null, IReadOnlyList<string>? topics = null)
    {
        var values = new double[Markers.Names.Count];
        var supported = Score(text, language, topics, values);
        var probabilities = new MarkerVector(Markers, values);
        if (!supported)
        {
            return new ClassificationDetail(probabilities, [], NoEvidence, true);
        }
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] >= _threshold[i]) count++;
        }
        if (count == 0)
        {
            return new ClassificationDetail(probabilities, [], NoEvidence, false);
        }
        // Exact-size arrays, and evidence as a view over them: the published message is most of what a post costs.
        var flagged = new string[count];
        var flaggedIndex = new int[count];
        count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] >= _threshold[i])
            {
                flaggedIndex[count] = i;
                flagged[count++] = Markers.Names[i];
            }
        }
        return new ClassificationDetail(probabilities, flagged, BuildEvidence(text, topics, flagged, flaggedIndex, values), false);
    }

    private EvidenceMap BuildEvidence(string text, IReadOnlyList<string>? topics, string[] flagged, int[] flaggedIndex, double[] values)
    {
        // Re-tokenize: Score() used the same per-thread buffer, but keep this independent of call order.
        var tokens = SocialTokenizer.TokenizeShared(text);
        var evidence = new IReadOnlyList<string>[flagged.Length];
        List<(int Symptom, string Phrase)>? cues = null;
        (string? Outgroup, bool Done) pol = default;
        var strings = new GramStrings();
        for (var f = 0; f < flagged.Length; f++)
        {
            var name = flagged[f];
            var marker = flaggedIndex[f];
            if (_models.Dsm5 is null && Array.IndexOf(_dsm5, marker) is var s && s >= 0)
            {
                if (cues is null)
                {
                    cues = [];
                    Dsm5Patterns.Score(text, new float[_dsm5.Length], cues);
                }
                evidence[f] = cues.Where(c => c.Symptom == s).Select(c => c.Phrase).ToArray();
                continue;
            }
            if (marker == _outgroup || marker == _affective)
            {
                if (!pol.Done)
                {
                    pol = (PolarizationRules.Score(text, (float)values[_hostility], topics).OutgroupCue, true);
                }
                evidence[f] = pol.Outgroup is null ? [] : [pol.Outgroup];
                continue;
            }
            evidence[f] = LinearEvidence(name, tokens, values, ref strings);
        }
        return new EvidenceMap(flagged, evidence);
    }

    /// <summary>The evidence strings of one post, made once each even when several markers cite the same n-gram.</summary>
    private struct GramStrings
    {
        private (int Token, bool Bigram, string Value)[]? _made;
        private int _count;

        public string Get(TokenBuffer tokens, int i, bool bigram)
        {
            for (var k = 0; k < _count; k++)
            {
                if (_made![k].Token == i && _made[k].Bigram == bigram) return _made[k].Value;
            }
            string value;
            if (bigram)
            {
                var a = tokens.Text(tokens.Tokens[i - 1]);
                var b = tokens.Text(tokens.Tokens[i]);
                value = string.Concat(a, " ", b);
            }
            else if (tokens.Tokens[i].Negated)
            {
                value = string.Concat("not ", tokens.Text(tokens.Tokens[i]));
            }
            else
            {
                value = tokens.TokenString(i);
            }
            _made ??= new (int, bool, string)[8];
            if (_count == _made.Length) Array.Resize(ref _made, _count * 2);
            _made[_count++] = (i, bigram, value);
            return value;
        }
    }

    /// <summary>
    /// The word n-grams of the post with the largest positive weight·value for the marker's head; for a
    /// roll-up served as the maximum of its members, the evidence of the strongest member.
    /// </summary>
    private string[] LinearEvidence(string marker, TokenBuffer tokens, double[] values, ref GramStrings strings)
    {
        foreach (var (model, markerOf) in _linear)
        {
            for (var li = 0; li < model.Labels.Count; li++)
            {
                if (model.Labels[li].Name != marker)
                {
                    continue;
                }
                var label = model.Labels[li];
                if (label.Source == "max")
                {
                    string? best = null;
                    var bestValue = double.NegativeInfinity;
                    foreach (var m in label.Members)
                    {
                        var v = values[Markers.IndexOf(m)];
                        if (v > bestValue) (best, bestValue) = (m, v);
                    }
                    return best is null ? [] : LinearEvidence(best, tokens, values, ref strings);
                }
                var head = model.HeadIndexOf(li);
                var heads = model.Heads;
                var w = model.Weights;
                // Keep the best few (token index, is-bigram) in a tiny insertion-sorted array; strings only for the winners.
                Span<(float Score, int Token, bool Bigram)> top = stackalloc (float, int, bool)[EvidencePerMarker];
                var kept = 0;
                for (var i = 0; i < tokens.Count; i++)
                {
                    ref readonly var t = ref tokens.Tokens[i];
                    if (!IsEvidenceToken(t))
                    {
                        continue;
                    }
                    var (idx, sign) = _extractor.UnigramSlot(tokens.Text(t), t.Negated);
                    Offer(top, ref kept, (w[(long)idx * heads + head] * sign, i, false), tokens);
                    if (i > 0 && IsEvidenceToken(tokens.Tokens[i - 1]))
                    {
                        var (bi, bs) = _extractor.BigramSlot(tokens.Text(tokens.Tokens[i - 1]), tokens.Text(t));
                        Offer(top, ref kept, (w[(long)bi * heads + head] * bs, i, true), tokens);
                    }
                }
                if (kept == 0)
                {
                    return [];
                }
                var result = new string[kept];
                for (var k = 0; k < kept; k++)
                {
                    var (_, i, bigram) = top[k];
                    result[k] = strings.Get(tokens, i, bigram);
                }
                return result;
            }
        }
        return [];
    }

    private static void Offer(Span<(float Score, int Token, bool Bigram)> top, ref int kept, (float Score, int Token, bool Bigram) c, TokenBuffer tokens)
    {
        if (c.Score <= 0)
        {
            return;
        }
        // The same n-gram twice in a post is one piece of evidence.
        for (var k = 0; k < kept; k++)
        {
            if (top[k].Bigram == c.Bigram && SameGram(tokens, top[k].Token, c.Token, c.Bigram))
            {
                return;
            }
        }
        int pos;
        if (kept < top.Length)
        {
            pos = kept++;
        }
        else
        {
            if (top[^1].Score >= c.Score)
            {
                return;
            }
            pos = top.Length - 1;
        }
        top[pos] = c;
        while (pos > 0 && top[pos - 1].Score < top[pos].Score)
        {
            (top[pos - 1], top[pos]) = (top[pos], top[pos - 1]);
            pos--;
        }
    }

    private static bool SameGram(TokenBuffer tokens, int a, int b, bool bigram)
    {
        if (!tokens.Text(tokens.Tokens[a]).SequenceEqual(tokens.Text(tokens.Tokens[b])) || tokens.Tokens[a].Negated != tokens.Tokens[b].Negated)
        {
            return false;
        }
        return !bigram || tokens.Text(tokens.Tokens[a - 1]).SequenceEqual(tokens.Text(tokens.Tokens[b - 1]));
    }

    /// <summary>Words, hashtags, emoji and emoticons; never placeholders or numbers (they could identify someone).</summary>
    private static bool IsEvidenceToken(in Token t) => t.Kind is TokenKind.Word or TokenKind.Hashtag or TokenKind.Emoji or TokenKind.Emoticon;
}

/// <summary>Evidence per flagged marker as a read-only dictionary over two parallel arrays (no hash table per post).</summary>
internal sealed class EvidenceMap(string[] keys, IReadOnlyList<string>[] values) : IReadOnlyDictionary<string, IReadOnlyList<string>>
{
    public IReadOnlyList<string> this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => keys;

    public IEnumerable<IReadOnlyList<string>> Values => values;

    public int Count => keys.Length;

    public bool ContainsKey(string key) => Array.IndexOf(keys, key) >= 0;

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out IReadOnlyList<string> value)
    {
        var i = Array.IndexOf(keys, key);
        value = i >= 0 ? values[i] : null;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<string, IReadOnlyList<string>>> GetEnumerator()
    {
        for (var i = 0; i < keys.Length; i++)
        {
            yield return new KeyValuePair<string, IReadOnlyList<string>>(keys[i], values[i]);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
