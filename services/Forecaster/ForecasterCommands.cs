using System.CommandLine;
using Monitoring.Forecaster.Detection;

namespace Monitoring.Forecaster;

/// <summary>The offline subcommands this service adds to the <c>monitoring</c> binary.</summary>
public static class ForecasterCommands
{
    public static IEnumerable<Command> Create() => [DetectCommand(), ForecastCommands.Forecast(), ForecastCommands.Backtest()];

    static Command DetectCommand()
    {
        var method = new Option<string>("--method") { Description = "Detector: " + string.Join("|", Detectors.Names), Required = true };
        method.AcceptOnlyFromAmong([.. Detectors.Names]);
        var alpha = new Option<double?>("--alpha") { Description = "One-sided significance level (EARS default 0.001; ewma/regression/switch 0.01)" };
        var baseline = new Option<int?>("--baseline") { Description = "Baseline length (EARS 7; ewma/regression/switch/cusum 28)" };
        var minSigma = new Option<double?>("--min-sigma") { Description = "Floor on the baseline standard deviation (default 0)" };
        var guard = new Option<int?>("--guard") { Description = "Guard band for ewma/regression/switch/cusum (default 2)" };
        var k = new Option<double?>("--k") { Description = "CUSUM reference value (default 0.5)" };
        var h = new Option<double?>("--h") { Description = "CUSUM decision interval (default 4)" };
        var input = new Option<string>("--input") { Description = "CSV with header date,value", Required = true };
        var output = new Option<string?>("--output") { Description = "Output CSV (default stdout)" };
        var cmd = new Command("detect", "Run a one-sided outbreak detector over a series; writes date,value,upperbound,alarm.")
        {
            method, alpha, baseline, minSigma, guard, k, h, input, output,
        };
        cmd.SetAction(pr =>
        {
            try
            {
                var rows = SeriesCsv.Read(pr.GetValue(input)!);
                var points = Detectors.Run(pr.GetValue(method)!, rows.Select(r => r.Date).ToArray(), rows.Select(r => r.Value).ToArray(),
                    new DetectorOptions(pr.GetValue(alpha), pr.GetValue(baseline), pr.GetValue(minSigma), pr.GetValue(guard), pr.GetValue(k), pr.GetValue(h)));
                var path = pr.GetValue(output);
                if (path is null)
                {
                    SeriesCsv.WriteDetection(Console.Out, rows, points);
                    Console.Out.Flush();
                }
                else
                {
                    using var w = new StreamWriter(path);
                    SeriesCsv.WriteDetection(w, rows, points);
                }
                return 0;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or IOException)
            {
                Console.Error.WriteLine($"detect: {e.Message}");
                return 2;
            }
        });
        return cmd;
    }
}
