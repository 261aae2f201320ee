using System.CommandLine;
using Monitoring.Classifier.Evaluation;
using Monitoring.Classifier.Training;

namespace Monitoring.Classifier;

/// <summary>The offline subcommands this service adds to the <c>monitoring</c> binary.</summary>
public static class ClassifierCommands
{
    public static IEnumerable<Command> Create() => [Train(), Evaluate(), Classify()];

    private static Command Train()
    {
        var task = new Option<string>("--task") { Description = "emotions | loneliness | hostility | dsm5", Required = true };
        var data = new Option<string>("--data") { Description = "Dataset directory (with its train/dev files) or a single file", Required = true };
        var output = new Option<string>("--out") { Description = "Model file to write (default models/<task>.model)" };
        var seed = new Option<int>("--seed") { Description = "Seed for data splits; training is deterministic for a seed", DefaultValueFactory = _ => 13 };
        var format = new Option<string>("--format") { Description = "Input format for dsm5: redsm5", DefaultValueFactory = _ => "redsm5" };
        var lambda = new Option<double?>("--lambda") { Description = "L2 strength (default per task)" };
        var hashBits = new Option<int?>("--hash-bits") { Description = "log2 of the hashed feature space (default per task)" };
        var threads = new Option<int>("--threads") { Description = "Worker threads", DefaultValueFactory = _ => 2 };
        var charWeight = new Option<float?>("--char-weight") { Description = "Weight of the character n-gram block against the word block (default 1)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON summary object on the last line" };
        var cmd = new Command("train", "Train a marker model from labelled data and write it with its tuned thresholds and calibration.")
        {
            task, data, output, seed, format, lambda, hashBits, threads, charWeight, json,
        };
        cmd.SetAction(parse => CommandRunner.Run(() => TrainingCommand.Run(new TrainingCommand.Args(
            parse.GetValue(task)!, UserPaths.Resolve(parse.GetValue(data)!), UserPaths.ResolveOptional(parse.GetValue(output)), parse.GetValue(seed), parse.GetValue(format) ?? "redsm5",
            parse.GetValue(lambda), parse.GetValue(hashBits), parse.GetValue(threads), parse.GetValue(json), parse.GetValue(charWeight)))));
        return cmd;
    }

    private static Command Evaluate()
    {
        var task = new Option<string>("--task") { Description = "emotions | loneliness | hostility | prevalence | dsm5", Required = true };
        var input = new Option<string>("--input") { Description = "Labelled file in the dataset's native format", Required = true };
        var models = new Option<string?>("--models") { Description = "Directory of model files (default: models/ beside the binary)" };
        var model = new Option<string?>("--model") { Description = "A single model file to evaluate instead of the shipped one" };
        var seed = new Option<int>("--seed") { Description = "Seed for the prevalence subsamples", DefaultValueFactory = _ => 42 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on the last line" };
        var holdout = new Option<int?>("--holdout-seed") { Description = "Evaluate only the tuning share that `train --seed N` carved from this file (for single-file datasets such as Davidson)" };
        var cmd = new Command("evaluate", "Score a labelled file with the shipped models and print the metrics.") { task, input, models, model, seed, json, holdout };
        cmd.SetAction(parse => CommandRunner.Run(() => EvaluationCommand.Run(
            parse.GetValue(task)!, UserPaths.Resolve(parse.GetValue(input)!), UserPaths.ResolveOptional(parse.GetValue(models)), UserPaths.ResolveOptional(parse.GetValue(model)), parse.GetValue(seed), parse.GetValue(json), parse.GetValue(holdout))));
        return cmd;
    }

    private static Command Classify()
    {
        var text = new Option<string?>("--text") { Description = "Text to classify; without it, NDJSON ({\"text\":…} or strings) or plain lines are read from stdin" };
        var models = new Option<string?>("--models") { Description = "Directory of model files (default: models/ beside the binary)" };
        var language = new Option<string?>("--language") { Description = "ISO 639-1 language of the text, if known" };
        var cmd = new Command("classify", "Print every marker's probability, the flagged markers and their evidence for the given text.") { text, models, language };
        cmd.SetAction(parse => CommandRunner.Run(() => ClassifyCommand.Run(parse.GetValue(text), UserPaths.ResolveOptional(parse.GetValue(models)), parse.GetValue(language))));
        return cmd;
    }
}

internal static class CommandRunner
{
    /// <summary>Turns the expected failures (missing or corrupt files, bad arguments) into a message and exit code 1.</summary>
    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException or Models.ModelLoadException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
