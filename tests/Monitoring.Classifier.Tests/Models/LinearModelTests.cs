using Monitoring.Classifier.Features;
using Monitoring.Classifier.Models;

namespace Monitoring.Classifier.Tests.Models;

public class LinearModelTests
{
    private static LinearModel Tiny()
    {
        var spec = new FeatureSpec(HashBits: 8);
        var weights = new float[spec.Dimension * 2];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (i % 7 - 3) / 10f;
        }
        var header = new ModelHeader
        {
            Task = "hostility",
            Version = "test-1",
            TrainedAt = DateTimeOffset.UnixEpoch,
            Features = spec,
            Heads = 2,
            Labels =
            [
                new LabelInfo { Name = "a", Bias = 0.5f, PlattA = -1.5f, PlattB = 0.2f, Threshold = 0.4f },
                new LabelInfo { Name = "b", Bias = -0.5f },
                new LabelInfo { Name = "ab", Source = "max", Members = ["a", "b"] },
            ],
        };
        return new LinearModel(header, weights);
    }

    [Fact]
    public void Save_and_load_round_trips_within_half_precision()
    {
        var model = Tiny();
        var path = Path.Combine(Path.GetTempPath(), $"clf-{Guid.NewGuid():N}.model");
        try
        {
            model.Save(path);
            var back = LinearModel.Load(path);
            Assert.Equal(model.Header.Version, back.Header.Version);
            Assert.Equal(model.Spec, back.Spec);
            Assert.Equal("max", back.Labels[2].Source);
            for (var i = 0; i < model.Weights.Length; i++)
            {
                Assert.Equal(model.Weights[i], back.Weights[i], 3);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Rollup_takes_the_calibrated_maximum_of_its_members()
    {
        var model = Tiny();
        var x = new FeatureVector();
        var p = new float[3];
        model.Predict(x, p);
        Assert.Equal(LinearModel.Calibrate(model.Labels[0], 0.5f), p[0], 5);
        Assert.Equal(LinearModel.Calibrate(model.Labels[2], LinearModel.Logit(Math.Max(p[0], p[1]))), p[2], 5);
    }

    [Fact]
    public void Missing_file_is_reported_by_name()
    {
        var e = Assert.Throws<FileNotFoundException>(() => LinearModel.Load("/nonexistent/x.model"));
        Assert.Contains("/nonexistent/x.model", e.Message);
    }

    [Theory]
    [InlineData("truncate")]
    [InlineData("flip")]
    [InlineData("garbage")]
    public void Corrupt_file_is_an_invalid_data_error(string damage)
    {
        var path = Path.Combine(Path.GetTempPath(), $"clf-{Guid.NewGuid():N}.model");
        try
        {
            Tiny().Save(path);
            var bytes = File.ReadAllBytes(path);
            bytes = damage switch
            {
                "truncate" => bytes[..(bytes.Length / 2)],
                "flip" => FlipMiddle(bytes),
                _ => "not a model at all"u8.ToArray(),
            };
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<InvalidDataException>(() => LinearModel.Load(path));
            Assert.Contains(path, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] FlipMiddle(byte[] b)
    {
        b[b.Length / 2] ^= 0x5A;
        return b;
    }
}
