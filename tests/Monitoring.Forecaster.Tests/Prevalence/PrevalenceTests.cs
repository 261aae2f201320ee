using Monitoring.Forecaster.Prevalence;

namespace Monitoring.Forecaster.Tests.Prevalence;

public class PrevalenceTests
{
    [Fact]
    public void Adjusts_classify_and_count_by_hand()
    {
        var e = new PrevalenceEstimator(0.8, 0.1).Estimate(250, 1000);
        Assert.Equal(0.25, e.Raw);
        Assert.Equal(0.15 / 0.7, e.Adjusted, 1e-12); // (0.25 − 0.1)/(0.8 − 0.1)
        // se² = [0.25·0.75/1000 + p²·0.8·0.2/200 + (1−p)²·0.1·0.9/200] / 0.7², p = 0.2142857…
        Assert.Equal(0.032008953349710455, e.StandardError, 1e-12);
        Assert.Equal(e.Adjusted - 1.959963984540054 * e.StandardError, e.Lower, 1e-12);
        Assert.Equal(e.Adjusted + 1.959963984540054 * e.StandardError, e.Upper, 1e-12);
    }

    [Fact]
    public void Clips_to_the_unit_interval()
    {
        var low = new PrevalenceEstimator(0.8, 0.1).Estimate(50, 1000); // q below FPR
        Assert.Equal(0, low.Adjusted);
        Assert.Equal(0, low.Lower);
        Assert.True(low.Upper > 0);
        var high = new PrevalenceEstimator(0.8, 0.1).Estimate(950, 1000); // q above TPR
        Assert.Equal(1, high.Adjusted);
        Assert.Equal(1, high.Upper);
    }

    [Fact]
    public void Classifier_error_widens_the_interval()
    {
        var small = new PrevalenceEstimator(0.8, 0.1, 50, 50).Estimate(2500, 10000);
        var large = new PrevalenceEstimator(0.8, 0.1, 100000, 100000).Estimate(2500, 10000);
        Assert.True(small.Upper - small.Lower > 1.5 * (large.Upper - large.Lower));
    }

    [Fact]
    public void Uninformative_classifier_gives_the_whole_interval()
    {
        var e = new PrevalenceEstimator(0.3, 0.3).Estimate(30, 100);
        Assert.True(double.IsNaN(e.Adjusted));
        Assert.Equal(0, e.Lower);
        Assert.Equal(1, e.Upper);
    }
}

public class WordShiftTests
{
    [Fact]
    public void Ranks_terms_that_rose_and_respects_the_author_floor()
    {
        TermCount[] baseline = [new("sleep", 10, 50), new("tired", 10, 50), new("work", 80, 60)];
        TermCount[] current = [new("sleep", 40, 30), new("tired", 20, 9), new("work", 40, 40), new("insomnia", 20, 12)];
        var r = WordShift.Rising(current, baseline);
        // current total 120: sleep 1/3 − 0.1, insomnia 1/6 − 0; tired has only 9 authors; work fell.
        Assert.Equal(["sleep", "insomnia"], r.Select(t => t.Term));
        Assert.Equal(40.0 / 120 - 0.1, r[0].Contribution, 1e-12);
        Assert.Equal(0.1, r[0].BaselineShare, 1e-12);
    }

    [Theory]
    [InlineData("@someone")]
    [InlineData("someone@example.org")]
    [InlineData("https://x.example")]
    [InlineData("www.example.com")]
    [InlineData("example.com")]
    [InlineData("+1 555 123 4567")]
    [InlineData("555-123-4567")]
    [InlineData("u/throwaway")]
    [InlineData("<url>")]
    [InlineData("call @me")]
    public void Never_shows_handles_emails_phones_or_urls(string term)
    {
        Assert.False(WordShift.IsShowable(term));
        Assert.Empty(WordShift.Rising([new TermCount(term, 100, 100)], []));
    }

    [Theory]
    [InlineData("can't sleep")]
    [InlineData("2am")]
    [InlineData("covid19")]
    public void Shows_ordinary_terms(string term) => Assert.True(WordShift.IsShowable(term));
}
