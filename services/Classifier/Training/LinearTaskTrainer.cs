using System.Diagnostics;
using System.Globalization;
using Monitoring.Classifier.Features;
using Monitoring.Classifier.Models;

namespace Monitoring.Classifier.Training;

/// <summary>What to train: the labels, which of them are roll-ups of others, and how thresholds are judged.</summary>
public sealed record LinearTask(
    string Name,
    IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Rollups,
    ThresholdObjective Objective,
    string DataDescription);

/// <summary>
/// Trains a <see cref="LinearModel"/>: logistic regression per label on the training split, then, on the
/// tuning split, Platt scaling, the choice between a roll-up's own head and the maximum of its members,
/// the per-label threshold, and the TPR/FPR that adjusted counting needs.
/// </summary>
public sealed class LinearTaskTrainer
{
    public FeatureSpec Spec { get; init; } = new();
    public LogisticTrainer Trainer { get; init; } = new();
    public int Threads { get; init; } = 2;
    public Action<string> Log { get; init; } = _ => { };

    public LinearModel Train(LinearTask task, IReadOnlyList<LabelledText> train, IReadOnlyList<LabelledText> tune, int seed)
    {
        var sw = Stopwatch.StartNew();
        var extractor = new FeatureExtractor(Spec);
        var xTrain = SparseMatrix.Build(train.Select(t => t.Text).ToList(), extractor, Threads);
        var xTune = SparseMatrix.Build(tune.Select(t => t.Text).ToList(), extractor, Threads);
        Log($"features: {xTrain.Rows} training rows ({xTrain.Index.Length:N0} non-zeros), {xTune.Rows} tuning rows, {sw.Elapsed.TotalSeconds:F1} s");

        var labels = task.Labels;
        var yTrain = labels.Select(l => train.Select(t => t.Labels.Contains(l)).ToArray()).ToList();
        var yTune = labels.Select(l => tune.Select(t => t.Labels.Contains(l)).ToArray()).ToList();
        var fits = Trainer.Train(xTrain, yTrain, Log);
        Log($"trained {labels.Count} heads in {sw.Elapsed.TotalSeconds:F1} s");

        var d = Spec.Dimension;
        var infos = new List<LabelInfo>();
        var tuneProb = new float[labels.Count][];
        var tuneScore = new float[labels.Count][];
        for (var l = 0; l < labels.Count; l++)
        {
            var fit = fits[l];
            var scores = new float[xTune.Rows];
            for (var i = 0; i < xTune.Rows; i++)
            {
                scores[i] = (float)(xTune.Dot(i, fit.Weights) + fit.Bias);
            }
            var (a, b) = Platt.Fit(scores, yTune[l]);
            var info = new LabelInfo
            {
                Name = labels[l],
                Bias = (float)fit.Bias,
                PlattA = a,
                PlattB = b,
                Prior = (float)yTrain[l].Count(v => v) / Math.Max(1, train.Count),
            };
            tuneScore[l] = scores;
            tuneProb[l] = scores.Select(s => LinearModel.Calibrate(info, s)).ToArray();
            infos.Add(info);
        }

        // Roll-ups: keep the own head, or the maximum of the members' probabilities, whichever scores better on the tuning split.
        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        foreach (var (rollup, members) in task.Rollups)
        {
            var r = index[rollup];
            var memberIdx = members.Select(m => index[m]).ToArray();
            var maxScore = new float[xTune.Rows];
            var maxRaw = new float[xTune.Rows];
            for (var i = 0; i < xTune.Rows; i++)
            {
                float m = 0;
                foreach (var k in memberIdx) m = MathF.Max(m, tuneProb[k][i]);
                maxRaw[i] = m;
                maxScore[i] = LinearModel.Logit(m);
            }
            var (a, b) = Platt.Fit(maxScore, yTune[r]);
            var maxInfo = new LabelInfo { Name = rollup, Source = "max", Members = members.ToArray(), PlattA = a, PlattB = b, Prior = infos[r].Prior };
            var maxProb = maxScore.Select(s => LinearModel.Calibrate(maxInfo, s)).ToArray();
            var headF = ScoreAtTuned(tuneProb[r], yTune[r], task.Objective);
            var bestF = headF;
            LabelInfo? bestInfo = null;
            float[]? bestProb = null;
            var maxF = ScoreAtTuned(maxProb, yTune[r], task.Objective);
            if (maxF > bestF)
            {
                (bestF, bestInfo, bestProb) = (maxF, maxInfo, maxProb);
            }
            // Blends of the own head's probability with the maximum of the members (both calibrated), Platt-scaled again.
            var own = infos[r];
            var blendF = new List<string>();
            foreach (var alpha in BlendWeights)
            {
                var probe = new LabelInfo { Name = rollup, Source = "blend", Members = members.ToArray(), Alpha = alpha, HeadPlattA = own.PlattA, HeadPlattB = own.PlattB, Bias = own.Bias, Prior = own.Prior };
                var blendScore = new float[xTune.Rows];
                for (var i = 0; i < xTune.Rows; i++)
                {
                    blendScore[i] = LinearModel.Logit(LinearModel.Blend(probe, tuneScore[r][i], maxRaw[i]));
                }
                var (ba, bb) = Platt.Fit(blendScore, yTune[r]);
                probe.PlattA = ba;
                probe.PlattB = bb;
                var prob = blendScore.Select(s => LinearModel.Calibrate(probe, s)).ToArray();
                var f = ScoreAtTuned(prob, yTune[r], task.Objective);
                blendF.Add($"{alpha:F2}→{f:F4}");
                if (f > bestF + 1e-9)
                {
                    (bestF, bestInfo, bestProb) = (f, probe, prob);
                }
            }
            Log($"roll-up {rollup}: own head {headF:F4}, max of members {maxF:F4}, blends {string.Join(" ", blendF)} → {(bestInfo is null ? "head" : bestInfo.Source + (bestInfo.Source == "blend" ? $" {bestInfo.Alpha:F2}" : ""))}");
            if (bestInfo is not null)
            {
                infos[r] = bestInfo;
                tuneProb[r] = bestProb!;
            }
        }

        var folds = FoldsOf(xTune.Rows, seed);
        for (var l = 0; l < labels.Count; l++)
        {
            var info = infos[l];
            info.Threshold = ThresholdTuner.Tune(tuneProb[l], yTune[l], task.Objective);
            var m = Evaluation.BinaryMetrics.Compute(tuneProb[l], yTune[l], info.Threshold);
            // The rates adjusted counting divides by are measured on data the threshold was not tuned on
            // (cross-fitting, see CrossFittedRates): in-sample rates at a tuned threshold are optimistic.
            var (tpr, fpr) = CrossFittedRates(tuneProb[l], yTune[l], task.Objective, folds);
            info.Tpr = (float)tpr;
            info.Fpr = (float)fpr;
            info.DevScores = new Dictionary<string, double>
            {
                ["precision"] = Math.Round(m.Precision, 4),
                ["recall"] = Math.Round(m.Recall, 4),
                ["f1"] = Math.Round(m.F1, 4),
                ["support"] = m.Support,
            };
        }

        // Feature-major weights for the labels that kept their own head.
        var heads = Enumerable.Range(0, labels.Count).Where(l => LinearModel.HasHead(infos[l])).ToArray();
        var weights = new float[(long)d * heads.Length];
        for (var h = 0; h < heads.Length; h++)
        {
            var w = fits[heads[h]].Weights;
            for (var f = 0; f < d; f++)
            {
                weights[(long)f * heads.Length + h] = (float)w[f];
            }
        }
        var header = new ModelHeader
        {
            Task = task.Name,
            Version = $"{task.Name}-{DateTime.UtcNow:yyyyMMdd}-s{seed}",
            TrainedAt = DateTimeOffset.UtcNow,
            Features = Spec,
            Labels = infos,
            Heads = heads.Length,
            Meta = new Dictionary<string, string>
            {
                ["data"] = task.DataDescription,
                ["train_rows"] = train.Count.ToString(CultureInfo.InvariantCulture),
                ["tune_rows"] = tune.Count.ToString(CultureInfo.InvariantCulture),
                ["lambda"] = Trainer.Lambda.ToString("R", CultureInfo.InvariantCulture),
                ["positive_weight_power"] = Trainer.PositiveWeightPower.ToString("R", CultureInfo.InvariantCulture),
                ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
                ["training_seconds"] = sw.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
                ["threshold_objective"] = task.Objective.ToString(),
            },
        };
        Log($"done in {sw.Elapsed.TotalSeconds:F1} s");
        return new LinearModel(header, weights);
    }

