using Monitoring.Collector.Normalisation;

namespace Monitoring.Collector.Tests.Normalisation;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("<p>Hello</p><p>world</p>", "Hello world")]
    [InlineData("fish &amp; chips &lt;3", "fish & chips <3")]
    [InlineData("see https://example.org/a?b=c and www.test.com.", "see <url> and <url>")]
    [InlineData("thanks @alice and @bob@mastodon.social!", "thanks <user> and <user>!")]
    [InlineData("ask u/someone on reddit", "ask <user> on reddit")]
    [InlineData("mail me: me@example.org", "mail me: me@example.org")]
    [InlineData("  lots   of\n\nspace ", "lots of space")]
    public void Normalizes(string raw, string expected) => Assert.Equal(expected, TextNormalizer.Normalize(raw));

    [Fact]
    public void Composes_to_NFC()
    {
        var decomposed = "cafe\u0301"; // e + combining acute
        Assert.Equal("caf\u00e9", TextNormalizer.Normalize(decomposed));
    }
}
