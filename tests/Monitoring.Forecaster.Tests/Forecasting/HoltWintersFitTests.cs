using Monitoring.Forecaster.Forecasting;

namespace Monitoring.Forecaster.Tests.Forecasting;

/// <summary>Holt-Winters split into Fit (Nelder–Mead) and Apply (one filter pass with fixed parameters).</summary>
public class HoltWintersFitTests
{
    static double[] Noisy(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(t => 0.05 * (1 + 0.1 * Math.Sin(2 * Math.PI * t / 7) + 0.001 * t) + 0.004 * (rng.NextDouble() - 0.5)).ToArray();
    }

    [Theory]
    [InlineData(120, 7)]
    [InlineData(730, 7)]
    [InlineData(12, 7)] // too short for the season: damped Holt
    public void Apply_with_the_parameters_fit_produced_on_the_same_data_is_the_full_refit(int n, int season)
    {
        var y = Noisy(n, n);
        y[n / 3] = double.NaN; // missing values are carried forward on both paths
        var hw = new HoltWinters();
        var refit = hw.Forecast(y, 7, season);
        var model = hw.FitModel(y, season)!;
        var applied = hw.Apply(model, y, 7, season)!;
        Assert.Equal(HoltWinters.EffectiveSeason(n, season), model.Season);
        Assert.Equal(refit.Mean, applied.Mean);
        Assert.Equal(refit.Lower80, applied.Lower80);
        Assert.Equal(refit.Upper80, applied.Upper80);
        Assert.Equal(refit.Lower95, applied.Lower95);
        Assert.Equal(refit.Upper95, applied.Upper95);
    }

    [Fact]
    public void Stored_parameters_forecast_from_the_end_of_a_longer_history()
    {
        var y = Noisy(127, 5);
        var hw = new HoltWinters();
        var model = hw.FitModel(y[..120], 7)!;
        var applied = hw.Apply(model, y, 7, 7)!;
        var refit = hw.Forecast(y, 7, 7);
        // Week-old parameters: not the refit's numbers, but the same level and season (the series' scale is 0.05).
        Assert.NotEqual(refit.Mean, applied.Mean);
        for (var h = 0; h < 7; h++) Assert.Equal(refit.Mean[h], applied.Mean[h], 0.005);
    }

    [Fact]
    public void A_model_fitted_without_the_season_does_not_apply_once_the_history_has_two_seasons()
    {
        var y = Noisy(40, 9);
        var hw = new HoltWinters();
        var shortModel = hw.FitModel(y[..15], 7)!;
        Assert.Equal(1, shortModel.Season);
        Assert.Null(hw.Apply(shortModel, y, 7, 7));
        Assert.NotNull(hw.Apply(shortModel, y[..15], 7, 7));
        Assert.Null(hw.FitModel(y[..2], 7));
    }

    [Fact]
    public void Non_finite_parameters_do_not_apply()
    {
        var hw = new HoltWinters();
        var broken = new HoltWinters.Fitted(new HoltWinters.Parameters(double.NaN, 0.1, 0.1, 0.9), 7);
        Assert.Null(hw.Apply(broken, Noisy(60, 1), 7, 7));
    }

    [Fact]
    public void A_warm_started_refit_lands_near_the_cold_fit()
    {
        var y = Noisy(200, 11);
        var hw = new HoltWinters();
        var cold = hw.FitModel(y, 7)!;
        var warm = hw.FitModel(y, 7, cold.Parameters)!;
        var a = hw.Apply(cold, y, 7, 7)!;
        var b = hw.Apply(warm, y, 7, 7)!;
        for (var h = 0; h < 7; h++) Assert.Equal(a.Mean[h], b.Mean[h], 0.001);
    }
}
