using Monitoring.Forecaster.Backtesting;
using Monitoring.Forecaster.Forecasting;

namespace Monitoring.Forecaster.Tests.Forecasting;

public class MethodTests
{
    static double[] Weekly(int n, double trend = 0) =>
        Enumerable.Range(0, n).Select(t => 10 + trend * t + new[] { 3.0, 1, 0, 2, 5, -4, -6 }[t % 7]).ToArray();

    [Fact]
    public void Seasonal_naive_repeats_the_last_season_with_growing_intervals()
    {
        double[] y = [1, 2, 3, 1, 2, 3, 1, 2, 4];
        var f = new SeasonalNaive().Forecast(y, 4, 3);
        Assert.Equal([1, 2, 4, 1], f.Mean);
        // Seasonal differences: 0,0,0,0,0,1 → σ = sqrt(1/6); h = 4 is in the second season: sd·√2.
        var sigma = Math.Sqrt(1.0 / 6);
        Assert.Equal(1 + 1.2815515655446004 * sigma, f.Upper80[0], 1e-9);
        Assert.Equal(1 + 1.959963984540054 * sigma * Math.Sqrt(2), f.Upper95[3], 1e-9);
    }

    [Fact]
    public void Holt_winters_tracks_trend_and_season()
    {
        var y = Weekly(84, trend: 0.5);
        var truth = Weekly(98, trend: 0.5);
        var f = new HoltWinters().Forecast(y, 14, 7);
        // φ ≤ 0.98 damps the trend: allow an error growing with the step.
        for (var h = 0; h < 14; h++) Assert.InRange(f.Mean[h] - truth[84 + h], -(0.3 + 0.15 * (h + 1)), 0.3);
        Assert.True(f.Upper95[13] - f.Lower95[13] >= f.Upper95[0] - f.Lower95[0]);
    }

    [Fact]
    public void Ssa_forecasts_a_sinusoid()
    {
        var y = Enumerable.Range(0, 120).Select(t => 50 + 10 * Math.Sin(2 * Math.PI * t / 12)).ToArray();
        var f = new SsaMethod().Forecast(y, 12, 12);
        for (var h = 0; h < 12; h++) Assert.Equal(50 + 10 * Math.Sin(2 * Math.PI * (120 + h) / 12), f.Mean[h], 1e-3);
    }

    [Fact]
    public void Backtest_scores_seasonal_naive_by_hand()
    {
        // Season 2, H = 2, N = 1: train [1, 3, 2, 4] (scale = mean(|2−1|, |4−3|) = 1), window [2, 5].
        double[] y = [1, 3, 2, 4, 2, 5];
        var s = ForecastBacktest.Run(y, 2, 2, 1, ["snaive"])["snaive"];
        // forecasts 2, 4 → errors 0, 1 → MASE 0.5; sMAPE mean(0, 200·1/9).
        Assert.Equal(0.5, s.Mase, 1e-12);
        Assert.Equal(100.0 / 9, s.Smape, 1e-12);
    }

    [Fact]
    public void Auto_chooses_with_past_data_only_and_beats_a_bad_choice()
    {
        var y = Weekly(140, trend: 0.2);
        var scores = ForecastBacktest.Run(y, 7, 7, 3);
        Assert.True(scores["auto"].Mase <= scores.Values.Max(v => v.Mase) + 1e-12);
        Assert.Equal(3, scores["auto"].Choices!.Count);
    }

    [Fact]
    public void Forecasts_of_counts_are_not_negative()
    {
        double[] y = [5, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        foreach (var m in new IForecastMethod[] { new HoltWinters(), new SsaMethod(), new SeasonalNaive() })
            Assert.All(m.Forecast(y, 5, 7).Lower95, v => Assert.True(v >= 0));
    }
}

public class DetectionBacktestTests
{
    [Fact]
    public void Scores_events_false_alerts_and_lag()
    {
        bool[] truth = [false, false, true, true, true, false, false, true, true, false];
        bool?[] alarm = [null, true, false, false, true, false, false, false, false, false];
        var s = DetectionBacktest.Score(alarm, truth);
        Assert.Equal(2, s.Events);
        Assert.Equal(1, s.Detected);
        Assert.Equal(0.5, s.Sensitivity);
        Assert.Equal(2, s.MedianLag);
        Assert.Equal(100.0 / 4, s.FalseAlertsPer100); // 1 of 4 evaluable negatives (indices 1, 5, 6, 9)
    }
}
