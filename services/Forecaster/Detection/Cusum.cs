namespace Monitoring.Forecaster.Detection;

/// <summary>
/// One-sided upper CUSUM on standardised residuals, reset to zero after every alarm (the reset that
/// United4Surveillance added to <c>surveillance::algo.cusum</c>, whose own chart is never reset).
/// <para>
/// Residual: r[t] = (y[t] − mean(W)) / max(sd(W), minSigma) with W the <paramref name="baseline"/> points
/// ending <paramref name="guard"/> + 1 steps before t (as in ESSENCE); S[t] = max(0, S[t−1] + r[t] − k);
/// alarm when S[t] &gt; h, after which S[t] = 0. Defaults k = 0.5, h = 4 (a shift of one sd detected in
/// about 8–9 steps, in-control ARL ≈ 168 for normal residuals).
/// UpperBound = mean + sd·(h + k − S[t−1]), the observation above which the chart alarms.
/// A missing observation leaves S unchanged and is not evaluable.
/// </para>
/// </summary>
public static class Cusum
{
    public const int DefaultBaseline = 28;
    public const int DefaultGuard = 2;
    public const double DefaultK = 0.5;
    public const double DefaultH = 4;

    public static DetectionPoint[] Detect(IReadOnlyList<double> y, int baseline = DefaultBaseline, int guard = DefaultGuard,
        double k = DefaultK, double h = DefaultH, double minSigma = 0)
    {
        if (baseline < 3) throw new ArgumentOutOfRangeException(nameof(baseline), "baseline must be ≥ 3");
        if (guard < 0) throw new ArgumentOutOfRangeException(nameof(guard));
        if (!(h > 0) || !(k >= 0)) throw new ArgumentOutOfRangeException(nameof(h), "h > 0 and k ≥ 0 required");
        var result = new DetectionPoint[y.Count];
        var s = 0.0;
        for (var t = 0; t < y.Count; t++)
        {
            var start = t - guard - baseline;
            if (start < 0) { result[t] = DetectionPoint.NotEvaluable; continue; }
            var window = new double[baseline];
            for (var i = 0; i < baseline; i++) window[i] = y[start + i];
            var mean = RStats.Mean(window);
            var sd = RStats.Sd(window);
            var sigma = double.IsNaN(sd) ? double.NaN : Math.Max(sd, minSigma);
            if (double.IsNaN(y[t]) || double.IsNaN(mean) || double.IsNaN(sigma))
            {
                result[t] = DetectionPoint.NotEvaluable;
                continue;
            }
            var ub = mean + sigma * (h + k - s);
            var r = y[t] == mean ? 0 : (y[t] - mean) / sigma; // σ = 0: ±∞ residual, 0 when equal
            var next = Math.Max(0, s + r - k);
            var alarm = next > h;
            result[t] = new DetectionPoint(mean, ub, next, double.NaN, alarm, "cusum");
            s = alarm ? 0 : next;
        }
        return result;
    }
}
