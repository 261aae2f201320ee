namespace Monitoring.Forecaster.Detection;

/// <summary>
/// CDC EARS C1, C2 and C3 exactly as R <c>surveillance::earsC</c> (1.20.3, <c>R/earsC.R</c>) computes them,
/// plus the textbook C3 of Hutwagner et al. All are one-sided; comparisons are strict
/// (<c>alarm = y &gt; upperbound</c>). NaN/NA propagate as in R (<c>pmax(0, NaN)</c> is NaN): a point whose
/// alarm would be NA in R is returned with <see cref="DetectionPoint.Alarm"/> = null.
/// Points before <c>from</c> are skipped (returned not evaluable), for re-detecting only the newest buckets.
/// Indices below are 0-based; R's first evaluable index B+1 (C1), B+3 (C2), B+5 (C3) becomes B, B+2, B+4.
/// </summary>
public static class Ears
{
    public const int DefaultBaseline = 7;
    public const double DefaultAlpha = 0.001;
    public const double DefaultMinSigma = 0;

    static void Check(int baseline, double minSigma, double alpha)
    {
        if (baseline < 3) throw new ArgumentOutOfRangeException(nameof(baseline), "Minimum baseline to use is 3.");
        if (!(minSigma >= 0)) throw new ArgumentOutOfRangeException(nameof(minSigma), "minSigma must be ≥ 0.");
        if (!(alpha > 0 && alpha < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), "alpha must be in (0, 1).");
    }

    /// <summary>mean and max(sd, minSigma) of y[start .. start+baseline−1].</summary>
    static (double Mean, double Sigma) Window(IReadOnlyList<double> y, int start, int baseline, double minSigma)
    {
        Span<double> w = baseline <= 64 ? stackalloc double[baseline] : new double[baseline];
        for (var i = 0; i < baseline; i++) w[i] = y[start + i];
        var sd = RStats.Sd(w);
        // R: pmax(sd, minSigma) — NA/NaN stays NaN.
        var sigma = double.IsNaN(sd) ? double.NaN : Math.Max(sd, minSigma);
        return (RStats.Mean(w), sigma);
    }

    static bool? Greater(double y, double bound) =>
        double.IsNaN(y) || double.IsNaN(bound) ? null : y > bound;

    /// <summary>C1: window y[t−B … t−1]; bound = mean + z·max(sd, minSigma).</summary>
    public static DetectionPoint[] C1(IReadOnlyList<double> y, int baseline = DefaultBaseline,
        double alpha = DefaultAlpha, double minSigma = DefaultMinSigma, int from = 0) =>
        Shewhart(y, baseline, alpha, minSigma, lag: 0, "ears-c1", from);

    /// <summary>C2: window y[t−B−2 … t−3] (2-day guard band); bound = mean + z·max(sd, minSigma).</summary>
    public static DetectionPoint[] C2(IReadOnlyList<double> y, int baseline = DefaultBaseline,
        double alpha = DefaultAlpha, double minSigma = DefaultMinSigma, int from = 0) =>
        Shewhart(y, baseline, alpha, minSigma, lag: 2, "ears-c2", from);

    static DetectionPoint[] Shewhart(IReadOnlyList<double> y, int baseline, double alpha, double minSigma, int lag, string method, int from)
    {
        Check(baseline, minSigma, alpha);
        var z = RStats.QNorm(1 - alpha);
        var result = new DetectionPoint[y.Count];
        for (var t = 0; t < y.Count; t++)
        {
            if (t < baseline + lag || t < from) { result[t] = DetectionPoint.NotEvaluable; continue; }
            var (mean, sigma) = Window(y, t - baseline - lag, baseline, minSigma);
            var ub = mean + z * sigma;
            var stat = (y[t] - mean) / sigma;
            result[t] = new DetectionPoint(mean, ub, stat, double.NaN, Greater(y[t], ub), method);
        }
        return result;
    }

