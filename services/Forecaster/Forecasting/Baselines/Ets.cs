namespace Monitoring.Forecaster.Forecasting.Baselines;

/// <summary>Error, trend and season components of an ETS model (Hyndman et al. 2008, Table 2.1).</summary>
public enum EtsError { Additive, Multiplicative }

public enum EtsTrend { None, Additive, Damped }

public enum EtsSeason { None, Additive, Multiplicative }

/// <summary>One ETS model: its components and, once fitted, parameters, initial states and criteria.</summary>
public sealed record EtsModel(EtsError Error, EtsTrend Trend, EtsSeason Season)
{
    /// <summary>R's notation: "A,Ad,A", "M,N,M", …</summary>
    public string Name => $"{(Error == EtsError.Additive ? "A" : "M")},{Trend switch { EtsTrend.None => "N", EtsTrend.Additive => "A", _ => "Ad" }},{Season switch { EtsSeason.None => "N", EtsSeason.Additive => "A", _ => "M" }}";

    public override string ToString() => Name;
}

/// <summary>A fitted ETS model.</summary>
public sealed record EtsFit(EtsModel Model, int Period, double Alpha, double Beta, double Gamma, double Phi,
    double Level0, double Trend0, double[] Season0, double Sigma2, double LogLikelihood, int ParameterCount, double Aicc,
    double Level, double TrendState, double[] SeasonState, int ObservationCount);

/// <summary>
/// Automatic exponential smoothing, a C# re-implementation of the model of R <c>forecast::ets(y, model = "ZZZ")</c>
/// (Hyndman, Koehler, Snyder &amp; Grose 2002; Hyndman, Koehler, Ord &amp; Snyder 2008, "Forecasting with Exponential
/// Smoothing", chapters 2, 5–7). Written from the book's equations, not from the package's code.
/// <list type="bullet">
/// <item>Candidate models: additive error with trend N/A/Ad and season N/A (ANN, AAN, AAdN, ANA, AAA, AAdA); when the
/// series is strictly positive also multiplicative error with season N/A/M (MNN … MAdM). As forecast's defaults
/// (<c>allow.multiplicative.trend = FALSE</c>, <c>restrict = TRUE</c>) there is no multiplicative trend and no additive
/// error with multiplicative season.</item>
/// <item>Parameters α, β, γ, φ and the initial states ℓ₀, b₀, s₀ (m − 1 free seasonal states; the last makes them sum
/// to 0, or to m when multiplicative) maximise the Gaussian likelihood (book eq. 5.3: −2 log L = n log Σε² +
/// 2 Σ log|μ_t| for multiplicative error, up to constants), by Nelder–Mead from forecast's heuristic start
/// (<c>initstate</c>: seasonal indices from a classical decomposition of the first seasons, ℓ₀/b₀ from a regression on the
/// first max(10, 2m) seasonally adjusted points). Bounds: α ∈ [1e−4, 0.9999], β ∈ [1e−4, α], γ ∈ [1e−4, 1 − α],
/// φ ∈ [0.8, 0.98] (forecast's "usual" bounds).</item>
/// <item>Selection by AICc with k = parameters + free initial states + 1 (σ), as forecast.</item>
/// <item>Seasonal models need at least two full seasons plus the parameter count.</item>
/// <item>Intervals: analytic for class-1 models (additive error, no multiplicative season):
/// var_h = σ²[1 + Σ_{j=1}^{h−1} c_j²], c_j = α + βφ_j + γ·[j mod m = 0], φ_j = φ + … + φ^j (book Table 6.1, with φ = 1
/// undamped); otherwise 2,000 simulated sample paths with a fixed seed (book §6.1), quantiles 2.5/10/90/97.5 %.
/// σ² = Σε²/(n − k) as forecast.</item>
/// </list>
/// </summary>
public sealed class Ets : IForecastMethod
{
    public string Name => "ets";

    /// <summary>Try multiplicative-error and multiplicative-season models when the history is strictly positive.</summary>
    public bool AllowMultiplicative { get; init; } = true;

    /// <summary>Restrict the search to these models (null: every admissible model).</summary>
    public IReadOnlyList<EtsModel>? Models { get; init; }

    /// <summary>Nelder–Mead evaluations per model (forecast uses maxit = 2000).</summary>
    public int MaxIterations { get; init; } = 2000;

