namespace Monitoring.Forecaster.Detection;

/// <summary>
/// Mean and sample standard deviation computed the way R does (<c>mean()</c> in summary.c and
/// <c>var()</c> in cov.c): a first pass for the mean, then a correction pass, then the sum of squared
/// deviations over n − 1. R accumulates in long double; the correction pass makes the double result
/// agree with R to a few ulps.
/// </summary>
public static class RStats
{
    public static double Mean(ReadOnlySpan<double> x)
    {
        if (x.Length == 0) return double.NaN;
        double s = 0;
        foreach (var v in x) s += v;
        s /= x.Length;
        if (!double.IsFinite(s)) return s;
        double t = 0;
        foreach (var v in x) t += v - s;
        return s + t / x.Length;
    }

    /// <summary>Sample standard deviation, denominator n − 1 (NaN for n &lt; 2).</summary>
    public static double Sd(ReadOnlySpan<double> x)
    {
        if (x.Length < 2) return double.NaN;
        var m = Mean(x);
        double ss = 0;
        foreach (var v in x) ss += (v - m) * (v - m);
        return Math.Sqrt(ss / (x.Length - 1));
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
