using System.CommandLine;
using System.Text;
using System.Text.Json;
using Monitoring.Forecaster.Backtesting;
using Monitoring.Forecaster.Detection;
using Monitoring.Forecaster.Forecasting;

namespace Monitoring.Forecaster;

/// <summary>The <c>forecast</c> and <c>backtest</c> subcommands.</summary>
internal static class ForecastCommands
{
    public static Command Forecast()
    {
        var method = new Option<string>("--method") { Description = string.Join('|', Metrics.Names), DefaultValueFactory = _ => "auto" };
        method.AcceptOnlyFromAmong([.. Metrics.Names]);
        var input = new Option<string>("--input") { Description = "CSV with header date,value", Required = true };
        var horizon = new Option<int>("--horizon") { Description = "Steps to forecast", Required = true };
        var season = new Option<int>("--season") { Description = "Season length (default 7)", DefaultValueFactory = _ => 7 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on the last line" };
        var cmd = new Command("forecast", "Forecast a series with 80 % and 95 % intervals.") { method, input, horizon, season, json };
        cmd.SetAction(pr => Guard("forecast", () =>
        {
            var rows = SeriesCsv.Read(pr.GetValue(input)!);
            var h = pr.GetValue(horizon);
            if (h < 1) throw new ArgumentException("--horizon must be ≥ 1");
            var s = pr.GetValue(season);
            var m = Metrics.Method(pr.GetValue(method)!);
            var f = m.Forecast(rows.Select(r => r.Value).ToArray(), h, s);
            var dates = FutureDates(rows, h);
            Console.Out.Write("step,date,mean,lower80,upper80,lower95,upper95\n");
            for (var i = 0; i < h; i++)
                Console.Out.Write($"{i + 1},{dates[i]},{SeriesCsv.Format(f.Mean[i])},{SeriesCsv.Format(f.Lower80[i])},{SeriesCsv.Format(f.Upper80[i])},{SeriesCsv.Format(f.Lower95[i])},{SeriesCsv.Format(f.Upper95[i])}\n");
            if (pr.GetValue(json))
            {
                Console.Out.Write(Json(w =>
                {
                    w.WriteString("series", Path.GetFileNameWithoutExtension(pr.GetValue(input)));
                    w.WriteString("method", f.Method.StartsWith("auto:", StringComparison.Ordinal) ? "auto" : f.Method);
                    if (m is AutoMethod a) w.WriteString("chosen", a.LastChoice);
                    w.WriteNumber("horizon", h);
                    w.WriteNumber("season", s);
                    w.WriteStartArray("forecast");
                    for (var i = 0; i < h; i++)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("step", i + 1);
                        w.WriteString("date", dates[i]);
                        Num(w, "mean", f.Mean[i]);
                        Num(w, "lower80", f.Lower80[i]);
                        Num(w, "upper80", f.Upper80[i]);
                        Num(w, "lower95", f.Lower95[i]);
                        Num(w, "upper95", f.Upper95[i]);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }) + "\n");
            }
            Console.Out.Flush();
        }));
        return cmd;
    }

    public static Command Backtest()
    {
        var input = new Option<string>("--input") { Description = "CSV with header date,value", Required = true };
        var season = new Option<int>("--season") { Description = "Season length (default 7)", DefaultValueFactory = _ => 7 };
        var horizon = new Option<int>("--horizon") { Description = "Window length H (default 14)", DefaultValueFactory = _ => 14 };
        var origins = new Option<int>("--origins") { Description = "Number of windows N (default 4)", DefaultValueFactory = _ => 4 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on the last line" };
        var detect = new Option<bool>("--detect") { Description = "Evaluate the detectors against --truth instead" };
        var truth = new Option<string?>("--truth") { Description = "CSV with header date,outbreak (0/1) for --detect" };
        var alpha = new Option<double?>("--alpha") { Description = "Detector alpha (method defaults otherwise)" };
        var cmd = new Command("backtest", "Rolling-origin forecast backtest, or detector evaluation with --detect.")
        {
            input, season, horizon, origins, json, detect, truth, alpha,
        };
        cmd.SetAction(pr => Guard("backtest", () =>
        {
            var path = pr.GetValue(input)!;
            var rows = SeriesCsv.Read(path);
            var name = Path.GetFileNameWithoutExtension(path);
            if (pr.GetValue(detect))
            {
                var truthPath = pr.GetValue(truth) ?? throw new ArgumentException("--detect needs --truth <csv with date,outbreak>");
                RunDetect(rows, ReadTruth(truthPath, rows), name, pr.GetValue(alpha));
                return;
            }
            var scores = ForecastBacktest.Run(rows.Select(r => r.Value).ToArray(), pr.GetValue(season), pr.GetValue(horizon), pr.GetValue(origins));
            Console.Out.Write("method,mase,smape,coverage80,coverage95,seconds\n");
            foreach (var (m, sc) in scores)
                Console.Out.Write($"{m},{SeriesCsv.Format(sc.Mase)},{SeriesCsv.Format(sc.Smape)},{SeriesCsv.Format(sc.Coverage80)},{SeriesCsv.Format(sc.Coverage95)},{SeriesCsv.Format(sc.Seconds)}\n");
            if (pr.GetValue(json))
            {
                Console.Out.Write(Json(w =>
                {
                    w.WriteString("series", name);
                    w.WriteNumber("season", pr.GetValue(season));
                    w.WriteNumber("horizon", pr.GetValue(horizon));
                    w.WriteNumber("origins", pr.GetValue(origins));
                    w.WriteStartObject("methods");
                    foreach (var (m, sc) in scores)
                    {
                        w.WriteStartObject(m == "holt-winters" ? "holt_winters" : m);
                        Num(w, "mase", sc.Mase);
                        Num(w, "smape", sc.Smape);
                        Num(w, "coverage80", sc.Coverage80);
                        Num(w, "coverage95", sc.Coverage95);
                        Num(w, "seconds", sc.Seconds);
                        if (sc.Choices is { } c)
                        {
                            w.WriteStartArray("chosen");
                            foreach (var x in c) w.WriteStringValue(x);
                            w.WriteEndArray();
                        }
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }) + "\n");
            }
            Console.Out.Flush();
        }));
        return cmd;
    }

    static void RunDetect(IReadOnlyList<SeriesRow> rows, bool[] outbreak, string name, double? alpha)
    {
        var dates = rows.Select(r => r.Date).ToArray();
        var values = rows.Select(r => r.Value).ToArray();
        var results = new List<(string Method, DetectionScore Score)>();
        foreach (var m in Detectors.Names)
        {
            DetectionPoint[] points;
            try { points = Detectors.Run(m, dates, values, new DetectorOptions(alpha)); }
            catch (ArgumentException) { continue; }
            results.Add((m, DetectionBacktest.Score(points.Select(p => p.Alarm).ToArray(), outbreak)));
        }
        Console.Out.Write("method,sensitivity,false_alerts_per_100,median_lag,events,detected\n");
        foreach (var (m, s) in results)
            Console.Out.Write($"{m},{SeriesCsv.Format(s.Sensitivity)},{SeriesCsv.Format(s.FalseAlertsPer100)},{SeriesCsv.Format(s.MedianLag)},{s.Events},{s.Detected}\n");
        Console.Out.Write(Json(w =>
        {
            w.WriteString("series", name);
            w.WriteStartObject("detectors");
            foreach (var (m, s) in results)
            {
                w.WriteStartObject(m);
                Num(w, "sensitivity", s.Sensitivity);
                Num(w, "false_alerts_per_100", s.FalseAlertsPer100);
                Num(w, "median_lag", s.MedianLag);
                Num(w, "bucket_sensitivity", s.BucketSensitivity);
                w.WriteNumber("events", s.Events);
                w.WriteNumber("detected", s.Detected);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }) + "\n");
        Console.Out.Flush();
    }

    static bool[] ReadTruth(string path, IReadOnlyList<SeriesRow> rows)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',').Select(h => h.Trim().Trim('"').ToLowerInvariant()).ToArray();
        var di = Array.IndexOf(header, "date");
        var oi = Array.IndexOf(header, "outbreak");
        if (di < 0 || oi < 0) throw new FormatException($"{path}: header must contain date and outbreak");
        var map = new Dictionary<DateTime, bool>();
        foreach (var line in lines.Skip(1).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            var f = line.Split(',');
            var v = f[oi].Trim().Trim('"');
            map[SeriesCsv.ParseDate(f[di].Trim().Trim('"'), path)] = v is "1" or "true" or "TRUE" or "True";
        }
        return rows.Select(r => map.GetValueOrDefault(r.Date)).ToArray();
    }

    static string[] FutureDates(IReadOnlyList<SeriesRow> rows, int h)
    {
        if (rows.Count < 2) return Enumerable.Repeat("", h).ToArray();
        var step = rows[^1].Date - rows[^2].Date;
        var dateOnly = rows[^1].DateText.Length == 10;
        return Enumerable.Range(1, h).Select(i =>
        {
            var d = rows[^1].Date + step * i;
            return dateOnly ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
                : d.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        }).ToArray();
    }

    static void Num(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    static string Json(Action<Utf8JsonWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    static int Guard(string name, Action action)
    {
        try { action(); return 0; }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException)
        {
            Console.Error.WriteLine($"{name}: {e.Message}");
            return 2;
        }
    }
}
