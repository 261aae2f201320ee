using System.Globalization;
using System.Text;
using Monitoring.Forecaster.Forecasting;

namespace Monitoring.Forecaster.Backtesting;

/// <summary>One real series of the suite.</summary>
public sealed record SuiteSeries(string Name, double[] Values);

/// <summary>One protocol: N windows of H, season S (issue 4).</summary>
public sealed record SuiteProtocol(int Horizon, int Origins, int Season)
{
    public override string ToString() => $"H={Horizon} N={Origins}";
}

/// <summary>A method's score on one series under one protocol.</summary>
public sealed record SuiteResult(string Series, SuiteProtocol Protocol, string Method, MethodScore Score);

/// <summary>
/// The issue-4 comparison on real series: every method, every protocol, every series, with
/// <see cref="ForecastBacktest"/>'s protocol. Loads the COVID-19 Data Hub (JHU CSSE) cumulative counts and differences
/// them to daily counts (negative corrections kept: they are real reporting artefacts).
/// </summary>
public static class BacktestSuite
{
    /// <summary>The protocols the project has used since the first backtests (docs/methods.md, "Auto").</summary>
    public static readonly IReadOnlyList<SuiteProtocol> DefaultProtocols = [new(14, 8, 7), new(7, 8, 7), new(28, 4, 7)];

    /// <summary>
    /// Series used while tuning <c>auto</c>; the others are held out. A fixed split decided before any baseline was run:
    /// the first four country columns of the file tune, the other four countries and the world aggregate report.
    /// </summary>
    public static readonly IReadOnlySet<string> TuningSeries = new HashSet<string> { "China", "US", "United_Kingdom", "Italy" };

    /// <summary>
    /// Daily series from <c>key-countries-pivoted.csv</c> (one per country) and <c>worldwide-aggregate.csv</c> (Confirmed):
    /// the nine series of the project's earlier comparisons. With <paramref name="worldDeaths"/> only the worldwide daily
    /// deaths instead — a series no method or selection rule of this project was ever tuned on.
    /// </summary>
    public static IReadOnlyList<SuiteSeries> LoadCovidDataHub(string directory, bool worldDeaths = false)
    {
        if (worldDeaths) return [WorldColumn(directory, "Deaths", "World_deaths")];
        var list = new List<SuiteSeries>();
        var countries = File.ReadAllLines(Path.Combine(directory, "key-countries-pivoted.csv")).Where(l => l.Length > 0).ToArray();
        var header = countries[0].Split(',');
        for (var c = 1; c < header.Length; c++)
        {
            var cumulative = countries.Skip(1).Select(l => double.Parse(l.Split(',')[c], CultureInfo.InvariantCulture)).ToArray();
            list.Add(new SuiteSeries(header[c], Daily(cumulative)));
        }
        list.Add(WorldColumn(directory, "Confirmed", "World"));
        return list;
    }

    static SuiteSeries WorldColumn(string directory, string column, string name)
    {
        var world = File.ReadAllLines(Path.Combine(directory, "worldwide-aggregate.csv")).Where(l => l.Length > 0).ToArray();
        var wi = Array.IndexOf(world[0].Split(','), column);
        return new SuiteSeries(name, Daily(world.Skip(1).Select(l => double.Parse(l.Split(',')[wi], CultureInfo.InvariantCulture)).ToArray()));
    }

    static double[] Daily(double[] cumulative) => cumulative.Skip(1).Select((v, i) => v - cumulative[i]).ToArray();

    /// <summary>Runs every (series, protocol) pair, up to <paramref name="parallelism"/> at a time.</summary>
    public static IReadOnlyList<SuiteResult> Run(IReadOnlyList<SuiteSeries> series, IReadOnlyList<SuiteProtocol> protocols,
        IReadOnlyList<string> methods, int parallelism = 1, Action<string>? progress = null) =>
        Run(series, protocols, methods.Select(n => (n, (Func<IForecastMethod>)(() => Metrics.Method(n)))).ToList(), parallelism, progress);

    /// <summary>The same for methods given by name and factory (a fresh instance per series and protocol).</summary>
    public static IReadOnlyList<SuiteResult> Run(IReadOnlyList<SuiteSeries> series, IReadOnlyList<SuiteProtocol> protocols,
        IReadOnlyList<(string Name, Func<IForecastMethod> Create)> methods, int parallelism = 1, Action<string>? progress = null)
    {
        var jobs = (from p in protocols from s in series select (s, p)).ToArray();
        var results = new List<SuiteResult>[jobs.Length];
        Parallel.For(0, jobs.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i =>
        {
            var (s, p) = jobs[i];
            var scores = ForecastBacktest.Run(s.Values, p.Season, p.Horizon, p.Origins, methods);
            results[i] = scores.Select(kv => new SuiteResult(s.Name, p, kv.Key, kv.Value)).ToList();
            progress?.Invoke($"{s.Name} {p}: " + string.Join(' ', scores.Select(kv => $"{kv.Key}={kv.Value.Mase:F2}")));
        });
        return results.SelectMany(r => r).ToList();
    }

    /// <summary>
    /// A Markdown table of mean MASE, mean sMAPE, mean 80/95 % coverage and seconds per method, for each protocol and
    /// over all of them (the mean over every series × protocol cell).
    /// </summary>
    public static string Table(IReadOnlyList<SuiteResult> results, IReadOnlyList<string> methods, string title)
    {
        var sb = new StringBuilder();
        var protocols = results.Select(r => r.Protocol).Distinct().ToList();
        var seriesCount = results.Select(r => r.Series).Distinct().Count();
        sb.Append(CultureInfo.InvariantCulture, $"### {title} ({seriesCount} series)\n\n");
        sb.Append("| method | " + string.Join(" | ", protocols.Select(p => $"MASE {p}")) + " | **MASE all** | sMAPE all | cov80 | cov95 | seconds |\n");
        sb.Append("|---|" + string.Concat(protocols.Select(_ => "---:|")) + "---:|---:|---:|---:|---:|\n");
        foreach (var m in methods)
        {
            var rows = results.Where(r => r.Method == m).ToList();
            if (rows.Count == 0) continue;
            sb.Append(CultureInfo.InvariantCulture, $"| {m} | ");
            foreach (var p in protocols)
                sb.Append(CultureInfo.InvariantCulture, $"{rows.Where(r => r.Protocol == p).Average(r => r.Score.Mase):F3} | ");
            sb.Append(CultureInfo.InvariantCulture,
                $"**{rows.Average(r => r.Score.Mase):F3}** | {rows.Average(r => r.Score.Smape):F1} | {rows.Average(r => r.Score.Coverage80):F3} | {rows.Average(r => r.Score.Coverage95):F3} | {rows.Sum(r => r.Score.Seconds):F1} |\n");
        }
        return sb.ToString();
    }
}
