using Monitoring.Classifier.Polarization;

namespace Monitoring.Classifier.Tests.Polarization;

public class PolarizationTests
{
    [Fact]
    public void Othering_language_raises_outgroup_and_hostility_raises_it_further()
    {
        var plain = PolarizationRules.Score("Nice weather for a walk", 0.1f, null);
        var othering = PolarizationRules.Score("You people are ruining everything", 0.1f, null);
        var hostile = PolarizationRules.Score("You people are ruining everything", 0.9f, null);
        Assert.True(plain.Outgroup < PolarizationRules.Threshold);
        Assert.True(othering.Outgroup >= PolarizationRules.Threshold);
        Assert.True(hostile.Outgroup > othering.Outgroup);
        Assert.Equal("you people", othering.OutgroupCue);
    }

    [Fact]
    public void Affective_needs_a_topic()
    {
        var offTopic = PolarizationRules.Score("those libtards again", 0.9f, null);
        var onTopic = PolarizationRules.Score("those libtards and their election lies", 0.9f, null);
        var tagged = PolarizationRules.Score("those libtards again", 0.9f, ["vaccines"]);
        Assert.Equal(0f, offTopic.Affective);
        Assert.Equal("politics", onTopic.Topic);
        Assert.True(onTopic.Affective >= PolarizationRules.Threshold);
        Assert.Equal("vaccines", tagged.Topic);
    }

    [Fact]
    public void Index_is_higher_for_split_opinion_than_for_consensus()
    {
        var rng = new Random(3);
        var split = Enumerable.Range(0, 400).Select(i => (i % 2 == 0 ? 0.8 : -0.8) + rng.NextDouble() * 0.1).ToList();
        var consensus = Enumerable.Range(0, 400).Select(_ => 0.3 + rng.NextDouble() * 0.2).ToList();
        var none = Enumerable.Repeat(0.0, 400).ToList();
        var a = PolarizationIndex.Compute(split, none);
        var b = PolarizationIndex.Compute(consensus, none);
        Assert.True(a.Bimodality > 5.0 / 9, $"bimodal BC {a.Bimodality}");
        Assert.True(a.Index > 2 * b.Index);
        var hostile = PolarizationIndex.Compute(consensus, Enumerable.Repeat(1.0, 400).ToList());
        Assert.Equal(b.Index + 0.5, hostile.Index, 9);
    }

    [Fact]
    public void Index_of_tiny_samples_is_defined()
    {
        var v = PolarizationIndex.Compute([0.5, -0.5], [0.0, 1.0]);
        Assert.Equal(0.25, v.Index, 9);
        Assert.Equal(0, PolarizationIndex.Compute([], []).Index);
    }
}
