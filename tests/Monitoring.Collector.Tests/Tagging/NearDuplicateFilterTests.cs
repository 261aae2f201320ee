using Monitoring.Collector.Tagging;

namespace Monitoring.Collector.Tests.Tagging;

public sealed class NearDuplicateFilterTests
{
    private const string Original = "The factory on the north side is closing next month and four hundred people will lose their jobs before the winter";

    [Fact]
    public void A_copy_with_small_edits_is_a_near_duplicate()
    {
        var filter = new NearDuplicateFilter(window: 1000, minWords: 8);
        Assert.True(filter.TryAdd(Original));
        Assert.False(filter.TryAdd(Original));
        Assert.False(filter.TryAdd("RT <user> " + Original.ToUpperInvariant() + " <url>"));
        Assert.False(filter.TryAdd(Original.Replace("four hundred", "400", StringComparison.Ordinal) + "!!"));
        Assert.False(filter.TryAdd("Breaking: " + Original.Replace("next month", "in march", StringComparison.Ordinal)));
    }

    [Fact]
    public void Different_posts_on_the_same_subject_are_not()
    {
        var filter = new NearDuplicateFilter(window: 1000, minWords: 8);
        Assert.True(filter.TryAdd(Original));
        Assert.True(filter.TryAdd("My uncle works at the north side factory and he says nobody told them anything about the closure"));
        Assert.True(filter.TryAdd("Four hundred jobs gone before winter, this town cannot take another hit like this one"));
    }

    [Fact]
    public void Short_common_phrases_from_different_people_are_kept_unless_identical_and_long_enough()
    {
        var filter = new NearDuplicateFilter(window: 1000, minWords: 8);
        Assert.True(filter.TryAdd("thank you!"));
        Assert.True(filter.TryAdd("thank you!"));        // under four words: never suppressed
        Assert.True(filter.TryAdd("so sad to hear this news today"));
        Assert.False(filter.TryAdd("So sad to hear this news today."));
    }

    [Fact]
    public void The_window_forgets_old_posts()
    {
        var filter = new NearDuplicateFilter(window: 2, minWords: 8);
        Assert.True(filter.TryAdd(Original));
        Assert.True(filter.TryAdd("completely different text about the weather being cold and grey all week long here"));
        Assert.True(filter.TryAdd("another unrelated post about football results and the terrible referee at the weekend game"));
        Assert.True(filter.TryAdd(Original));
    }

    [Fact]
    public void Estimated_similarity_reflects_shared_wording()
    {
        var a = NearDuplicateFilter.Signature(NearDuplicateFilter.Words(Original));
        var edited = NearDuplicateFilter.Signature(NearDuplicateFilter.Words(Original.Replace("next month", "in march", StringComparison.Ordinal)));
        var other = NearDuplicateFilter.Signature(NearDuplicateFilter.Words("an entirely unrelated sentence about cooking pasta with garlic and olive oil at home"));
        Assert.InRange(NearDuplicateFilter.Similarity(a, edited), 0.6, 0.95);
        Assert.InRange(NearDuplicateFilter.Similarity(a, other), 0.0, 0.2);
    }
}
