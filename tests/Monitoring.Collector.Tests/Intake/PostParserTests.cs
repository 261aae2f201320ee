using System.Text;
using Monitoring.Collector.Intake;

namespace Monitoring.Collector.Tests.Intake;

public sealed class PostParserTests
{
    [Fact]
    public void A_broken_array_element_is_rejected_alone()
    {
        var body = Encoding.UTF8.GetBytes("""[{"id":"1","text":"a, [b] {c}"}, {oops}, 7, {"id":"2","text":"quote \" inside"}]""");
        var items = PostParser.ParseBody(body);
        Assert.Equal(4, items.Count);
        Assert.Equal("1", items[0].Post!.Id);
        Assert.Equal("a, [b] {c}", items[0].Post!.Text);
        Assert.StartsWith("invalid_json", items[1].ParseError);
        Assert.StartsWith("invalid_json", items[2].ParseError);
        Assert.Equal("quote \" inside", items[3].Post!.Text);
    }

    [Fact]
    public void Invalid_utf8_in_one_element_does_not_take_down_the_others()
    {
        var body = new List<byte>();
        body.AddRange("[{\"id\":\"1\",\"text\":\"ok\"},{\"id\":\"2\",\"text\":\"bad "u8.ToArray());
        body.AddRange(new byte[] { 0xC3, 0x28 });
        body.AddRange("\"}]"u8.ToArray());
        var items = PostParser.ParseBody(body.ToArray());
        Assert.Equal("1", items[0].Post!.Id);
        Assert.StartsWith("invalid_utf8", items[1].ParseError);
    }

    [Fact]
    public void Parses_ndjson_skipping_blank_lines()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":\"1\"}\r\n\n{\"id\":\"2\"}\n{\"publishedAt\":\"not a date\"}\n");
        var items = PostParser.ParseBody(body);
        Assert.Equal(3, items.Count);
        Assert.Equal("2", items[1].Post!.Id);
        Assert.StartsWith("invalid_json: publishedAt", items[2].ParseError);
    }

    [Fact]
    public void An_unclosed_array_is_reported()
    {
        var items = PostParser.ParseBody("[{\"id\":\"1\"}, {\"id\":"u8.ToArray());
        Assert.Equal("1", items[0].Post!.Id);
        Assert.NotNull(items[^1].ParseError);
    }
}