    public const int RateFolds = 5;

    /// <summary>A seeded assignment of the tuning rows to <see cref="RateFolds"/> folds.</summary>
    private static int[] FoldsOf(int n, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        new Random(seed ^ 0x5EED).Shuffle(order);
        var fold = new int[n];
        for (var k = 0; k < n; k++) fold[order[k]] = k % RateFolds;
        return fold;
    }

    /// <summary>
    /// TPR and FPR of the threshold-tuning procedure on held-apart rows: for each fold, the threshold is tuned
    /// on the other folds and the fold's rows are counted at it; counts are pooled over folds. This is the
    /// rate adjusted counting needs on unseen posts, without the optimism of counting the rows the threshold
    /// was chosen on.
    /// </summary>
    public static (double Tpr, double Fpr) CrossFittedRates(float[] prob, bool[] y, ThresholdObjective objective, int[] fold)
    {
        int tp = 0, fp = 0, pos = 0, neg = 0;
        for (var k = 0; k < RateFolds; k++)
        {
            var inP = new List<float>();
            var inY = new List<bool>();
            for (var i = 0; i < prob.Length; i++)
            {
                if (fold[i] != k)
                {
                    inP.Add(prob[i]);
                    inY.Add(y[i]);
                }
            }
            var t = ThresholdTuner.Tune(inP.ToArray(), inY.ToArray(), objective);
            for (var i = 0; i < prob.Length; i++)
            {
                if (fold[i] != k) continue;
                if (y[i]) { pos++; if (prob[i] >= t) tp++; }
                else { neg++; if (prob[i] >= t) fp++; }
            }
        }
        return (pos == 0 ? 0 : (double)tp / pos, neg == 0 ? 0 : (double)fp / neg);
    }

    /// <summary>Weights of the own head tried for a roll-up blend (0 is the maximum alone, 1 the head alone).</summary>
    private static readonly float[] BlendWeights = [0.25f, 0.5f, 0.75f];

    private static double ScoreAtTuned(float[] prob, bool[] y, ThresholdObjective objective)
    {
        var t = ThresholdTuner.Tune(prob, y, objective);
        var m = Evaluation.BinaryMetrics.Compute(prob, y, t);
        return objective switch
        {
            ThresholdObjective.F1 => m.F1,
            ThresholdObjective.Accuracy => m.Accuracy,
            _ => m.MacroF1,
        };
    }
}
