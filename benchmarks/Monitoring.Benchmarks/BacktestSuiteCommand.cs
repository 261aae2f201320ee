using Monitoring.Forecaster.Backtesting;
using Monitoring.Forecaster.Forecasting;
using Monitoring.Forecaster.Forecasting.Baselines;

namespace Monitoring.Benchmarks;

/// <summary>
/// <c>backtest-suite [data dir] [--methods a,b,…] [--parallel P] [--series X,Y,…]</c>: the issue-4 forecast comparison on
/// the COVID-19 Data Hub daily series (protocols H/N = 14/8, 7/8, 28/4, season 7). Prints one Markdown table for all
/// series, one for the series <c>auto</c> was tuned on, one for the held-out series, and one for the worldwide daily
/// deaths (a series no part of the project was tuned on).
/// </summary>
public static class BacktestSuiteCommand
{
    /// <summary>Variants of <c>auto</c> tried while tuning (docs/methods.md, "Backtests").</summary>
    static IReadOnlyList<(string Name, Func<IForecastMethod> Create)> AutoVariants()
    {
        static IForecastMethod Snaive() => new SeasonalNaive();
        static IForecastMethod Hw() => new HoltWinters();
        static IForecastMethod EtsAuto() => new Ets();
        static IForecastMethod ArimaAuto() => new Arima();
        return
        [
            ("auto", () => new AutoMethod()),
            ("auto-margin0", () => new AutoMethod { Margin = 0 }),
            ("auto-margin0.1", () => new AutoMethod { Margin = 0.1 }),
            ("auto-margin0.4", () => new AutoMethod { Margin = 0.4 }),
            ("auto+ets-margin0.1", () => new AutoMethod { Candidates = [Snaive(), Hw(), new SsaMethod(), new Combination(), EtsAuto()], Margin = 0.1 }),
            ("auto+ets", () => new AutoMethod { Candidates = [Snaive(), Hw(), new SsaMethod(), new Combination(), EtsAuto()] }),
            ("combo", () => new Combination()),
            ("combo-snaive-ets", () => new Combination("combo-snaive-ets", Snaive, EtsAuto)),
            ("combo-snaive-hw-arima", () => new Combination("combo-snaive-hw-arima", Snaive, Hw, ArimaAuto)),
            ("combo-snaive-ets-arima", () => new Combination("combo-snaive-ets-arima", Snaive, EtsAuto, ArimaAuto)),
            ("combo-hw-arima", () => new Combination("combo-hw-arima", Hw, ArimaAuto)),
            ("auto-c3", () => new AutoMethod
            {
                Candidates = [Snaive(), Hw(), new SsaMethod(), new Combination("combo3", Snaive, Hw, ArimaAuto)],
                Default = "combo3",
            }),
        ];
    }

    public static void Run(string[] args)
    {
        var directory = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && a != "backtest-suite")
            ?? Path.Combine("..", "shared", "data", "timeseries", "covid19_datahub");
        string? Option(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        if (args.Contains("--variants"))
        {
            // Candidate changes to `auto`, compared on the tuning series only (pass --series to override).
            var variants = AutoVariants();
            var tuningSeries = BacktestSuite.LoadCovidDataHub(directory).Where(s => BacktestSuite.TuningSeries.Contains(s.Name)).ToList();
            if (Option("--series") is { } which)
                tuningSeries = [.. BacktestSuite.LoadCovidDataHub(directory).Concat(BacktestSuite.LoadCovidDataHub(directory, worldDeaths: true))
                    .Where(s => which.Split(',').Contains(s.Name))];
            var onlyMethods = Option("--methods")?.Split(',');
            var chosen = onlyMethods is null ? variants : [.. variants.Where(v => onlyMethods.Contains(v.Name))];
            var r = BacktestSuite.Run(tuningSeries, BacktestSuite.DefaultProtocols, chosen, int.Parse(Option("--parallel") ?? "1",
                System.Globalization.CultureInfo.InvariantCulture), Console.Error.WriteLine);
            Console.Out.Write(BacktestSuite.Table(r, [.. chosen.Select(v => v.Name)], "auto variants"));
            return;
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
        if (heldOut.Count > 0) Console.Out.Write(BacktestSuite.Table(heldOut, methods, "Held-out series") + "\n");
        if (Option("--series") is null)
        {
            var deaths = BacktestSuite.Run(BacktestSuite.LoadCovidDataHub(directory, worldDeaths: true), BacktestSuite.DefaultProtocols,
                methods, parallel, Console.Error.WriteLine);
            Console.Out.Write(BacktestSuite.Table(deaths, methods, "Worldwide daily deaths, never used for tuning"));
        }
    }
}
