using BenchmarkDotNet.Attributes;
using Monitoring.Forecaster.Detection;
using Monitoring.Forecaster.Forecasting;

namespace Monitoring.Benchmarks;

/// <summary>
/// Issue 4's target: 10,000 daily series of two years re-detected (newest bucket) and re-forecast (7 days) on one core,
/// as the Forecaster role does it for every alerting series a batch touches: one detector run for the newest bucket, then
/// the Holt-Winters forecast from the series' stored parameters, refitting (Nelder–Mead) only the series whose model is
/// <see cref="RefitEvery"/> buckets old — 1/7 of them per daily update, a different seventh on each invocation.
/// The series are synthetic prevalences (weekly season, trend, noise), deterministic for the seed. <see cref="Window"/> is the
/// number of newest buckets detected and forecast on: the role reads <c>Forecaster:HistoryBuckets</c> (default 120); 730 is
/// the whole two years.
/// Run: dotnet run -c Release --project benchmarks/Monitoring.Benchmarks -- --filter '*Forecaster*' --job short
/// </summary>
[MemoryDiagnoser]
public class ForecasterBenchmarks
{
    internal const int Series = 10_000;
    internal const int Days = 730;
    internal const int Horizon = 7;
    internal const int Season = 7;

    /// <summary>The role's default <c>Forecaster:RefitEvery</c>.</summary>
    internal const int RefitEvery = 7;

    private double[][] _values = [];
    private DateTime[] _dates = [];
    private HoltWinters.Fitted[] _models = [];
    private int _update;

    /// <summary>Buckets read per series (<c>Forecaster:HistoryBuckets</c>): the role's default, or the whole two years.</summary>
    [Params(120, Days)]
    public int Window { get; set; }

    [Params("ears-c2", "switch")]
    public string Detector { get; set; } = "";

    /// <summary>snaive: nothing to fit; holt-winters: stored parameters, 1/<see cref="RefitEvery"/> of the series refit per update.</summary>
    [Params("snaive", "holt-winters")]
    public string Forecaster { get; set; } = "";

    internal static double[][] SyntheticSeries()
    {
        var random = new Random(730);
        return Enumerable.Range(0, Series).Select(_ =>
        {
            var level = 0.02 + 0.1 * random.NextDouble();
            return Enumerable.Range(0, Days).Select(d =>
                Math.Max(0, level * (1 + 0.1 * Math.Sin(2 * Math.PI * d / 7) + 0.0002 * d) + 0.005 * (random.NextDouble() - 0.5))).ToArray();
        }).ToArray();
    }

    /// <summary>Stored models as the role would have them: each fitted on the window before the newest bucket.</summary>
    internal static HoltWinters.Fitted[] FitAll(double[][] values) =>
        values.Select(v => new HoltWinters().FitModel(v[..^1], Season)!).ToArray();

    [GlobalSetup]
    public void Setup()
    {
        _dates = Enumerable.Range(0, Days).Select(d => new DateTime(2024, 1, 1).AddDays(d)).ToArray()[^Window..];
        _values = SyntheticSeries().Select(v => v[^Window..]).ToArray();
        if (Forecaster == "holt-winters") _models = FitAll(_values);
    }

    /// <summary>One update of 10,000 alerting series: detect on the newest bucket, forecast a week (refits amortised over the cadence).</summary>
    [Benchmark]
    public double RedetectAndForecast10000Series()
    {
        var options = new DetectorOptions(From: Window - 1);
        var holtWinters = new HoltWinters();
        var snaive = new SeasonalNaive();
        var due = _update++ % RefitEvery;
        var sum = 0.0;
        for (var i = 0; i < _values.Length; i++)
        {
            var values = _values[i];
            var point = Detectors.Run(Detector, _dates, values, options)[^1];
            ForecastResult forecast;
            if (Forecaster == "holt-winters")
            {
                if (i % RefitEvery == due) _models[i] = holtWinters.FitModel(values, Season)!;
                forecast = holtWinters.Apply(_models[i], values, Horizon, Season)!;
            }
            else
            {
                forecast = snaive.Forecast(values, Horizon, Season);
            }
            sum += (point.IsEvaluable ? point.UpperBound : 0) + forecast.Mean[0];
        }
        return sum;
    }
}

/// <summary>
/// The Holt-Winters parts of <see cref="ForecasterBenchmarks"/> on their own, for the same 10,000 series: applying stored
/// parameters to every series, and refitting one seventh of them (what an update pays at the default cadence) with the
/// default start or warm-started from the stored parameters (<c>Forecaster:WarmStartRefits</c>).
/// </summary>
[MemoryDiagnoser]
public class ForecasterHoltWintersBenchmarks
{
    private double[][] _values = [];
    private HoltWinters.Fitted[] _models = [];

    [Params(120, ForecasterBenchmarks.Days)]
    public int Window { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _values = ForecasterBenchmarks.SyntheticSeries().Select(v => v[^Window..]).ToArray();
        _models = ForecasterBenchmarks.FitAll(_values);
    }

    [Benchmark]
    public double ApplyStoredParameters10000Series()
    {
        var hw = new HoltWinters();
        var sum = 0.0;
        for (var i = 0; i < _values.Length; i++) sum += hw.Apply(_models[i], _values[i], ForecasterBenchmarks.Horizon, ForecasterBenchmarks.Season)!.Mean[0];
        return sum;
    }

    [Benchmark]
    public double RefitOneSeventhOf10000Series() => Refit(warm: false);

    [Benchmark]
    public double RefitOneSeventhOf10000SeriesWarmStarted() => Refit(warm: true);

    private double Refit(bool warm)
    {
        var hw = new HoltWinters();
        var sum = 0.0;
        for (var i = 0; i < _values.Length; i += ForecasterBenchmarks.RefitEvery)
            sum += hw.FitModel(_values[i], ForecasterBenchmarks.Season, warm ? _models[i].Parameters : null)!.Parameters.Alpha;
        return sum;
    }
}