    /// <summary>The model chosen by the last <see cref="Forecast"/> call.</summary>
    public EtsFit? LastFit { get; private set; }

    const double Lower = 1e-4, Upper = 0.9999, PhiLower = 0.8, PhiUpper = 0.98;

    public ForecastResult Forecast(IReadOnlyList<double> history, int horizon, int season)
    {
        var y = SeriesPrep.FillMissing(history);
        if (y.Length < 4)
            return ForecastResult.FromSd(Name, Enumerable.Repeat(y.Length == 0 ? 0 : y[^1], horizon).ToArray(), new double[horizon]);
        var fit = FitBest(y, season) ?? throw new InvalidOperationException("no ETS model could be fitted");
        LastFit = fit;
        return ForecastFrom(fit, horizon).ClipIfNonNegative(y);
    }

    /// <summary>The admissible candidate models for a series.</summary>
    public IReadOnlyList<EtsModel> CandidateModels(double[] y, int season)
    {
        if (Models is { } fixedModels) return fixedModels;
        var seasonal = season >= 2 && y.Length >= 2 * season + 2;
        var positive = AllowMultiplicative && y.All(v => v > 0);
        var list = new List<EtsModel>();
        foreach (var e in positive ? new[] { EtsError.Additive, EtsError.Multiplicative } : [EtsError.Additive])
            foreach (var t in new[] { EtsTrend.None, EtsTrend.Additive, EtsTrend.Damped })
                foreach (var s in new[] { EtsSeason.None, EtsSeason.Additive, EtsSeason.Multiplicative })
                {
                    if (s != EtsSeason.None && !seasonal) continue;
                    if (s == EtsSeason.Multiplicative && (e == EtsError.Additive || !positive)) continue;
                    list.Add(new EtsModel(e, t, s));
                }
        return list;
    }

    /// <summary>Fits every candidate and returns the one with the smallest AICc (null if none could be fitted).</summary>
    public EtsFit? FitBest(double[] y, int season)
    {
        EtsFit? best = null;
        foreach (var model in CandidateModels(y, season))
        {
            var fit = Fit(y, model, season);
            if (fit is not null && double.IsFinite(fit.Aicc) && (best is null || fit.Aicc < best.Aicc)) best = fit;
        }
        return best;
    }

    /// <summary>Maximum-likelihood fit of one model; null when the series is too short for it.</summary>
    public EtsFit? Fit(double[] y, EtsModel model, int season)
    {
        var m = model.Season == EtsSeason.None ? 1 : season;
        var n = y.Length;
        var trended = model.Trend != EtsTrend.None;
        var seasonal = model.Season != EtsSeason.None;
        var damped = model.Trend == EtsTrend.Damped;
        var smoothing = 1 + (trended ? 1 : 0) + (seasonal ? 1 : 0) + (damped ? 1 : 0);
        var states = 1 + (trended ? 1 : 0) + (seasonal ? m - 1 : 0);
        var k = smoothing + states + 1;
        if (n <= k + 1) return null;

        var (l0, b0, s0) = InitialStates(y, model, m);
        // Nelder–Mead works in an unbounded space: logits for the smoothing parameters, states in units of `scale`
        // around their heuristic start, so one step of the simplex is a sensible move in every coordinate.
        var scale = Math.Max(1e-8, y.Select(Math.Abs).Average() * 0.1);
        var start = new double[smoothing + states];
        start[0] = Logit(0.5);
        var idx = 1;
        if (trended) start[idx++] = Logit(0.2);
        if (seasonal) start[idx++] = Logit(0.2);
        if (damped) start[idx++] = Logit(0.5);

        Parameters Decode(double[] v)
        {
            var j = 0;
            var alpha = Lower + (Upper - Lower) * Logistic(v[j++]);
            var beta = trended ? Lower + (alpha - Lower) * Logistic(v[j++]) : 0;
            var gamma = seasonal ? Lower + Math.Max(0, 1 - alpha - Lower) * Logistic(v[j++]) : 0;
            var phi = damped ? PhiLower + (PhiUpper - PhiLower) * Logistic(v[j++]) : 1;
            var level = l0 + scale * v[j++];
            var trend = trended ? b0 + scale * v[j++] : 0;
            var seas = new double[m];
            if (seasonal)
            {
                double sum = 0;
                for (var i = 0; i < m - 1; i++)
                {
                    // Multiplicative indices move in relative units.
                    seas[i] = s0[i] + (model.Season == EtsSeason.Multiplicative ? 0.1 : scale) * v[j++];
                    sum += seas[i];
                }
                seas[m - 1] = model.Season == EtsSeason.Multiplicative ? m - sum : -sum;
            }
            return new Parameters(alpha, beta, gamma, phi, level, trend, seas);
        }

        double Objective(double[] v)
        {
            var p = Decode(v);
            return Filter(y, model, m, p, out _).MinusTwoLogLik;
        }

        var bestV = NelderMead.Minimize(Objective, start, 1.0, MaxIterations, 1e-10);
        // One restart from the optimum: Nelder–Mead stalls easily in 10+ dimensions.
        bestV = NelderMead.Minimize(Objective, bestV, 0.5, MaxIterations / 2, 1e-10);
        var par = Decode(bestV);
        var run = Filter(y, model, m, par, out var final);
        if (!double.IsFinite(run.MinusTwoLogLik) || run.MinusTwoLogLik >= Penalty / 2) return null;
        var aic = run.MinusTwoLogLik + 2 * k;
        var aicc = aic + 2.0 * k * (k + 1) / (n - k - 1);
        var sigma2 = run.SumSquares / Math.Max(1, n - k);
        return new EtsFit(model, m, par.Alpha, par.Beta, par.Gamma, par.Phi, par.Level, par.Trend, par.Season, sigma2,
            -0.5 * run.MinusTwoLogLik, k, aicc, final.Level, final.Trend, final.Season, n);
    }

