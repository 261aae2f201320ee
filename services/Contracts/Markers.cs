namespace Monitoring.Contracts;

/// <summary>A named per-post signal. The Dashboard serves these with the model version and known limits.</summary>
public sealed record MarkerDefinition(string Name, string Family, string Description, string Method);

/// <summary>The marker catalogue of DESIGN.md, "Markers".</summary>
public static class MarkerCatalogue
{
    public const string EmotionFamily = "emotion";
    public const string EkmanFamily = "ekman";
    public const string SentimentFamily = "sentiment";
    public const string LonelinessFamily = "loneliness";
    public const string HostilityFamily = "hostility";
    public const string PolarizationFamily = "polarization";
    public const string Dsm5Family = "dsm5";

    /// <summary>The 27 GoEmotions emotions and neutral, in the order of GoEmotions' emotions.txt (label ids index it).</summary>
    public static readonly IReadOnlyList<string> GoEmotions =
    [
        "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion", "curiosity",
        "desire", "disappointment", "disapproval", "disgust", "embarrassment", "excitement", "fear",
        "gratitude", "grief", "joy", "love", "nervousness", "optimism", "pride", "realization", "relief",
        "remorse", "sadness", "surprise", "neutral",
    ];

    /// <summary>Ekman's six, as GoEmotions' ekman_mapping.json groups the emotions.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Ekman = new Dictionary<string, IReadOnlyList<string>>
    {
        ["anger"] = ["anger", "annoyance", "disapproval"],
        ["disgust"] = ["disgust"],
        ["fear"] = ["fear", "nervousness"],
        ["joy"] = ["joy", "amusement", "approval", "excitement", "gratitude", "love", "optimism", "relief", "pride", "admiration", "desire", "caring"],
        ["sadness"] = ["sadness", "disappointment", "embarrassment", "grief", "remorse"],
        ["surprise"] = ["surprise", "realization", "confusion", "curiosity"],
    };

    /// <summary>Sentiment roll-up, as GoEmotions' sentiment_dict.json groups the emotions.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Sentiment = new Dictionary<string, IReadOnlyList<string>>
    {
        ["positive"] = ["amusement", "excitement", "joy", "love", "desire", "optimism", "caring", "pride", "admiration", "gratitude", "relief", "approval"],
        ["negative"] = ["fear", "nervousness", "remorse", "embarrassment", "disappointment", "sadness", "grief", "disgust", "anger", "annoyance", "disapproval"],
        ["ambiguous"] = ["realization", "surprise", "curiosity", "confusion"],
    };

    /// <summary>The nine DSM-5 major-depressive-episode symptoms (criterion A1–A9).</summary>
    public static readonly IReadOnlyDictionary<string, string> Dsm5Symptoms = new Dictionary<string, string>
    {
        ["depressed_mood"] = "Depressed mood most of the day: feeling sad, empty or hopeless (A1).",
        ["anhedonia"] = "Markedly diminished interest or pleasure in activities (A2).",
        ["appetite_change"] = "Significant weight or appetite loss or gain (A3).",
        ["sleep_issues"] = "Insomnia or hypersomnia (A4).",
        ["psychomotor"] = "Psychomotor agitation or retardation (A5).",
        ["fatigue"] = "Fatigue or loss of energy (A6).",
        ["worthlessness"] = "Feelings of worthlessness or excessive or inappropriate guilt (A7).",
        ["cognitive_issues"] = "Diminished ability to think or concentrate, or indecisiveness (A8).",
        ["suicidal_thoughts"] = "Recurrent thoughts of death or suicidal ideation (A9).",
    };

    public const string EpisodeScreen = "dsm5.episode_screen";

    public static readonly IReadOnlyList<MarkerDefinition> All = Build();

    private static readonly Dictionary<string, MarkerDefinition> ByName = All.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public static bool TryGet(string name, out MarkerDefinition marker) => ByName.TryGetValue(name, out marker!);

    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    public static IEnumerable<MarkerDefinition> InFamily(string family) => All.Where(m => m.Family == family);

    private static List<MarkerDefinition> Build()
    {
        const string goEmotionsModel = "Multi-label logistic regression over word and character n-grams and VADER/AFINN lexicon features, trained on GoEmotions; per-label threshold tuned on the dev split.";
        var list = new List<MarkerDefinition>();
        foreach (var e in GoEmotions)
        {
            list.Add(new($"emotion.{e}", EmotionFamily, $"The post expresses {e} (GoEmotions label).", goEmotionsModel));
        }
        foreach (var (name, members) in Ekman)
        {
            list.Add(new($"ekman.{name}", EkmanFamily, $"Ekman's basic emotion {name}: any of {string.Join(", ", members)}.", goEmotionsModel + " Rolled up to Ekman's six."));
        }
        foreach (var (name, members) in Sentiment)
        {
            list.Add(new($"sentiment.{name}", SentimentFamily, $"{char.ToUpperInvariant(name[0])}{name[1..]} sentiment: any of {string.Join(", ", members)}.", goEmotionsModel + " Rolled up to sentiment."));
        }
        list.Add(new("loneliness", LonelinessFamily, "The author discloses feeling lonely or socially isolated.", "Logistic regression over n-grams and lexicon features, trained on FIG-Loneliness."));
        list.Add(new("hostility", HostilityFamily, "Hostile or insulting language.", "Logistic regression trained on Davidson et al. 2017 (hate and offensive against neither)."));
        list.Add(new("polarization.outgroup", PolarizationFamily, "Othering language toward a group (\"those people\", \"you people\", group slurs).", "Rules over a group lexicon and the hostility model."));
        list.Add(new("polarization.affective", PolarizationFamily, "On a tracked topic, hostile and aimed at an out-group.", "Rules: tracked topic and hostility and out-group."));
        foreach (var (name, description) in Dsm5Symptoms)
        {
            list.Add(new($"dsm5.{name}", Dsm5Family, description, "First-person, negation- and time-aware patterns written from the DSM-5 criteria; replaceable by a model trained on ReDSM5-format data."));
        }
        list.Add(new(EpisodeScreen, Dsm5Family, "Share of active authors who showed at least five of the nine symptoms, one of them depressed mood or anhedonia, within 14 days. A screen, not a diagnosis.", "Author-level rolling 14-day window over pseudonymous keys."));
        return list;
    }
}

/// <summary>The model that scores one marker: its version (a model file's version, or a rule set's) and when it was trained.</summary>
public sealed record MarkerModel(string Marker, string ModelVersion, DateTimeOffset? TrainedAt);

/// <summary>
/// What a Classifier serves, per marker: published when it starts and then every hour, so that the Dashboard's
/// catalogue shows the model version behind each line without loading any model itself.
/// </summary>
/// <param name="ModelVersion">The combined version, as in <see cref="PostsClassified.ModelVersion"/>.</param>
public sealed record ClassifierModelsAnnounced(string ModelVersion, DateTimeOffset AnnouncedAt, IReadOnlyList<MarkerModel> Markers);
