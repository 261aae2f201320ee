namespace Monitoring.Forecaster.Forecasting.Baselines;

/// <summary>The fitted components of <see cref="ProphetLike"/>, in the scaled units Prophet fits in (y / max|y|).</summary>
public sealed record ProphetFit(double YScale, double K, double M, double[] ChangepointTimes, double[] Deltas,
    double[] SeasonalBeta, double Sigma, int Count, int Period, bool Yearly)
{
    /// <summary>Growth rate (per unit of scaled time) after the last changepoint.</summary>
    public double FinalRate => K + Deltas.Sum();
}

/// <summary>
/// A reimplementation of Prophet's default model (Taylor &amp; Letham 2018, "Forecasting at scale", The American
/// Statistician 72(1); defaults from the R/Python package documentation) — <b>not the Prophet package</b>.
/// <list type="bullet">
/// <item>y is scaled by max|y| (Prophet's "absmax" scaling); time t ∈ [0, 1] over the history (equally spaced daily points).</item>
/// <item>Piecewise-linear trend g(t) = (k + a(t)ᵀδ)t + (m − a(t)ᵀ(s∘δ)) with 25 potential changepoints at evenly spaced
/// rows of the first 80 % of the history (fewer when the history is short).</item>
/// <item>Seasonality: Fourier terms of order 3 with period S (weekly for daily data, S = 7); yearly terms of order 10
/// (period 365.25 days) when S = 7 and the history spans at least two years, as Prophet's "auto" setting.</item>
/// <item>MAP estimate of Prophet's priors: k, m ~ N(0, 5); δ_j ~ Laplace(0, 0.05); β ~ N(0, 10); σ ~ N⁺(0, 0.5).
/// For fixed σ this is a penalised least-squares problem (L1 on δ, ridge on β, k, m), solved exactly by cyclic
/// coordinate descent; σ then has a closed-form update (root of 4σ⁴ + nσ² − RSS = 0); the two steps alternate until the
/// objective stops falling. Prophet itself uses Stan's L-BFGS on the same posterior.</item>
/// <item>Intervals as Prophet's <c>sample_predictive_trend</c>: in each of 1,000 samples (fixed seed) future changepoints
/// arrive at Prophet's historical rate (Poisson with mean S_cp·(T − 1), uniform positions), with Laplace(0, mean|δ|)
/// rate changes, plus Gaussian noise σ; bounds are the 10/90 % and 2.5/97.5 % quantiles; the point forecast is the
/// MAP trend plus seasonality. Seasonality uncertainty is not sampled (Prophet needs MCMC for that).</item>
/// </list>
/// </summary>
public sealed class ProphetLike : IForecastMethod
{
    public string Name => "prophet";

    public int Changepoints { get; init; } = 25;
    public double ChangepointRange { get; init; } = 0.8;
    public double ChangepointPriorScale { get; init; } = 0.05;
    public double SeasonalityPriorScale { get; init; } = 10;
    public int SeasonalOrder { get; init; } = 3;
    public int YearlyOrder { get; init; } = 10;
    public int UncertaintySamples { get; init; } = 1000;
    public int Seed { get; init; } = 20180101;

    public ProphetFit? LastFit { get; private set; }

    public ForecastResult Forecast(IReadOnlyList<double> history, int horizon, int season)
    {
        var y = SeriesPrep.FillMissing(history);
        if (y.Length < 3)
            return ForecastResult.FromSd(Name, Enumerable.Repeat(y.Length == 0 ? 0 : y[^1], horizon).ToArray(), new double[horizon]);
        var fit = Fit(y, season);
        LastFit = fit;
        return Predict(fit, horizon).ClipIfNonNegative(y);
    }

    static double TimeOf(int index, int n) => (double)index / (n - 1);

    /// <summary>Seasonal Fourier features at day index d: weekly (period S) and, if on, yearly.</summary>
    static void Fourier(double day, int period, int order, bool yearly, int yearlyOrder, Span<double> into)
    {
        var j = 0;
        for (var k = 1; k <= order; k++)
        {
            var x = 2 * Math.PI * k * day / period;
            into[j++] = Math.Sin(x);
            into[j++] = Math.Cos(x);
        }
        if (!yearly) return;
        for (var k = 1; k <= yearlyOrder; k++)
        {
            var x = 2 * Math.PI * k * day / 365.25;
            into[j++] = Math.Sin(x);
            into[j++] = Math.Cos(x);
        }
    }

