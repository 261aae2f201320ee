using Monitoring.Forecaster.Backtesting;
using Monitoring.Forecaster.Forecasting;
using Monitoring.Forecaster.Forecasting.Baselines;

namespace Monitoring.Forecaster.Tests.Forecasting;

/// <summary>Known-answer tests for the peer baselines (ETS, ARIMA, Prophet reimplementation).</summary>
public class BaselineTests
{
    static double[] Noise(int n, double sd, int seed)
    {
        // Mersenne Twister: System.Random's seeded legacy generator shows serial correlation that ARIMA picks up.
        var rng = new MathNet.Numerics.Random.MersenneTwister(seed);
        return Enumerable.Range(0, n).Select(_ => sd * Gaussian(rng)).ToArray();
    }

    static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    static readonly double[] Week = [3.0, 1, 0, 2, 5, -4, -7];

    // ---------------------------------------------------------------- ETS

    [Fact]
    public void Ets_picks_additive_trend_for_a_noisy_line_and_extends_it()
    {
        // Crosses zero, so only additive-error models are candidates.
        var noise = Noise(120, 0.05, 1);
        var y = Enumerable.Range(0, 120).Select(t => -50 + 2.0 * t + noise[t]).ToArray();
        var ets = new Ets();
        var f = ets.Forecast(y, 10, 1);
        Assert.Equal("A,A,N", ets.LastFit!.Model.Name);
        for (var h = 1; h <= 10; h++) Assert.Equal(-50 + 2.0 * (119 + h), f.Mean[h - 1], 0.3);
        Assert.True(f.Upper95[9] - f.Lower95[9] > f.Upper95[0] - f.Lower95[0], "intervals widen with the horizon");
    }

    [Fact]
    public void Ets_picks_additive_season_for_a_flat_weekly_pattern()
    {
        var noise = Noise(140, 0.05, 2);
        var y = Enumerable.Range(0, 140).Select(t => Week[t % 7] + noise[t]).ToArray();
        var ets = new Ets();
        var f = ets.Forecast(y, 14, 7);
        Assert.Equal("A,N,A", ets.LastFit!.Model.Name);
        for (var h = 0; h < 14; h++) Assert.Equal(Week[(140 + h) % 7], f.Mean[h], 0.15);
    }

    [Fact]
    public void Ets_forecasts_a_noiseless_seasonal_line_exactly()
    {
        var y = Enumerable.Range(0, 70).Select(t => -20 + 0.5 * t + Week[t % 7]).ToArray();
        var ets = new Ets { Models = [new EtsModel(EtsError.Additive, EtsTrend.Additive, EtsSeason.Additive)] };
        var f = ets.Forecast(y, 14, 7);
        for (var h = 0; h < 14; h++) Assert.Equal(-20 + 0.5 * (70 + h) + Week[(70 + h) % 7], f.Mean[h], 1e-3);
    }

    [Fact]
    public void Ets_class_one_variance_follows_the_book_formula()
    {
        // ANN: var_h = σ²(1 + (h − 1)α²).
        var noise = Noise(200, 1, 3);
        double level = 0;
        var y = new double[200];
        for (var t = 0; t < 200; t++) { y[t] = 10 + level + noise[t]; level += 0.3 * noise[t]; }
        var ets = new Ets { Models = [new EtsModel(EtsError.Additive, EtsTrend.None, EtsSeason.None)] };
        var f = ets.Forecast(y, 5, 1);
        var fit = ets.LastFit!;
        for (var h = 1; h <= 5; h++)
        {
            var sd = Math.Sqrt(fit.Sigma2 * (1 + (h - 1) * fit.Alpha * fit.Alpha));
            Assert.Equal(f.Mean[h - 1] + 1.959963984540054 * sd, f.Upper95[h - 1], 1e-9);
        }
        Assert.InRange(fit.Alpha, 0.15, 0.5);
    }

