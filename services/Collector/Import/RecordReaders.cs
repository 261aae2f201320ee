using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Monitoring.Collector.Intake;

namespace Monitoring.Collector.Import;

public enum ImportFormat { Ndjson, Csv, Reddit }

/// <summary>Turns a decompressed byte stream into one <see cref="IncomingPost"/> per record, lazily.</summary>
public static class RecordReaders
{
    public static IEnumerable<IncomingPost> Read(Stream stream, ImportFormat format) => format switch
    {
        ImportFormat.Ndjson => ReadLines(stream, line => PostParser.ParseOne(line.Span)),
        ImportFormat.Reddit => ReadLines(stream, line => RedditRecord.Parse(line.Span)),
        ImportFormat.Csv => CsvRecords.Read(stream),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static IEnumerable<IncomingPost> ReadLines(Stream stream, Func<ReadOnlyMemory<byte>, IncomingPost> parse)
    {
        var reader = new Utf8LineReader(stream);
        while (reader.TryReadLine(out var line, out var tooLong))
        {
            if (tooLong)
            {
                yield return IncomingPost.Invalid($"{RejectionReasons.InvalidRecord}: the line is longer than {Utf8LineReader.MaxLineBytes:N0} bytes.");
            }
            else if (!IsBlank(line.Span))
            {
                yield return parse(line);
            }
        }
    }

    internal static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;
}

/// <summary>
/// Pushshift-style Reddit dumps: one JSON object per line with <c>id</c>, <c>author</c>, <c>created_utc</c>,
/// <c>subreddit</c>, and <c>body</c> (comments) or <c>title</c> + <c>selftext</c> (submissions).
/// </summary>
public static class RedditRecord
{
    public static IncomingPost Parse(ReadOnlySpan<byte> line)
    {
        if (!Utf8.IsValid(line))
        {
            return IncomingPost.Invalid($"{RejectionReasons.InvalidUtf8}: the record is not valid UTF-8.");
        }
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return IncomingPost.Invalid($"{RejectionReasons.InvalidJson}: expected a JSON object.");
            }
            var author = String(root, "author");
            var text = String(root, "body") ?? Join(String(root, "title"), String(root, "selftext"));
            if (author is "[deleted]" or "[removed]" || text is "[deleted]" or "[removed]")
            {
                return IncomingPost.Invalid($"{RejectionReasons.Deleted}: the post or its author was deleted.");
            }
            var parent = String(root, "parent_id");
            var subreddit = String(root, "subreddit");
            return IncomingPost.Parsed(new RawPost
            {
                Source = "reddit",
                Id = String(root, "id"),
                Author = author,
                PublishedAt = CreatedUtc(root),
                Text = text,
                Community = subreddit is null ? null : "r/" + subreddit,
                ReplyTo = parent is { Length: > 3 } && parent[2] == '_' ? parent[3..] : parent,
            });
        }
        catch (JsonException e)
        {
            return IncomingPost.Invalid($"{RejectionReasons.InvalidJson}: {e.Message}");
        }
        catch (FormatException e)
        {
            return IncomingPost.Invalid($"{RejectionReasons.InvalidField}: created_utc: {e.Message}");
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    private static string? Join(string? title, string? selftext) =>
        title is null ? selftext
        : string.IsNullOrWhiteSpace(selftext) || selftext is "[deleted]" or "[removed]" ? title
        : $"{title}\n\n{selftext}";

    private static DateTimeOffset? CreatedUtc(JsonElement root)
    {
        if (!root.TryGetProperty("created_utc", out var v)) return null;
        double seconds = v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String => double.Parse(v.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => throw new FormatException("expected a number of seconds since 1970"),
        };
        if (double.IsNaN(seconds) || seconds < 0 || seconds > 253402300799) throw new FormatException("out of range");
        return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
    }
}

/// <summary>
/// CSV (RFC 4180) with a header row naming the NDJSON fields: <c>source,id,publishedAt,author,text,language,region,
/// community,topics,replyTo</c> (topics separated by <c>;</c>). Quoted fields may span lines.
/// </summary>
public static class CsvRecords
{
    public static IEnumerable<IncomingPost> Read(Stream stream)
    {
        var reader = new Utf8LineReader(stream);
        string[]? header = null;
        var record = new List<byte>();
        while (reader.TryReadLine(out var line, out var tooLong))
        {
            if (tooLong)
            {
                yield return IncomingPost.Invalid($"{RejectionReasons.InvalidRecord}: the line is longer than {Utf8LineReader.MaxLineBytes:N0} bytes.");
                record.Clear();
                continue;
            }
            if (record.Count > 0) record.Add((byte)'\n');
            record.AddRange(line.Span);
            if (QuoteCount(record) % 2 == 1 && record.Count < Utf8LineReader.MaxLineBytes)
            {
                continue; // a quoted field goes on on the next line
            }
            var bytes = record.ToArray();
            record.Clear();
            if (RecordReaders.IsBlank(bytes)) continue;
            if (!Utf8.IsValid(bytes))
            {
                if (header is null) throw new InvalidDataException("The CSV header is not valid UTF-8.");
                yield return IncomingPost.Invalid($"{RejectionReasons.InvalidUtf8}: the record is not valid UTF-8.");
                continue;
            }
            var fields = Split(Encoding.UTF8.GetString(bytes));
            if (header is null)
            {
                header = fields.Select(f => f.Trim().TrimStart('\uFEFF')).ToArray();
                if (!header.Contains("text") || !header.Contains("id"))
                {
                    throw new InvalidDataException("The CSV header must name at least the columns id and text (and source, publishedAt, author).");
                }
                continue;
            }
            yield return ToPost(header, fields);
        }
    }

    private static IncomingPost ToPost(string[] header, List<string> fields)
    {
        if (fields.Count != header.Length)
        {
            return IncomingPost.Invalid($"{RejectionReasons.InvalidRecord}: {fields.Count} fields where the header has {header.Length}.");
        }
        string? Get(string name)
        {
            var i = Array.IndexOf(header, name);
            return i < 0 || fields[i].Length == 0 ? null : fields[i];
        }
        DateTimeOffset? published = null;
        if (Get("publishedAt") is { } p)
        {
            if (!DateTimeOffset.TryParse(p, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                return IncomingPost.Invalid($"{RejectionReasons.InvalidField}: publishedAt '{p}' is not an ISO 8601 date-time.");
            }
            published = parsed;
        }
        return IncomingPost.Parsed(new RawPost
        {
            Source = Get("source"),
            Id = Get("id"),
            PublishedAt = published,
            Author = Get("author"),
            Text = Get("text"),
            Language = Get("language"),
            Region = Get("region"),
            Community = Get("community"),
            Topics = Get("topics")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            ReplyTo = Get("replyTo"),
        });
    }

    private static int QuoteCount(List<byte> bytes)
    {
        var n = 0;
        foreach (var b in bytes) if (b == (byte)'"') n++;
        return n;
    }

    internal static List<string> Split(string record)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < record.Length; i++)
        {
            var c = record[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < record.Length && record[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