    public ProphetFit Fit(double[] y, int season)
    {
        var n = y.Length;
        var yScale = y.Max(Math.Abs);
        if (yScale == 0) yScale = 1;
        var ys = y.Select(v => v / yScale).ToArray();

        // Changepoints: np.linspace(0, hist_size − 1, n_cp + 1).round()[1:] with hist_size = ⌊n·range⌋ (Prophet).
        var histSize = (int)Math.Floor(n * ChangepointRange);
        var nCp = Math.Max(0, Math.Min(Changepoints, histSize - 1));
        var cpTimes = new double[nCp];
        for (var j = 1; j <= nCp; j++)
            cpTimes[j - 1] = TimeOf((int)Math.Round((histSize - 1) * (double)j / nCp, MidpointRounding.ToEven), n);

        var period = Math.Max(1, season);
        var order = period >= 3 ? Math.Min(SeasonalOrder, (period - 1) / 2) : 0;
        var yearly = period == 7 && n - 1 >= 730;
        var nSeas = 2 * order + (yearly ? 2 * YearlyOrder : 0);

        // Design: [t, 1, (t − c_j)₊ …, Fourier …] — continuous piecewise-linear trend plus seasonality.
        var p = 2 + nCp + nSeas;
        var x = new double[p][];
        for (var c = 0; c < p; c++) x[c] = new double[n];
        Span<double> f = stackalloc double[Math.Max(1, nSeas)];
        for (var i = 0; i < n; i++)
        {
            var t = TimeOf(i, n);
            x[0][i] = t;
            x[1][i] = 1;
            for (var j = 0; j < nCp; j++) x[2 + j][i] = Math.Max(0, t - cpTimes[j]);
            if (nSeas > 0)
            {
                Fourier(i, period, order, yearly, YearlyOrder, f);
                for (var j = 0; j < nSeas; j++) x[2 + nCp + j][i] = f[j];
            }
        }
        // Covariance-mode coordinate descent (Friedman, Hastie & Tibshirani 2010, glmnet): with the Gram matrix G = XᵀX
        // and g = Xᵀr kept up to date, one coordinate update costs O(p) instead of O(n).
        var gram = new double[p, p];
        var xty = new double[p];
        for (var a = 0; a < p; a++)
        {
            for (var i = 0; i < n; i++) xty[a] += x[a][i] * ys[i];
            for (var b = a; b < p; b++)
            {
                double sum = 0;
                for (var i = 0; i < n; i++) sum += x[a][i] * x[b][i];
                gram[a, b] = gram[b, a] = sum;
            }
        }
        var yty = ys.Sum(v => v * v);

        // Prophet's initialisation: k, m from the line through the first and last points; δ = β = 0.
        var beta = new double[p];
        beta[0] = ys[^1] - ys[0];
        beta[1] = ys[0];
        var xtr = new double[p];
        for (var a = 0; a < p; a++) xtr[a] = xty[a] - gram[a, 0] * beta[0] - gram[a, 1] * beta[1];
        var sigma2 = 1.0;
        var previous = double.PositiveInfinity;
        for (var outer = 0; outer < 100; outer++)
        {
            // Penalties in the "RSS + Σ pen" form: 2σ²·(−log prior).
            var l1 = 2 * sigma2 / ChangepointPriorScale;
            for (var sweep = 0; sweep < 5000; sweep++)
            {
                var maxChange = 0.0;
                for (var c = 0; c < p; c++)
                {
                    var cc = gram[c, c];
                    if (cc == 0) continue;
                    var rho = xtr[c] + cc * beta[c];
                    double updated;
                    if (c >= 2 && c < 2 + nCp)
                        updated = Math.Sign(rho) * Math.Max(0, Math.Abs(rho) - l1 / 2) / cc;
                    else
                    {
                        var ridge = c < 2 ? sigma2 / 25 : sigma2 / (SeasonalityPriorScale * SeasonalityPriorScale);
                        updated = rho / (cc + ridge);
                    }
                    var delta = updated - beta[c];
                    if (delta == 0) continue;
                    for (var a = 0; a < p; a++) xtr[a] -= delta * gram[a, c];
                    beta[c] = updated;
                    maxChange = Math.Max(maxChange, Math.Abs(delta));
                }
                if (maxChange < 1e-10) break;
            }
            // RSS = yᵀy − 2βᵀXᵀy + βᵀGβ.
            var rss = yty;
            for (var a = 0; a < p; a++)
            {
                rss -= 2 * beta[a] * xty[a];
                for (var b = 0; b < p; b++) rss += beta[a] * gram[a, b] * beta[b];
            }
            rss = Math.Max(0, rss);
            // argmin_σ n log σ + RSS/(2σ²) + σ²/(2·0.5²): 4σ⁴ + nσ² − RSS = 0.
            sigma2 = Math.Max(1e-12, (-n + Math.Sqrt((double)n * n + 16 * rss)) / 8);
            var objective = Objective(rss, sigma2, beta, nCp, n);
            if (previous - objective < 1e-10 * Math.Abs(objective) + 1e-12) break;
            previous = objective;
        }
        return new ProphetFit(yScale, beta[0], beta[1], cpTimes, beta[2..(2 + nCp)], beta[(2 + nCp)..], Math.Sqrt(sigma2), n, period, yearly);
    }