    [Fact]
    public void Ets_tries_multiplicative_models_only_for_positive_series()
    {
        var ets = new Ets();
        var positive = Enumerable.Range(0, 60).Select(t => 10.0 + t % 7).ToArray();
        var withZero = positive.Select((v, i) => i == 5 ? 0 : v).ToArray();
        Assert.Contains(ets.CandidateModels(positive, 7), m => m.Season == EtsSeason.Multiplicative);
        Assert.Equal(6, ets.CandidateModels(withZero, 7).Count);
        Assert.Equal(15, ets.CandidateModels(positive, 7).Count);
    }

    [Fact]
    public void Ets_picks_a_multiplicative_season_when_the_pattern_scales_with_the_level()
    {
        var noise = Noise(168, 0.01, 11);
        double[] ratio = [1.3, 1.1, 1.0, 1.2, 1.4, 0.6, 0.4];
        double Truth(int t) => (100 + 5.0 * t) * ratio[t % 7];
        var y = Enumerable.Range(0, 168).Select(t => Truth(t) * (1 + noise[t])).ToArray();
        var ets = new Ets();
        var f = ets.Forecast(y, 7, 7);
        Assert.Equal(EtsSeason.Multiplicative, ets.LastFit!.Model.Season);
        Assert.Equal(EtsError.Multiplicative, ets.LastFit.Model.Error);
        // φ ≤ 0.98 if damped: allow a few per cent.
        for (var h = 0; h < 7; h++) Assert.Equal(Truth(168 + h), f.Mean[h], 0.05 * Truth(168 + h));
        for (var h = 0; h < 7; h++) Assert.True(f.Lower95[h] < f.Lower80[h] && f.Lower80[h] < f.Upper80[h] && f.Upper80[h] < f.Upper95[h]);
    }

    // ---------------------------------------------------------------- ARIMA

    [Fact]
    public void Arima_110_intervals_use_the_psi_weights_of_the_integrated_polynomial()
    {
        // (1 − φB)(1 − B)y = e: ψ_j = 1 + φ + … + φ^j; the point forecast adds φ^h-decaying increments.
        var noise = Noise(800, 1, 13);
        var y = new double[800];
        double dPrev = 0;
        for (var t = 1; t < 800; t++) { var d = 0.5 * dPrev + noise[t]; y[t] = y[t - 1] + d; dPrev = d; }
        var arima = new Arima { FixedOrder = new ArimaOrder(1, 1, 0, 0, 0, 0, 1, false) };
        var f = arima.Forecast(y, 5, 1);
        var fit = arima.LastFit!;
        var phi = fit.Phi[0];
        Assert.Equal(0.5, phi, 0.06);
        double level = y[^1], inc = y[^1] - y[^2], variance = 0;
        for (var h = 1; h <= 5; h++)
        {
            inc *= phi;
            level += inc;
            Assert.Equal(level, f.Mean[h - 1], 1e-9);
            var psi = Enumerable.Range(0, h).Sum(i => Math.Pow(phi, i));
            variance += psi * psi;
            Assert.Equal(f.Mean[h - 1] + 1.2815515655446004 * Math.Sqrt(fit.Sigma2 * variance), f.Upper80[h - 1], 1e-9);
        }
    }

    [Fact]
    public void Seasonal_random_walk_arima_repeats_the_last_season_like_seasonal_naive()
    {
        var noise = Noise(70, 1, 12);
        var y = Enumerable.Range(0, 70).Select(t => 10 + Week[t % 7] + noise[t]).ToArray();
        var arima = new Arima { FixedOrder = new ArimaOrder(0, 0, 0, 0, 1, 0, 7, false) };
        var f = arima.Forecast(y, 14, 7);
        var s = Math.Sqrt(arima.LastFit!.Sigma2);
        for (var h = 0; h < 14; h++)
        {
            Assert.Equal(y[63 + h % 7], f.Mean[h], 1e-9);
            // ψ_j = 1 at multiples of 7: one extra unit of variance per completed season.
            Assert.Equal(f.Mean[h] + 1.959963984540054 * s * Math.Sqrt(1 + h / 7), f.Upper95[h], 1e-9);
        }
    }

