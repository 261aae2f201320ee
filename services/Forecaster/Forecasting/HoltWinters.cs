namespace Monitoring.Forecaster.Forecasting;

/// <summary>
/// Damped additive Holt-Winters, ETS(A,Ad,A): ŷ[t] = l + φb + s[t−S]; l ← l + φb + αe; b ← φb + βe; s ← s + γe.
/// α, β, γ, φ minimise the in-sample one-step squared error (Nelder–Mead on a logistic reparametrisation
/// within the forecast::ets bounds α ∈ [1e−4, 0.9999], β ∈ [1e−4, α], γ ∈ [1e−4, 1 − α], φ ∈ [0.8, 0.98]).
/// Initial state: level = mean of the first season, trend = (mean of season 2 − mean of season 1)/S,
/// seasonal = first season − level. Prediction variance σ²[1 + Σ_{j&lt;h} (α(1 + βφ_j) + γ·[j mod S = 0])²]
/// with φ_j = φ + … + φ^j (Hyndman et al. 2008, class 1). Without two full seasons it is a damped Holt model.
/// </summary>
public sealed class HoltWinters : IForecastMethod
{
    public string Name => "holt-winters";

    public int MaxIterations { get; init; } = 400;

    public sealed record Parameters(double Alpha, double Beta, double Gamma, double Phi);

    public ForecastResult Forecast(IReadOnlyList<double> history, int horizon, int season)
    {
        var y = SeriesPrep.FillMissing(history);
        var s = season >= 2 && y.Length >= 2 * season + 2 ? season : 1;
        if (y.Length < 3)
            return ForecastResult.FromSd(Name, Enumerable.Repeat(y.Length == 0 ? 0 : y[^1], horizon).ToArray(), new double[horizon]);
        var p = Fit(y, s);
        return ForecastWith(y, s, p, horizon).ClipIfNonNegative(y);
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

    public Parameters Fit(double[] y, int season)
    {
        var seasonal = season >= 2;
        double[] start = [Logit(0.3), Logit(0.1), Logit(0.1), Logit(0.5)];
        var best = NelderMead.Minimize(v => Run(y, season, Decode(v, seasonal), 0, out _).Sse, start, 1.0, MaxIterations);
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
        for (var t = t0; t < n; t++)
        {
            var si = t % m;
            var yhat = level + p.Phi * trend + seas[si];
            var e = y[t] - yhat;
            sse += e * e;
            count++;
            var newLevel = level + p.Phi * trend + p.Alpha * e;
            trend = p.Phi * trend + p.Beta * e;
            if (m >= 2) seas[si] += p.Gamma * e;
            level = newLevel;
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
