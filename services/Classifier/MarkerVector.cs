using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Monitoring.Classifier;

/// <summary>
/// Marker probabilities as a read-only dictionary over a shared, immutable name index and one array of
/// values: a post's scores cost one small array instead of a hash table (it serialises like any dictionary).
/// </summary>
public sealed class MarkerVector(MarkerIndex index, double[] values) : IReadOnlyDictionary<string, double>
{
    public double this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => index.Names;

    public IEnumerable<double> Values => values;

    public int Count => values.Length;

    public bool ContainsKey(string key) => index.IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value)
    {
        var i = index.IndexOf(key);
        value = i >= 0 ? values[i] : 0;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
    {
        for (var i = 0; i < values.Length; i++)
        {
            yield return new KeyValuePair<string, double>(index.Names[i], values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Marker names in a fixed order with an index from name to position.</summary>
public sealed class MarkerIndex
{
    private readonly Dictionary<string, int> _byName;

    public MarkerIndex(IReadOnlyList<string> names)
    {
        Names = names;
        _byName = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Names { get; }

    public int IndexOf(string name) => _byName.TryGetValue(name, out var i) ? i : -1;
}
