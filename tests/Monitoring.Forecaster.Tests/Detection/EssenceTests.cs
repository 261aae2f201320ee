using Monitoring.Forecaster.Detection;

namespace Monitoring.Forecaster.Tests.Detection;

public class EssenceTests
{
    static DateTime[] Days(int n, DateTime? start = null) =>
        Enumerable.Range(0, n).Select(i => (start ?? new DateTime(2024, 1, 1)).AddDays(i)).ToArray(); // 2024-01-01 is a Monday

    [Fact]
    public void Ewma_first_point_matches_a_hand_computation()
    {
        // Hand computation of alert_ewma.R's loop for i = 10 (1-based): baseline y[1..7] (mean 73/7),
        // qt(0.95, 6) = 1.94318 and qt(0.99, 6) = 3.14267 from the t table, rounded to 5 digits as Rnssp does.
        // σ1 = 1.0489436601040656, σ2 = 1.8213875977728475; statistics 5.45219984347032 (w = 0.4) and
        // 7.180733752344179 (w = 0.9); the smaller p-value belongs to the larger statistic.
        double[] y = [10, 12, 9, 11, 10, 13, 8, 11, 10, 25];
        var r = Essence.Ewma(y);
        for (var t = 0; t < 9; t++) Assert.Null(r[t].Alarm);
        Assert.Equal(73.0 / 7, r[9].Expected, 1e-12);
        Assert.Equal(7.180733752344179, r[9].Statistic, 1e-9);
        Assert.True(r[9].PValue is > 0 and < 0.001);
        Assert.True(r[9].Alarm);
        Assert.Equal(AlertLevel.Red, Essence.Level(r[9].PValue));
    }

    [Fact]
    public void Ewma_upper_bound_is_where_the_p_value_reaches_alpha()
    {
        double[] y = [10, 12, 9, 11, 10, 13, 8, 11, 10, 12, 11, 9, 10, 14, 12, 10, 11, 9, 12, 10];
        var ub = Essence.Ewma(y)[19].UpperBound;
        Assert.True(ub > 11 && ub < 40);
        y[19] = ub - 1e-6;
        var below = Essence.Ewma(y)[19];
        y[19] = ub + 1e-6;
        var above = Essence.Ewma(y)[19];
        Assert.False(below.Alarm);
        Assert.True(above.Alarm);
        Assert.Equal(0.01, above.PValue, 1e-5);
    }

    [Fact]
    public void Ewma_scales_percentages_and_reports_bounds_in_input_units()
    {
        double[] counts = [10, 12, 9, 11, 10, 13, 8, 11, 10, 12, 11, 9, 10, 14, 12, 10, 11, 9, 12, 10];
        var pct = counts.Select(c => c / 100).ToArray(); // max < 1: divided by the median of positive values
        var a = Essence.Ewma(counts);
        var b = Essence.Ewma(pct);
        // Not scale-invariant (the floors are absolute) but the bound must be in the input's units.
        Assert.InRange(b[19].UpperBound, 0.1, 0.4);
        Assert.InRange(a[19].UpperBound, 10, 40);
    }

    [Fact]
    public void Regression_recovers_an_exact_trend_with_weekday_effects()
    {
        double[] dowEffect = [3, 1, 0, 2, 5, -4, -6]; // Mon..Sun
        var dates = Days(60);
        var y = dates.Select((d, t) => 20 + 0.5 * t + dowEffect[((int)d.DayOfWeek + 6) % 7]).ToArray();
        var r = Essence.Regression(dates, y);
        for (var t = 0; t < 13; t++) Assert.Null(r[t].Point.Alarm);
        for (var t = 13; t < 60; t++)
        {
            Assert.Equal(y[t], r[t].Point.Expected, 1e-8);
            Assert.Equal(1, r[t].AdjustedR2, 1e-9);
            Assert.False(r[t].Point.Alarm);
        }
        // A one-unit excess is 1/σ with σ at its floor 0.01 / qt(0.95, 3) = 0.01 / 2.35336 (L = 11 → 3 df).
        y[13] += 1;
        var p = Essence.Regression(dates, y)[13].Point;
        Assert.Equal(2.35336 / 0.01, p.Statistic, 1e-6);
        Assert.True(p.Alarm);
        // The switch takes the regression (R² ≥ 0.60) there.
        Assert.Equal("regression", Essence.Switch(dates, y)[13].Method);
    }

