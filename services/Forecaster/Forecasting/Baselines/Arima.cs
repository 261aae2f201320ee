namespace Monitoring.Forecaster.Forecasting.Baselines;

/// <summary>A seasonal ARIMA order (p,d,q)(P,D,Q)[s] with or without a constant (drift when d + D = 1).</summary>
public sealed record ArimaOrder(int P, int D, int Q, int SP, int SD, int SQ, int Period, bool Constant)
{
    public override string ToString() =>
        $"ARIMA({P},{D},{Q})" + (Period > 1 ? $"({SP},{SD},{SQ})[{Period}]" : "") + (Constant ? (D + SD == 1 ? " with drift" : " with mean") : "");
}

/// <summary>A fitted ARIMA model. Ar/Ma are the expanded (non-seasonal × seasonal) polynomials of the differenced series.</summary>
public sealed record ArimaFit(ArimaOrder Order, double[] Phi, double[] Theta, double[] SeasonalPhi, double[] SeasonalTheta,
    double Mean, double Sigma2, double Aicc, double[] Ar, double[] Ma, double[] Residuals);

/// <summary>
/// Automatic ARIMA, a C# re-implementation of the algorithm of R <c>forecast::auto.arima</c> (Hyndman &amp; Khandakar 2008,
/// "Automatic time series forecasting: the forecast package for R", JSS 27(3), §3.2), written from the paper and the
/// package documentation:
/// <list type="bullet">
/// <item>Seasonal differencing D ∈ {0, 1} by the seasonal-strength heuristic of <c>nsdiffs</c> (Wang, Smith &amp; Hyndman
/// 2006): D = 1 when F_s = max(0, 1 − Var(R)/Var(S + R)) &gt; 0.64. The decomposition here is a classical one (centred
/// moving-average trend, mean seasonal indices) instead of R's STL.</item>
/// <item>d ∈ {0, 1, 2} by repeated KPSS level-stationarity tests at 5 % (statistic &gt; 0.463, Bartlett long-run variance
/// with ⌊4(n/100)^¼⌋ lags, Kwiatkowski et al. 1992), on the seasonally differenced series.</item>
/// <item>Stepwise search over (p,q)(P,Q) by AICc: the four starting models, then neighbours (±1 in one or two orders,
/// constant toggled) while AICc improves; p, q ≤ 5, P, Q ≤ 2, p + q + P + Q ≤ 5; a constant (mean, or drift when
/// d + D = 1) only when d + D ≤ 1.</item>
/// <item>Fitting: <b>conditional sum of squares only</b> (no exact Kalman-filter likelihood), by Nelder–Mead over
/// partial autocorrelations mapped to coefficients through the Durbin–Levinson recursion (Jones 1980), which keeps
/// every AR polynomial stationary and every MA polynomial invertible. AICc = n* log σ² + 2k + 2k(k+1)/(n* − k − 1)
/// with n* = n − d − D·s, k = coefficients + constant + 1 (auto.arima's approximation of the likelihood during its
/// search; R then refits the chosen model by exact ML, this implementation keeps the CSS fit).</item>
/// <item>Forecasts by the ARMA recursion on the differenced series, integrated back; intervals from the ψ-weights of
/// the full polynomial φ(B)Φ(B^s)(1 − B)^d(1 − B^s)^D: var_h = σ² Σ_{j&lt;h} ψ_j².</item>
/// </list>
/// </summary>
public sealed class Arima : IForecastMethod
{
    public string Name => "arima";

    public int MaxP { get; init; } = 5;
    public int MaxQ { get; init; } = 5;
    public int MaxSP { get; init; } = 2;
    public int MaxSQ { get; init; } = 2;
    public int MaxOrder { get; init; } = 5;
    public int MaxModels { get; init; } = 94;

    /// <summary>Fix the order instead of searching (tests, benchmarks).</summary>
    public ArimaOrder? FixedOrder { get; init; }

    public ArimaFit? LastFit { get; private set; }

    /// <summary>KPSS 5 % critical value for level stationarity (Kwiatkowski et al. 1992, Table 1).</summary>
    public const double KpssCritical5 = 0.463;

    /// <summary>Seasonal strength above which one seasonal difference is taken (forecast's nsdiffs default).</summary>
    public const double SeasonalStrengthThreshold = 0.64;

