using System.Runtime.CompilerServices;
using Monitoring.Classifier.Text;

namespace Monitoring.Classifier.Features;

/// <summary>
/// How text becomes a feature vector. Stored in every model file, so a model is always scored with
/// the features it was trained on.
/// </summary>
/// <param name="HashBits">The hashed space has 2^HashBits slots, shared by word and character n-grams.</param>
public sealed record FeatureSpec(int HashBits = 17, int CharMin = 2, int CharMax = 5, float WordWeight = 1f, float CharWeight = 1f)
{
    public int HashSize => 1 << HashBits;

    /// <summary>Hashed slots plus the dense lexicon and style features after them.</summary>
    public int Dimension => HashSize + FeatureExtractor.DenseCount;
}

/// <summary>A sparse feature vector in a reusable buffer (indices may repeat across blocks; every use is linear).</summary>
public sealed class FeatureVector
{
    public int[] Index = new int[512];
    public float[] Value = new float[512];
    public int Count;

    public ReadOnlySpan<int> Indices => Index.AsSpan(0, Count);

    public ReadOnlySpan<float> Values => Value.AsSpan(0, Count);

    internal void Add(int index, float value)
    {
        if (Count == Index.Length)
        {
            Array.Resize(ref Index, Count * 2);
            Array.Resize(ref Value, Count * 2);
        }
        Index[Count] = index;
        Value[Count++] = value;
    }
}

/// <summary>
/// Word 1–2-grams and character 2–5-grams (within words, with boundary marks) hashed into one signed
/// space — the hashing trick of Weinberger et al. (2009): models stay small and fixed-size, nothing
/// of the training vocabulary is stored (FIG-Loneliness text must not be redistributed), and scoring
/// needs no dictionary look-up. Each block is log-scaled and L2-normalised so long and short posts
/// are comparable. Dense lexicon features (VADER, AFINN, negation, style) follow the hashed slots.
/// </summary>
public sealed class FeatureExtractor
{
    public const int DenseCount = 16;

    private const uint SeedWord = 0x9E3779B1u;
    private const uint SeedBigram = 0x85EBCA77u;
    private const uint SeedChar = 0xC2B2AE3Du;
    private const uint NegSalt = 0x27D4EB2Fu;
    private const int MaxCharGramWord = 24;

    private readonly FeatureSpec _spec;
    private readonly Lexicons _lexicons;
    private readonly int _mask;

    public FeatureExtractor(FeatureSpec spec, Lexicons? lexicons = null)
    {
        _spec = spec;
        _lexicons = lexicons ?? Lexicons.Default;
        _mask = spec.HashSize - 1;
    }

    public FeatureSpec Spec => _spec;

    [ThreadStatic] private static Scratch? t_scratch;

    private sealed class Scratch(int size)
    {
        public readonly float[] Dense = new float[size];
        public readonly int[] Touched = new int[size];
        public int TouchedCount;
        public readonly uint[] UniHash = new uint[256];
    }

    /// <summary>Extracts into <paramref name="output"/>, which is cleared first. Allocation-free after warm-up.</summary>
    public void Extract(TokenBuffer tokens, FeatureVector output)
    {
        output.Count = 0;
        var s = t_scratch;
        if (s is null || s.Dense.Length != _spec.HashSize)
        {
            s = t_scratch = new Scratch(_spec.HashSize);
        }
        var uni = s.UniHash.Length >= tokens.Count ? s.UniHash : new uint[tokens.Count];

        // Word unigrams (negated ones hashed apart: "happy" under "not" is another feature) and bigrams.
        for (var i = 0; i < tokens.Count; i++)
        {
            ref readonly var t = ref tokens.Tokens[i];
            var h = Hash(tokens.Text(t), SeedWord);
            uni[i] = h;
            Touch(s, t.Negated ? Mix(h ^ NegSalt) : h);
            if (i > 0)
            {
                Touch(s, Mix(uni[i - 1] * 0x01000193u ^ h ^ SeedBigram));
            }
        }
        Flush(s, output, _spec.WordWeight);

        // Character n-grams inside word tokens, with '\u0002' and '\u0003' as the word boundaries.
        Span<char> padded = stackalloc char[MaxCharGramWord + 2];
        for (var i = 0; i < tokens.Count; i++)
        {
            ref readonly var t = ref tokens.Tokens[i];
            if (t.Kind is not (TokenKind.Word or TokenKind.Hashtag))
            {
                continue;
            }
            var text = tokens.Text(t);
            if (text.Length > MaxCharGramWord)
            {
                text = text[..MaxCharGramWord];
            }
            padded[0] = '\u0002';
            text.CopyTo(padded[1..]);
            padded[text.Length + 1] = '\u0003';
            var w = padded[..(text.Length + 2)];
            for (var start = 0; start < w.Length; start++)
            {
                var h = SeedChar ^ 2166136261u;
                var maxLen = Math.Min(_spec.CharMax, w.Length - start);
                for (var n = 1; n <= maxLen; n++)
                {
                    h = (h ^ w[start + n - 1]) * 16777619u;
                    if (n >= _spec.CharMin)
                    {
                        Touch(s, Mix(h + (uint)n));
                    }
                }
            }
        }
        Flush(s, output, _spec.CharWeight);

        AddDense(tokens, output);
    }

    /// <summary>The signed hashed slot of a word unigram, for evidence look-ups.</summary>
    public (int Index, float Sign) UnigramSlot(ReadOnlySpan<char> token, bool negated)
    {
        var h = Hash(token, SeedWord);
        if (negated)
        {
            h = Mix(h ^ NegSalt);
        }
        return ((int)(h & (uint)_mask), (h & 0x80000000u) == 0 ? 1f : -1f);
    }

