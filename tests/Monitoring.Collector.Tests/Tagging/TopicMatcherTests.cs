using Monitoring.Collector.Tagging;

namespace Monitoring.Collector.Tests.Tagging;

public sealed class TopicMatcherTests
{
    private readonly TopicMatcher _matcher = new(new Dictionary<string, List<string>>
    {
        ["covid"] = ["covid", "coronavirus", "#covid19", "cuarentena"],
        ["economy"] = ["inflation", "inflación", "job losses"],
    });

    [Theory]
    [InlineData("Another week of CUARENTENA", new[] { "covid" })]
    [InlineData("la inflacion no para", new[] { "economy" })]
    [InlineData("#covid19 and inflation again", new[] { "covid", "economy" })]
    [InlineData("#covid is back", new[] { "covid" })]
    [InlineData("massive job losses announced", new[] { "economy" })]
    [InlineData("covidiots everywhere", new string[0])]
    [InlineData("nothing to see here", new string[0])]
    public void Matches_whole_words_hashtags_and_phrases(string text, string[] expected) =>
        Assert.Equal(expected.Order(), _matcher.Match(text).Order());
}