    public ForecastResult Forecast(IReadOnlyList<double> history, int horizon, int season)
    {
        var y = SeriesPrep.FillMissing(history);
        if (y.Length < 6)
            return ForecastResult.FromSd(Name, Enumerable.Repeat(y.Length == 0 ? 0 : y[^1], horizon).ToArray(), new double[horizon]);
        var fit = FixedOrder is { } o ? FitOrder(y, o) : Search(y, season);
        if (fit is null) return new SeasonalNaive().Forecast(history, horizon, season) with { Method = Name };
        LastFit = fit;
        return ForecastFrom(y, fit, horizon).ClipIfNonNegative(y);
    }

    // ---------------------------------------------------------------- unit-root tests

    /// <summary>KPSS level-stationarity statistic with a Bartlett long-run variance of <paramref name="lags"/> lags
    /// (default ⌊4(n/100)^¼⌋, R's "short" choice).</summary>
    public static double Kpss(IReadOnlyList<double> x, int? lags = null)
    {
        var n = x.Count;
        var mean = x.Average();
        var e = x.Select(v => v - mean).ToArray();
        var l = lags ?? (int)Math.Floor(4 * Math.Pow(n / 100.0, 0.25));
        double partial = 0, eta = 0;
        foreach (var v in e) { partial += v; eta += partial * partial; }
        eta /= (double)n * n;
        var s2 = e.Sum(v => v * v) / n;
        for (var s = 1; s <= l; s++)
        {
            double cov = 0;
            for (var t = s; t < n; t++) cov += e[t] * e[t - s];
            s2 += 2 * (1 - s / (l + 1.0)) * cov / n;
        }
        return s2 > 0 ? eta / s2 : 0;
    }

    /// <summary>Number of first differences (0–2) until KPSS no longer rejects at 5 % (forecast::ndiffs).</summary>
    public static int Ndiffs(double[] x, int maxD = 2)
    {
        var d = 0;
        var cur = x;
        while (d < maxD && cur.Length > 3 && !IsConstant(cur) && Kpss(cur) > KpssCritical5)
        {
            cur = Difference(cur, 1);
            d++;
        }
        return d;
    }

    /// <summary>Seasonal strength F_s = max(0, 1 − Var(R)/Var(S + R)) from a classical additive decomposition.</summary>
    public static double SeasonalStrength(double[] x, int period)
    {
        var n = x.Length;
        if (period < 2 || n < 2 * period + 1) return 0;
        var half = period / 2;
        var trend = new double[n];
        for (var t = 0; t < n; t++)
        {
            if (t - half < 0 || t + half >= n) { trend[t] = double.NaN; continue; }
            double s;
            if (period % 2 == 1) { s = 0; for (var i = t - half; i <= t + half; i++) s += x[i]; s /= period; }
            else { s = 0.5 * (x[t - half] + x[t + half]); for (var i = t - half + 1; i < t + half; i++) s += x[i]; s /= period; }
            trend[t] = s;
        }
        var sums = new double[period];
        var counts = new int[period];
        for (var t = 0; t < n; t++)
            if (!double.IsNaN(trend[t])) { sums[t % period] += x[t] - trend[t]; counts[t % period]++; }
        var idx = sums.Select((s, i) => counts[i] > 0 ? s / counts[i] : 0).ToArray();
        var centre = idx.Average();
        var seasonalPlusRemainder = new List<double>();
        var remainder = new List<double>();
        for (var t = 0; t < n; t++)
        {
            if (double.IsNaN(trend[t])) continue;
            var detrended = x[t] - trend[t];
            seasonalPlusRemainder.Add(detrended);
            remainder.Add(detrended - (idx[t % period] - centre));
        }
        var vsr = Variance(seasonalPlusRemainder);
        return vsr > 0 ? Math.Max(0, Math.Min(1, 1 - Variance(remainder) / vsr)) : 0;
    }

    static double Variance(IReadOnlyList<double> v)
    {
        var m = v.Average();
        return v.Sum(a => (a - m) * (a - m)) / Math.Max(1, v.Count - 1);
    }

    static bool IsConstant(double[] x) => x.All(v => v == x[0]);

    public static double[] Difference(double[] x, int lag)
    {
        if (x.Length <= lag) return [];
        var r = new double[x.Length - lag];
        for (var t = lag; t < x.Length; t++) r[t - lag] = x[t] - x[t - lag];
        return r;
    }

    // ---------------------------------------------------------------- search

