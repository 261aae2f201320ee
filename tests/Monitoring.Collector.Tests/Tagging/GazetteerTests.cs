using Monitoring.Collector.Tagging;

namespace Monitoring.Collector.Tests.Tagging;

public sealed class GazetteerTests
{
    private static readonly Gazetteer Gazetteer = new();

    [Theory]
    [InlineData("Argentina", "AR")]
    [InlineData("Buenos Aires, Argentina", "AR-B")]
    [InlineData("córdoba, argentina", "AR-X")]
    [InlineData("Córdoba, España", "ES-CO")]
    [InlineData("Brasil", "BR")]
    [InlineData("São Paulo, Brasil", "BR-SP")]
    [InlineData("Bayern, Deutschland", "DE-BY")]
    [InlineData("Allemagne", "DE")]
    [InlineData("Texas, USA", "US-TX")]
    [InlineData("Québec", "CA-QC")]
    public void Resolves_known_places(string location, string expected) => Assert.Equal(expected, Gazetteer.Resolve(location));

    [Theory]
    [InlineData("Córdoba")]                 // Argentina or Spain: ambiguous, never guessed
    [InlineData("somewhere over the rainbow")]
    [InlineData("Argentina / Brasil")]      // two countries
    [InlineData("")]
    [InlineData(null)]
    public void Leaves_unknown_or_ambiguous_places_unresolved(string? location) => Assert.Null(Gazetteer.Resolve(location));

    [Fact]
    public void Covers_countries_and_first_level_subdivisions()
    {
        Assert.InRange(Gazetteer.Countries, 240, 260);
        Assert.True(Gazetteer.Subdivisions > 3_500, $"{Gazetteer.Subdivisions} subdivisions");
    }
}
