using MathNet.Numerics.Distributions;

namespace Monitoring.Forecaster.Detection;

/// <summary>Rnssp-style alert level: red p &lt; 0.01, yellow 0.01 ≤ p &lt; 0.05, blue otherwise, grey not evaluable.</summary>
public enum AlertLevel { Grey, Blue, Yellow, Red }

/// <summary>
/// ESSENCE detectors as CDC's R package Rnssp re-implements them (<c>R/alert_ewma.R</c>,
/// <c>R/alert_regression.R</c>, <c>R/alert_switch.R</c>, CDCgov/Rnssp @7f76909): EWMA with two smoothing
/// weights, adaptive multiple regression with a linear trend and six day-of-week dummies, and the switch
/// between them on the regression's adjusted R². All one-sided, Student-t p-values.
/// <para>
/// The alarm column is <c>p &lt; alpha</c> (default 0.01 = "red"); <see cref="Level"/> gives Rnssp's colours.
/// The reported upper bound is the observation at which the p-value reaches alpha.
/// </para>
/// </summary>
public static class Essence
{
    public const int DefaultBaseline = 28;
    public const int DefaultGuard = 2;
    public const double DefaultW1 = 0.4;
    public const double DefaultW2 = 0.9;
    public const double DefaultAlpha = 0.01;
    public const double SwitchR2 = 0.60;

    public static AlertLevel Level(double p) =>
        double.IsNaN(p) ? AlertLevel.Grey : p < 0.01 ? AlertLevel.Red : p < 0.05 ? AlertLevel.Yellow : AlertLevel.Blue;

    static double RoundedT(double p, int df) => Math.Round(QT(p, df), 5);

    static readonly System.Collections.Concurrent.ConcurrentDictionary<(double P, int Df), double> QuantileCache = new();

    /// <summary>Student-t quantile, cached (MathNet's InvCDF solves numerically and dominates the run time otherwise).</summary>
    static double QT(double p, int df) => QuantileCache.GetOrAdd((p, df), k => StudentT.InvCDF(0, 1, k.Df, k.P));

    static double UpperP(double stat, int df) => 1 - StudentT.CDF(0, 1, df, stat);

