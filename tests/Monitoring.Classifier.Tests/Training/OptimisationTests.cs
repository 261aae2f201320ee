using Monitoring.Classifier.Features;
using Monitoring.Classifier.Training;

namespace Monitoring.Classifier.Tests.Training;

public class OptimisationTests
{
    [Fact]
    public void Lbfgs_finds_the_minimum_of_the_rosenbrock_function()
    {
        var x = new[] { -1.2, 1.0 };
        var r = Lbfgs.Minimize((p, g) =>
        {
            var a = 1 - p[0];
            var b = p[1] - p[0] * p[0];
            g[0] = -2 * a - 400 * p[0] * b;
            g[1] = 200 * b;
            return a * a + 100 * b * b;
        }, x, new Lbfgs.Options(MaxIterations: 500, RelativeTolerance: 1e-14, GradientTolerance: 1e-10));
        Assert.Equal(1.0, x[0], 3);
        Assert.Equal(1.0, x[1], 3);
        Assert.True(r.Value < 1e-6);
    }

    [Fact]
    public void Platt_scaling_recovers_a_known_sigmoid()
    {
        // Labels drawn from p = 1/(1+exp(-2s+1)): Platt's A ≈ −2, B ≈ 1.
        var rng = new Random(7);
        var scores = new float[20000];
        var labels = new bool[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = (float)(rng.NextDouble() * 6 - 3);
            labels[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-2 * scores[i] + 1));
        }
        var (a, b) = Platt.Fit(scores, labels);
        Assert.InRange(a, -2.2f, -1.8f);
        Assert.InRange(b, 0.8f, 1.2f);
    }

    [Fact]
    public void Threshold_tuner_maximises_f1()
    {
        float[] p = [0.9f, 0.8f, 0.7f, 0.6f, 0.2f, 0.1f];
        bool[] y = [true, true, true, false, false, false];
        var t = ThresholdTuner.Tune(p, y, ThresholdObjective.F1);
        Assert.InRange(t, 0.6f + 1e-6f, 0.7f);
    }

    private static readonly string[] Positive = ["i love this so much", "what a wonderful lovely day", "thank you this is great", "so happy and grateful", "love love love it", "great job, wonderful work"];
    private static readonly string[] Negative = ["i hate this so much", "what an awful terrible day", "this is the worst thing", "so sad and angry", "hate hate hate it", "terrible job, awful work"];

    private static (SparseMatrix X, bool[] Y) Toy()
    {
        var texts = Positive.Concat(Negative).ToList();
        var x = SparseMatrix.Build(texts, new FeatureExtractor(new FeatureSpec(HashBits: 14)), 2);
        return (x, texts.Select((_, i) => i < Positive.Length).ToArray());
    }

    [Fact]
    public void Logistic_regression_separates_a_toy_problem_and_is_deterministic()
    {
        var (x, y) = Toy();
        var trainer = new LogisticTrainer { Lambda = 1e-3 };
        var a = trainer.TrainOne(x, y);
        var b = trainer.TrainOne(x, y);
        Assert.Equal(a.Weights, b.Weights);
        for (var i = 0; i < x.Rows; i++)
        {
            Assert.Equal(y[i], x.Dot(i, a.Weights) + a.Bias > 0);
        }
    }

    [Fact]
    public void Stronger_regularisation_shrinks_the_weights()
    {
        var (x, y) = Toy();
        var weak = new LogisticTrainer { Lambda = 1e-4 }.TrainOne(x, y);
        var strong = new LogisticTrainer { Lambda = 1e-1 }.TrainOne(x, y);
        Assert.True(Lbfgs.Dot(strong.Weights, strong.Weights) < Lbfgs.Dot(weak.Weights, weak.Weights));
    }
}
