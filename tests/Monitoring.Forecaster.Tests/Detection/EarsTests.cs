using Monitoring.Forecaster.Detection;

namespace Monitoring.Forecaster.Tests.Detection;

public class EarsTests
{
    // z for alpha = 0.001 as quoted in METHODS.md ("EARS exactly as R surveillance 1.20.3 computes it").
    const double Z001 = 3.0902323061678132;

    [Fact]
    public void Quantile_matches_the_reference_z()
    {
        Assert.Equal(Z001, RStats.QNorm(1 - 0.001), 1e-14);
        Assert.Equal(1.9599639845400536, RStats.QNorm(1 - 0.025), 1e-14);
    }

    [Fact]
    public void Sd_is_the_sample_standard_deviation()
    {
        // var(1..7) = 28/6 by hand.
        Assert.Equal(Math.Sqrt(28.0 / 6), RStats.Sd([1, 2, 3, 4, 5, 6, 7]), 1e-15);
    }

    [Fact]
    public void C1_uses_the_seven_points_before_t()
    {
        double[] y = [1, 2, 3, 4, 5, 6, 7, 11];
        var r = Ears.C1(y);
        for (var t = 0; t < 7; t++) Assert.Null(r[t].Alarm);
        // mean 4 + z·sqrt(28/6) = 10.675664758038842 (hand: 4 + 3.0902323061678132 × 2.160246899469287)
        Assert.Equal(4 + Z001 * Math.Sqrt(28.0 / 6), r[7].UpperBound, 1e-12);
        Assert.Equal(10.675664758038842, r[7].UpperBound, 1e-12);
        Assert.True(r[7].Alarm);
        y[7] = 10;
        Assert.False(Ears.C1(y)[7].Alarm);
    }

    [Fact]
    public void Comparison_is_strict_and_constant_baseline_gives_the_mean()
    {
        double[] y = [5, 5, 5, 5, 5, 5, 5, 5];
        var r = Ears.C1(y);
        Assert.Equal(5, r[7].UpperBound);
        Assert.False(r[7].Alarm); // 5 > 5 is false
        y[7] = 5.000001;
        Assert.True(Ears.C1(y)[7].Alarm);
    }

    [Fact]
    public void MinSigma_floors_the_sd()
    {
        double[] y = [5, 5, 5, 5, 5, 5, 5, 7];
        var r = Ears.C1(y, minSigma: 1);
        Assert.Equal(5 + Z001, r[7].UpperBound, 1e-12);
        Assert.False(r[7].Alarm); // 7 < 8.09
    }

    [Fact]
    public void C2_skips_the_two_days_before_t()
    {
        double[] y = [1, 2, 3, 4, 5, 6, 7, 100, 100, 11];
        var r = Ears.C2(y);
        for (var t = 0; t < 9; t++) Assert.Null(r[t].Alarm);
        Assert.Equal(10.675664758038842, r[9].UpperBound, 1e-12);
        Assert.True(r[9].Alarm);
    }

    // Reference numbers computed by hand (Python, exact sample sd) from METHODS.md's formulas:
    // W2(k) = y[k−9..k−3] (1-based), C2 at days 11 and 12 (0-based 10, 11) = 8.573214099741124 and 10.161717581279293.
    static readonly double[] C3Series = [3, 5, 4, 6, 5, 4, 5, 6, 4, 5, 12, 14, 20];

    [Fact]
    public void C3_R_bound_leaves_out_the_current_day()
    {
        var r = Ears.C3(C3Series);
        for (var t = 0; t < 11; t++) Assert.Null(r[t].Alarm);
        Assert.NotNull(r[11].Alarm);
        Assert.Equal(8.859149612646169, r[12].UpperBound, 1e-12);
        Assert.True(r[12].Alarm);
        // The same two previous days with a zero today: R's bound is clipped at 0 and 0 > 0 is false.
        var y = (double[])C3Series.Clone();
        y[12] = 0;
        var r0 = Ears.C3(y);
        Assert.Equal(0, r0[12].UpperBound);
        Assert.False(r0[12].Alarm);
        // The bound does not depend on the C2 of day t: alarm iff p[t−2] + p[t−1] > z and y[t] > 0.
        y[12] = 1;
        Assert.True(Ears.C3(y)[12].Alarm);
    }

    [Fact]
    public void C3_textbook_includes_the_current_day()
    {
        var y = (double[])C3Series.Clone();
        y[12] = 0;
        var r = Ears.C3Textbook(y);
        // S = p[10] + p[11] + 0 = 7.573214099741124 + 9.161717581279293
        Assert.Equal(16.734931681020417, r[12].Statistic, 1e-12);
        Assert.True(r[12].Alarm);

        // Quiet previous days: only day t can push S over z.
        double[] q = [3, 5, 4, 6, 5, 4, 5, 6, 4, 5, 4, 5, 0];
        var tb = Ears.C3Textbook(q);
        var mean = (5 + 4 + 6 + 5 + 4 + 5 + 6) / 7.0;
        var sd = RStats.Sd([5, 4, 6, 5, 4, 5, 6]);
        Assert.Equal(tb[12].Expected, mean, 1e-12);
        var bound = tb[12].UpperBound;
        q[12] = Math.Floor(bound);
        Assert.False(Ears.C3Textbook(q)[12].Alarm);
        q[12] = Math.Ceiling(bound) + 0.0;
        Assert.True(Ears.C3Textbook(q)[12].Alarm);
        Assert.True(bound > mean + sd * (1 + 2)); // the rule needs C2 − 1 > z with no help from earlier days
        Assert.False(Ears.C3(q)[12].Alarm); // R's C3 ignores day t when earlier days are quiet
    }

    [Fact]
    public void C3_with_constant_window_today_never_alarms()
    {
        // Day t's window W2(t) constant → s = 0: R's bound is y[t] itself (no alarm) unless P is infinite.
        double[] y = [5, 4, 6, 5, 5, 5, 5, 5, 5, 5, 5, 5, 9];
        var r = Ears.C3(y);
        Assert.False(r[12].Alarm);
        Assert.Equal(9, r[12].UpperBound);
        // Constant windows for days t−2, t−1 with spikes there: C2 = +∞, s(t) = 0 → NA in R.
        double[] y2 = [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 9, 9, 9];
        Assert.Null(Ears.C3(y2)[12].Alarm);
    }

    [Fact]
    public void Missing_values_make_points_not_evaluable()
    {
        double[] y = [1, 2, double.NaN, 4, 5, 6, 7, 11, 3];
        var r = Ears.C1(y);
        Assert.Null(r[7].Alarm);
        Assert.True(double.IsNaN(r[7].UpperBound));
        Assert.Null(r[8].Alarm);
    }

    [Fact]
    public void Baseline_below_three_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Ears.C1([1, 2, 3], baseline: 2));
}
