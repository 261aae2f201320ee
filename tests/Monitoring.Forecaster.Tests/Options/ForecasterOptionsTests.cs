using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Monitoring.Hosting.Options;

namespace Monitoring.Forecaster.Tests.Options;

public class ForecasterOptionsTests
{
    static ForecasterOptions Bind(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build()
            .BindValidated<ForecasterOptions>(ForecasterOptions.Section);

    [Fact]
    public void Refit_cadence_defaults_to_seven_buckets_without_warm_starts()
    {
        var o = Bind();
        Assert.Equal(7, o.RefitEvery);
        Assert.False(o.WarmStartRefits);
        Assert.Equal(30, Bind(("Forecaster:RefitEvery", "30"), ("Forecaster:WarmStartRefits", "true")).RefitEvery);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("367")]
    public void A_refit_cadence_outside_1_to_366_stops_start_up_naming_the_key(string value)
    {
        var e = Assert.Throws<OptionsValidationException>(() => Bind(("Forecaster:RefitEvery", value)));
        Assert.Contains("Forecaster:RefitEvery", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Granularities_default_to_all_three_are_replaced_not_appended_and_must_cover_the_alerting_ones()
    {
        Assert.Equal([Contracts.Granularity.Hour, Contracts.Granularity.Day, Contracts.Granularity.Week], Bind().KeptGranularities);
        Assert.Equal([Contracts.Granularity.Day, Contracts.Granularity.Week],
            Bind(("Forecaster:Granularities:0", "Day"), ("Forecaster:Granularities:1", "Week")).KeptGranularities);
        var e = Assert.Throws<OptionsValidationException>(() => Bind(("Forecaster:Granularities:0", "Week")));
        Assert.Contains("Forecaster:AlertGranularities", e.Message, StringComparison.Ordinal);
    }
}
