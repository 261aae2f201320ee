using System.Globalization;
using System.Text;

namespace Monitoring.Collector.Tagging;

/// <summary>Lower-case and strip diacritics ("Córdoba" → "cordoba"), for matching names and keywords.</summary>
public static class TextFolding
{
    public static string Fold(string text)
    {
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) builder.Append(c);
        }
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }
}