    const double Penalty = 1e300;

    sealed record Parameters(double Alpha, double Beta, double Gamma, double Phi, double Level, double Trend, double[] Season);

    readonly record struct FilterResult(double MinusTwoLogLik, double SumSquares);

    /// <summary>Final state after the last observation: level, trend and the seasonal index for each time mod m.</summary>
    internal readonly record struct State(double Level, double Trend, double[] Season);

    /// <summary>
    /// One pass of the state-space recursions (Hyndman et al. 2008, Table 2.3). seas[t mod m] is the index that applies
    /// at time t. −2 log L up to constants: n log(Σε²/n) + 2 Σ log|μ_t| (the last term for multiplicative error only).
    /// </summary>
    static FilterResult Filter(double[] y, EtsModel model, int m, Parameters p, out State final)
    {
        var level = p.Level;
        var trend = p.Trend;
        var seas = (double[])p.Season.Clone();
        double sse = 0, logMu = 0;
        var multError = model.Error == EtsError.Multiplicative;
        final = new State(level, trend, seas);
        if (model.Season == EtsSeason.Multiplicative && seas.Any(s => s <= 0)) return new FilterResult(Penalty, Penalty);
        for (var t = 0; t < y.Length; t++)
        {
            var si = t % m;
            var s = seas[si];
            var (baseValue, mu) = OneStep(model, level, trend, s, p.Phi);
            double e;
            if (multError)
            {
                if (!(mu > 0) || !(baseValue > 0)) return new FilterResult(Penalty, Penalty);
                e = (y[t] - mu) / mu;
                logMu += Math.Log(mu);
            }
            else e = y[t] - mu;
            sse += e * e;
            Update(model, ref level, ref trend, ref seas[si], baseValue, mu, e, p);
            if (!double.IsFinite(level) || !double.IsFinite(trend)) return new FilterResult(Penalty, Penalty);
        }
        final = new State(level, trend, seas);
        var n = y.Length;
        if (!(sse > 0)) sse = 1e-300;
        var lik = n * Math.Log(sse / n) + 2 * logMu;
        return new FilterResult(double.IsFinite(lik) ? lik : Penalty, sse);
    }

    /// <summary>The level-plus-trend part ("base") and the one-step mean μ.</summary>
    static (double Base, double Mu) OneStep(EtsModel model, double level, double trend, double s, double phi)
    {
        var baseValue = model.Trend switch
        {
            EtsTrend.None => level,
            EtsTrend.Additive => level + trend,
            _ => level + phi * trend,
        };
        var mu = model.Season switch
        {
            EtsSeason.None => baseValue,
            EtsSeason.Additive => baseValue + s,
            _ => baseValue * s,
        };
        return (baseValue, mu);
    }

