using System.Globalization;
using System.Text;

namespace Monitoring.Classifier.Text;

public enum TokenKind : byte
{
    Word,
    Number,
    Url,
    User,
    Name,
    Hashtag,
    Emoji,
    Emoticon,
    Exclamation,
    Question,
}

/// <summary>One token: a slice of <see cref="TokenBuffer.Chars"/> plus what the tokenizer learned about it.</summary>
public struct Token
{
    public int Start;
    public int Length;
    public TokenKind Kind;
    /// <summary>Inside the scope of a preceding negation ("not <b>happy</b> at all").</summary>
    public bool Negated;
    /// <summary>The original had a letter repeated three or more times ("soooo").</summary>
    public bool Elongated;
    /// <summary>The original was written in capitals (two letters or more).</summary>
    public bool AllCaps;
    /// <summary>The token itself is a negator ("not", "don't", "never").</summary>
    public bool IsNegator;
}

/// <summary>
/// Reusable output of <see cref="SocialTokenizer"/>: the folded characters and the tokens over them.
/// Reused per thread so that scoring a post allocates nothing.
/// </summary>
public sealed class TokenBuffer
{
    public char[] Chars = new char[256];
    public Token[] Tokens = new Token[64];
    public int CharCount;
    public int Count;

    public ReadOnlySpan<char> Text(in Token t) => Chars.AsSpan(t.Start, t.Length);

    public string TokenString(int i) => new(Chars, Tokens[i].Start, Tokens[i].Length);

    internal void Clear()
    {
        CharCount = 0;
        Count = 0;
    }

    internal int Append(ReadOnlySpan<char> s)
    {
        EnsureChars(CharCount + s.Length);
        var start = CharCount;
        s.CopyTo(Chars.AsSpan(CharCount));
        CharCount += s.Length;
        return start;
    }

    internal void AppendChar(char c)
    {
        EnsureChars(CharCount + 1);
        Chars[CharCount++] = c;
    }

    internal void EnsureChars(int n)
    {
        if (n > Chars.Length)
        {
            Array.Resize(ref Chars, Math.Max(n, Chars.Length * 2));
        }
    }

    internal void Add(Token t)
    {
        if (Count == Tokens.Length)
        {
            Array.Resize(ref Tokens, Tokens.Length * 2);
        }
        Tokens[Count++] = t;
    }
}

/// <summary>
/// A tokenizer for social-media text in the spirit of the CMU/VADER tweet tokenizers: case folding,
/// emoji and emoticons kept as tokens, elongations squashed to two letters ("soooo" → "soo", which
/// keeps them apart from the plain word while merging every length), URL/mention placeholders
/// (<c>&lt;url&gt;</c>, <c>&lt;user&gt;</c>, which the Collector already inserts; raw ones are mapped too),
/// and negation scope marked from a negator to the next clause punctuation (Pang, Lee and Vaithyanathan
/// 2002; Das and Chen 2001), capped so a long run-on sentence does not negate everything.
/// </summary>
public static class SocialTokenizer
{
    /// <summary>Longer input is cut here: scores stay defined and time stays bounded for 40,000-character posts.</summary>
    public const int MaxChars = 8000;

    /// <summary>Words after a negator that stay negated when no punctuation closes the clause.</summary>
    public const int NegationWindow = 5;

    private static readonly string[] Emoticons = BuildEmoticons();

    private static readonly HashSet<string> NegatorWords = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "nothing", "nobody", "none", "nowhere", "neither", "nor", "cannot", "without",
        "hardly", "barely", "dont", "cant", "wont", "isnt", "arent", "wasnt", "werent", "didnt", "doesnt",
        "couldnt", "shouldnt", "wouldnt", "aint", "havent", "hasnt", "hadnt", "mustnt", "neednt", "nope", "nah",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Negators = NegatorWords.GetAlternateLookup<ReadOnlySpan<char>>();

    [ThreadStatic] private static TokenBuffer? t_buffer;

    /// <summary>Tokenizes into a per-thread buffer that the next call on this thread overwrites.</summary>
    public static TokenBuffer TokenizeShared(ReadOnlySpan<char> text)
    {
        var b = t_buffer ??= new TokenBuffer();
        Tokenize(text, b);
        return b;
    }

    public static List<string> TokenizeToStrings(string text)
    {
        var b = new TokenBuffer();
        Tokenize(text, b);
        var list = new List<string>(b.Count);
        for (var i = 0; i < b.Count; i++)
        {
            var s = b.TokenString(i);
            list.Add(b.Tokens[i].Negated ? s + "_NEG" : s);
        }
        return list;
    }

    public static void Tokenize(ReadOnlySpan<char> text, TokenBuffer b)
    {
        b.Clear();
        if (text.Length > MaxChars)
        {
            text = text[..MaxChars];
        }
        b.EnsureChars(text.Length + 16);
        var negLeft = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                i++;
                continue;
            }