    /// <summary>auto.arima's stepwise search (Hyndman &amp; Khandakar 2008, §3.2).</summary>
    public ArimaFit? Search(double[] y, int season)
    {
        var m = season >= 2 && y.Length >= 2 * season + 2 ? season : 1;
        var D = m > 1 && SeasonalStrength(y, m) > SeasonalStrengthThreshold ? 1 : 0;
        var afterSeasonal = D == 1 ? Difference(y, m) : y;
        var d = Ndiffs(afterSeasonal);
        var allowConstant = d + D <= 1;
        var seasonal = m > 1;

        var tried = new Dictionary<ArimaOrder, ArimaFit?>();
        ArimaFit? best = null;
        bool Try(int p, int q, int sp, int sq, bool constant)
        {
            if (p < 0 || q < 0 || sp < 0 || sq < 0 || p > MaxP || q > MaxQ || sp > MaxSP || sq > MaxSQ) return false;
            if (!seasonal && (sp > 0 || sq > 0)) return false;
            if (p + q + sp + sq > MaxOrder) return false;
            if (constant && !allowConstant) return false;
            var order = new ArimaOrder(p, d, q, sp, D, sq, m, constant);
            if (tried.ContainsKey(order) || tried.Count >= MaxModels) return false;
            var fit = FitOrder(y, order);
            tried[order] = fit;
            if (fit is null || !double.IsFinite(fit.Aicc)) return false;
            if (best is null || fit.Aicc < best.Aicc) { best = fit; return true; }
            return false;
        }

        // Starting models.
        Try(2, 2, seasonal ? 1 : 0, seasonal ? 1 : 0, allowConstant);
        Try(0, 0, 0, 0, allowConstant);
        Try(1, 0, seasonal ? 1 : 0, 0, allowConstant);
        Try(0, 1, 0, seasonal ? 1 : 0, allowConstant);
        if (allowConstant) Try(0, 0, 0, 0, false);

        var improved = true;
        while (improved && best is not null && tried.Count < MaxModels)
        {
            improved = false;
            var o = best.Order;
            var c = o.Constant;
            (int p, int q, int P, int Q, bool c)[] neighbours =
            [
                (o.P, o.Q, o.SP - 1, o.SQ, c), (o.P, o.Q, o.SP + 1, o.SQ, c),
                (o.P, o.Q, o.SP, o.SQ - 1, c), (o.P, o.Q, o.SP, o.SQ + 1, c),
                (o.P, o.Q, o.SP - 1, o.SQ - 1, c), (o.P, o.Q, o.SP + 1, o.SQ + 1, c),
                (o.P, o.Q, o.SP - 1, o.SQ + 1, c), (o.P, o.Q, o.SP + 1, o.SQ - 1, c),
                (o.P - 1, o.Q, o.SP, o.SQ, c), (o.P + 1, o.Q, o.SP, o.SQ, c),
                (o.P, o.Q - 1, o.SP, o.SQ, c), (o.P, o.Q + 1, o.SP, o.SQ, c),
                (o.P - 1, o.Q - 1, o.SP, o.SQ, c), (o.P + 1, o.Q + 1, o.SP, o.SQ, c),
                (o.P - 1, o.Q + 1, o.SP, o.SQ, c), (o.P + 1, o.Q - 1, o.SP, o.SQ, c),
                (o.P, o.Q, o.SP, o.SQ, !c),
            ];
            foreach (var (p, q, sp, sq, cc) in neighbours)
                if (Try(p, q, sp, sq, cc)) { improved = true; break; }
        }
        return best;
    }

    // ---------------------------------------------------------------- fitting

    /// <summary>Differences y by the order's D (lag s) then d (lag 1).</summary>
    static double[] Differenced(double[] y, ArimaOrder o)
    {
        var w = y;
        for (var i = 0; i < o.SD; i++) w = Difference(w, o.Period);
        for (var i = 0; i < o.D; i++) w = Difference(w, 1);
        return w;
    }

    /// <summary>
    /// Partial autocorrelations (as tanh of unbounded values) to the coefficients of a stationary polynomial
    /// 1 − a₁B − … − a_pB^p by the Durbin–Levinson recursion (Jones 1980; Monahan 1984).
    /// </summary>
    public static double[] FromPartials(ReadOnlySpan<double> raw)
    {
        var p = raw.Length;
        var a = new double[p];
        var work = new double[p];
        for (var j = 0; j < p; j++) a[j] = work[j] = Math.Tanh(raw[j]);
        for (var j = 1; j < p; j++)
        {
            var pacf = a[j];
            for (var k = 0; k < j; k++) work[k] -= pacf * a[j - k - 1];
            for (var k = 0; k < j; k++) a[k] = work[k];
        }
        return a;
    }

