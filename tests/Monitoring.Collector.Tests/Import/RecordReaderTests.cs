using System.Text;
using Monitoring.Collector.Import;

namespace Monitoring.Collector.Tests.Import;

public sealed class RecordReaderTests
{
    private static List<Monitoring.Collector.Intake.IncomingPost> Read(string content, ImportFormat format) =>
        RecordReaders.Read(new MemoryStream(Encoding.UTF8.GetBytes(content)), format).ToList();

    [Fact]
    public void Reads_reddit_comments_and_submissions()
    {
        var items = Read("""
            {"id":"c1","author":"someone","created_utc":1600000000,"subreddit":"argentina","body":"hola","parent_id":"t3_abc"}
            {"id":"s1","author":"other","created_utc":"1600000001","subreddit":"lonely","title":"Title","selftext":"Body text"}
            {"id":"d1","author":"[deleted]","created_utc":1600000002,"subreddit":"x","body":"[deleted]"}
            """, ImportFormat.Reddit);
        Assert.Equal(3, items.Count);
        var comment = items[0].Post!;
        Assert.Equal(("reddit", "c1", "someone", "hola", "r/argentina", "abc"), (comment.Source, comment.Id, comment.Author, comment.Text, comment.Community, comment.ReplyTo));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1600000000), comment.PublishedAt);
        Assert.Equal("Title\n\nBody text", items[1].Post!.Text);
        Assert.StartsWith("deleted", items[2].ParseError);
    }

    [Fact]
    public void Reads_csv_with_quoted_multiline_fields_and_topics()
    {
        var items = Read(""""
            source,id,publishedAt,author,text,topics
            forum,1,2024-01-02T03:04:05Z,ann,"line one
            line ""two""",covid;economy
            forum,2,yesterday,bob,text,
            forum,3,2024-01-02T03:04:05Z,bob
            """", ImportFormat.Csv);
        Assert.Equal(3, items.Count);
        var first = items[0].Post!;
        Assert.Equal("line one\nline \"two\"", first.Text);
        Assert.Equal(["covid", "economy"], first.Topics!);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), first.PublishedAt);
        Assert.StartsWith("invalid_field", items[1].ParseError);
        Assert.StartsWith("invalid_record", items[2].ParseError);
    }

    [Fact]
    public void An_overlong_ndjson_line_is_rejected_and_the_next_one_read()
    {
        var content = "{\"id\":\"1\"}\n" + new string('x', 300) + "\n{\"id\":\"2\"}\n";
        var reader = new Utf8LineReader(new MemoryStream(Encoding.UTF8.GetBytes(content)), maxLineBytes: 100);
        var lines = new List<(string, bool)>();
        while (reader.TryReadLine(out var line, out var tooLong)) lines.Add((Encoding.UTF8.GetString(line.Span), tooLong));
        Assert.Equal([("{\"id\":\"1\"}", false), ("", true), ("{\"id\":\"2\"}", false)], lines);
    }
}
