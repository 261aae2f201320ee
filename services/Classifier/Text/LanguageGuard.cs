namespace Monitoring.Classifier.Text;

/// <summary>
/// Decides whether the English models may score a post. The Collector's language tag wins; untagged
/// text is judged by script and by the share of English function words, which is enough to stop the
/// models from scoring Spanish, Cyrillic or CJK text as if it were English (DESIGN.md: English-first).
/// </summary>
public static class LanguageGuard
{
    private static readonly HashSet<string> FunctionWords = new(StringComparer.Ordinal)
    {
        "the", "an", "and", "or", "but", "to", "of", "in", "on", "at", "for", "with", "is", "are", "was", "were", "be", "been",
        "it", "its", "this", "that", "i", "im", "you", "she", "we", "they", "my", "your", "our", "their", "his", "her",
        "not", "dont", "do", "does", "did", "have", "has", "had", "so", "just", "what", "if", "can", "will", "would", "all", "like",
        "from", "about", "as", "by", "there", "out", "up", "how", "too", "get", "got", "am", "when", "who", "why", "lol",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup = FunctionWords.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool IsSupported(string? language, TokenBuffer tokens, ReadOnlySpan<char> text)
    {
        if (!string.IsNullOrWhiteSpace(language))
        {
            return language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        }
        int words = 0, english = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            ref readonly var t = ref tokens.Tokens[i];
            if (t.Kind is TokenKind.Word)
            {
                words++;
                if (Lookup.Contains(tokens.Text(t)))
                {
                    english++;
                }
            }
        }
        // Mostly non-Latin letters: another script.
        int letters = 0, latin = 0;
        foreach (var c in text.Length > 2000 ? text[..2000] : text)
        {
            if (char.IsLetter(c))
            {
                letters++;
                if (c < 0x0250)
                {
                    latin++;
                }
            }
        }
        if (letters >= 4 && latin < letters / 2)
        {
            return false;
        }
        // Five or more words and under a tenth of them English function words: another Latin-script language.
        return words < 5 || english * 10 >= words;
    }
}