    /// <summary>The signed hashed slot of a word bigram, for evidence look-ups.</summary>
    public (int Index, float Sign) BigramSlot(ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        var h = Mix(Hash(first, SeedWord) * 0x01000193u ^ Hash(second, SeedWord) ^ SeedBigram);
        return ((int)(h & (uint)_mask), (h & 0x80000000u) == 0 ? 1f : -1f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Touch(Scratch s, uint h)
    {
        var idx = (int)(h & (uint)_mask);
        // The top bit gives the sign, so collisions cancel in expectation instead of piling up.
        var sign = (h & 0x80000000u) == 0 ? 1f : -1f;
        if (s.Dense[idx] == 0f)
        {
            s.Touched[s.TouchedCount++] = idx;
        }
        s.Dense[idx] += sign;
        if (s.Dense[idx] == 0f)
        {
            s.Dense[idx] = 1e-30f; // keep it marked as touched; its value is effectively zero
        }
    }

    private static void Flush(Scratch s, FeatureVector output, float blockWeight)
    {
        var first = output.Count;
        double norm = 0;
        for (var k = 0; k < s.TouchedCount; k++)
        {
            var idx = s.Touched[k];
            var v = s.Dense[idx];
            s.Dense[idx] = 0f;
            var a = MathF.Abs(v);
            if (a < 0.5f)
            {
                continue;
            }
            // Sublinear term frequency (1 + log tf): repeating a word ten times is not ten times the evidence.
            var scaled = MathF.CopySign(1f + MathF.Log(a), v);
            norm += scaled * scaled;
            output.Add(idx, scaled);
        }
        s.TouchedCount = 0;
        if (norm > 0)
        {
            var inv = (float)(blockWeight / Math.Sqrt(norm));
            for (var k = first; k < output.Count; k++)
            {
                output.Value[k] *= inv;
            }
        }
    }

    private void AddDense(TokenBuffer tokens, FeatureVector output)
    {
        float vPos = 0, vNeg = 0, aPos = 0, aNeg = 0, vMax = 0;
        int negators = 0, excl = 0, quest = 0, caps = 0, words = 0, elong = 0, emoji = 0, negatedTokens = 0, firstPerson = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            ref readonly var t = ref tokens.Tokens[i];
            var text = tokens.Text(t);
            switch (t.Kind)
            {
                case TokenKind.Exclamation: excl++; continue;
                case TokenKind.Question: quest++; continue;
                case TokenKind.Emoji or TokenKind.Emoticon: emoji++; break;
                case TokenKind.Word or TokenKind.Hashtag:
                    words++;
                    if (t.AllCaps) caps++;
                    if (IsFirstPerson(text)) firstPerson++;
                    break;
            }
            if (t.IsNegator) negators++;
            if (t.Negated) negatedTokens++;
            if (t.Elongated) elong++;
            var v = LookupWithElongation(text, t.Elongated, isVader: true);
            var a = LookupWithElongation(text, t.Elongated, isVader: false);
            // VADER's rules: capitals intensify (+0.733), negation flips and damps (×−0.74).
            if (t.AllCaps && v != 0) v += MathF.CopySign(0.733f, v);
            if (t.Negated)
            {
                v *= -0.74f;
                a *= -0.74f;
            }
            if (v > 0) vPos += v; else vNeg -= v;
            if (a > 0) aPos += a; else aNeg -= a;
            vMax = MathF.Max(vMax, MathF.Abs(v));
        }
        var n = tokens.Count;
        var baseIdx = 1 << _spec.HashBits;
        var vSum = vPos - vNeg;
        var aSum = aPos - aNeg;
        Span<float> d =
        [
            MathF.Tanh(vPos / 4f),
            MathF.Tanh(vNeg / 4f),
            vSum / MathF.Sqrt(vSum * vSum + 15f), // VADER's compound normalisation (alpha = 15)
            MathF.Tanh(aPos / 5f),
            MathF.Tanh(aNeg / 5f),
            aSum / MathF.Sqrt(aSum * aSum + 15f),
            vMax / 4.7f,
            MathF.Tanh(negators),
            n == 0 ? 0 : (float)negatedTokens / n,
            MathF.Tanh(excl),
            MathF.Tanh(quest),
            words == 0 ? 0 : (float)caps / words,
            MathF.Log(1 + n) / 6f,
            MathF.Tanh(elong),
            MathF.Tanh(emoji),
            words == 0 ? 0 : MathF.Min(1f, 4f * firstPerson / words),
        ];
        for (var k = 0; k < DenseCount; k++)
        {
            if (d[k] != 0)
            {
                output.Add(baseIdx + k, d[k]);
            }
        }
    }

    private float LookupWithElongation(ReadOnlySpan<char> text, bool elongated, bool isVader)
    {
        var v = isVader ? _lexicons.Vader(text) : _lexicons.Afinn(text);
        if (v != 0 || !elongated || text.Length > 64)
        {
            return v;
        }
        // "loove" was "looooove": try with doubled letters made single.
        Span<char> buf = stackalloc char[text.Length];
        var len = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (i > 0 && text[i] == text[i - 1])
            {
                continue;
            }
            buf[len++] = text[i];
        }
        var shorter = buf[..len];
        return isVader ? _lexicons.Vader(shorter) : _lexicons.Afinn(shorter);
    }

    internal static bool IsFirstPerson(ReadOnlySpan<char> w) =>
        w is "i" or "me" or "my" or "mine" or "myself" or "im" or "ive" or "id" or "ill";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Hash(ReadOnlySpan<char> s, uint seed)
    {
        var h = seed ^ 2166136261u; // FNV-1a, then the murmur3 finaliser for avalanche
        foreach (var c in s)
        {
            h = (h ^ c) * 16777619u;
        }
        return Mix(h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        return h;
    }
}
