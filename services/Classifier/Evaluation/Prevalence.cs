using Monitoring.Classifier.Models;
using Monitoring.Classifier.Training;
using Monitoring.Contracts;

namespace Monitoring.Classifier.Evaluation;

/// <summary>Prevalence estimators over a sample of scored posts (Forman 2008, "Quantifying counts and costs via classification").</summary>
public static class Quantification
{
    /// <summary>Classify and count: the share of posts at or above the threshold.</summary>
    public static double ClassifyAndCount(int flagged, int n) => n == 0 ? 0 : (double)flagged / n;

    /// <summary>Probabilistic classify and count (Bella et al. 2010): the mean calibrated probability.</summary>
    public static double ProbabilisticCount(double sumOfProbabilities, int n) => n == 0 ? 0 : sumOfProbabilities / n;

    /// <summary>
    /// Adjusted classify and count (Forman 2008): p = (CC − FPR) / (TPR − FPR), clipped to [0, 1]. When the
    /// classifier barely separates the classes (TPR − FPR below 0.05) the correction would explode, so CC stands.
    /// </summary>
    public static double AdjustedCount(double cc, double tpr, double fpr)
    {
        var denominator = tpr - fpr;
        if (denominator < 0.05)
        {
            return cc;
        }
        return Math.Clamp((cc - fpr) / denominator, 0, 1);
    }
}

/// <summary>
/// <c>evaluate --task prevalence</c>: does adjusted counting track shifted prevalence? 200 seeded subsamples of
/// 500 posts; subsample s shifts label (s mod 28) to a prevalence drawn uniformly from [0.05, 0.40] (positives
/// drawn with replacement when the file has too few), the rest drawn from the posts without that label. For every
/// emotion label in every subsample, the true share is compared with CC, PCC and ACC; ACC uses the TPR/FPR
/// stored in the model (measured on the tuning split at training time, never on the evaluated file).
/// </summary>
public static class Prevalence
{
    public const int Subsamples = 200;
    public const int SampleSize = 500;

    public static Dictionary<string, object> Evaluate(IReadOnlyList<LabelledText> rows, LinearModel model, int seed)
    {
        var probs = EvaluationCommand.Predict(model, rows);
        var labels = MarkerCatalogue.GoEmotions.Select(e => "emotion." + e).ToArray();
        var labelIndex = labels.Select(l => model.Labels.ToList().FindIndex(x => x.Name == l)).ToArray();
        if (labelIndex.Any(i => i < 0))
        {
            throw new InvalidDataException("The emotion model lacks some GoEmotions labels.");
        }
        var truth = labels.Select(l => rows.Select(r => r.Labels.Contains(l)).ToArray()).ToArray();
        var rng = new Random(seed);
        double errCc = 0, errPcc = 0, errAcc = 0;
        var count = 0;
        var sample = new int[SampleSize];
        for (var s = 0; s < Subsamples; s++)
        {
            var target = s % labels.Length;
            var positives = Enumerable.Range(0, rows.Count).Where(i => truth[target][i]).ToArray();
            var negatives = Enumerable.Range(0, rows.Count).Where(i => !truth[target][i]).ToArray();
            var share = 0.05 + 0.35 * rng.NextDouble();
            var k = positives.Length == 0 ? 0 : (int)Math.Round(share * SampleSize);
            Draw(rng, positives, k, sample.AsSpan(0, k));
            Draw(rng, negatives, SampleSize - k, sample.AsSpan(k));
            for (var l = 0; l < labels.Length; l++)
            {
                var info = model.Labels[labelIndex[l]];
                int flagged = 0, truePos = 0;
                double sum = 0;
                foreach (var i in sample)
                {
                    var p = probs[i][labelIndex[l]];
                    sum += p;
                    if (p >= info.Threshold) flagged++;
                    if (truth[l][i]) truePos++;
                }
                var real = (double)truePos / SampleSize;
                var cc = Quantification.ClassifyAndCount(flagged, SampleSize);
                errCc += Math.Abs(cc - real);
                errPcc += Math.Abs(Quantification.ProbabilisticCount(sum, SampleSize) - real);
                errAcc += Math.Abs(Quantification.AdjustedCount(cc, info.Tpr, info.Fpr) - real);
                count++;
            }
        }
        var maeCc = errCc / count;
        var maeAcc = errAcc / count;
        return new Dictionary<string, object>
        {
            ["n"] = rows.Count,
            ["subsamples"] = Subsamples,
            ["sample_size"] = SampleSize,
            ["seed"] = seed,
            ["mae_cc"] = Math.Round(maeCc, 5),
            ["mae_pcc"] = Math.Round(errPcc / count, 5),
            ["mae_acc"] = Math.Round(maeAcc, 5),
            ["acc_reduction_vs_cc"] = Math.Round(maeCc == 0 ? 0 : 1 - maeAcc / maeCc, 4),
            ["model_version"] = model.Header.Version,
        };
    }

    /// <summary>k draws from <paramref name="pool"/>: without replacement when it is large enough, else with.</summary>
    private static void Draw(Random rng, int[] pool, int k, Span<int> into)
    {
        if (k == 0)
        {
            return;
        }
        if (pool.Length >= k)
        {
            var copy = (int[])pool.Clone();
            for (var j = 0; j < k; j++)
            {
                var r = j + rng.Next(copy.Length - j);
                (copy[j], copy[r]) = (copy[r], copy[j]);
                into[j] = copy[j];
            }
        }
        else
        {
            for (var j = 0; j < k; j++)
            {
                into[j] = pool[rng.Next(pool.Length)];
            }
        }
    }
}
