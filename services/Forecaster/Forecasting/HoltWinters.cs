namespace Monitoring.Forecaster.Forecasting;

/// <summary>
/// Damped additive Holt-Winters, ETS(A,Ad,A): ŷ[t] = l + φb + s[t−S]; l ← l + φb + αe; b ← φb + βe; s ← s + γe.
/// α, β, γ, φ minimise the in-sample one-step squared error (Nelder–Mead on a logistic reparametrisation
/// within the forecast::ets bounds α ∈ [1e−4, 0.9999], β ∈ [1e−4, α], γ ∈ [1e−4, 1 − α], φ ∈ [0.8, 0.98]).
/// Initial state: level = mean of the first season, trend = (mean of season 2 − mean of season 1)/S,
/// seasonal = first season − level. Prediction variance σ²[1 + Σ_{j&lt;h} (α(1 + βφ_j) + γ·[j mod S = 0])²]
/// with φ_j = φ + … + φ^j (Hyndman et al. 2008, class 1). Without two full seasons it is a damped Holt model.
/// <para>
/// <see cref="Forecast"/> is <see cref="FitModel"/> (Nelder–Mead, the expensive part) followed by <see cref="Apply"/> (one
/// O(n) filter pass with fixed parameters). The initial state and σ² are recomputed from the history on every pass, so
/// a stored <see cref="Fitted"/> applied to the history it was fitted on reproduces <see cref="Forecast"/> exactly, and
/// applied to a newer history it forecasts from that history's end with parameters a few buckets old.
/// </para>
/// </summary>
public sealed class HoltWinters : IForecastMethod
{
    public string Name => "holt-winters";

    public int MaxIterations { get; init; } = 400;

    public sealed record Parameters(double Alpha, double Beta, double Gamma, double Phi);

    /// <summary>Smoothing parameters and the season they were fitted for (1: non-seasonal damped Holt).</summary>
    public sealed record Fitted(Parameters Parameters, int Season);

    /// <summary>Fewer points than this: no model, the forecast repeats the last value.</summary>
    public const int MinPoints = 3;

    /// <summary>The season actually used for a history of <paramref name="length"/> points: two full seasons and two points are needed.</summary>
    public static int EffectiveSeason(int length, int season) => season >= 2 && length >= 2 * season + 2 ? season : 1;

    public ForecastResult Forecast(IReadOnlyList<double> history, int horizon, int season)
    {
        var y = SeriesPrep.FillMissing(history);
        var s = EffectiveSeason(y.Length, season);
        if (y.Length < MinPoints)
            return ForecastResult.FromSd(Name, Enumerable.Repeat(y.Length == 0 ? 0 : y[^1], horizon).ToArray(), new double[horizon]);
        var p = Fit(y, s);
        return ForecastWith(y, s, p, horizon).ClipIfNonNegative(y);
    }

    /// <summary>
    /// Fits the parameters on a history (missing values carried forward, as in <see cref="Forecast"/>); null when it has
    /// fewer than <see cref="MinPoints"/> points. <paramref name="warmStart"/> starts Nelder–Mead from earlier parameters
    /// of the same series with a smaller simplex (fewer iterations; the optimum found may differ slightly from a cold fit).
    /// </summary>
    public Fitted? FitModel(IReadOnlyList<double> history, int season, Parameters? warmStart = null)
    {
        var y = SeriesPrep.FillMissing(history);
        if (y.Length < MinPoints) return null;
        var s = EffectiveSeason(y.Length, season);
        return new Fitted(Fit(y, s, warmStart), s);
    }

    /// <summary>
    /// Forecasts with fixed parameters: one filter pass over the history. Null when the model does not suit this
    /// history (its effective season changed, too few points) or the forecast is not finite — the caller refits.
    /// </summary>
    public ForecastResult? Apply(Fitted model, IReadOnlyList<double> history, int horizon, int season)
    {
        var y = SeriesPrep.FillMissing(history);
        if (y.Length < MinPoints || EffectiveSeason(y.Length, season) != model.Season) return null;
        var f = ForecastWith(y, model.Season, model.Parameters, horizon);
        if (!f.Mean.Concat(f.Lower95).Concat(f.Upper95).All(double.IsFinite)) return null;
        return f.ClipIfNonNegative(y);
    }

    static double Logistic(double x) => 1 / (1 + Math.Exp(-x));
    static double Logit(double p) => Math.Log(p / (1 - p));