    /// <summary>The C2 statistic at k: (y[k] − mean(W2(k))) / max(sd(W2(k)), minSigma), with W2(k) = y[k−B−2 … k−3].</summary>
    static (double C2, double Mean, double Sigma) C2Stat(IReadOnlyList<double> y, int k, int baseline, double minSigma)
    {
        var (mean, sigma) = Window(y, k - baseline - 2, baseline, minSigma);
        return ((y[k] - mean) / sigma, mean, sigma);
    }

    /// <summary>R's <c>pmax(0, x)</c>: NaN stays NaN.</summary>
    static double PMax0(double x) => double.IsNaN(x) ? double.NaN : Math.Max(0, x);

    /// <summary>
    /// C3 as R implements it: upperbound[t] = max(0, y[t] + σ*(W2(t))·(z − p[t−2] − p[t−1])) with
    /// p[k] = max(0, C2[k] − 1). The current day's C2 statistic does not enter the rule.
    /// The reported bound moves with y[t]; it is not a threshold in count units.
    /// </summary>
    public static DetectionPoint[] C3(IReadOnlyList<double> y, int baseline = DefaultBaseline,
        double alpha = DefaultAlpha, double minSigma = DefaultMinSigma, int from = 0)
    {
        Check(baseline, minSigma, alpha);
        var z = RStats.QNorm(1 - alpha);
        var result = new DetectionPoint[y.Count];
        for (var t = 0; t < y.Count; t++)
        {
            if (t < baseline + 4 || t < from) { result[t] = DetectionPoint.NotEvaluable; continue; }
            var p2 = PMax0(C2Stat(y, t - 2, baseline, minSigma).C2 - 1);
            var p1 = PMax0(C2Stat(y, t - 1, baseline, minSigma).C2 - 1);
            var (c0, mean, sigma) = C2Stat(y, t, baseline, minSigma);
            var ub = PMax0(y[t] + sigma * (z - (p2 + p1)));
            result[t] = new DetectionPoint(mean, ub, p2 + p1, double.NaN, Greater(y[t], ub), "ears-c3");
            _ = c0;
        }
        return result;
    }

    /// <summary>
    /// Textbook C3 (Hutwagner et al. 2003): S[t] = Σ_{k=t−2..t} max(0, C2[k] − 1); alarm when S[t] &gt; z.
    /// Statistic = S[t]. UpperBound = mean(W2(t)) + σ*(W2(t))·(1 + z − p[t−2] − p[t−1]), the value of y[t]
    /// above which day t's own term completes the sum; when p[t−2] + p[t−1] &gt; z the alarm fires whatever y[t].
    /// </summary>
    public static DetectionPoint[] C3Textbook(IReadOnlyList<double> y, int baseline = DefaultBaseline,
        double alpha = DefaultAlpha, double minSigma = DefaultMinSigma, int from = 0)
    {
        Check(baseline, minSigma, alpha);
        var z = RStats.QNorm(1 - alpha);
        var result = new DetectionPoint[y.Count];
        for (var t = 0; t < y.Count; t++)
        {
            if (t < baseline + 4 || t < from) { result[t] = DetectionPoint.NotEvaluable; continue; }
            var p2 = PMax0(C2Stat(y, t - 2, baseline, minSigma).C2 - 1);
            var p1 = PMax0(C2Stat(y, t - 1, baseline, minSigma).C2 - 1);
            var (c0, mean, sigma) = C2Stat(y, t, baseline, minSigma);
            var s = p2 + p1 + PMax0(c0 - 1);
            var ub = mean + sigma * (1 + z - (p2 + p1));
            bool? alarm = double.IsNaN(s) ? null : s > z;
            result[t] = new DetectionPoint(mean, double.IsNaN(s) ? double.NaN : ub, s, double.NaN, alarm, "ears-c3-textbook");
        }
        return result;
    }
}