    /// <summary>
    /// Rnssp <c>alert_ewma</c>. Baseline grows from 7 to <paramref name="baseline"/> points ending
    /// <paramref name="guard"/> + 1 days before t; the first evaluable index is 7 + guard (0-based).
    /// Series whose maximum is below 1 (percentages) are scaled by the median of their positive values.
    /// </summary>
    public static DetectionPoint[] Ewma(IReadOnlyList<double> values, int baseline = DefaultBaseline, int guard = DefaultGuard,
        double w1 = DefaultW1, double w2 = DefaultW2, double alpha = DefaultAlpha, int from = 0)
    {
        if (baseline < 7) throw new ArgumentOutOfRangeException(nameof(baseline), "baseline must be ≥ 7");
        if (guard < 0) throw new ArgumentOutOfRangeException(nameof(guard));
        const int minBaseline = 7;
        var n = values.Count;
        var result = new DetectionPoint[n];
        Array.Fill(result, DetectionPoint.NotEvaluable);
        var first = minBaseline + guard;
        if (n <= first) return result;

        var max = values.Max();
        var scale = 1.0;
        if (max < 1) scale = RStats.Median(values.Where(v => v > 0));
        var y = values.Select(v => v / scale).ToArray();

        var z1 = new double[n];
        var z2 = new double[n];
        z1[0] = z2[0] = y[0];
        for (var i = 1; i < first; i++)
        {
            z1[i] = w1 * y[i] + (1 - w1) * z1[i - 1];
            z2[i] = w2 * y[i] + (1 - w2) * z2[i - 1];
        }

        // The chart constants depend only on the baseline length, which grows from 7 to `baseline` and then stays: computed
        // once per length instead of once per point (Math.Pow and quantile look-ups dominated a long series' run time).
        var constants = new EwmaConstants?[baseline + 1];
        for (var t = first; t < n; t++)
        {
            var end = t - guard - 1;
            var start = Math.Max(0, t - guard - baseline);
            var len = end - start + 1;
            var nDf = len - 1;
            var window = y.AsSpan(start, len);
            var expected = RStats.Mean(window);
            var sigma = RStats.Sd(window);

            var (c1, c2, uclAlert, minSigma1, minSigma2, k1, k2, tCrit) = constants[len] ??= EwmaConstants.For(len, guard, w1, w2, alpha);
            var s1 = RMax(minSigma1, sigma * c1 + k1);
            var s2 = RMax(minSigma2, sigma * c2 + k2);

            // Bounds before clamping: the y[t] at which each statistic reaches the one-sided critical value.
            var ub1 = (expected + tCrit * s1 - (1 - w1) * z1[t - 1]) / w1;
            var ub2 = (expected + tCrit * s2 - (1 - w2) * z2[t - 1]) / w2;

            z1[t] = w1 * y[t] + (1 - w1) * z1[t - 1];
            z2[t] = w2 * y[t] + (1 - w2) * z2[t - 1];
            var ts1 = (z1[t] - expected) / s1;
            var ts2 = (z2[t] - expected) / s2;
            if (Math.Abs(ts1) > uclAlert) z1[t] = expected + Math.Sign(ts1) * uclAlert * s1;
            if (Math.Abs(ts2) > uclAlert) z2[t] = expected + Math.Sign(ts2) * uclAlert * s2;
            if (t < from) continue; // the recursion (with clamping) must run; p-values only where asked
            var p1 = UpperP(ts1, nDf);
            var p2 = UpperP(ts2, nDf);
            // R: if (pval1 < pval2) first else second (NaN comparisons fall to the second).
            var (p, stat) = p1 < p2 ? (p1, ts1) : (p2, ts2);
            bool? alarm = double.IsNaN(p) ? null : p < alpha;
            var ub = Math.Min(ub1, ub2) * scale;
            result[t] = new DetectionPoint(expected * scale, double.IsNaN(p) ? double.NaN : ub, stat, p, alarm, "ewma");
        }
        return result;
    }

    /// <summary>The EWMA chart constants for a baseline of <c>len</c> points (same expressions as Rnssp's <c>alert_ewma</c>).</summary>
    readonly record struct EwmaConstants(double C1, double C2, double UclAlert, double MinSigma1, double MinSigma2, double K1, double K2, double TCrit)
    {
        public static EwmaConstants For(int len, int guard, double w1, double w2, double alpha)
        {
            var nDf = len - 1;
            var c1 = Math.Sqrt(w1 / (2 - w1) + 1.0 / len - 2 * Math.Pow(1 - w1, guard + 1) * ((1 - Math.Pow(1 - w1, len)) / len));
            var c2 = Math.Sqrt(w2 / (2 - w2) + 1.0 / len - 2 * Math.Pow(1 - w2, guard + 1) * ((1 - Math.Pow(1 - w2, len)) / len));
            var uclAlert = RoundedT(0.99, nDf);
            var uclWarning = RoundedT(0.95, nDf);
            var minSigma1 = w1 / uclWarning * (0.01 + 0.05 * Math.Pow(1 - w1, 2));
            var minSigma2 = w2 / uclWarning * (0.01 + 0.05 * Math.Pow(1 - w2, 2));
            var k1 = (0.1289 - (0.2414 - 0.1826 * Math.Pow(1 - w1, 4)) * Math.Log(10 * 0.05)) * (w1 / uclWarning);
            var k2 = (0.1289 - (0.2414 - 0.1826 * Math.Pow(1 - w2, 4)) * Math.Log(10 * 0.05)) * (w2 / uclWarning);
            return new EwmaConstants(c1, c2, uclAlert, minSigma1, minSigma2, k1, k2, QT(1 - alpha, nDf));
        }
    }

    /// <summary>R's max() over two numbers: NaN if either is NaN.</summary>
    static double RMax(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);

    /// <summary>Regression output with the adjusted R² the switch needs.</summary>
    public readonly record struct RegressionPoint(DetectionPoint Point, double AdjustedR2);