    /// <summary>State updates of Table 2.3 (additive error) and its multiplicative-error counterpart (ε relative).</summary>
    static void Update(EtsModel model, ref double level, ref double trend, ref double s, double baseValue, double mu, double e, Parameters p)
    {
        var damp = model.Trend == EtsTrend.Damped ? p.Phi : 1;
        var trended = model.Trend != EtsTrend.None;
        if (model.Error == EtsError.Additive)
        {
            if (model.Season == EtsSeason.Multiplicative)
            {
                var oldS = s;
                level = baseValue + p.Alpha * e / oldS;
                if (trended) trend = damp * trend + p.Beta * e / oldS;
                s = oldS + p.Gamma * e / baseValue;
            }
            else
            {
                level = baseValue + p.Alpha * e;
                if (trended) trend = damp * trend + p.Beta * e;
                if (model.Season == EtsSeason.Additive) s += p.Gamma * e;
            }
        }
        else
        {
            switch (model.Season)
            {
                case EtsSeason.None:
                    level = baseValue * (1 + p.Alpha * e);
                    if (trended) trend = damp * trend + p.Beta * baseValue * e;
                    break;
                case EtsSeason.Additive:
                    level = baseValue + p.Alpha * mu * e;
                    if (trended) trend = damp * trend + p.Beta * mu * e;
                    s += p.Gamma * mu * e;
                    break;
                default:
                    level = baseValue * (1 + p.Alpha * e);
                    if (trended) trend = damp * trend + p.Beta * baseValue * e;
                    s *= 1 + p.Gamma * e;
                    break;
            }
        }
    }

    /// <summary>Point forecasts and 80/95 % intervals from a fitted model's final state.</summary>
    public ForecastResult ForecastFrom(EtsFit fit, int horizon)
    {
        var model = fit.Model;
        var m = fit.Period;
        var n0 = NextIndex(fit);
        var mean = PointPath(model, m, fit.Level, fit.TrendState, fit.SeasonState, fit.Phi, n0, horizon);
        var classOne = model.Error == EtsError.Additive && model.Season != EtsSeason.Multiplicative;
        if (classOne)
        {
            var sd = new double[horizon];
            double acc = 1, phiJ = 0, phiPow = 1;
            for (var h = 1; h <= horizon; h++)
            {
                sd[h - 1] = Math.Sqrt(fit.Sigma2 * acc);
                phiPow *= model.Trend == EtsTrend.Damped ? fit.Phi : 1;
                phiJ += phiPow;
                var c = fit.Alpha + (model.Trend != EtsTrend.None ? fit.Beta * phiJ : 0)
                    + (model.Season != EtsSeason.None && h % m == 0 ? fit.Gamma : 0);
                acc += c * c;
            }
            return ForecastResult.FromSd(Name, mean, sd);
        }
        return Simulate(fit, horizon, n0, mean);
    }

    /// <summary>Index (mod m) of the first forecast step: the seasonal state is kept by time mod m.</summary>
    static int NextIndex(EtsFit fit) => fit.ObservationCount % Math.Max(1, fit.Period);

    static double[] PointPath(EtsModel model, int m, double level, double trend, double[] season, double phi, int n0, int horizon)
    {
        var mean = new double[horizon];
        double phiSum = 0, phiPow = 1;
        var damp = model.Trend == EtsTrend.Damped ? phi : 1;
        for (var h = 1; h <= horizon; h++)
        {
            phiPow *= damp;
            phiSum += phiPow;
            var baseValue = model.Trend == EtsTrend.None ? level : level + phiSum * trend;
            var s = season[(n0 + h - 1) % m];
            mean[h - 1] = model.Season switch
            {
                EtsSeason.None => baseValue,
                EtsSeason.Additive => baseValue + s,
                _ => baseValue * s,
            };
        }
        return mean;
    }

