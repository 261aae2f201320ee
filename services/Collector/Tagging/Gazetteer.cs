using System.Reflection;

namespace Monitoring.Collector.Tagging;

/// <summary>
/// Countries (ISO 3166-1) and their first-level subdivisions (ISO 3166-2), with country names in en, es, pt, fr and
/// de, from the MIT-licensed npm packages country-region-data and i18n-iso-countries (Tagging/Data, built by
/// scripts/build-gazetteer.mjs). Resolves a self-declared profile location to a region code, or null when it does not
/// know or the name is ambiguous: a region is never guessed.
/// </summary>
public sealed class Gazetteer
{
    private readonly Dictionary<string, string> _countries = new();          // folded name → "AR"
    private readonly Dictionary<string, List<string>> _subdivisions = new(); // folded name → ["AR-X", "ES-CO"]

    public Gazetteer()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Monitoring.Collector.Tagging.Data.gazetteer.tsv")
            ?? throw new InvalidOperationException("Missing embedded gazetteer.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#')) continue;
            var parts = line.Split('\t');
            if (parts.Length != 3) continue;
            var name = TextFolding.Fold(parts[2]);
            if (parts[0] == "C") _countries.TryAdd(name, parts[1]);
            else
            {
                if (!_subdivisions.TryGetValue(name, out var codes)) _subdivisions[name] = codes = [];
                if (!codes.Contains(parts[1])) codes.Add(parts[1]);
            }
        }
        // Common short forms that the lists spell out in full.
        foreach (var (alias, code) in new[] { ("usa", "US"), ("us", "US"), ("u.s.a.", "US"), ("uk", "GB"), ("u.k.", "GB"), ("england", "GB"), ("scotland", "GB"), ("wales", "GB"), ("eeuu", "US"), ("ee.uu.", "US") })
        {
            _countries.TryAdd(alias, code);
        }
    }

    public int Countries => _countries.Values.Distinct().Count();

    public int Subdivisions => _subdivisions.Values.SelectMany(c => c).Distinct().Count();

    /// <summary>"Córdoba, Argentina" → AR-X; "Argentina" → AR; "Córdoba" alone → null (Argentina or Spain?).</summary>
    public string? Resolve(string? location)
    {
        if (string.IsNullOrWhiteSpace(location) || location.Length > 200) return null;
        var parts = location.Split([',', '/', '|', ';', '(', ')', '·', '-', '–'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(TextFolding.Fold).Where(p => p.Length > 0).ToList();
        var whole = TextFolding.Fold(location.Trim());
        if (!parts.Contains(whole)) parts.Add(whole);

        var countries = parts.Select(p => _countries.GetValueOrDefault(p)).OfType<string>().Distinct().ToList();
        var subdivisions = parts.SelectMany(p => _subdivisions.GetValueOrDefault(p) ?? []).Distinct().ToList();
        if (countries.Count > 1) return null;
        if (countries.Count == 1)
        {
            var inCountry = subdivisions.Where(s => s.StartsWith(countries[0] + "-", StringComparison.Ordinal)).ToList();
            return inCountry.Count == 1 ? inCountry[0] : countries[0];
        }
        // No country named: a subdivision name counts only when it is unique in the world and not also a country name.
        return subdivisions.Count == 1 ? subdivisions[0] : null;
    }
}
