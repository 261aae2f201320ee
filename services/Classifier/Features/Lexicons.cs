using System.Globalization;

namespace Monitoring.Classifier.Features;

/// <summary>
/// The sentiment lexicons, shipped as embedded resources with their licences beside them in
/// Features/Lexicons: VADER (Hutto and Gilbert 2014, MIT) and AFINN-165 with its emoticon list
/// (Nielsen 2011, Apache-2.0).
/// </summary>
public sealed class Lexicons
{
    public static Lexicons Default { get; } = Load();

    private readonly Dictionary<string, float> _vader;
    private readonly Dictionary<string, float> _afinn;
    private readonly Dictionary<string, float>.AlternateLookup<ReadOnlySpan<char>> _vaderLookup;
    private readonly Dictionary<string, float>.AlternateLookup<ReadOnlySpan<char>> _afinnLookup;

    private Lexicons(Dictionary<string, float> vader, Dictionary<string, float> afinn)
    {
        _vader = vader;
        _afinn = afinn;
        _vaderLookup = vader.GetAlternateLookup<ReadOnlySpan<char>>();
        _afinnLookup = afinn.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int VaderCount => _vader.Count;

    public int AfinnCount => _afinn.Count;

    /// <summary>VADER mean valence (−4..+4), or 0 when the token is not in the lexicon.</summary>
    public float Vader(ReadOnlySpan<char> token) => _vaderLookup.TryGetValue(token, out var v) ? v : 0f;

    /// <summary>AFINN valence (−5..+5), or 0 when the token is not in the lexicon.</summary>
    public float Afinn(ReadOnlySpan<char> token) => _afinnLookup.TryGetValue(token, out var v) ? v : 0f;

    private static Lexicons Load()
    {
        var vader = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var line in ReadResource("vader_lexicon.txt"))
        {
            var parts = line.Split('\t');
            if (parts.Length >= 2 && float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                // Words are folded like the tokenizer folds them ("don't" → "dont"); emoticons keep their case.
                var key = IsWordy(parts[0]) ? Fold(parts[0]) : parts[0];
                vader.TryAdd(key, v);
            }
        }
        var afinn = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var file in new[] { "AFINN-en-165.txt", "AFINN-emoticon-8.txt" })
        {
            foreach (var line in ReadResource(file))
            {
                var tab = line.LastIndexOf('\t');
                if (tab <= 0 || line.AsSpan(0, tab).Contains(' '))
                {
                    continue; // multi-word entries cannot match a single token
                }
                if (float.TryParse(line.AsSpan(tab + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                {
                    var key = IsWordy(line[..tab]) ? Fold(line[..tab]) : line[..tab];
                    afinn.TryAdd(key, v);
                }
            }
        }
        return new Lexicons(vader, afinn);
    }

    private static bool IsWordy(string s) => s.Length > 0 && char.IsLetter(s[0]);

    private static string Fold(string s) => s.ToLowerInvariant().Replace("'", "", StringComparison.Ordinal);

    private static IEnumerable<string> ReadResource(string name)
    {
        var asm = typeof(Lexicons).Assembly;
        var resource = asm.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith(name, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Embedded lexicon {name} is missing from {asm.GetName().Name}.");
        using var stream = asm.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }
}
