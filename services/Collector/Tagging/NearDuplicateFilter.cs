namespace Monitoring.Collector.Tagging;

/// <summary>
/// Finds reposted and copy-pasted text with MinHash (Broder 1997) over word 2-shingles of the folded text
/// (placeholders removed). Two posts are near-duplicates when their estimated Jaccard similarity is at least
/// <see cref="Threshold"/>; one edited word in a twenty-word post leaves it near 0.8, two different posts on the same
/// subject stay near 0.1. Candidates come from locality-sensitive hashing: <see cref="Bands"/> bands of
/// <see cref="Rows"/> rows, so a pair at Jaccard 0.7 becomes a candidate with probability 1 − (1 − 0.7⁴)¹² ≈ 0.96.
/// SimHash was tried first and rejected: on posts this short, one edited word moved fingerprints as far as a
/// different post on the same subject. The window holds recent posts in memory and restarts empty (seen_posts still
/// stops exact repeats of a post id across restarts).
/// </summary>
public sealed class NearDuplicateFilter
{
    public const double Threshold = 0.6;
    public const int Bands = 12;
    public const int Rows = 4;
    private const int Hashes = Bands * Rows;

    private readonly int _window;
    private readonly int _minWords;
    private readonly uint[]?[] _signatures;
    private readonly Dictionary<(int Band, ulong Key), List<int>> _buckets = new();
    private readonly HashSet<string> _shortTexts = new();
    private readonly Queue<string> _shortOrder = new();
    private readonly Lock _lock = new();
    private int _next;
    private int _count;

    public NearDuplicateFilter(int window, int minWords)
    {
        _window = Math.Max(1, window);
        _minWords = minWords;
        _signatures = new uint[_window][];
    }

    /// <summary>True when the text is new (and remembers it); false when it near-duplicates a recent post.</summary>
    public bool TryAdd(string text)
    {
        var words = Words(text);
        lock (_lock)
        {
            if (words.Count < _minWords)
            {
                // Short posts: under four words never (common phrases are not reposts); otherwise only identical text.
                if (words.Count < 4) return true;
                var key = string.Join(' ', words);
                if (!_shortTexts.Add(key)) return false;
                _shortOrder.Enqueue(key);
                if (_shortOrder.Count > _window) _shortTexts.Remove(_shortOrder.Dequeue());
                return true;
            }
            var signature = Signature(words);
            var checkedSlots = new HashSet<int>();
            for (var band = 0; band < Bands; band++)
            {
                if (!_buckets.TryGetValue((band, BandKey(signature, band)), out var slots)) continue;
                foreach (var slot in slots)
                {
                    if (checkedSlots.Add(slot) && Similarity(signature, _signatures[slot]!) >= Threshold) return false;
                }
            }
            if (_count == _window) Evict(_next);
            else _count++;
            _signatures[_next] = signature;
            for (var band = 0; band < Bands; band++)
            {
                var key = (band, BandKey(signature, band));
                if (!_buckets.TryGetValue(key, out var list)) _buckets[key] = list = [];
                list.Add(_next);
            }
            _next = (_next + 1) % _window;
            return true;
        }
    }

    /// <summary>
    /// Takes back a text this filter just accepted, because the post it came with was not stored after all (the intake
    /// transaction failed): a retry of the same post must not be judged a near-duplicate of itself.
    /// </summary>
    public void Forget(string text)
    {
        var words = Words(text);
        lock (_lock)
        {
            if (words.Count < _minWords)
            {
                if (words.Count >= 4) _shortTexts.Remove(string.Join(' ', words));
                return;
            }
            var signature = Signature(words);
            if (!_buckets.TryGetValue((0, BandKey(signature, 0)), out var slots)) return;
            // The most recent slot holding exactly this signature is the one the failed attempt added.
            for (var i = slots.Count - 1; i >= 0; i--)
            {
                var slot = slots[i];
                if (!_signatures[slot].AsSpan().SequenceEqual(signature)) continue;
                Evict(slot);
                _signatures[slot] = null;
                return;
            }
        }
    }

    /// <summary>The share of equal positions of two signatures estimates the Jaccard similarity of their shingle sets.</summary>
    public static double Similarity(uint[] a, uint[] b)
    {
        var equal = 0;
        for (var i = 0; i < a.Length; i++) if (a[i] == b[i]) equal++;
        return (double)equal / a.Length;
    }

    public static uint[] Signature(IReadOnlyList<string> words)
    {
        var signature = new uint[Hashes];
        Array.Fill(signature, uint.MaxValue);
        for (var i = 0; i == 0 || i + 1 < words.Count; i++)
        {
            var shingle = Hash64(words.Count == 1 ? words[0] : words[i] + " " + words[i + 1]);
            for (var h = 0; h < Hashes; h++)
            {
                var value = (uint)Mix(shingle ^ (0x9E3779B97F4A7C15UL * (ulong)(h + 1)));
                if (value < signature[h]) signature[h] = value;
            }
        }
        return signature;
    }

    public static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var raw in TextFolding.Fold(text).Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw is "<url>" or "<user>") continue;
            var w = new string(raw.Where(char.IsLetterOrDigit).ToArray());
            if (w.Length > 0) words.Add(w);
        }
        return words;
    }

    private static ulong BandKey(uint[] signature, int band)
    {
        var key = 14695981039346656037UL;
        for (var r = 0; r < Rows; r++) key = (key ^ signature[band * Rows + r]) * 1099511628211UL;
        return key;
    }

    /// <summary>FNV-1a over UTF-16 code units, finished with <see cref="Mix"/>.</summary>
    private static ulong Hash64(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var c in s) h = (h ^ c) * 1099511628211UL;
        return Mix(h);
    }

    /// <summary>The SplitMix64 finaliser: every output bit depends on every input bit.</summary>
    private static ulong Mix(ulong h)
    {
        h ^= h >> 30; h *= 0xbf58476d1ce4e5b9UL;
        h ^= h >> 27; h *= 0x94d049bb133111ebUL;
        return h ^ (h >> 31);
    }

    private void Evict(int slot)
    {
        if (_signatures[slot] is not { } old) return; // forgotten already
        for (var band = 0; band < Bands; band++)
        {
            var key = (band, BandKey(old, band));
            if (_buckets.TryGetValue(key, out var list))
            {
                list.Remove(slot);
                if (list.Count == 0) _buckets.Remove(key);
            }
        }
    }
}
