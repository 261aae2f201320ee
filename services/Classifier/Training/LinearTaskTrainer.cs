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
            for (var i = 0; i < xTune.Rows; i++)
            {
                float m = 0;
                foreach (var k in memberIdx) m = MathF.Max(m, tuneProb[k][i]);
                maxScore[i] = LinearModel.Logit(m);
            }
            var (a, b) = Platt.Fit(maxScore, yTune[r]);
            var maxInfo = new LabelInfo { Name = rollup, Source = "max", Members = members.ToArray(), PlattA = a, PlattB = b, Prior = infos[r].Prior };
            var maxProb = maxScore.Select(s => LinearModel.Calibrate(maxInfo, s)).ToArray();
            var headF = ScoreAtTuned(tuneProb[r], yTune[r], task.Objective);
            var maxF = ScoreAtTuned(maxProb, yTune[r], task.Objective);
            Log($"roll-up {rollup}: own head {headF:F4}, max of members {maxF:F4}");
            if (maxF > headF)
            {
                infos[r] = maxInfo;
                tuneProb[r] = maxProb;
            }
        }

        for (var l = 0; l < labels.Count; l++)
        {
            var info = infos[l];
            info.Threshold = ThresholdTuner.Tune(tuneProb[l], yTune[l], task.Objective);
            var m = Evaluation.BinaryMetrics.Compute(tuneProb[l], yTune[l], info.Threshold);
            info.Tpr = (float)m.Recall;
            info.Fpr = (float)m.FalsePositiveRate;
            info.DevScores = new Dictionary<string, double>
            {
                ["precision"] = Math.Round(m.Precision, 4),
                ["recall"] = Math.Round(m.Recall, 4),
                ["f1"] = Math.Round(m.F1, 4),
                ["support"] = m.Support,
            };
        }

        // Feature-major weights for the labels that kept their own head.
        var heads = Enumerable.Range(0, labels.Count).Where(l => infos[l].Source == "head").ToArray();
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
