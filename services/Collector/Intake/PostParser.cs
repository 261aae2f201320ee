using System.Text.Json;
using System.Text.Unicode;

namespace Monitoring.Collector.Intake;

/// <summary>
/// Parses posts from JSON bytes one element at a time, so that one broken element (bad JSON, invalid UTF-8, a
/// field of the wrong type) is rejected alone and the rest of its batch goes on.
/// </summary>
public static class PostParser
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = false };

    /// <summary>One JSON object (an NDJSON line, or one element of an array).</summary>
    public static IncomingPost ParseOne(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            return IncomingPost.Invalid($"{RejectionReasons.InvalidUtf8}: the post is not valid UTF-8.");
        }
        try
        {
            var post = JsonSerializer.Deserialize<RawPost>(utf8, Json);
            return post is null
                ? IncomingPost.Invalid($"{RejectionReasons.InvalidJson}: expected a JSON object, found null.")
                : IncomingPost.Parsed(post);
        }
        catch (JsonException e)
        {
            return IncomingPost.Invalid($"{RejectionReasons.InvalidJson}: {Describe(e)}");
        }
    }

    /// <summary>A request body: a JSON array of posts, or NDJSON (one object per line).</summary>
    public static List<IncomingPost> ParseBody(ReadOnlySpan<byte> body)
    {
        var start = SkipWhitespace(body, 0);
        var items = new List<IncomingPost>();
        if (start < body.Length && body[start] == (byte)'[')
        {
            foreach (var (from, length, error) in SplitArray(body, start))
            {
                items.Add(error is not null ? IncomingPost.Invalid(error) : ParseOne(body.Slice(from, length)));
            }
            return items;
        }
        var lineStart = 0;
        while (lineStart < body.Length)
        {
            var newline = body[lineStart..].IndexOf((byte)'\n');
            var end = newline < 0 ? body.Length : lineStart + newline;
            var line = body[lineStart..end].TrimEnd((byte)'\r');
            if (SkipWhitespace(line, 0) < line.Length)
            {
                items.Add(ParseOne(line));
            }
            lineStart = end + 1;
        }
        return items;
    }

    /// <summary>
    /// Finds the byte ranges of the top-level elements of a JSON array by tracking nesting and strings, without
    /// decoding: so one element with invalid UTF-8 or a syntax error does not take its neighbours down.
    /// </summary>
    internal static List<(int From, int Length, string? Error)> SplitArray(ReadOnlySpan<byte> body, int openBracket)
    {
        var result = new List<(int, int, string?)>();
        var depth = 0;
        var inString = false;
        var escaped = false;
        var elementStart = -1;
        for (var i = openBracket + 1; i < body.Length; i++)
        {
            var b = body[i];
            if (inString)
            {
                if (escaped) escaped = false;
                else if (b == (byte)'\\') escaped = true;
                else if (b == (byte)'"') inString = false;
                continue;
            }
            switch (b)
            {
                case (byte)'"':
                    inString = true;
                    if (elementStart < 0) elementStart = i;
                    break;
                case (byte)'{' or (byte)'[':
                    if (elementStart < 0) elementStart = i;
                    depth++;
                    break;
                case (byte)'}' or (byte)']' when depth > 0:
                    depth--;
                    break;
                case (byte)']':
                    if (elementStart >= 0) result.Add((elementStart, i - elementStart, null));
                    return result;
                case (byte)',' when depth == 0:
                    result.Add(elementStart < 0
                        ? (i, 0, $"{RejectionReasons.InvalidJson}: empty array element.")
                        : (elementStart, i - elementStart, null));
                    elementStart = -1;
                    break;
                case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n':
                    break;
                default:
                    if (elementStart < 0) elementStart = i;
                    break;
            }
        }
        result.Add((Math.Max(elementStart, 0), 0, $"{RejectionReasons.InvalidJson}: the array is not closed."));
        return result;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF) i++;
        return i;
    }

    private static string Describe(JsonException e) =>
        e.Path is { Length: > 1 } path ? $"{path.TrimStart('$', '.')}: {FirstSentence(e.Message)}" : FirstSentence(e.Message);

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot < 0 ? message : message[..(dot + 1)];
    }
}