    [Fact]
    public void Regression_withdraws_alerts_below_the_seven_day_mean()
    {
        var dates = Days(20);
        var y = Enumerable.Range(0, 20).Select(t => 100.0 - 3 * t).ToArray();
        y[14] += 2; // above the forecast (p tiny) yet below the trailing 7-day mean; 2024-01-15 is a Monday
        var p = Essence.Regression(dates, y)[14].Point;
        Assert.True(p.PValue < 0.01);
        Assert.False(p.Alarm);
    }

    [Fact]
    public void Switch_uses_ewma_on_sparse_noise()
    {
        var rng = new Random(4);
        var dates = Days(90);
        var y = dates.Select(_ => (double)rng.Next(0, 3)).ToArray();
        var s = Essence.Switch(dates, y);
        Assert.Contains(s, p => p.Method == "ewma");
        var ewma = Essence.Ewma(y);
        var reg = Essence.Regression(dates, y);
        for (var t = 0; t < 90; t++)
            Assert.Equal(reg[t].AdjustedR2 >= 0.6 ? reg[t].Point : ewma[t], s[t]);
    }
}

public class CusumTests
{
    [Fact]
    public void Cusum_accumulates_standardised_residuals()
    {
        double[] y = [9, 11, 9, 11, 12, 13];
        var r = Cusum.Detect(y, baseline: 4, guard: 0);
        Assert.Null(r[3].Alarm);
        var s4 = (12 - 10) / Math.Sqrt(4.0 / 3) - 0.5;
        Assert.Equal(s4, r[4].Statistic, 1e-12);
        var sd5 = Math.Sqrt(4.75 / 3); // window 11, 9, 11, 12: mean 10.75
        var s5 = s4 + (13 - 10.75) / sd5 - 0.5;
        Assert.Equal(s5, r[5].Statistic, 1e-12);
        Assert.Equal(10.75 + sd5 * (4 + 0.5 - s4), r[5].UpperBound, 1e-12);
        Assert.False(r[5].Alarm);
    }

    [Fact]
    public void Cusum_resets_after_an_alarm()
    {
        var y = new List<double>();
        for (var i = 0; i < 40; i++) y.Add(i % 2 == 0 ? 9 : 11);
        for (var i = 0; i < 6; i++) y.Add(40);
        var r = Cusum.Detect(y, baseline: 28, guard: 2);
        Assert.All(r.Take(40).Where(p => p.Alarm.HasValue), p => Assert.False(p.Alarm));
        Assert.True(r[40].Alarm);
        Assert.Equal(0, Cusum.Detect(y.Take(41).Append(10).ToList(), 28, 2)[41].Statistic); // restarted from 0, small residual
        for (var t = 30; t < y.Count; t++)
            if (r[t].Alarm.HasValue) Assert.Equal(y[t] > r[t].UpperBound, r[t].Alarm!.Value);
    }
}

public class IncrementalDetectionTests
{
    [Fact]
    public void Evaluating_only_the_newest_point_gives_the_same_verdict()
    {
        var rng = new Random(11);
        var dates = Enumerable.Range(0, 120).Select(i => new DateTime(2024, 1, 1).AddDays(i)).ToArray();
        var y = dates.Select((d, i) => 30 + 5 * Math.Sin(i * 2 * Math.PI / 7) + rng.Next(0, 8) + (i > 112 ? 25 : 0)).ToArray();
        foreach (var m in Detectors.Names)
        {
            var full = Detectors.Run(m, dates, y);
            var last = Detectors.Run(m, dates, y, new DetectorOptions(From: y.Length - 1));
            Assert.Equal(full[^1], last[^1]);
            Assert.Null(last[^2].Alarm is null || m == "cusum" ? null : last[^2].Alarm);
        }
    }
}