    /// <summary>Coefficients of (1 − Σ aᵢBⁱ)(1 − Σ Aⱼ B^{sj}) written as 1 − Σ cₖBᵏ (AR convention).</summary>
    static double[] ExpandAr(double[] a, double[] seasonalA, int s)
    {
        var len = a.Length + s * seasonalA.Length;
        var poly = new double[len + 1];
        poly[0] = 1;
        for (var i = 0; i < a.Length; i++) poly[i + 1] = -a[i];
        var result = (double[])poly.Clone();
        if (seasonalA.Length > 0)
        {
            var sp = new double[s * seasonalA.Length + 1];
            sp[0] = 1;
            for (var j = 0; j < seasonalA.Length; j++) sp[s * (j + 1)] = -seasonalA[j];
            result = Multiply(poly[..(a.Length + 1)], sp);
        }
        return result[1..].Select(v => -v).ToArray();
    }

    /// <summary>Coefficients of (1 + Σ θᵢBⁱ)(1 + Σ Θⱼ B^{sj}) = 1 + Σ cₖBᵏ (MA convention).</summary>
    static double[] ExpandMa(double[] t, double[] seasonalT, int s)
    {
        var poly = new double[t.Length + 1];
        poly[0] = 1;
        for (var i = 0; i < t.Length; i++) poly[i + 1] = t[i];
        var sp = new double[s * seasonalT.Length + 1];
        sp[0] = 1;
        for (var j = 0; j < seasonalT.Length; j++) sp[s * (j + 1)] = seasonalT[j];
        return Multiply(poly, sp)[1..];
    }

    static double[] Multiply(double[] a, double[] b)
    {
        var r = new double[a.Length + b.Length - 1];
        for (var i = 0; i < a.Length; i++)
            for (var j = 0; j < b.Length; j++) r[i + j] += a[i] * b[j];
        return r;
    }

    /// <summary>CSS residuals of w̃_t = Σ arᵢ w̃_{t−i} + e_t + Σ maⱼ e_{t−j}, w̃ = w − μ; e = 0 before the first
    /// fully conditioned point. Returns the sum of squares.</summary>
    static double CssResiduals(double[] w, double mean, double[] ar, double[] ma, double[] e)
    {
        var start = ar.Length;
        double ssq = 0;
        for (var t = 0; t < w.Length; t++)
        {
            if (t < start) { e[t] = 0; continue; }
            var v = w[t] - mean;
            for (var i = 0; i < ar.Length; i++) v -= ar[i] * (w[t - i - 1] - mean);
            for (var j = 0; j < ma.Length && j < t; j++) v -= ma[j] * e[t - j - 1];
            e[t] = v;
            ssq += v * v;
        }
        return ssq;
    }

    /// <summary>CSS fit of one order; null when the differenced series is too short for it.</summary>
    public ArimaFit? FitOrder(double[] y, ArimaOrder o)
    {
        var w = Differenced(y, o);
        var s = o.Period;
        var nCond = o.P + s * o.SP;
        var nu = w.Length - nCond;
        var k = o.P + o.Q + o.SP + o.SQ + (o.Constant ? 1 : 0) + 1;
        var nStar = y.Length - o.D - o.SD * s;
        if (nu < k + 2 || nStar - k - 1 <= 0) return null;

        var wMean = w.Average();
        var wSd = Math.Sqrt(w.Sum(v => (v - wMean) * (v - wMean)) / Math.Max(1, w.Length - 1));
        var meanScale = wSd > 0 ? wSd / Math.Sqrt(w.Length) : 1;
        var e = new double[w.Length];
        var dim = o.P + o.Q + o.SP + o.SQ + (o.Constant ? 1 : 0);

        (double[] Phi, double[] Theta, double[] SPhi, double[] STheta, double Mean) Decode(double[] v)
        {
            var span = v.AsSpan();
            var phi = FromPartials(span[..o.P]);
            var theta = FromPartials(span.Slice(o.P, o.Q)).Select(x => -x).ToArray();
            var sphi = FromPartials(span.Slice(o.P + o.Q, o.SP));
            var stheta = FromPartials(span.Slice(o.P + o.Q + o.SP, o.SQ)).Select(x => -x).ToArray();
            var mean = o.Constant ? wMean + meanScale * v[^1] : 0;
            return (phi, theta, sphi, stheta, mean);
        }

        double Objective(double[] v)
        {
            var (phi, theta, sphi, stheta, mean) = Decode(v);
            var ssq = CssResiduals(w, mean, ExpandAr(phi, sphi, s), ExpandMa(theta, stheta, s), e);
            return double.IsFinite(ssq) ? ssq : double.MaxValue;
        }

        var best = new double[dim];
        if (dim > 0)
        {
            best = NelderMead.Minimize(Objective, best, 0.3, 300 * dim, 1e-10);
            best = NelderMead.Minimize(Objective, best, 0.1, 150 * dim, 1e-10);
        }
        var par = Decode(best);
        var ar = ExpandAr(par.Phi, par.SPhi, s);
        var ma = ExpandMa(par.Theta, par.STheta, s);
        var ssqFinal = CssResiduals(w, par.Mean, ar, ma, e);
        var sigma2 = ssqFinal / nu;
        if (!(sigma2 > 0) || !double.IsFinite(sigma2)) sigma2 = 1e-300;
        var aicc = nStar * Math.Log(sigma2) + 2.0 * k + 2.0 * k * (k + 1) / (nStar - k - 1);
        return new ArimaFit(o, par.Phi, par.Theta, par.SPhi, par.STheta, par.Mean, sigma2, aicc, ar, ma, (double[])e.Clone());
    }

