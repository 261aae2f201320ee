using Monitoring.Classifier.Evaluation;

namespace Monitoring.Classifier.Tests.Evaluation;

public class MetricsTests
{
    [Fact]
    public void Binary_metrics_from_counts()
    {
        var m = BinaryMetrics.FromDecisions([true, true, false, false, true], [true, false, true, false, true]);
        Assert.Equal((2, 1, 1, 1), (m.Tp, m.Fp, m.Fn, m.Tn));
        Assert.Equal(2.0 / 3, m.Precision, 9);
        Assert.Equal(2.0 / 3, m.F1, 9);
        Assert.Equal(0.6, m.Accuracy, 9);
    }

    [Fact]
    public void Auc_counts_ties_half()
    {
        Assert.Equal(1.0, Auc.Compute([0.1f, 0.2f, 0.8f, 0.9f], [false, false, true, true]), 9);
        Assert.Equal(0.5, Auc.Compute([0.5f, 0.5f], [false, true]), 9);
        Assert.Equal(0.75, Auc.Compute([0.1f, 0.6f, 0.5f, 0.9f], [false, false, true, true]), 9);
    }

    [Fact]
    public void Adjusted_count_inverts_the_classifier_rates()
    {
        // True prevalence 0.3, TPR 0.6, FPR 0.1 → expected CC = 0.3·0.6 + 0.7·0.1 = 0.25.
        Assert.Equal(0.3, Quantification.AdjustedCount(0.25, 0.6, 0.1), 9);
        Assert.Equal(0.0, Quantification.AdjustedCount(0.05, 0.6, 0.1), 9); // clipped
        Assert.Equal(0.2, Quantification.AdjustedCount(0.2, 0.12, 0.1), 9); // no separation: CC stands
    }
}
