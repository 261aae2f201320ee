using BenchmarkDotNet.Attributes;
using Monitoring.Forecaster.Detection;
using Monitoring.Forecaster.Forecasting;

namespace Monitoring.Benchmarks;

/// <summary>
/// Issue 4's target: 10,000 daily series of two years re-detected (newest bucket) and re-forecast (7 days) on one core.
/// The series are synthetic prevalences (weekly season, trend, noise), deterministic for the seed.
/// Run: dotnet run -c Release --project benchmarks/Monitoring.Benchmarks -- --filter '*Forecaster*' --job short
/// </summary>
[MemoryDiagnoser]
public class ForecasterBenchmarks
{
    private const int Series = 10_000;
    private const int Days = 730;
    private double[][] _values = [];
    private DateTime[] _dates = [];

    [Params("ears-c2", "switch")]
    public string Detector { get; set; } = "";

    [Params("snaive", "holt-winters")]
    public string Forecaster { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(730);
        _dates = Enumerable.Range(0, Days).Select(d => new DateTime(2024, 1, 1).AddDays(d)).ToArray();
        _values = Enumerable.Range(0, Series).Select(_ =>
        {
            var level = 0.02 + 0.1 * random.NextDouble();
            return Enumerable.Range(0, Days).Select(d =>
                Math.Max(0, level * (1 + 0.1 * Math.Sin(2 * Math.PI * d / 7) + 0.0002 * d) + 0.005 * (random.NextDouble() - 0.5))).ToArray();
        }).ToArray();
    }

    /// <summary>What the Forecaster does for every alerting series a batch touches: detect on the newest bucket, forecast a week.</summary>
    [Benchmark]
    public double RedetectAndForecast10000Series()
    {
        var options = new DetectorOptions(From: Days - 1);
        var method = Metrics.Method(Forecaster);
        var sum = 0.0;
        foreach (var values in _values)
        {
            var point = Detectors.Run(Detector, _dates, values, options)[^1];
            var forecast = method.Forecast(values, 7, 7);
            sum += (point.IsEvaluable ? point.UpperBound : 0) + forecast.Mean[0];
        }
        return sum;
    }
}