    ForecastResult Simulate(EtsFit fit, int horizon, int n0, double[] mean)
    {
        const int paths = 2000;
        var rng = new MathNet.Numerics.Random.MersenneTwister(20260422);
        var sigma = Math.Sqrt(fit.Sigma2);
        var draws = new double[horizon][];
        for (var h = 0; h < horizon; h++) draws[h] = new double[paths];
        var p = new Parameters(fit.Alpha, fit.Beta, fit.Gamma, fit.Phi, fit.Level, fit.TrendState, fit.SeasonState);
        for (var path = 0; path < paths; path++)
        {
            var level = fit.Level;
            var trend = fit.TrendState;
            var seas = (double[])fit.SeasonState.Clone();
            for (var h = 0; h < horizon; h++)
            {
                var si = (n0 + h) % fit.Period;
                var (baseValue, mu) = OneStep(fit.Model, level, trend, seas[si], fit.Phi);
                var e = sigma * Gaussian(rng);
                draws[h][path] = fit.Model.Error == EtsError.Additive ? mu + e : mu * (1 + e);
                Update(fit.Model, ref level, ref trend, ref seas[si], baseValue, mu, e, p);
            }
        }
        var l80 = new double[horizon]; var u80 = new double[horizon]; var l95 = new double[horizon]; var u95 = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            Array.Sort(draws[h]);
            l80[h] = Quantile(draws[h], 0.1); u80[h] = Quantile(draws[h], 0.9);
            l95[h] = Quantile(draws[h], 0.025); u95[h] = Quantile(draws[h], 0.975);
        }
        return new ForecastResult(Name, mean, l80, u80, l95, u95);
    }

    internal static double Gaussian(Random rng)
    {
        // Box–Muller.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Linear-interpolation quantile of sorted values (R type 7).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>
    /// forecast's <c>initstate</c> heuristic: seasonal indices from a classical decomposition (centred moving average) of
    /// the first min(n, 3m … ) points, then ℓ₀ and b₀ from a least-squares line through the first max(10, 2m) seasonally
    /// adjusted points.
    /// </summary>
    static (double Level, double Trend, double[] Season) InitialStates(double[] y, EtsModel model, int m)
    {
        var n = y.Length;
        var seas = new double[m];
        var multiplicative = model.Season == EtsSeason.Multiplicative;
        var adjusted = y;
        if (model.Season != EtsSeason.None)
        {
            var span = Math.Min(n, Math.Max(3 * m, 2 * m + 2));
            var sums = new double[m];
            var counts = new int[m];
            for (var t = 0; t < span; t++)
            {
                var ma = CentredMovingAverage(y, t, m);
                if (double.IsNaN(ma)) continue;
                sums[t % m] += multiplicative ? (ma > 0 ? y[t] / ma : 1) : y[t] - ma;
                counts[t % m]++;
            }
            for (var i = 0; i < m; i++) seas[i] = counts[i] > 0 ? sums[i] / counts[i] : (multiplicative ? 1 : 0);
            var centre = seas.Average();
            for (var i = 0; i < m; i++) seas[i] = multiplicative ? seas[i] / centre : seas[i] - centre;
            adjusted = y.Select((v, t) => multiplicative ? v / seas[t % m] : v - seas[t % m]).ToArray();
        }
        else seas[0] = 0;
        var maxn = Math.Min(Math.Max(10, 2 * m), n);
        double level, trend = 0;
        if (model.Trend == EtsTrend.None) level = adjusted.Take(maxn).Average();
        else
        {
            // Least squares on t = 1..maxn; ℓ₀ is the intercept at t = 0.
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (var t = 0; t < maxn; t++) { var x = t + 1; sx += x; sy += adjusted[t]; sxx += x * x; sxy += x * adjusted[t]; }
            var denom = maxn * sxx - sx * sx;
            trend = denom != 0 ? (maxn * sxy - sx * sy) / denom : 0;
            level = (sy - trend * sx) / maxn;
        }
        if (model.Error == EtsError.Multiplicative && level <= 0) level = Math.Max(1e-3, y.Average());
        return (level, trend, seas);
    }

    /// <summary>Centred moving average of order m at t (2×m for even m); NaN near the ends.</summary>
    static double CentredMovingAverage(double[] y, int t, int m)
    {
        var half = m / 2;
        if (t - half < 0 || t + half >= y.Length) return double.NaN;
        if (m % 2 == 1)
        {
            double s = 0;
            for (var i = t - half; i <= t + half; i++) s += y[i];
            return s / m;
        }
        double sum = 0.5 * (y[t - half] + y[t + half]);
        for (var i = t - half + 1; i < t + half; i++) sum += y[i];
        return sum / m;
    }

    static double Logistic(double x) => 1 / (1 + Math.Exp(-x));
    static double Logit(double p) => Math.Log(p / (1 - p));
}