    [Fact]
    public void Kpss_statistic_matches_a_hand_computation()
    {
        double[] x = [1, 2, 3, 4, 5];
        // e = −2..2, partial sums −2,−3,−3,−2,0 → η = 26/25; s² = 10/5 (+ 2·½·4/5 with one lag).
        Assert.Equal(26.0 / 25 / 2, Arima.Kpss(x, 0), 12);
        Assert.Equal(26.0 / 25 / 2.8, Arima.Kpss(x, 1), 12);
    }

    [Fact]
    public void Ndiffs_differences_a_random_walk_once_and_white_noise_never()
    {
        var noise = Noise(500, 1, 4);
        var walk = new double[500];
        for (var t = 1; t < 500; t++) walk[t] = walk[t - 1] + noise[t];
        Assert.Equal(1, Arima.Ndiffs(walk));
        Assert.Equal(0, Arima.Ndiffs(noise));
    }

    [Fact]
    public void Seasonal_strength_separates_a_weekly_pattern_from_noise()
    {
        var noise = Noise(210, 0.5, 5);
        Assert.True(Arima.SeasonalStrength(noise.Select((v, t) => Week[t % 7] + v).ToArray(), 7) > Arima.SeasonalStrengthThreshold);
        Assert.True(Arima.SeasonalStrength(noise, 7) < Arima.SeasonalStrengthThreshold);
    }

    [Fact]
    public void Partial_autocorrelations_map_to_coefficients_by_durbin_levinson()
    {
        var a = Arima.FromPartials([Math.Atanh(0.5), Math.Atanh(0.2)]);
        // φ22 = 0.2, φ21 = φ11 − φ22·φ11 = 0.4.
        Assert.Equal(0.4, a[0], 12);
        Assert.Equal(0.2, a[1], 12);
    }

    [Fact]
    public void Arima_recovers_an_ar1_coefficient_and_forecasts_decay_as_phi_to_the_h()
    {
        const double phi = 0.7, mu = 5;
        var noise = Noise(2000, 1, 6);
        var y = new double[2000];
        y[0] = mu;
        for (var t = 1; t < 2000; t++) y[t] = mu + phi * (y[t - 1] - mu) + noise[t];
        var arima = new Arima { FixedOrder = new ArimaOrder(1, 0, 0, 0, 0, 0, 1, true) };
        var f = arima.Forecast(y, 6, 1);
        var fit = arima.LastFit!;
        Assert.Equal(phi, fit.Phi[0], 0.04);
        Assert.Equal(mu, fit.Mean, 0.3);
        Assert.Equal(1, fit.Sigma2, 0.1);
        for (var h = 1; h <= 6; h++)
        {
            Assert.Equal(fit.Mean + Math.Pow(fit.Phi[0], h) * (y[^1] - fit.Mean), f.Mean[h - 1], 1e-9);
            // ψ_j = φ^j: var_h = σ² Σ_{j<h} φ^{2j}.
            var v = Enumerable.Range(0, h).Sum(j => Math.Pow(fit.Phi[0], 2 * j)) * fit.Sigma2;
            Assert.Equal(f.Mean[h - 1] + 1.2815515655446004 * Math.Sqrt(v), f.Upper80[h - 1], 1e-9);
        }
    }

    [Fact]
    public void Auto_arima_finds_a_stationary_ar_model_for_ar1_data()
    {
        var noise = Noise(600, 1, 7);
        var y = new double[600];
        for (var t = 1; t < 600; t++) y[t] = 0.4 * y[t - 1] + noise[t];
        var fit = new Arima().Search(y, 1)!;
        Assert.Equal(0, fit.Order.D);
        Assert.True(fit.Order.P >= 1, fit.Order.ToString());
    }

    [Fact]
    public void Arima_with_one_difference_integrates_forecasts_back_and_widens_like_a_random_walk()
    {
        var noise = Noise(400, 1, 8);
        var y = new double[400];
        for (var t = 1; t < 400; t++) y[t] = y[t - 1] + noise[t];
        var arima = new Arima { FixedOrder = new ArimaOrder(0, 1, 0, 0, 0, 0, 1, false) };
        var f = arima.Forecast(y, 4, 1);
        Assert.All(f.Mean, m => Assert.Equal(y[^1], m, 1e-9));
        var s = Math.Sqrt(arima.LastFit!.Sigma2);
        for (var h = 1; h <= 4; h++) Assert.Equal(y[^1] + 1.959963984540054 * s * Math.Sqrt(h), f.Upper95[h - 1], 1e-9);
    }

