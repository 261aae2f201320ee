using MathNet.Numerics.Distributions;

namespace Monitoring.Forecaster.Forecasting;

/// <summary>A forecast of H steps with 80 % and 95 % bounds.</summary>
public sealed record ForecastResult(string Method, double[] Mean, double[] Lower80, double[] Upper80, double[] Lower95, double[] Upper95)
{
    public int Horizon => Mean.Length;

    internal static readonly double Z80 = Normal.InvCDF(0, 1, 0.9);
    internal static readonly double Z95 = Normal.InvCDF(0, 1, 0.975);

    /// <summary>Clips point forecasts and bounds at 0 when the history is a non-negative count series.</summary>
    public ForecastResult ClipIfNonNegative(IReadOnlyList<double> history)
    {
        if (history.Any(v => v < 0)) return this;
        static double[] C(double[] a) => a.Select(v => Math.Max(0, v)).ToArray();
        return this with { Mean = C(Mean), Lower80 = C(Lower80), Upper80 = C(Upper80), Lower95 = C(Lower95), Upper95 = C(Upper95) };
    }

    /// <summary>Normal bounds from point forecasts and standard deviations.</summary>
    public static ForecastResult FromSd(string method, double[] mean, double[] sd) => new(method, mean,
        mean.Select((m, i) => m - Z80 * sd[i]).ToArray(), mean.Select((m, i) => m + Z80 * sd[i]).ToArray(),
        mean.Select((m, i) => m - Z95 * sd[i]).ToArray(), mean.Select((m, i) => m + Z95 * sd[i]).ToArray());
}

/// <summary>A forecasting method: fits on a history and forecasts <c>horizon</c> steps.</summary>
public interface IForecastMethod
{
    /// <summary>Name used on the command line and in backtest output.</summary>
    string Name { get; }

    ForecastResult Forecast(IReadOnlyList<double> history, int horizon, int season);
}

/// <summary>Helpers shared by the methods.</summary>
public static class SeriesPrep
{
    /// <summary>Fills missing values by carrying the last observation forward (leading gaps take the first value; all-missing → 0).</summary>
    public static double[] FillMissing(IReadOnlyList<double> y)
    {
        var r = y.ToArray();
        var first = Array.FindIndex(r, v => !double.IsNaN(v));
        if (first < 0) return new double[r.Length];
        for (var i = 0; i < first; i++) r[i] = r[first];
        for (var i = first + 1; i < r.Length; i++) if (double.IsNaN(r[i])) r[i] = r[i - 1];
        return r;
    }
}

/// <summary>
/// Seasonal naive: ŷ[n+h] = y[n+h−S·(k+1)], k = ⌊(h−1)/S⌋; σ from the in-sample seasonal differences,
/// sd_h = σ·√(k+1) (Hyndman &amp; Athanasopoulos, fpp3 §5.5). With fewer than S+2 points it falls back to the naive forecast (S = 1).
/// </summary>
public sealed class SeasonalNaive : IForecastMethod
{
    public string Name => "snaive";

    public ForecastResult Forecast(IReadOnlyList<double> history, int horizon, int season)
    {
        var y = SeriesPrep.FillMissing(history);
        var n = y.Length;
        if (n == 0) throw new ArgumentException("empty history");
        var s = Math.Max(1, season);
        if (n < s + 2) s = 1;
        if (n < 2) return FromConstant(y[0], horizon);
        double ss = 0;
        var count = 0;
        for (var t = s; t < n; t++) { var d = y[t] - y[t - s]; ss += d * d; count++; }
        var sigma = Math.Sqrt(ss / count);
        var mean = new double[horizon];
        var sd = new double[horizon];
        for (var h = 1; h <= horizon; h++)
        {
            var k = (h - 1) / s;
            mean[h - 1] = y[n - s + (h - 1) % s];
            sd[h - 1] = sigma * Math.Sqrt(k + 1);
        }
        return ForecastResult.FromSd(Name, mean, sd).ClipIfNonNegative(y);
    }

    ForecastResult FromConstant(double v, int horizon) =>
        ForecastResult.FromSd(Name, Enumerable.Repeat(v, horizon).ToArray(), new double[horizon]);
}
