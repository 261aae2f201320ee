using System.Globalization;
using System.Text.Json;
using Monitoring.Classifier.Dsm5;
using Monitoring.Classifier.Features;
using Monitoring.Classifier.Models;
using Monitoring.Classifier.Text;
using Monitoring.Classifier.Training;
using Monitoring.Contracts;

namespace Monitoring.Classifier.Evaluation;

/// <summary><c>monitoring evaluate</c>: score a labelled file with a shipped model and print the task's metrics.</summary>
public static class EvaluationCommand
{
    public static int Run(string task, string input, string? modelsDir, string? modelFile, int seed, bool json, int? holdoutSeed = null)
    {
        task = task.Trim().ToLowerInvariant();
        if (!File.Exists(input))
        {
            throw new FileNotFoundException($"Input file '{input}' does not exist.", input);
        }
        List<LabelledText> Read(string t)
        {
            var rows = Tasks.ReadFile(t, input);
            // The same seeded, stratified carve as training, so the held-apart share can be scored alone.
            return holdoutSeed is { } hs ? Tasks.Carve(rows, t == Tasks.Dsm5 ? 0.2 : 0.15, hs).Tune : rows;
        }
        var result = task switch
        {
            Tasks.Emotions => Emotions(Read(Tasks.Emotions), LoadModel(Tasks.Emotions, modelsDir, modelFile)),
            Tasks.Loneliness => Loneliness(Read(Tasks.Loneliness), LoadModel(Tasks.Loneliness, modelsDir, modelFile)),
            Tasks.Hostility => Hostility(Read(Tasks.Hostility), LoadModel(Tasks.Hostility, modelsDir, modelFile)),
            "prevalence" => Prevalence.Evaluate(Read(Tasks.Emotions), LoadModel(Tasks.Emotions, modelsDir, modelFile), seed),
            Tasks.Dsm5 => Dsm5(Read(Tasks.Dsm5)),
            _ => throw new ArgumentException($"Unknown task '{task}'. Expected emotions, loneliness, hostility, prevalence or dsm5."),
        };
        result = new Dictionary<string, object> { ["task"] = task }.Concat(result).ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (key, value) in result)
        {
            if (key != "per_label")
            {
                Console.WriteLine($"{key,-28} {Format(value)}");
            }
        }
        if (result.TryGetValue("per_label", out var perLabel) && perLabel is Dictionary<string, Dictionary<string, double>> labels)
        {
            Console.WriteLine($"{"label",-26} {"precision",9} {"recall",9} {"f1",9} {"support",8}");
            foreach (var (name, m) in labels)
            {
                Console.WriteLine($"{name,-26} {m["precision"],9:F4} {m["recall"],9:F4} {m["f1"],9:F4} {m["support"],8}");
            }
        }
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result));
        }
        return 0;
    }

    private static string Format(object v) => v switch
    {
        double d => d.ToString("F4", CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    private static LinearModel LoadModel(string task, string? modelsDir, string? modelFile)
    {
        var path = modelFile ?? Path.Combine(modelsDir ?? ModelSet.DefaultDirectory, Tasks.ModelFileName(task));
        var model = LinearModel.Load(path);
        if (model.Header.Task != task)
        {
            throw new InvalidDataException($"{path} holds a '{model.Header.Task}' model, not '{task}'.");
        }
        return model;
    }

    /// <summary>Calibrated probabilities of every label of <paramref name="model"/> for every row (rows in parallel, order kept).</summary>
    public static float[][] Predict(LinearModel model, IReadOnlyList<LabelledText> rows)
    {
        var extractor = new FeatureExtractor(model.Spec);
        var output = new float[rows.Count][];
        Parallel.For(0, rows.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, () => (new TokenBuffer(), new FeatureVector()), (i, _, s) =>
        {
            SocialTokenizer.Tokenize(rows[i].Text, s.Item1);
            extractor.Extract(s.Item1, s.Item2);
            var p = new float[model.Labels.Count];
            model.Predict(s.Item2, p);
            output[i] = p;
            return s;
        }, _ => { });
        return output;
    }

    private static BinaryMetrics LabelMetrics(LinearModel model, float[][] probs, IReadOnlyList<LabelledText> rows, int label)
    {
        var name = model.Labels[label].Name;
        var threshold = model.Labels[label].Threshold;
        var predicted = probs.Select(p => p[label] >= threshold).ToArray();
        var truth = rows.Select(r => r.Labels.Contains(name)).ToArray();
        return BinaryMetrics.FromDecisions(predicted, truth);
    }

    private static Dictionary<string, double> Row(BinaryMetrics m) => new()
    {
        ["precision"] = Math.Round(m.Precision, 4),
        ["recall"] = Math.Round(m.Recall, 4),
        ["f1"] = Math.Round(m.F1, 4),
        ["support"] = m.Support,
    };

    public static Dictionary<string, object> Emotions(IReadOnlyList<LabelledText> rows, LinearModel model)
    {
        var probs = Predict(model, rows);
        var metrics = Enumerable.Range(0, model.Labels.Count).ToDictionary(l => model.Labels[l].Name, l => LabelMetrics(model, probs, rows, l));
        var emotions = MarkerCatalogue.GoEmotions.Select(e => metrics["emotion." + e]).ToList();
        var ekman = MarkerCatalogue.Ekman.Keys.Select(k => metrics["ekman." + k]).ToList();
        var sentiment = MarkerCatalogue.Sentiment.Keys.Select(k => metrics["sentiment." + k]).ToList();
        var perLabel = new Dictionary<string, Dictionary<string, double>>();
        foreach (var (name, m) in metrics)
        {
            perLabel[name.StartsWith("emotion.", StringComparison.Ordinal) ? name["emotion.".Length..] : name] = Row(m);
        }
        return new Dictionary<string, object>
        {
            ["n"] = rows.Count,
            ["macro_f1"] = Math.Round(emotions.Average(m => m.F1), 4),
            ["micro_f1"] = Math.Round(BinaryMetrics.MicroF1(emotions), 4),
            ["ekman_macro_f1"] = Math.Round(ekman.Average(m => m.F1), 4),
            // The GoEmotions paper's Ekman figure counts neutral as a seventh class.
            ["ekman_macro_f1_with_neutral"] = Math.Round(ekman.Append(metrics["emotion.neutral"]).Average(m => m.F1), 4),
            ["sentiment_macro_f1"] = Math.Round(sentiment.Average(m => m.F1), 4),
            ["model_version"] = model.Header.Version,
            ["per_label"] = perLabel,
        };
    }

    public static Dictionary<string, object> Loneliness(IReadOnlyList<LabelledText> rows, LinearModel model)
    {
        var probs = Predict(model, rows).Select(p => p[0]).ToArray();
        var truth = rows.Select(r => r.Labels.Contains("loneliness")).ToArray();
        var m = BinaryMetrics.Compute(probs, truth, model.Labels[0].Threshold);
        return new Dictionary<string, object>
        {
            ["n"] = rows.Count,
            ["accuracy"] = Math.Round(m.Accuracy, 4),
            ["f1"] = Math.Round(m.F1, 4),
            ["precision"] = Math.Round(m.Precision, 4),
            ["recall"] = Math.Round(m.Recall, 4),
            ["auc"] = Math.Round(Auc.Compute(probs, truth), 4),
            ["model_version"] = model.Header.Version,
        };
    }

    public static Dictionary<string, object> Hostility(IReadOnlyList<LabelledText> rows, LinearModel model)
    {
        var probs = Predict(model, rows).Select(p => p[0]).ToArray();
        var truth = rows.Select(r => r.Labels.Contains("hostility")).ToArray();
        var threshold = model.Labels[0].Threshold;
        var m = BinaryMetrics.Compute(probs, truth, threshold);
        double RecallOf(string cls)
        {
            var idx = rows.Select((r, i) => (r, i)).Where(x => x.r.Labels.Contains("davidson.class" + cls)).Select(x => x.i).ToList();
            return idx.Count == 0 ? 0 : Math.Round(idx.Count(i => probs[i] >= threshold) / (double)idx.Count, 4);
        }
        return new Dictionary<string, object>
        {
            ["n"] = rows.Count,
            ["macro_f1"] = Math.Round(m.MacroF1, 4),
            ["f1_hostile"] = Math.Round(m.F1, 4),
            ["f1_neither"] = Math.Round(m.NegativeF1, 4),
            ["accuracy"] = Math.Round(m.Accuracy, 4),
            ["precision_hostile"] = Math.Round(m.Precision, 4),
            ["recall_hostile"] = Math.Round(m.Recall, 4),
            // Per original class: share flagged hostile (recall for hate and offensive, false-positive rate for neither).
            ["flagged_share_hate"] = RecallOf("0"),
            ["flagged_share_offensive"] = RecallOf("1"),
            ["flagged_share_neither"] = RecallOf("2"),
            ["auc"] = Math.Round(Auc.Compute(probs, truth), 4),
            ["model_version"] = model.Header.Version,
        };
    }

    /// <summary>The DSM-5 patterns against ReDSM5-format data (per symptom, sentence or post level as the file is).</summary>
    public static Dictionary<string, object> Dsm5(IReadOnlyList<LabelledText> rows)
    {
        var scores = rows.Select(r =>
        {
            var s = new float[Dsm5Patterns.Symptoms.Count];
            Dsm5Patterns.Score(r.Text, s);
            return s;
        }).ToArray();
        var perLabel = new Dictionary<string, Dictionary<string, double>>();
        var all = new List<BinaryMetrics>();
        for (var k = 0; k < Dsm5Patterns.Symptoms.Count; k++)
        {
            var name = "dsm5." + Dsm5Patterns.Symptoms[k];
            var m = BinaryMetrics.FromDecisions(scores.Select(s => s[k] >= Dsm5Patterns.Threshold).ToArray(), rows.Select(r => r.Labels.Contains(name)).ToArray());
            all.Add(m);
            perLabel[name] = Row(m);
        }
        return new Dictionary<string, object>
        {
            ["n"] = rows.Count,
            ["micro_f1"] = Math.Round(BinaryMetrics.MicroF1(all), 4),
            ["macro_f1_present"] = Math.Round(all.Where(m => m.Support > 0).Select(m => m.F1).DefaultIfEmpty(0).Average(), 4),
            ["model_version"] = ModelSet.Dsm5RulesVersion,
            ["per_label"] = perLabel,
        };
    }
}
