using Monitoring.Classifier.Training;

namespace Monitoring.Classifier.Models;

/// <summary>A model file that is missing or cannot be read: the role must not start without it.</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>The models the classifier serves, loaded together from one directory.</summary>
public sealed class ModelSet
{
    public const string DirectoryVariable = "MONITORING_MODELS";

    public required LinearModel Emotions { get; init; }
    public required LinearModel Loneliness { get; init; }
    public required LinearModel Hostility { get; init; }
    /// <summary>A supervised DSM-5 model, when one was trained with <c>train --task dsm5</c>; otherwise the patterns serve.</summary>
    public LinearModel? Dsm5 { get; init; }

    /// <summary>The directory models are loaded from: <c>$MONITORING_MODELS</c>, else <c>models/</c> beside the binary.</summary>
    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>Version served: the three model versions plus the rule sets' versions.</summary>
    public string Version =>
        $"{Emotions.Header.Version}+{Loneliness.Header.Version}+{Hostility.Header.Version}+{Dsm5?.Header.Version ?? Dsm5RulesVersion}+{PolarizationRulesVersion}";

    /// <summary>
    /// The version behind each catalogue marker: a model's labels carry that model's version; the polarization rules
    /// read the hostility model, so theirs names both; the DSM-5 symptoms (and the Forecaster's episode screen built
    /// from them) carry the DSM-5 model's version or the patterns'.
    /// </summary>
    public IReadOnlyList<Contracts.MarkerModel> MarkerModels()
    {
        var byMarker = new Dictionary<string, Contracts.MarkerModel>(StringComparer.Ordinal);
        foreach (var m in new[] { Emotions, Loneliness, Hostility, Dsm5 })
        {
            if (m is null) continue;
            foreach (var label in m.Labels)
            {
                byMarker[label.Name] = new(label.Name, m.Header.Version, m.Header.TrainedAt);
            }
        }
        foreach (var marker in Contracts.MarkerCatalogue.InFamily(Contracts.MarkerCatalogue.PolarizationFamily))
        {
            byMarker[marker.Name] = new(marker.Name, $"{PolarizationRulesVersion}+{Hostility.Header.Version}", null);
        }
        foreach (var marker in Contracts.MarkerCatalogue.InFamily(Contracts.MarkerCatalogue.Dsm5Family))
        {
            byMarker[marker.Name] = Dsm5 is null
                ? new(marker.Name, Dsm5RulesVersion, null)
                : new(marker.Name, Dsm5.Header.Version, Dsm5.Header.TrainedAt);
        }
        return Contracts.MarkerCatalogue.All.Where(m => byMarker.ContainsKey(m.Name)).Select(m => byMarker[m.Name]).ToList();
    }

    public const string Dsm5RulesVersion = "dsm5-rules-1";
    public const string PolarizationRulesVersion = "polarization-rules-1";

    /// <summary>Loads every model; reports every missing or corrupt file at once, then throws.</summary>
    public static ModelSet Load(string? directory = null)
    {
        directory ??= DefaultDirectory;
        var problems = new List<string>();
        LinearModel? Read(string task, bool required)
        {
            var path = Path.Combine(directory, Tasks.ModelFileName(task));
            if (!required && !File.Exists(path))
            {
                return null;
            }
            try
            {
                var m = LinearModel.Load(path);
                if (m.Header.Task != task)
                {
                    problems.Add($"{path} holds a '{m.Header.Task}' model, expected '{task}'");
                    return null;
                }
                return m;
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                problems.Add(e.Message);
                return null;
            }
        }
        var emotions = Read(Tasks.Emotions, true);
        var loneliness = Read(Tasks.Loneliness, true);
        var hostility = Read(Tasks.Hostility, true);
        var dsm5 = Read(Tasks.Dsm5, false);
        if (problems.Count > 0)
        {
            throw new ModelLoadException($"Cannot load the classifier models from '{Path.GetFullPath(directory)}': " + string.Join("; ", problems));
        }
        return new ModelSet { Emotions = emotions!, Loneliness = loneliness!, Hostility = hostility!, Dsm5 = dsm5 };
    }
}