    /// <summary>
    /// Rnssp <c>alert_regression</c>: per test day, a linear model y ~ 1 + time + Mon..Sat (Sunday the
    /// reference) on a baseline that grows from 11 to <paramref name="baseline"/> days and ends
    /// <paramref name="guard"/> + 1 days before t; forecast at time len + guard + 1, clipped at 0;
    /// σ = max(√MSE·√((L+7)(L−4)/(L(L−7))), 0.01/t₀.₉₅(L−8)); t-test with L − 8 degrees of freedom.
    /// Rnssp then withdraws red/yellow alerts on days whose count is below the trailing 7-day mean
    /// (on Saturdays and Sundays only if it is also below the mean of the last seven same weekdays);
    /// the alarm here follows that final alert.
    /// </summary>
    public static RegressionPoint[] Regression(IReadOnlyList<DateTime> dates, IReadOnlyList<double> y,
        int baseline = DefaultBaseline, int guard = DefaultGuard, double alpha = DefaultAlpha, int from = 0)
    {
        if (baseline < 7 || baseline % 7 != 0) throw new ArgumentOutOfRangeException(nameof(baseline), "baseline must be a multiple of 7, ≥ 7");
        if (guard < 0) throw new ArgumentOutOfRangeException(nameof(guard));
        if (dates.Count != y.Count) throw new ArgumentException("dates and values differ in length");
        const int minBaseline = 11;
        var n = y.Count;
        var result = new RegressionPoint[n];
        Array.Fill(result, new RegressionPoint(DetectionPoint.NotEvaluable, double.NaN));
        var first = Math.Max(minBaseline + guard, from);

        for (var t = first; t < n; t++)
        {
            var end = t - guard - 1;
            var start = Math.Max(0, t - guard - baseline);
            var len = end - start + 1;
            var nDf = len - 8;
            var hasDay = new bool[7];
            var bad = double.IsNaN(y[t]);
            for (var r = 0; r < len && !bad; r++)
            {
                hasDay[IsoDay(dates[start + r]) - 1] = true;
                bad = double.IsNaN(y[start + r]);
            }
            if (bad || hasDay.Take(6).Any(h => !h))
            {
                continue; // lm.fit would drop a column (NA coefficient) or fail on NA: not evaluable here
            }
            var beta = LeastSquares(dates, y, start, len, out var fitted);
            double rss = 0;
            for (var r = 0; r < len; r++) { var e = y[start + r] - fitted[r]; rss += e * e; }
            var mse = rss / nDf;
            var fm = RStats.Mean(fitted);
            var mss = 0.0;
            foreach (var f in fitted) mss += (f - fm) * (f - fm);
            var r2 = mss / (rss + mss);
            var r2Adj = 1 - (1 - r2) * ((len - 1.0) / nDf);
            if (double.IsNaN(r2Adj)) r2Adj = 0;
            var minSigma = 0.01 / RoundedT(0.95, nDf);
            var sigma = Math.Max(Math.Sqrt(mse) * Math.Sqrt((len + 7.0) * (len - 4.0) / (len * (len - 7.0))), minSigma);
            var testIndex = len + guard + 1;
            var dowTest = IsoDay(dates[t]);
            var lin = beta[0] + testIndex * beta[1] + (dowTest < 7 ? beta[1 + dowTest] : 0);
            var expected = Math.Max(0, lin);
            var stat = (y[t] - expected) / sigma;
            var p = UpperP(stat, nDf);
            var ub = expected + QT(1 - alpha, nDf) * sigma;
            result[t] = new RegressionPoint(new DetectionPoint(expected, ub, stat, p, p < alpha, "regression"), r2Adj);
        }

        // Rnssp's post-processing of red/yellow alerts.
        for (var t = 0; t < n; t++)
        {
            var pt = result[t].Point;
            if (!pt.Alarm.HasValue || Level(pt.PValue) is AlertLevel.Blue or AlertLevel.Grey) continue;
            if (t < 6) continue;
            var ma7 = 0.0;
            for (var k = t - 6; k <= t; k++) ma7 += y[k];
            ma7 /= 7;
            if (!(y[t] < ma7)) continue;
            var dow = IsoDay(dates[t]);
            var remove = true;
            if (dow >= 6)
            {
                var same = new List<double>(7);
                for (var k = t; k >= 0 && same.Count < 7; k--)
                    if (IsoDay(dates[k]) == dow) same.Add(y[k]);
                // NA weekday mean (fewer than 7 such days) keeps the alert, as case_when does in R.
                remove = same.Count == 7 && y[t] < same.Average();
            }
            if (remove) result[t] = result[t] with { Point = pt with { Alarm = false } };
        }
        return result;
    }