    static Parameters Decode(double[] v, bool seasonal)
    {
        var alpha = 1e-4 + (0.9999 - 1e-4) * Logistic(v[0]);
        var beta = 1e-4 + (alpha - 1e-4) * Logistic(v[1]);
        var gamma = seasonal ? 1e-4 + Math.Max(0, 1 - alpha - 1e-4) * Logistic(v[2]) : 0;
        var phi = 0.8 + 0.18 * Logistic(v[3]);
        return new Parameters(alpha, beta, gamma, phi);
    }

    /// <summary>Inverse of <see cref="Decode"/>, for warm starts (fractions kept off 0 and 1 so the logits stay finite).</summary>
    static double[] Encode(Parameters p, bool seasonal)
    {
        static double Fraction(double x, double lo, double width) => width > 0 ? Math.Clamp((x - lo) / width, 1e-6, 1 - 1e-6) : 0.5;
        return
        [
            Logit(Fraction(p.Alpha, 1e-4, 0.9999 - 1e-4)),
            Logit(Fraction(p.Beta, 1e-4, p.Alpha - 1e-4)),
            seasonal ? Logit(Fraction(p.Gamma, 1e-4, Math.Max(0, 1 - p.Alpha - 1e-4))) : Logit(0.1),
            Logit(Fraction(p.Phi, 0.8, 0.18)),
        ];
    }

    /// <summary>Initial simplex step (logit scale) of a warm-started fit: a neighbourhood of the stored optimum.</summary>
    public const double WarmStartStep = 0.25;

    public Parameters Fit(double[] y, int season, Parameters? warmStart = null)
    {
        var seasonal = season >= 2;
        double[] start = warmStart is null ? [Logit(0.3), Logit(0.1), Logit(0.1), Logit(0.5)] : Encode(warmStart, seasonal);
        var best = NelderMead.Minimize(v => Run(y, season, Decode(v, seasonal), 0, out _).Sse, start, warmStart is null ? 1.0 : WarmStartStep, MaxIterations);
        return Decode(best, seasonal);
    }

    readonly record struct RunResult(double Sse, int Count, double Level, double Trend, double[] Seasonal);

    static RunResult Run(double[] y, int season, Parameters p, int horizon, out double[] forecast)
    {
        var n = y.Length;
        var m = Math.Max(1, season);
        double level, trend;
        var seas = new double[m];
        int t0;
        if (m >= 2)
        {
            var m1 = y.Take(m).Average();
            var m2 = y.Skip(m).Take(m).Average();
            level = m1;
            trend = (m2 - m1) / m;
            for (var i = 0; i < m; i++) seas[i] = y[i] - m1;
            t0 = m;
        }
        else
        {
            level = y[0];
            trend = y[1] - y[0];
            t0 = 1;
        }
        double sse = 0;
        var count = 0;
        // The hot loop of every Nelder–Mead evaluation: parameters in locals, the seasonal index stepped instead of t % m
        // (an integer division per point); same operations in the same order as ŷ = l + φb + s, l ← l + φb + αe.
        double alpha = p.Alpha, beta = p.Beta, gamma = p.Gamma, phi = p.Phi;
        var seasonal = m >= 2;
        var si = t0 % m;
        for (var t = t0; t < n; t++)
        {
            var damped = phi * trend;
            var yhat = level + damped + seas[si];
            var e = y[t] - yhat;
            sse += e * e;
            count++;
            var newLevel = level + damped + alpha * e;
            trend = damped + beta * e;
            if (seasonal) seas[si] += gamma * e;
            level = newLevel;
            if (++si == m) si = 0;
        }
        forecast = new double[horizon];
        var phiSum = 0.0;
        var phiPow = 1.0;
        for (var h = 1; h <= horizon; h++)
        {
            phiPow *= p.Phi;
            phiSum += phiPow;
            forecast[h - 1] = level + phiSum * trend + seas[(n + h - 1) % m];
        }
        if (!double.IsFinite(sse)) sse = double.MaxValue;
        return new RunResult(sse, count, level, trend, seas);
    }

    public ForecastResult ForecastWith(double[] y, int season, Parameters p, int horizon)
    {
        var r = Run(y, season, p, horizon, out var mean);
        var sigma2 = r.Count > 0 ? r.Sse / r.Count : 0;
        var sd = new double[horizon];
        var acc = 1.0;
        var phiJ = 0.0;
        var phiPow = 1.0;
        for (var h = 1; h <= horizon; h++)
        {
            sd[h - 1] = Math.Sqrt(sigma2 * acc);
            phiPow *= p.Phi;
            phiJ += phiPow; // φ_h for the next step's c_h
            var c = p.Alpha * (1 + p.Beta / Math.Max(p.Alpha, 1e-12) * phiJ) + (season >= 2 && h % season == 0 ? p.Gamma : 0);
            acc += c * c;
        }
        return ForecastResult.FromSd(Name, mean, sd);
    }
}