            var atBoundary = i == 0 || char.IsWhiteSpace(text[i - 1]);

            // Placeholders inserted by the Collector, and GoEmotions' masked names.
            if (c == '<' && TryPlaceholder(text, i, "<url>", out var len))
            {
                AddSpecial(b, "<url>", TokenKind.Url, ref negLeft);
                i += len;
                continue;
            }
            if (c == '<' && TryPlaceholder(text, i, "<user>", out len))
            {
                AddSpecial(b, "<user>", TokenKind.User, ref negLeft);
                i += len;
                continue;
            }
            if (c == '[' && TryPlaceholder(text, i, "[name]", out len))
            {
                AddSpecial(b, "<name>", TokenKind.Name, ref negLeft);
                i += len;
                continue;
            }

            // Raw URLs and mentions, in case a text reaches us without the Collector's normalisation.
            if ((c == 'h' || c == 'H' || c == 'w' || c == 'W') && LooksLikeUrl(text[i..]))
            {
                var end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]))
                {
                    end++;
                }
                AddSpecial(b, "<url>", TokenKind.Url, ref negLeft);
                i = end;
                continue;
            }
            if (c == '@' && atBoundary && i + 1 < text.Length && (char.IsLetterOrDigit(text[i + 1]) || text[i + 1] == '_'))
            {
                var end = i + 1;
                while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '_' or '.' or '@'))
                {
                    end++;
                }
                AddSpecial(b, "<user>", TokenKind.User, ref negLeft);
                i = end;
                continue;
            }

            // Emoticons are matched on the original case (":D" is not ":d") and only at a token boundary.
            if (atBoundary && IsEmoticonStart(c))
            {
                var m = MatchEmoticon(text, i);
                if (m > 0)
                {
                    var start = b.Append(text.Slice(i, m));
                    b.Add(new Token { Start = start, Length = m, Kind = TokenKind.Emoticon, Negated = negLeft > 0 });
                    i += m;
                    continue;
                }
            }

            if (char.IsLetterOrDigit(c) || (c == '#' && i + 1 < text.Length && char.IsLetter(text[i + 1])))
            {
                i = ReadWord(text, i, b, ref negLeft);
                continue;
            }

            if (char.IsHighSurrogate(c) || IsSymbol(c))
            {
                if (Rune.DecodeFromUtf16(text[i..], out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
                {
                    i++;
                    continue;
                }
                var cat = Rune.GetUnicodeCategory(rune);
                // Skin-tone modifiers and variation selectors only decorate the emoji before them.
                if (cat == UnicodeCategory.OtherSymbol && !(rune.Value is (>= 0x1F3FB and <= 0x1F3FF) or 0xFFFD))
                {
                    // Collapse repeats of the same emoji ("😂😂😂" → one token): their count says little more.
                    var prev = b.Count > 0 ? b.Tokens[b.Count - 1] : default;
                    if (!(b.Count > 0 && prev.Kind == TokenKind.Emoji && b.Text(prev).SequenceEqual(text.Slice(i, consumed))))
                    {
                        var start = b.Append(text.Slice(i, consumed));
                        b.Add(new Token { Start = start, Length = consumed, Kind = TokenKind.Emoji, Negated = negLeft > 0 });
                    }
                }
                i += consumed;
                continue;
            }

            switch (c)
            {
                case '!':
                case '?':
                {
                    var kind = c == '!' ? TokenKind.Exclamation : TokenKind.Question;
                    var start = b.Append(c == '!' ? "!" : "?");
                    var elongated = i + 1 < text.Length && text[i + 1] == c;
                    b.Add(new Token { Start = start, Length = 1, Kind = kind, Elongated = elongated });
                    while (i < text.Length && (text[i] == '!' || text[i] == '?'))
                    {
                        i++;
                    }
                    negLeft = 0;
                    continue;
                }
                case '.':
                case ',':
                case ';':
                case ':':
                case '(':
                case ')':
                case '"':
                case '\u201C':
                case '\u201D':
                    negLeft = 0; // clause punctuation closes a negation scope
                    break;
            }
            i++;
        }
    }

    private static bool IsSymbol(char c) =>
        c > 0x2000 && char.GetUnicodeCategory(c) == UnicodeCategory.OtherSymbol;

    private static int ReadWord(ReadOnlySpan<char> text, int i, TokenBuffer b, ref int negLeft)
    {
        var hashtag = text[i] == '#';
        if (hashtag)
        {
            i++;
        }
        var start = b.CharCount;
        var letters = 0;
        var upper = 0;
        var digitsOnly = true;
        var elongated = false;
        var runChar = '\0';
        var run = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '\'' or '\u2019' or '`')
            {
                // An apostrophe inside a word is dropped ("don't" → "dont") so spelling variants meet.
                if (i + 1 < text.Length && char.IsLetter(text[i + 1]) && b.CharCount > start)
                {
                    i++;
                    continue;
                }
                break;
            }
            if (!char.IsLetterOrDigit(c))
            {
                if (char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark)
                {
                    i++; // combining accents ride on the letter before them
                    continue;
                }
                break;
            }
            if (char.IsLetter(c))
            {
                letters++;
                digitsOnly = false;
                if (char.IsUpper(c))
                {
                    upper++;
                }
            }
            var lower = char.ToLowerInvariant(c);
            if (lower == runChar)
            {
                run++;
                if (run >= 3)
                {
                    elongated = true;
                    i++;
                    continue; // squash: keep at most two of a repeated character
                }
            }
            else
            {
                runChar = lower;
                run = 1;
            }
            b.AppendChar(lower);
            i++;
        }
        var length = b.CharCount - start;
        if (length == 0)
        {
            return i == 0 ? 1 : i;
        }
        if (digitsOnly)
        {
            // Numbers carry little signal and can identify (phone numbers, ids): one placeholder.
            b.CharCount = start;
            start = b.Append("<num>");
            length = 5;
        }
        var span = b.Chars.AsSpan(start, length);
        var isNegator = !digitsOnly && Negators.Contains(span);
        var token = new Token
        {
            Start = start,
            Length = length,
            Kind = digitsOnly ? TokenKind.Number : hashtag ? TokenKind.Hashtag : TokenKind.Word,
            Negated = negLeft > 0 && !isNegator,
            Elongated = elongated,
            AllCaps = letters >= 2 && upper == letters,
            IsNegator = isNegator,
        };
        b.Add(token);
        if (isNegator)
        {
            negLeft = NegationWindow;
        }
        else if (negLeft > 0)
        {
            negLeft = span.SequenceEqual("but") ? 0 : negLeft - 1;
        }
        return i;
    }

    private static void AddSpecial(TokenBuffer b, string text, TokenKind kind, ref int negLeft)
    {
        var start = b.Append(text);
        b.Add(new Token { Start = start, Length = text.Length, Kind = kind, Negated = negLeft > 0 });
        if (negLeft > 0)
        {
            negLeft--;
        }
    }

    private static bool TryPlaceholder(ReadOnlySpan<char> text, int i, string placeholder, out int length)
    {
        length = placeholder.Length;
        return text.Length - i >= length && text.Slice(i, length).Equals(placeholder, StringComparison.OrdinalIgnoreCase);
    }

    private static bool LooksLikeUrl(ReadOnlySpan<char> s) =>
        s.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || s.StartsWith("www.", StringComparison.OrdinalIgnoreCase);

    private static bool IsEmoticonStart(char c) => c is ':' or ';' or '=' or '8' or 'x' or 'X' or '<' or '(' or ')' or '\\' or ':' or '^' or 'o' or 'O' or 'T' or '-' or '>';

    private static int MatchEmoticon(ReadOnlySpan<char> text, int i)
    {
        var rest = text[i..];
        foreach (var e in Emoticons)
        {
            if (rest.StartsWith(e, StringComparison.Ordinal))
            {
                // Must end at a boundary, otherwise "xoxo" would eat the start of "xoxox-rated" or "8)" a list item.
                var end = e.Length;
                if (end == rest.Length || char.IsWhiteSpace(rest[end]) || rest[end] is '.' or ',' or '!' or '?')
                {
                    return e.Length;
                }
            }
        }
        return 0;
    }

    private static string[] BuildEmoticons()
    {
        string[] list =
        [
            ":)", ":(", ":|", ":]", ":[", ":}", ":{", ":/", ":\\", ":*", ":-)", ":-(", ":-|", ":-]", ":-[", ":-}", ":-?", ":->", ":-*",
            ":-D", ":-P", ":-S", ":-p", ":-/", ":D", ":P", ":S", ":p", ":o)", ":'(", ":')", "(:", "):", "(-:", ")-:", ";-(", ";)", ";(", ";-)",
            ";-D", ";D", ";P", ";p", "=(", "=)", "=/", "=\\", "=P", "=D", "\\o/", ":-))", ":))", ":)))", ":-((", ":((", ";))", "<3", "<33", "<333",
            "</3", "8)", "8(", "8-D", "8-)", "8D", "X-D", "XD", "xD", "x-D", "XO", "XOXO", "xo", "xoxo", ":O", ":o", ":-O", ":-o", "o_O", "O_o",
            "o.O", "-_-", "^_^", "^^", "T_T", ";_;", ">:(", ">:-(", ":$", ":@", ":#",
        ];
        // Longest first so that ":-))" wins over ":-)".
        return list.Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal).ToArray();
    }
}
