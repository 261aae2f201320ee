using Monitoring.Forecaster.Forecasting.Baselines;

namespace Monitoring.Forecaster.Forecasting;

/// <summary>
/// SSA as a forecasting method: window L = min(2S + 1, ⌊(n − 1)/2⌋) (ML.NET recommends more than twice the
/// season; training needs more than 2L points), trained on the whole history, forecast from the end of it.
/// Bounds from ML.NET's forecast standard deviations. Falls back to seasonal naive when the history is too short.
/// </summary>
public sealed class SsaMethod : IForecastMethod
{
    public string Name => "ssa";

    /// <summary>Optional fixed window; default derived from the season.</summary>
    public int? WindowSize { get; init; }

    /// <summary>Train on at most this many of the latest points (null: the whole history, as ML.NET's trainSize from the start).</summary>
    public int? TrainTail { get; init; }

    public ForecastResult Forecast(IReadOnlyList<double> history, int horizon, int season)
    {
        var y = SeriesPrep.FillMissing(history);
        if (TrainTail is { } tail && y.Length > tail) y = y[^tail..];
        var n = y.Length;
        var want = WindowSize ?? Math.Max(3, 2 * Math.Max(1, season) + 1);
        var L = Math.Min(want, (n - 1) / 2);
        if (L < 2) return Fallback(history, horizon, season);
        var ssa = new SsaForecaster(L, L + 1, n);
        if (!ssa.Train(y)) return Fallback(history, horizon, season);
        var f = ssa.Forecast(horizon);
        if (f.Point.Any(v => !double.IsFinite(v)) || f.StandardDeviation.Any(v => !double.IsFinite(v)))
            return Fallback(history, horizon, season);
        return ForecastResult.FromSd(Name, f.Point, f.StandardDeviation).ClipIfNonNegative(y);
    }

    ForecastResult Fallback(IReadOnlyList<double> history, int horizon, int season) =>
        new SeasonalNaive().Forecast(history, horizon, season) with { Method = Name };
}

/// <summary>
/// Chooses, per series, the method with the lowest mean MASE in a rolling-origin backtest on the history it is
/// given (up to <see cref="Origins"/> windows of the horizon at the end of the history), then forecasts with it.
/// Candidates: seasonal naive, damped Holt-Winters, SSA and their snaive/Holt-Winters combination.
/// The combination is kept unless another candidate beats it by more than <see cref="Margin"/>.
/// Too-short histories go to seasonal naive.
/// </summary>
public sealed class AutoMethod : IForecastMethod
{
    public string Name => "auto";

    public int Origins { get; init; } = 3;

    public IReadOnlyList<IForecastMethod> Candidates { get; init; } = [new SeasonalNaive(), new HoltWinters(), new SsaMethod(), new Combination()];

    /// <summary>Name of the candidate kept unless another beats its inner-backtest MASE by more than <see cref="Margin"/>.</summary>
    public string? Default { get; init; } = "combo";

    /// <summary>
    /// Relative improvement needed to leave <see cref="Default"/> (0 = plain argmin). Default 0.25, chosen on the
    /// COVID-19 Data Hub daily series (9 series × 3 protocols): plain argmin selection (margin 0) was worse than always
    /// using the combination, because inner backtests on short windows are noisy.
    /// </summary>
    public double Margin { get; init; } = 0.25;

    /// <summary>The method chosen by the last call to <see cref="Choose"/> or <see cref="Forecast"/>.</summary>
    public string? LastChoice { get; private set; }