    double Objective(double rss, double sigma2, double[] beta, int nCp, int n)
    {
        double pen = (beta[0] * beta[0] + beta[1] * beta[1]) / (2 * 25);
        for (var j = 0; j < nCp; j++) pen += Math.Abs(beta[2 + j]) / ChangepointPriorScale;
        var s2 = SeasonalityPriorScale * SeasonalityPriorScale;
        for (var j = 2 + nCp; j < beta.Length; j++) pen += beta[j] * beta[j] / (2 * s2);
        return rss / (2 * sigma2) + 0.5 * n * Math.Log(sigma2) + sigma2 / (2 * 0.25) + pen;
    }

    /// <summary>Fitted trend (scaled units) at scaled time t.</summary>
    static double Trend(ProphetFit fit, double t)
    {
        var g = fit.K * t + fit.M;
        for (var j = 0; j < fit.ChangepointTimes.Length; j++) g += fit.Deltas[j] * Math.Max(0, t - fit.ChangepointTimes[j]);
        return g;
    }

    public ForecastResult Predict(ProphetFit fit, int horizon)
    {
        var n = fit.Count;
        var order = fit.Period >= 3 ? Math.Min(SeasonalOrder, (fit.Period - 1) / 2) : 0;
        var ts = new double[horizon];
        var seasonal = new double[horizon];
        Span<double> f = stackalloc double[Math.Max(1, fit.SeasonalBeta.Length)];
        var mean = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            var index = n - 1 + h + 1;
            ts[h] = TimeOf(index, n);
            if (fit.SeasonalBeta.Length > 0)
            {
                Fourier(index, fit.Period, order, fit.Yearly, YearlyOrder, f);
                for (var j = 0; j < fit.SeasonalBeta.Length; j++) seasonal[h] += fit.SeasonalBeta[j] * f[j];
            }
            mean[h] = (Trend(fit, ts[h]) + seasonal[h]) * fit.YScale;
        }

        // Prophet's sample_predictive_trend: changepoints per unit time = S; new rate changes ~ Laplace(0, mean|δ|).
        var rng = new MathNet.Numerics.Random.MersenneTwister(Seed);
        var lambda = fit.Deltas.Length > 0 ? fit.Deltas.Average(Math.Abs) + 1e-8 : 1e-8;
        var tMax = ts[^1];
        var draws = new double[horizon][];
        for (var h = 0; h < horizon; h++) draws[h] = new double[UncertaintySamples];
        for (var sIdx = 0; sIdx < UncertaintySamples; sIdx++)
        {
            var changes = fit.ChangepointTimes.Length > 0 ? Poisson(rng, fit.ChangepointTimes.Length * (tMax - 1)) : 0;
            var newTimes = new double[changes];
            var newDeltas = new double[changes];
            for (var c = 0; c < changes; c++)
            {
                newTimes[c] = 1 + rng.NextDouble() * (tMax - 1);
                var u = rng.NextDouble() - 0.5;
                newDeltas[c] = -lambda * Math.Sign(u) * Math.Log(1 - 2 * Math.Abs(u));
            }
            for (var h = 0; h < horizon; h++)
            {
                var trend = Trend(fit, ts[h]);
                for (var c = 0; c < changes; c++) trend += newDeltas[c] * Math.Max(0, ts[h] - newTimes[c]);
                draws[h][sIdx] = (trend + seasonal[h] + fit.Sigma * Ets.Gaussian(rng)) * fit.YScale;
            }
        }
        var l80 = new double[horizon]; var u80 = new double[horizon]; var l95 = new double[horizon]; var u95 = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            Array.Sort(draws[h]);
            l80[h] = Ets.Quantile(draws[h], 0.1); u80[h] = Ets.Quantile(draws[h], 0.9);
            l95[h] = Ets.Quantile(draws[h], 0.025); u95[h] = Ets.Quantile(draws[h], 0.975);
        }
        return new ForecastResult(Name, mean, l80, u80, l95, u95);
    }

    /// <summary>Poisson draw by Knuth's multiplication method (λ here is small: a few changepoints per horizon).</summary>
    static int Poisson(Random rng, double lambda)
    {
        if (lambda <= 0) return 0;
        var limit = Math.Exp(-lambda);
        var k = 0;
        var prod = rng.NextDouble();
        while (prod > limit) { k++; prod *= rng.NextDouble(); }
        return k;
    }
}
