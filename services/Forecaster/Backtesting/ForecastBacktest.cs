using System.Diagnostics;
using Monitoring.Forecaster.Forecasting;

namespace Monitoring.Forecaster.Backtesting;

/// <summary>Accuracy of one method over the backtest windows.</summary>
public sealed record MethodScore(double Mase, double Smape, double Coverage80, double Coverage95, double Seconds, IReadOnlyList<string>? Choices = null);

/// <summary>
/// Rolling-origin backtest (the protocol of issue 4): the last N×H points form N consecutive windows of H; for each
/// window every method is fitted on all points before it and forecasts H steps. MASE is scaled by the in-sample
/// seasonal-naive (lag S) mean absolute error of the training part before the first window; sMAPE on 0–200; coverage
/// is the share of actuals inside the 80 % and 95 % intervals. <c>auto</c> chooses using only data before each window.
/// </summary>
public static class ForecastBacktest
{
    /// <summary>The project's methods (the keys an external evaluation parses) followed by the peer baselines.</summary>
    public static readonly IReadOnlyList<string> MethodNames = ["ssa", "snaive", "holt-winters", "auto", "ets", "arima", "prophet"];

    public static IReadOnlyDictionary<string, MethodScore> Run(IReadOnlyList<double> series, int season, int horizon, int origins,
        IEnumerable<string>? methods = null) =>
        Run(series, season, horizon, origins, (methods ?? MethodNames).Select(n => (n, (Func<IForecastMethod>)(() => Metrics.Method(n)))));

    /// <summary>The same protocol for methods given by name and factory (experiments with variants that are not registered).</summary>
    public static IReadOnlyDictionary<string, MethodScore> Run(IReadOnlyList<double> series, int season, int horizon, int origins,
        IEnumerable<(string Name, Func<IForecastMethod> Create)> methods)
    {
        if (horizon < 1 || origins < 1) throw new ArgumentOutOfRangeException(nameof(horizon), "horizon and origins must be ≥ 1");
        var y = series.ToArray();
        var firstStart = y.Length - origins * horizon;
        if (firstStart < 3) throw new ArgumentException($"series of {y.Length} points is too short for {origins} windows of {horizon}");
        var scale = Metrics.SeasonalNaiveScale(y.AsSpan(0, firstStart), season);
        var result = new Dictionary<string, MethodScore>();
        foreach (var (name, create) in methods)
        {
            var method = create();
            double absSum = 0, smapeSum = 0;
            int count = 0, in80 = 0, in95 = 0;
            var choices = new List<string>();
            var sw = Stopwatch.StartNew();
            for (var w = 0; w < origins; w++)
            {
                var start = firstStart + w * horizon;
                var f = method.Forecast(y[..start], horizon, season);
                if (method is AutoMethod auto && auto.LastChoice is { } c) choices.Add(c);
                for (var h = 0; h < horizon; h++)
                {
                    var a = y[start + h];
                    if (double.IsNaN(a)) continue;
                    absSum += Math.Abs(a - f.Mean[h]);
                    smapeSum += Metrics.SmapeTerm(a, f.Mean[h]);
                    if (a >= f.Lower80[h] && a <= f.Upper80[h]) in80++;
                    if (a >= f.Lower95[h] && a <= f.Upper95[h]) in95++;
                    count++;
                }
            }
            sw.Stop();
            result[name] = new MethodScore(absSum / count / scale, smapeSum / count, (double)in80 / count, (double)in95 / count,
                sw.Elapsed.TotalSeconds, method is AutoMethod ? choices : null);
        }
        return result;
    }
}
