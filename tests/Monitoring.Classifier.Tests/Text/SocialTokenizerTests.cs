using Monitoring.Classifier.Text;

namespace Monitoring.Classifier.Tests.Text;

public class SocialTokenizerTests
{
    [Fact]
    public void Folds_case_and_drops_inner_apostrophes()
    {
        Assert.Equal(["hello", "world", "dont", "stop_NEG"], SocialTokenizer.TokenizeToStrings("HeLLo World, Don't stop"));
    }

    [Fact]
    public void Squashes_elongations_to_two_letters_and_marks_them()
    {
        var b = new TokenBuffer();
        SocialTokenizer.Tokenize("soooooo goooood", b);
        Assert.Equal("soo", b.TokenString(0));
        Assert.Equal("good", b.TokenString(1));
        Assert.True(b.Tokens[0].Elongated);
    }

    [Fact]
    public void Keeps_emoji_and_emoticons_as_tokens()
    {
        var tokens = SocialTokenizer.TokenizeToStrings("love it 😂😂😂 :) <3 :D");
        Assert.Equal(["love", "it", "😂", ":)", "<3", ":D"], tokens);
    }

    [Fact]
    public void Maps_urls_mentions_and_masked_names_to_placeholders()
    {
        var tokens = SocialTokenizer.TokenizeToStrings("<user> see https://example.com/x?y=1 and @someone, [NAME] <url>");
        Assert.Equal(["<user>", "see", "<url>", "and", "<user>", "<name>", "<url>"], tokens);
    }

    [Fact]
    public void Marks_negation_scope_until_punctuation()
    {
        var tokens = SocialTokenizer.TokenizeToStrings("I am not happy about this. But fine");
        Assert.Equal(["i", "am", "not", "happy_NEG", "about_NEG", "this_NEG", "but", "fine"], tokens);
    }

    [Fact]
    public void Negation_scope_is_capped()
    {
        var tokens = SocialTokenizer.TokenizeToStrings("never a b c d e f g");
        Assert.Equal(SocialTokenizer.NegationWindow, tokens.Count(t => t.EndsWith("_NEG", StringComparison.Ordinal)));
    }

    [Fact]
    public void Numbers_become_a_placeholder()
    {
        Assert.Equal(["call", "<num>"], SocialTokenizer.TokenizeToStrings("call 5551234"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\u0000\u0001\u0007\t\r\n")]
    [InlineData("\uD83D")] // lone surrogate
    public void Degenerate_input_gives_no_tokens_and_no_exception(string text)
    {
        Assert.Empty(SocialTokenizer.TokenizeToStrings(text));
    }

    [Fact]
    public void Very_long_input_is_cut()
    {
        var b = new TokenBuffer();
        SocialTokenizer.Tokenize(new string('a', 3) + string.Concat(Enumerable.Repeat(" word", 8000)), b);
        Assert.True(b.Count <= SocialTokenizer.MaxChars / 5 + 1);
    }
}