    // ---------------------------------------------------------------- Prophet reimplementation

    [Fact]
    public void Prophet_like_recovers_a_planted_slope_change_and_the_weekly_pattern()
    {
        const int n = 300;
        var noise = Noise(n, 0.5, 9);
        double Truth(int t) => 100 + 1.0 * t + 2.0 * Math.Max(0, t - 150) + Week[t % 7];
        var y = Enumerable.Range(0, n).Select(t => Truth(t) + noise[t]).ToArray();
        var prophet = new ProphetLike();
        var f = prophet.Forecast(y, 14, 7);
        var fit = prophet.LastFit!;
        var slopePerDay = fit.FinalRate * fit.YScale / (n - 1);
        Assert.Equal(3.0, slopePerDay, 0.1);
        Assert.False(fit.Yearly);
        for (var h = 0; h < 14; h++) Assert.Equal(Truth(n + h), f.Mean[h], 1.5);
        // The weekly shape: day-to-day differences of the forecast follow the planted pattern plus the slope.
        for (var h = 1; h < 14; h++)
            Assert.Equal(Truth(n + h) - Truth(n + h - 1), f.Mean[h] - f.Mean[h - 1], 0.5);
        Assert.All(Enumerable.Range(0, 14), h => Assert.True(f.Lower80[h] < f.Mean[h] && f.Mean[h] < f.Upper80[h]));
    }

    [Fact]
    public void Prophet_like_is_reproducible()
    {
        var y = Enumerable.Range(0, 100).Select(t => 10 + 0.1 * t + Week[t % 7]).ToArray();
        var a = new ProphetLike().Forecast(y, 7, 7);
        var b = new ProphetLike().Forecast(y, 7, 7);
        Assert.Equal(a.Upper95, b.Upper95);
    }

    // ---------------------------------------------------------------- registry and backtest

    [Theory]
    [InlineData("ets")]
    [InlineData("arima")]
    [InlineData("prophet")]
    public void Baselines_give_finite_forecasts_for_short_constant_and_gappy_histories(string name)
    {
        var method = Metrics.Method(name);
        foreach (var n in new[] { 1, 2, 3, 5, 8, 15, 20 })
        {
            var y = Enumerable.Range(0, n).Select(t => 3.0 + t % 3).ToArray();
            foreach (var season in new[] { 1, 7 })
            {
                var f = method.Forecast(y, 9, season);
                Assert.Equal(9, f.Horizon);
                Assert.All(f.Mean.Concat(f.Lower95).Concat(f.Upper95), v => Assert.True(double.IsFinite(v), $"{name} n={n} s={season}"));
            }
        }
        var constant = Enumerable.Repeat(4.0, 30).ToArray();
        Assert.All(method.Forecast(constant, 5, 7).Mean, v => Assert.Equal(4.0, v, 1e-3));
        var gappy = Enumerable.Range(0, 40).Select(t => t % 5 == 0 ? double.NaN : t % 7).ToArray();
        Assert.All(method.Forecast(gappy, 5, 7).Mean, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Baselines_are_registered_and_reported_by_the_backtest()
    {
        Assert.IsType<Ets>(Metrics.Method("ets"));
        Assert.IsType<Arima>(Metrics.Method("arima"));
        Assert.IsType<ProphetLike>(Metrics.Method("prophet"));
        var noise = Noise(84, 1, 10);
        var y = Enumerable.Range(0, 84).Select(t => 20 + Week[t % 7] + noise[t]).ToArray();
        var scores = ForecastBacktest.Run(y, 7, 7, 2, ["ets", "arima", "prophet"]);
        Assert.Equal(["ets", "arima", "prophet"], scores.Keys);
        Assert.All(scores.Values, s => Assert.InRange(s.Mase, 0, 3));
    }
}
