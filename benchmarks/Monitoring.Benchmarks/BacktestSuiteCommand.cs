using Monitoring.Forecaster.Backtesting;

namespace Monitoring.Benchmarks;

/// <summary>
/// <c>backtest-suite [data dir] [--methods a,b,…] [--parallel P] [--series X,Y,…]</c>: the issue-4 forecast comparison on
/// the COVID-19 Data Hub daily series (protocols H/N = 14/8, 7/8, 28/4, season 7). Prints one Markdown table for all
/// series, one for the series <c>auto</c> was tuned on and one for the held-out series.
/// </summary>
public static class BacktestSuiteCommand
{
    public static void Run(string[] args)
    {
        var directory = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && a != "backtest-suite")
            ?? Path.Combine("..", "shared", "data", "timeseries", "covid19_datahub");
        string? Option(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        var methods = (Option("--methods") ?? string.Join(',', ForecastBacktest.MethodNames)).Split(',');
        var parallel = int.Parse(Option("--parallel") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        var series = BacktestSuite.LoadCovidDataHub(directory);
        if (Option("--series") is { } only) series = series.Where(s => only.Split(',').Contains(s.Name)).ToList();
        var results = BacktestSuite.Run(series, BacktestSuite.DefaultProtocols, methods, parallel, Console.Error.WriteLine);
        Console.Out.Write(BacktestSuite.Table(results, methods, "All series"));
        Console.Out.Write('\n');
        var tuning = results.Where(r => BacktestSuite.TuningSeries.Contains(r.Series)).ToList();
        var heldOut = results.Where(r => !BacktestSuite.TuningSeries.Contains(r.Series)).ToList();
        if (tuning.Count > 0) Console.Out.Write(BacktestSuite.Table(tuning, methods, "Tuning series") + "\n");
        if (heldOut.Count > 0) Console.Out.Write(BacktestSuite.Table(heldOut, methods, "Held-out series"));
    }
}