    // ---------------------------------------------------------------- forecasting

    public ForecastResult ForecastFrom(double[] y, ArimaFit fit, int horizon)
    {
        var o = fit.Order;
        var w = Differenced(y, o);
        var e = fit.Residuals;
        var n = w.Length;
        var wExt = new double[n + horizon];
        var eExt = new double[n + horizon];
        Array.Copy(w, wExt, n);
        Array.Copy(e, eExt, n);
        for (var h = 0; h < horizon; h++)
        {
            var t = n + h;
            var v = fit.Mean;
            for (var i = 0; i < fit.Ar.Length; i++) v += fit.Ar[i] * (t - i - 1 >= 0 ? wExt[t - i - 1] - fit.Mean : 0);
            for (var j = 0; j < fit.Ma.Length; j++) v += fit.Ma[j] * (t - j - 1 >= 0 ? eExt[t - j - 1] : 0);
            wExt[t] = v;
        }
        // Integrate back: regular differences first (they were taken last), then the seasonal one.
        var levels = new List<double[]> { y };
        var cur = y;
        for (var i = 0; i < o.SD; i++) { cur = Difference(cur, o.Period); levels.Add(cur); }
        for (var i = 0; i < o.D; i++) { cur = Difference(cur, 1); levels.Add(cur); }
        var future = wExt[n..];
        var lagsUsed = Enumerable.Repeat(o.Period, o.SD).Concat(Enumerable.Repeat(1, o.D)).ToArray();
        for (var level = levels.Count - 2; level >= 0; level--)
        {
            var baseSeries = levels[level];
            var lag = lagsUsed[level];
            var ext = new double[baseSeries.Length + horizon];
            Array.Copy(baseSeries, ext, baseSeries.Length);
            for (var h = 0; h < horizon; h++) ext[baseSeries.Length + h] = future[h] + ext[baseSeries.Length + h - lag];
            future = ext[baseSeries.Length..];
        }

        // ψ-weights of the full model: (1 − Σ arᵢBⁱ)(1 − B)^d(1 − B^s)^D ψ(B) = 1 + Σ maⱼBʲ.
        var full = new double[fit.Ar.Length + 1];
        full[0] = 1;
        for (var i = 0; i < fit.Ar.Length; i++) full[i + 1] = -fit.Ar[i];
        for (var i = 0; i < o.D; i++) full = Multiply(full, [1, -1]);
        for (var i = 0; i < o.SD; i++)
        {
            var sd = new double[o.Period + 1];
            sd[0] = 1;
            sd[o.Period] = -1;
            full = Multiply(full, sd);
        }
        var psi = new double[horizon];
        psi[0] = 1;
        for (var j = 1; j < horizon; j++)
        {
            var v = j - 1 < fit.Ma.Length ? fit.Ma[j - 1] : 0;
            for (var i = 1; i < full.Length && i <= j; i++) v -= full[i] * psi[j - i];
            psi[j] = v;
        }
        var sdOut = new double[horizon];
        double acc = 0;
        for (var h = 0; h < horizon; h++) { acc += psi[h] * psi[h]; sdOut[h] = Math.Sqrt(fit.Sigma2 * acc); }
        return ForecastResult.FromSd(Name, future, sdOut);
    }
}
