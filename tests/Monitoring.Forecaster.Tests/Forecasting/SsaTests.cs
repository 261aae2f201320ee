using Monitoring.Forecaster.Forecasting;
using Xunit.Abstractions;

namespace Monitoring.Forecaster.Tests.Forecasting;

public class SsaTests(ITestOutputHelper output)
{
    /// <summary>
    /// ML.NET's own golden test (test/Microsoft.ML.TimeSeries.Tests/TimeSeriesDirectApi.cs::SsaForecast, quoted in
    /// METHODS.md §2.1): five repetitions of 0…9 then 0, 100, …, 900; WindowSize 10, SeriesLength 11, TrainSize 22,
    /// Horizon 4, ConfidenceLevel 0.95. Fit trains on the first 22 rows; Transform consumes row 0 and emits the first
    /// forecast row.
    /// </summary>
    [Fact]
    public void Reproduces_MLNET_golden_values()
    {
        var data = new List<double>();
        for (var j = 0; j < 5; j++) for (var i = 0; i < 10; i++) data.Add(i);
        for (var i = 0; i < 10; i++) data.Add(i * 100);

        var ssa = new SsaForecaster(windowSize: 10, seriesLength: 11, trainSize: 22);
        Assert.True(ssa.Train(data));
        ssa.Consume(data[0]);
        var f = ssa.Forecast(4, 0.95f);

        double[] expected = [0.191492021, 2.53994060, 5.26454258, 7.37313938];
        double[] lower = [-3.9741986, -2.36872721, 0.09407699, 2.18899393];
        double[] upper = [4.3571825, 7.4486084, 10.435008, 12.5572853];
        var lo = f.Lower;
        var hi = f.Upper;
        for (var i = 0; i < 4; i++)
        {
            output.WriteLine($"h={i + 1}: forecast {f.Point[i]:R} (Δ {f.Point[i] - expected[i]:E2}), lower {lo[i]:R} (Δ {lo[i] - lower[i]:E2}), upper {hi[i]:R} (Δ {hi[i] - upper[i]:E2})");
        }
        output.WriteLine($"rank {ssa.Rank}");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], f.Point[i], 1e-3);
            Assert.Equal(lower[i], lo[i], 1e-3);
            Assert.Equal(upper[i], hi[i], 1e-3);
        }
    }
}
