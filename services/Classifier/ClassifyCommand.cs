using System.Text.Json;

namespace Monitoring.Classifier;

/// <summary>
/// <c>monitoring classify</c>: every marker's probability, the flagged markers and their evidence, as one
/// JSON object per input. The only place the classifier echoes text, and only the text the user gave it.
/// </summary>
public static class ClassifyCommand
{
    public static int Run(string? text, string? modelsDir, string? language)
    {
        var classifier = PostClassifier.Load(modelsDir);
        if (text is not null)
        {
            Console.WriteLine(Render(classifier, text, language));
            return 0;
        }
        // stdin: NDJSON objects with "text" (and optionally "language"), JSON strings, or plain lines.
        while (Console.In.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var (t, lang) = ParseLine(line, language);
            Console.WriteLine(Render(classifier, t, lang));
        }
        return 0;
    }

    private static (string Text, string? Language) ParseLine(string line, string? language)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('"'))
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.String)
                {
                    return (root.GetString() ?? "", language);
                }
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("text", out var t))
                {
                    var lang = root.TryGetProperty("language", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : language;
                    return (t.GetString() ?? "", lang);
                }
            }
            catch (JsonException)
            {
                // not JSON after all: treat as plain text
            }
        }
        return (line, language);
    }

    private static string Render(PostClassifier classifier, string text, string? language)
    {
        var d = classifier.Detail(text, language);
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["text"] = text,
            ["model_version"] = classifier.ModelVersion,
            ["low_confidence"] = d.LowConfidence,
            ["flagged"] = d.Flagged,
            ["probabilities"] = d.Probabilities.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)),
            ["evidence"] = d.Evidence,
        });
    }
}
