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
    /// <summary>
    /// Naive-Bayes log-count-ratio scaling of the hashed features for single-label tasks (NBSVM, Wang and Manning
    /// 2012), with this smoothing α; 0 turns it off. The ratios are folded into the stored weights, so scoring is unchanged.
    /// </summary>
    public float NaiveBayesAlpha { get; init; }
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
        float[]? ratio = null;
        if (NaiveBayesAlpha > 0 && labels.Count == 1)
        {
            ratio = NaiveBayesRatios(xTrain, yTrain[0], Spec.HashSize, NaiveBayesAlpha);
            for (var k = 0; k < xTrain.Index.Length; k++)
            {
                xTrain.Value[k] *= ratio[xTrain.Index[k]];
            }
        }
        var fits = Trainer.Train(xTrain, yTrain, Log);
        if (ratio is not null)
        {
            foreach (var fit in fits)
            {
                for (var f = 0; f < ratio.Length; f++) fit.Weights[f] *= ratio[f];
            }
        }
        Log($"trained {labels.Count} heads in {sw.Elapsed.TotalSeconds:F1} s");
        // Calibrate and tune the weights exactly as they are shipped (half precision), so that re-tuning a
        // saved model (Retune) gives the same file as training.
        foreach (var fit in fits)
        {
            for (var f = 0; f < fit.Weights.Length; f++) fit.Weights[f] = (double)(float)(Half)fit.Weights[f];
        }
        var priors = yTrain.Select(y => (float)y.Count(v => v) / Math.Max(1, train.Count)).ToArray();
        return Tune(task, fits.Select(f => (f.Weights, f.Bias)).ToList(), priors, xTune, yTune, seed, sw, train.Count);
    }

    /// <summary>
    /// Re-runs calibration, roll-up choice, thresholds and rates of a saved model on the tuning split, without
    /// retraining the weights (every label must still have its own weight column). Same result as <see cref="Train"/>
    /// would give for the same weights.
    /// </summary>
    public LinearModel Retune(LinearTask task, LinearModel model, IReadOnlyList<LabelledText> tune, int seed)
    {
        var sw = Stopwatch.StartNew();
        var labels = task.Labels;
        var d = model.Spec.Dimension;
        var fits = new List<(double[] Weights, double Bias)>();
        foreach (var name in labels)
        {
            var li = model.Labels.ToList().FindIndex(l => l.Name == name);
            var h = li < 0 ? -1 : model.HeadIndexOf(li);
            if (h < 0)
            {
                throw new InvalidDataException($"{name} has no weight column in {model.Header.Version}; retrain instead of re-tuning.");
            }
            var w = new double[d];
            for (var f = 0; f < d; f++) w[f] = model.Weights[(long)f * model.Heads + h];
            fits.Add((w, model.Labels[li].Bias));
        }
        var extractor = new FeatureExtractor(model.Spec);
        var xTune = SparseMatrix.Build(tune.Select(t => t.Text).ToList(), extractor, Threads);
        var yTune = labels.Select(l => tune.Select(t => t.Labels.Contains(l)).ToArray()).ToList();
        var priors = labels.Select(n => model.Labels.First(l => l.Name == n).Prior).ToArray();
        var trainRows = int.Parse(model.Header.Meta.GetValueOrDefault("train_rows", "0"), CultureInfo.InvariantCulture);
        var retuned = new LinearTaskTrainer { Spec = model.Spec, Trainer = new LogisticTrainer { Lambda = double.Parse(model.Header.Meta.GetValueOrDefault("lambda", "0"), CultureInfo.InvariantCulture) }, Threads = Threads, Log = Log };
        return retuned.Tune(task, fits, priors, xTune, yTune, seed, sw, trainRows, model.Header.TrainedAt);
    }

    private LinearModel Tune(LinearTask task, IReadOnlyList<(double[] Weights, double Bias)> fits, float[] priors, SparseMatrix xTune, List<bool[]> yTune, int seed, Stopwatch sw, int trainRows, DateTimeOffset? trainedAt = null)
    {
        var labels = task.Labels;
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
                scores[i] = (float)(xTune.Dot(i, fit.Weights) + (float)fit.Bias);
            }
            var (a, b) = Platt.Fit(scores, yTune[l]);
            var info = new LabelInfo
            {
                Name = labels[l],
                Bias = (float)fit.Bias,
                PlattA = a,
                PlattB = b,
                Prior = priors[l],
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
            var own = infos[r];
            var headF = ScoreAtTuned(tuneProb[r], yTune[r], task.Objective);
            var bestF = headF;
            LabelInfo? bestInfo = null;
            float[]? bestProb = null;
            var tried = new List<string>();
            foreach (var combine in Combines)
            {
                // The members' calibrated probabilities combined: their maximum, or noisy-OR 1 − Π(1 − p).
                var combined = new float[xTune.Rows];
                for (var i = 0; i < xTune.Rows; i++)
                {
                    var probs = memberIdx.Select(k => tuneProb[k][i]);
                    combined[i] = LinearModel.Combine(combine, probs);
                }
                // Alpha 0: the combination alone; otherwise Alpha·P(own head) + (1 − Alpha)·combination. Platt-scaled again.
                foreach (var alpha in BlendWeights)
                {
                    var probe = alpha == 0
                        ? new LabelInfo { Name = rollup, Source = "max", Combine = combine, Members = members.ToArray(), Prior = own.Prior }
                        : new LabelInfo { Name = rollup, Source = "blend", Combine = combine, Members = members.ToArray(), Alpha = alpha, HeadPlattA = own.PlattA, HeadPlattB = own.PlattB, Bias = own.Bias, Prior = own.Prior };
                    var score = new float[xTune.Rows];
                    for (var i = 0; i < xTune.Rows; i++)
                    {
                        score[i] = LinearModel.Logit(alpha == 0 ? combined[i] : LinearModel.Blend(probe, tuneScore[r][i], combined[i]));
                    }
                    (probe.PlattA, probe.PlattB) = Platt.Fit(score, yTune[r]);
                    var prob = score.Select(v => LinearModel.Calibrate(probe, v)).ToArray();
                    var f = ScoreAtTuned(prob, yTune[r], task.Objective);
                    tried.Add($"{combine}/{alpha:F2}→{f:F4}");
                    if (f > bestF + 1e-9)
                    {
                        (bestF, bestInfo, bestProb) = (f, probe, prob);
                    }
                }
            }
            // A stacked logistic regression over the logits of the own head and every member-task output (a model
            // trained on the rolled-up labels, fitted on the tuning split). Judged by 5-fold cross-validated score
            // on the tuning split, so its extra parameters must earn their place on rows they were not fitted on.
            if (StackLambda > 0)
            {
                var inputs = StackInputs(task, index, r);
                var z = new double[xTune.Rows][];
                for (var i = 0; i < xTune.Rows; i++)
                {
                    z[i] = inputs.Select(k => (double)LinearModel.Logit(k == r ? LinearModel.Calibrate(own, tuneScore[r][i]) : tuneProb[k][i])).ToArray();
                }
                var cvF = CrossValidatedStack(z, yTune[r], task.Objective, seed);
                var (sw0, sb) = StackFit(z, yTune[r], StackLambda);
                var probe = new LabelInfo { Name = rollup, Source = "stack", Members = inputs.Where(k => k != r).Select(k => labels[k]).ToArray(), StackWeights = sw0.Select(v => (float)v).ToArray(), StackBias = (float)sb, HeadPlattA = own.PlattA, HeadPlattB = own.PlattB, Bias = own.Bias, Prior = own.Prior };
                var score = z.Select(row => LinearModel.Stack(probe, row.Select(v => (float)v))).ToArray();
                (probe.PlattA, probe.PlattB) = Platt.Fit(score, yTune[r]);
                var prob = score.Select(v => LinearModel.Calibrate(probe, v)).ToArray();
                var inF = ScoreAtTuned(prob, yTune[r], task.Objective);
                tried.Add($"stack cv {cvF:F4} (in-sample {inF:F4})");
                if (cvF > bestF + 1e-9)
                {
                    (bestF, bestInfo, bestProb) = (cvF, probe, prob);
                }
            }
            Log($"roll-up {rollup}: own head {headF:F4}; {string.Join(" ", tried)} → {(bestInfo is null ? "head" : $"{bestInfo.Source} {bestInfo.Combine} {bestInfo.Alpha:F2}")}");
            if (bestInfo is not null)
            {
                infos[r] = bestInfo;
                tuneProb[r] = bestProb!;
            }
        }

        for (var l = 0; l < labels.Count; l++)
        {
            var info = infos[l];
            info.Threshold = ThresholdTuner.Tune(tuneProb[l], yTune[l], task.Objective);
            var m = Evaluation.BinaryMetrics.Compute(tuneProb[l], yTune[l], info.Threshold);
            // Rates at the shipped threshold on the tuning split (held apart from the weights). Cross-fitted rates
            // (threshold tuned on 4/5, counted on 1/5) were tried and estimated prevalence worse on held-apart
            // halves of dev: docs/markers.md.
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
            Version = $"{task.Name}-{(trainedAt ?? DateTimeOffset.UtcNow):yyyyMMdd}-s{seed}",
            TrainedAt = trainedAt ?? DateTimeOffset.UtcNow,
            Features = Spec,
            Labels = infos,
            Heads = heads.Length,
            Meta = new Dictionary<string, string>
            {
                ["data"] = task.DataDescription,
                ["train_rows"] = trainRows.ToString(CultureInfo.InvariantCulture),
                ["tune_rows"] = xTune.Rows.ToString(CultureInfo.InvariantCulture),
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

    /// <summary>
    /// r_f = log((p_f/‖p‖₁)/(q_f/‖q‖₁)) with p, q the α-smoothed counts of rows where slot f is present among
    /// positives and negatives; the dense lexicon slots keep 1.
    /// </summary>
    public static float[] NaiveBayesRatios(SparseMatrix x, bool[] y, int hashSize, float alpha)
    {
        var p = new double[x.Dimension];
        var q = new double[x.Dimension];
        for (var i = 0; i < x.Rows; i++)
        {
            var c = y[i] ? p : q;
            for (var k = x.RowStart[i]; k < x.RowStart[i + 1]; k++)
            {
                if (x.Value[k] != 0) c[x.Index[k]] += 1;
            }
        }
        double sp = 0, sq = 0;
        for (var f = 0; f < hashSize; f++)
        {
            sp += p[f] + alpha;
            sq += q[f] + alpha;
        }
        var r = new float[x.Dimension];
        for (var f = 0; f < x.Dimension; f++)
        {
            r[f] = f < hashSize ? (float)Math.Log((p[f] + alpha) / sp / ((q[f] + alpha) / sq)) : 1f;
        }
        return r;
    }

    /// <summary>Weights of the own head tried for a roll-up blend (0 is the maximum alone, 1 the head alone).</summary>
    private static readonly float[] BlendWeights = [0f, 0.25f, 0.5f, 0.75f];

    private static readonly string[] Combines = ["max", "noisy_or"];

    /// <summary>L2 strength of the stacked roll-up candidate; 0 turns it off.</summary>
    public double StackLambda { get; init; } = 1e-2;

    /// <summary>Inputs of a stacked roll-up: the roll-up's own head first, then every non-roll-up label.</summary>
    private static int[] StackInputs(LinearTask task, Dictionary<string, int> index, int r) =>
        [r, .. task.Labels.Where(l => !task.Rollups.ContainsKey(l)).Select(l => index[l])];

    /// <summary>L2 logistic regression on a few dense inputs by Newton's method (weights, bias).</summary>
    public static (double[] W, double B) StackFit(double[][] z, bool[] y, double lambda)
    {
        var n = z.Length;
        var d = z[0].Length + 1;
        var w = new double[d];
        for (var it = 0; it < 25; it++)
        {
            var g = new double[d];
            var h = new double[d, d];
            for (var i = 0; i < n; i++)
            {
                var s = w[d - 1];
                for (var j = 0; j < d - 1; j++) s += w[j] * z[i][j];
                var p = 1 / (1 + Math.Exp(-s));
                var e = p - (y[i] ? 1 : 0);
                var v = Math.Max(p * (1 - p), 1e-9);
                for (var j = 0; j < d; j++)
                {
                    var xj = j < d - 1 ? z[i][j] : 1;
                    g[j] += e * xj;
                    for (var k = 0; k <= j; k++)
                    {
                        h[j, k] += v * xj * (k < d - 1 ? z[i][k] : 1);
                    }
                }
            }
            for (var j = 0; j < d; j++)
            {
                for (var k = 0; k < j; k++) h[k, j] = h[j, k];
                if (j < d - 1)
                {
                    g[j] += lambda * n * w[j];
                    h[j, j] += lambda * n;
                }
                h[j, j] += 1e-9;
            }
            var step = Solve(h, g);
            var change = 0.0;
            for (var j = 0; j < d; j++)
            {
                w[j] -= step[j];
                change = Math.Max(change, Math.Abs(step[j]));
            }
            if (change < 1e-7) break;
        }
        return (w[..^1], w[^1]);
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (var c = 0; c < n; c++)
        {
            var piv = c;
            for (var r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[piv, c])) piv = r;
            if (piv != c)
            {
                for (var k = 0; k < n; k++) (m[c, k], m[piv, k]) = (m[piv, k], m[c, k]);
                (x[c], x[piv]) = (x[piv], x[c]);
            }
            for (var r = c + 1; r < n; r++)
            {
                var f = m[r, c] / m[c, c];
                for (var k = c; k < n; k++) m[r, k] -= f * m[c, k];
                x[r] -= f * x[c];
            }
        }
        for (var c = n - 1; c >= 0; c--)
        {
            for (var k = c + 1; k < n; k++) x[c] -= m[c, k] * x[k];
            x[c] /= m[c, c];
        }
        return x;
    }

    /// <summary>Pooled out-of-fold score of the stack: fitted and thresholded on 4/5, counted on the other 1/5.</summary>
    private static double CrossValidatedStack(double[][] z, bool[] y, ThresholdObjective objective, int seed)
    {
        const int folds = 5;
        var order = Enumerable.Range(0, z.Length).ToArray();
        new Random(seed).Shuffle(order);
        var fold = new int[z.Length];
        for (var k = 0; k < order.Length; k++) fold[order[k]] = k % folds;
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (var f = 0; f < folds; f++)
        {
            var trainIdx = Enumerable.Range(0, z.Length).Where(i => fold[i] != f).ToArray();
            var (w, b) = StackFit(trainIdx.Select(i => z[i]).ToArray(), trainIdx.Select(i => y[i]).ToArray(), 1e-2);
            float Prob(int i)
            {
                var s = b;
                for (var j = 0; j < w.Length; j++) s += w[j] * z[i][j];
                return (float)(1 / (1 + Math.Exp(-s)));
            }
            var t = ThresholdTuner.Tune(trainIdx.Select(Prob).ToArray(), trainIdx.Select(i => y[i]).ToArray(), objective);
            for (var i = 0; i < z.Length; i++)
            {
                if (fold[i] != f) continue;
                var p = Prob(i) >= t;
                if (p && y[i]) tp++; else if (p) fp++; else if (y[i]) fn++; else tn++;
            }
        }
        var m = new Evaluation.BinaryMetrics(tp, fp, fn, tn);
        return objective switch
        {
            ThresholdObjective.F1 => m.F1,
            ThresholdObjective.Accuracy => m.Accuracy,
            _ => m.MacroF1,
        };
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
