using Monitoring.Contracts;

namespace Monitoring.Classifier.Training;

/// <summary>The trainable tasks, their data layouts and the file each one is shipped as in models/.</summary>
public static class Tasks
{
    public const string Emotions = "emotions";
    public const string Loneliness = "loneliness";
    public const string Hostility = "hostility";
    public const string Dsm5 = "dsm5";

    public static readonly IReadOnlyList<string> Linear = [Emotions, Loneliness, Hostility];

    public static string ModelFileName(string task) => task + ".model";

    public static LinearTask Describe(string task) => task switch
    {
        Emotions => new LinearTask(
            Emotions,
            [
                .. MarkerCatalogue.GoEmotions.Select(e => "emotion." + e),
                .. MarkerCatalogue.Ekman.Keys.Select(k => "ekman." + k),
                .. MarkerCatalogue.Sentiment.Keys.Select(k => "sentiment." + k),
            ],
            MarkerCatalogue.Ekman.Select(kv => ("ekman." + kv.Key, (IReadOnlyList<string>)kv.Value.Select(e => "emotion." + e).ToList()))
                .Concat(MarkerCatalogue.Sentiment.Select(kv => ("sentiment." + kv.Key, (IReadOnlyList<string>)kv.Value.Select(e => "emotion." + e).ToList())))
                .ToDictionary(x => x.Item1, x => x.Item2),
            ThresholdObjective.F1,
            "GoEmotions (Demszky et al., ACL 2020), CC BY 4.0: train split for weights, dev split for calibration and thresholds"),
        Loneliness => new LinearTask(
            Loneliness, ["loneliness"], new Dictionary<string, IReadOnlyList<string>>(), ThresholdObjective.Accuracy,
            "FIG-Loneliness (Jiang et al., 2022), research use, text not redistributed (hashed features only): train split for weights, dev split for calibration and threshold"),
        Hostility => new LinearTask(
            Hostility, ["hostility"], new Dictionary<string, IReadOnlyList<string>>(), ThresholdObjective.MacroF1,
            "Davidson et al. (ICWSM 2017), MIT: hate + offensive against neither; a seeded stratified 15 % of davidson_train.csv held apart for calibration and threshold"),
        Dsm5 => new LinearTask(
            Dsm5, MarkerCatalogue.Dsm5Symptoms.Keys.Select(k => "dsm5." + k).ToList(), new Dictionary<string, IReadOnlyList<string>>(), ThresholdObjective.F1,
            "ReDSM5-format data (Bao et al., 2025): a seeded stratified 20 % held apart for calibration and thresholds"),
        _ => throw new ArgumentException($"Unknown task '{task}'. Expected one of: emotions, loneliness, hostility, dsm5."),
    };

    /// <summary>Reads one evaluation/training file of a task in its native format.</summary>
    public static List<LabelledText> ReadFile(string task, string path) => task switch
    {
        Emotions => Datasets.ReadGoEmotions(path),
        Loneliness => Datasets.ReadFigLoneliness(path),
        Hostility => Datasets.ReadDavidson(path),
        Dsm5 => Datasets.ReadReDsm5(path),
        _ => throw new ArgumentException($"Unknown task '{task}'."),
    };

    /// <summary>
    /// The training and tuning splits for a task: a directory with the dataset's own train/dev files,
    /// or a single file from which a seeded, stratified tuning share is carved.
    /// </summary>
    public static (List<LabelledText> Train, List<LabelledText> Tune) LoadSplits(string task, string path, int seed)
    {
        if (Directory.Exists(path))
        {
            var (trainName, devName) = task switch
            {
                Emotions => ("train.tsv", "dev.tsv"),
                Loneliness => ("train.jsonl", "dev.jsonl"),
                Hostility => ("davidson_train.csv", ""),
                _ => ("", ""),
            };
            var trainPath = Path.Combine(path, trainName);
            if (trainName.Length == 0 || !File.Exists(trainPath))
            {
                throw new FileNotFoundException($"No {(trainName.Length == 0 ? "training file" : trainName)} in {path}; pass the file with --data.");
            }
            var devPath = devName.Length == 0 ? "" : Path.Combine(path, devName);
            if (devPath.Length > 0 && File.Exists(devPath))
            {
                return (ReadFile(task, trainPath), ReadFile(task, devPath));
            }
            path = trainPath;
        }
        var all = ReadFile(task, path);
        return Carve(all, task == Dsm5 ? 0.2 : 0.15, seed);
    }

    /// <summary>A seeded split that keeps each label-set's share (stratified on the sorted label set).</summary>
    public static (List<LabelledText> Train, List<LabelledText> Tune) Carve(IReadOnlyList<LabelledText> all, double tuneShare, int seed)
    {
        var rng = new Random(seed);
        var train = new List<LabelledText>();
        var tune = new List<LabelledText>();
        foreach (var group in all.Select((t, i) => (t, i)).GroupBy(x => string.Join('|', x.t.Labels.Order(StringComparer.Ordinal))).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var items = group.Select(x => x.i).ToArray();
            rng.Shuffle(items);
            var k = (int)Math.Round(items.Length * tuneShare);
            var tuneSet = new HashSet<int>(items.Take(k));
            foreach (var i in group.Select(x => x.i))
            {
                (tuneSet.Contains(i) ? tune : train).Add(all[i]);
            }
        }
        return (train, tune);
    }
}