    public IForecastMethod Choose(IReadOnlyList<double> history, int horizon, int season)
    {
        var y = SeriesPrep.FillMissing(history);
        var s = Math.Max(1, season);
        var origins = Origins;
        // Keep enough training data before the first inner window: at least 2 seasons + 4 points.
        while (origins > 0 && y.Length - origins * horizon < 2 * s + 4) origins--;
        IForecastMethod best = Candidates[0];
        if (origins > 0)
        {
            var trainEnd = y.Length - origins * horizon;
            var scale = Metrics.SeasonalNaiveScale(y.AsSpan(0, trainEnd), s);
            var bestScore = double.PositiveInfinity;
            var scores = new Dictionary<IForecastMethod, double>();
            foreach (var m in Candidates)
            {
                double sum = 0;
                var count = 0;
                for (var o = 0; o < origins; o++)
                {
                    var start = trainEnd + o * horizon;
                    var f = m.Forecast(y[..start], horizon, season);
                    for (var h = 0; h < horizon; h++) { sum += Math.Abs(y[start + h] - f.Mean[h]); count++; }
                }
                var score = sum / count / scale;
                scores[m] = score;
                if (score < bestScore - 1e-12) { bestScore = score; best = m; }
            }
            var preferred = Candidates.FirstOrDefault(c => c.Name == Default);
            if (preferred is not null && best != preferred && !(bestScore < (1 - Margin) * scores[preferred])) best = preferred;
        }
        LastChoice = best.Name;
        return best;
    }

    public ForecastResult Forecast(IReadOnlyList<double> history, int horizon, int season)
    {
        var m = Choose(history, horizon, season);
        return m.Forecast(history, horizon, season) with { Method = "auto:" + m.Name };
    }
}

/// <summary>
/// Equal-weight combination of its members' forecasts: means and bounds averaged (forecast combinations are a robust
/// default, M4 competition). The default members, seasonal naive and damped Holt-Winters, make the <c>combo</c>
/// candidate of <see cref="AutoMethod"/>.
/// </summary>
public sealed class Combination : IForecastMethod
{
    public Combination() : this("combo", () => new SeasonalNaive(), () => new HoltWinters()) { }

    public Combination(string name, params Func<IForecastMethod>[] members)
    {
        Name = name;
        Members = members;
    }

    public string Name { get; }

    public IReadOnlyList<Func<IForecastMethod>> Members { get; }

    public ForecastResult Forecast(IReadOnlyList<double> history, int horizon, int season)
    {
        var forecasts = Members.Select(create => create().Forecast(history, horizon, season)).ToList();
        double[] Avg(Func<ForecastResult, double[]> part) =>
            Enumerable.Range(0, horizon).Select(i => forecasts.Average(f => part(f)[i])).ToArray();
        return new ForecastResult(Name, Avg(f => f.Mean), Avg(f => f.Lower80), Avg(f => f.Upper80), Avg(f => f.Lower95), Avg(f => f.Upper95));
    }
}

/// <summary>Forecast accuracy metrics (Hyndman &amp; Koehler 2006; M4's sMAPE).</summary>
public static class Metrics
{
    /// <summary>In-sample mean absolute seasonal-naive error (lag S) — the MASE denominator. 1 when undefined or 0.</summary>
    public static double SeasonalNaiveScale(ReadOnlySpan<double> train, int season)
    {
        var s = Math.Max(1, season);
        double sum = 0;
        var count = 0;
        for (var t = s; t < train.Length; t++)
        {
            if (double.IsNaN(train[t]) || double.IsNaN(train[t - s])) continue;
            sum += Math.Abs(train[t] - train[t - s]);
            count++;
        }
        var scale = count > 0 ? sum / count : double.NaN;
        return double.IsFinite(scale) && scale > 0 ? scale : 1;
    }

    /// <summary>sMAPE term on the 0–200 scale; 0 when both actual and forecast are 0.</summary>
    public static double SmapeTerm(double actual, double forecast)
    {
        var d = Math.Abs(actual) + Math.Abs(forecast);
        return d == 0 ? 0 : 200 * Math.Abs(actual - forecast) / d;
    }

    /// <summary>Methods accepted by <c>forecast --method</c>: the project's own and the peer baselines.</summary>
    public static readonly IReadOnlyList<string> Names = ["ssa", "snaive", "holt-winters", "auto", "ets", "arima", "prophet"];

    public static IForecastMethod Method(string name) => name switch
    {
        "ssa" => new SsaMethod(),
        "snaive" => new SeasonalNaive(),
        "holt-winters" or "holt_winters" => new HoltWinters(),
        "auto" => new AutoMethod(),
        "combo" => new Combination(),
        "ets" => new Ets(),
        "arima" => new Arima(),
        "prophet" => new ProphetLike(),
        _ => throw new ArgumentException($"unknown method '{name}' ({string.Join('|', Names)})"),
    };
}
