using System.Diagnostics;
using System.Text.Json;
using Monitoring.Classifier.Features;
using Monitoring.Classifier.Models;

namespace Monitoring.Classifier.Training;

/// <summary><c>monitoring train</c>: read a dataset, fit, calibrate, tune and write a model file.</summary>
public static class TrainingCommand
{
    public sealed record Args(string Task, string Data, string? Out, int Seed, string Format, double? Lambda, int? HashBits, int Threads, bool Json, float? CharWeight = null);

    /// <summary>Per-task L2 strength chosen on the tuning splits (see models/*.md for the comparison).</summary>
    public static double DefaultLambda(string task) => task switch
    {
        Tasks.Emotions => 2e-5,
        Tasks.Loneliness => 5e-5,
        Tasks.Hostility => 2e-5,
        _ => 1e-3,
    };

    public static int Run(Args a)
    {
        var task = a.Task.Trim().ToLowerInvariant();
        if (task == Tasks.Dsm5 && !string.Equals(a.Format, "redsm5", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Unsupported --format '{a.Format}' for dsm5; only redsm5 is supported.");
        }
        var description = Tasks.Describe(task);
        var sw = Stopwatch.StartNew();
        var (train, tune) = Tasks.LoadSplits(task, a.Data, a.Seed);
        if (train.Count == 0 || tune.Count == 0)
        {
            throw new InvalidDataException($"{a.Data}: not enough rows to train and tune ({train.Count} / {tune.Count}).");
        }
        Console.Error.WriteLine($"{task}: {train.Count} training rows, {tune.Count} tuning rows");
        var trainer = new LinearTaskTrainer
        {
            Spec = new FeatureSpec(HashBits: a.HashBits ?? 17, CharWeight: a.CharWeight ?? 1f),
            Trainer = new LogisticTrainer { Lambda = a.Lambda ?? DefaultLambda(task), Threads = a.Threads },
            Threads = a.Threads,
            Log = m => Console.Error.WriteLine(m),
        };
        var model = trainer.Train(description, train, tune, a.Seed);
        var outPath = a.Out ?? Path.Combine("models", Tasks.ModelFileName(task));
        model.Save(outPath);
        var size = new FileInfo(outPath).Length;
        // Sanity: what we wrote must load (half-precision rounding included).
        var reloaded = LinearModel.Load(outPath);
        Console.WriteLine($"wrote {outPath} ({size / 1024.0:F0} KiB, version {reloaded.Header.Version}) in {sw.Elapsed.TotalSeconds:F1} s");
        foreach (var l in model.Labels)
        {
            Console.WriteLine($"  {l.Name,-26} {l.Source,-4} threshold {l.Threshold:F3}  tune F1 {l.DevScores["f1"]:F3}  P {l.DevScores["precision"]:F3}  R {l.DevScores["recall"]:F3}  TPR {l.Tpr:F3}  FPR {l.Fpr:F3}  n+ {l.DevScores["support"]}");
        }
        if (a.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["task"] = task,
                ["out"] = outPath,
                ["bytes"] = size,
                ["version"] = reloaded.Header.Version,
                ["train_rows"] = train.Count,
                ["tune_rows"] = tune.Count,
                ["seconds"] = Math.Round(sw.Elapsed.TotalSeconds, 1),
            }));
        }
        return 0;
    }
}
