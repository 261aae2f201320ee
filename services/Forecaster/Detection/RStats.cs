namespace Monitoring.Forecaster.Detection;

/// <summary>
/// Mean and sample standard deviation computed the way R does (<c>mean()</c> in summary.c and
/// <c>var()</c> in cov.c): a first pass for the mean, then a correction pass, then the sum of squared
/// deviations over n − 1. R accumulates in long double; the correction pass makes the double result
/// agree with R to a few ulps.
/// </summary>
public static class RStats
{
    /// <summary>
    /// R's <c>mean()</c> (summary.c): a long-double sum divided by n, then a correction pass Σ(x − mean)/n. Long double
    /// is emulated with compensated (Neumaier) sums, so the result is the correctly rounded mean in practice.
    /// </summary>
    public static double Mean(ReadOnlySpan<double> x)
    {
        if (x.Length == 0) return double.NaN;
        var (hi, lo) = Sum(x, 0);
        var s = hi / x.Length;
        if (!double.IsFinite(s)) return s;
        // The remainder of the division (exact through FMA) plays the role of R's correction pass.
        var r = (Math.FusedMultiplyAdd(-s, x.Length, hi) + lo) / x.Length;
        return s + r;
    }

    /// <summary>Σx with Neumaier compensation, as (sum, correction).</summary>
    static (double Hi, double Lo) Sum(ReadOnlySpan<double> x, double shift)
    {
        double sum = 0, c = 0;
        foreach (var v0 in x)
        {
            var v = v0 - shift;
            var t = sum + v;
            c += Math.Abs(sum) >= Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }
        return (sum, c);
    }

    /// <summary>
    /// Sample standard deviation as R's <c>sd()</c> = sqrt(<c>var()</c>) computes it (cov.c): the mean rounded to double,
    /// deviations and their squares in double, the sum of squares in long double (emulated), divided by n − 1.
    /// NaN for n &lt; 2.
    /// </summary>
    public static double Sd(ReadOnlySpan<double> x)
    {
        if (x.Length < 2) return double.NaN;
        var m = Mean(x);
        double sum = 0, c = 0;
        foreach (var v in x)
        {
            var d = v - m;
            var p = d * d;
            var t = sum + p;
            c += Math.Abs(sum) >= Math.Abs(p) ? (sum - t) + p : (p - t) + sum;
            sum = t;
        }
        return Math.Sqrt((sum + c) / (x.Length - 1));
    }

    /// <summary>R's <c>median()</c>.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var a = values.ToArray();
        if (a.Length == 0) return double.NaN;
        Array.Sort(a);
        var h = a.Length / 2;
        return a.Length % 2 == 1 ? a[h] : (a[h - 1] + a[h]) / 2;
    }

    /// <summary>Standard normal quantile (R <c>qnorm</c>).</summary>
    public static double QNorm(double p) => MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p);
}