    /// <summary>
    /// Least squares of y[start..start+len) on [1, time 1..len, Mon..Sat] through the normal equations,
    /// solved by Cholesky (8×8); full column rank is checked by the caller. Agrees with R's QR-based
    /// <c>lm.fit</c> to ~1e-12 on these small, well-conditioned designs.
    /// </summary>
    static double[] LeastSquares(IReadOnlyList<DateTime> dates, IReadOnlyList<double> y, int start, int len, out double[] fitted)
    {
        const int p = 8;
        Span<double> a = stackalloc double[p * p];
        Span<double> b = stackalloc double[p];
        Span<double> row = stackalloc double[p];
        a.Clear();
        b.Clear();
        var rows = new double[len][];
        for (var r = 0; r < len; r++)
        {
            row.Clear();
            row[0] = 1;
            row[1] = r + 1;
            var dow = IsoDay(dates[start + r]);
            if (dow < 7) row[1 + dow] = 1;
            rows[r] = row.ToArray();
            var v = y[start + r];
            for (var i = 0; i < p; i++)
            {
                if (row[i] == 0) continue;
                b[i] += row[i] * v;
                for (var j = 0; j <= i; j++) a[i * p + j] += row[i] * row[j];
            }
        }
        // Cholesky A = L·Lᵀ in place (lower triangle).
        for (var j = 0; j < p; j++)
        {
            var d = a[j * p + j];
            for (var k = 0; k < j; k++) d -= a[j * p + k] * a[j * p + k];
            d = Math.Sqrt(d);
            a[j * p + j] = d;
            for (var i = j + 1; i < p; i++)
            {
                var s = a[i * p + j];
                for (var k = 0; k < j; k++) s -= a[i * p + k] * a[j * p + k];
                a[i * p + j] = s / d;
            }
        }
        var beta = new double[p];
        for (var i = 0; i < p; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++) s -= a[i * p + k] * beta[k];
            beta[i] = s / a[i * p + i];
        }
        for (var i = p - 1; i >= 0; i--)
        {
            var s = beta[i];
            for (var k = i + 1; k < p; k++) s -= a[k * p + i] * beta[k];
            beta[i] = s / a[i * p + i];
        }
        fitted = new double[len];
        for (var r = 0; r < len; r++)
        {
            var f = 0.0;
            for (var i = 0; i < p; i++) f += rows[r][i] * beta[i];
            fitted[r] = f;
        }
        return beta;
    }

    /// <summary>ISO day of week, 1 = Monday … 7 = Sunday (R <c>format(date, "%u")</c>).</summary>
    static int IsoDay(DateTime d) => d.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)d.DayOfWeek;

    /// <summary>
    /// Rnssp <c>alert_switch</c>: the regression's result where its adjusted R² ≥ 0.60, otherwise EWMA's
    /// (also where the regression is not evaluable).
    /// </summary>
    public static DetectionPoint[] Switch(IReadOnlyList<DateTime> dates, IReadOnlyList<double> y,
        int baseline = DefaultBaseline, int guard = DefaultGuard, double alpha = DefaultAlpha, int from = 0)
    {
        var reg = Regression(dates, y, baseline, guard, alpha, from);
        var ewma = Ewma(y, baseline, guard, alpha: alpha, from: from);
        var result = new DetectionPoint[y.Count];
        for (var t = 0; t < y.Count; t++)
            result[t] = reg[t].AdjustedR2 >= SwitchR2 ? reg[t].Point : ewma[t];
        return result;
    }
}
