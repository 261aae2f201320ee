using Monitoring.Collector.Tagging;
using Xunit.Abstractions;

namespace Monitoring.Collector.Tests.Tagging;

public sealed class LanguageIdentifierTests(ITestOutputHelper output)
{
    private static readonly LanguageIdentifier Identifier = new();

    /// <summary>
    /// Held-out sentences (Tagging/langid-test.tsv, written apart from the training sentences, on other subjects):
    /// accuracy per language, where "no answer" counts as wrong.
    /// </summary>
    [Fact]
    public void Identifies_each_supported_language_on_held_out_sentences()
    {
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Tagging", "langid-test.tsv"))
            .Select(l => l.Split('\t')).Select(p => (Language: p[0], Text: p[1])).ToList();
        foreach (var group in rows.GroupBy(r => r.Language))
        {
            var correct = group.Count(r => Identifier.Identify(r.Text)?.Language == r.Language);
            var accuracy = (double)correct / group.Count();
            output.WriteLine($"{group.Key}: {correct}/{group.Count()} = {accuracy:P0}");
            Assert.True(accuracy >= 0.9, $"{group.Key}: accuracy {accuracy:P0}");
        }
    }

    [Theory]
    [InlineData("ok")]
    [InlineData("<url> <user> 😂😂")]
    [InlineData("12345 678")]
    public void Gives_no_answer_for_too_little_text(string text) => Assert.Null(Identifier.Identify(text));

    [Fact]
    public void Ignores_placeholders()
    {
        Assert.Equal("es", Identifier.Identify("<user> <user> no puedo más con este calor, me voy a la playa <url>")?.Language);
    }
}
