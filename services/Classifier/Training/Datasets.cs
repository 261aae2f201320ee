using System.Text;
using System.Text.Json;
using Monitoring.Contracts;

namespace Monitoring.Classifier.Training;

/// <summary>A labelled text: the labels are marker-local names (e.g. "anger", "loneliness").</summary>
public sealed record LabelledText(string Text, IReadOnlySet<string> Labels);

/// <summary>Readers for the public datasets' native formats (../shared/data/README.md).</summary>
public static class Datasets
{
    /// <summary>RFC 4180-style reader: quoted fields may hold the delimiter, doubled quotes and newlines.</summary>
    public static IEnumerable<string[]> ReadDelimited(TextReader reader, char delimiter)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var atFieldStart = true;
        int ci;
        while ((ci = reader.Read()) >= 0)
        {
            var c = (char)ci;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
                continue;
            }
            if (c == '"' && atFieldStart)
            {
                inQuotes = true;
                atFieldStart = false;
                continue;
            }
            if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
                atFieldStart = true;
                continue;
            }
            if (c == '\r')
            {
                continue;
            }
            if (c == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                atFieldStart = true;
                yield return fields.ToArray();
                fields.Clear();
                continue;
            }
            field.Append(c);
            atFieldStart = false;
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return fields.ToArray();
        }
    }

    /// <summary>GoEmotions TSV: text, comma-separated label ids (indexing emotions.txt), comment id; no header.</summary>
    public static List<LabelledText> ReadGoEmotions(string path)
    {
        var list = new List<LabelledText>();
        using var reader = new StreamReader(path);
        foreach (var row in ReadDelimited(reader, '\t'))
        {
            if (row.Length < 2)
            {
                continue;
            }
            var labels = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in row[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(id, out var k) && k >= 0 && k < MarkerCatalogue.GoEmotions.Count)
                {
                    labels.Add("emotion." + MarkerCatalogue.GoEmotions[k]);
                }
            }
            if (labels.Count == 0)
            {
                throw new InvalidDataException($"{path}: a row has no valid GoEmotions label ids ('{row[1]}').");
            }
            foreach (var (ekman, members) in MarkerCatalogue.Ekman)
            {
                if (members.Any(m => labels.Contains("emotion." + m))) labels.Add("ekman." + ekman);
            }
            foreach (var (sentiment, members) in MarkerCatalogue.Sentiment)
            {
                if (members.Any(m => labels.Contains("emotion." + m))) labels.Add("sentiment." + sentiment);
            }
            list.Add(new LabelledText(row[0], labels));
        }
        return list;
    }

    /// <summary>FIG-Loneliness JSONL: <c>text</c> and <c>lonely</c> = [non_lonely, lonely] one-hot.</summary>
    public static List<LabelledText> ReadFigLoneliness(string path)
    {
        var list = new List<LabelledText>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var text = root.GetProperty("text").GetString() ?? "";
            var lonely = root.GetProperty("lonely");
            var isLonely = lonely.GetArrayLength() >= 2 && lonely[1].GetDouble() > lonely[0].GetDouble();
            list.Add(new LabelledText(text, isLonely ? new HashSet<string> { "loneliness" } : new HashSet<string>()));
        }
        return list;
    }

    /// <summary>Davidson et al. CSV with a header holding <c>class</c> (0 hate, 1 offensive, 2 neither) and <c>tweet</c>.</summary>
    public static List<LabelledText> ReadDavidson(string path)
    {
        using var reader = new StreamReader(path);
        var rows = ReadDelimited(reader, ',').GetEnumerator();
        if (!rows.MoveNext())
        {
            throw new InvalidDataException($"{path} is empty.");
        }
        var header = rows.Current;
        var classCol = Array.IndexOf(header, "class");
        var tweetCol = Array.IndexOf(header, "tweet");
        if (classCol < 0 || tweetCol < 0)
        {
            throw new InvalidDataException($"{path}: expected Davidson columns 'class' and 'tweet'.");
        }
        var list = new List<LabelledText>();
        while (rows.MoveNext())
        {
            var r = rows.Current;
            if (r.Length <= Math.Max(classCol, tweetCol))
            {
                continue;
            }
            var cls = r[classCol].Trim();
            // The original class rides along for per-class reporting (the "hate" label's known dialect bias).
            var labels = new HashSet<string>(StringComparer.Ordinal) { "davidson.class" + cls };
            if (cls is "0" or "1")
            {
                labels.Add("hostility");
            }
            list.Add(new LabelledText(r[tweetCol], labels));
        }
        return list;
    }

    /// <summary>
    /// ReDSM5: either the annotation file (<c>sentence_text</c>, <c>DSM5_symptom</c>, <c>status</c>) or the
    /// post-level file (<c>text</c>, <c>labels</c> as a symptom name, a list, or NO_SYMPTOMS). Labels become dsm5 names.
    /// </summary>
    public static List<LabelledText> ReadReDsm5(string path)
    {
        using var reader = new StreamReader(path);
        var rows = ReadDelimited(reader, ',').GetEnumerator();
        if (!rows.MoveNext())
        {
            throw new InvalidDataException($"{path} is empty.");
        }
        var header = rows.Current.Select(h => h.Trim()).ToArray();
        var sentenceCol = Array.IndexOf(header, "sentence_text");
        var symptomCol = Array.IndexOf(header, "DSM5_symptom");
        var statusCol = Array.IndexOf(header, "status");
        var textCol = Array.IndexOf(header, "text");
        var labelsCol = Array.IndexOf(header, "labels");
        var bySentence = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        while (rows.MoveNext())
        {
            var r = rows.Current;
            if (sentenceCol >= 0 && symptomCol >= 0)
            {
                if (r.Length <= Math.Max(sentenceCol, Math.Max(symptomCol, statusCol)))
                {
                    continue;
                }
                var text = r[sentenceCol];
                if (!bySentence.TryGetValue(text, out var set))
                {
                    bySentence[text] = set = new HashSet<string>(StringComparer.Ordinal);
                    order.Add(text);
                }
                if (statusCol < 0 || r[statusCol].Trim() == "1")
                {
                    AddSymptom(set, r[symptomCol]);
                }
            }
            else if (textCol >= 0 && labelsCol >= 0)
            {
                if (r.Length <= Math.Max(textCol, labelsCol))
                {
                    continue;
                }
                var set = new HashSet<string>(StringComparer.Ordinal);
                foreach (var part in r[labelsCol].Split([',', ';', '[', ']', '\'', '"', ' '], StringSplitOptions.RemoveEmptyEntries))
                {
                    AddSymptom(set, part);
                }
                bySentence[r[textCol] + "\u0000" + order.Count] = set;
                order.Add(r[textCol] + "\u0000" + order.Count);
            }
            else
            {
                throw new InvalidDataException($"{path}: not a ReDSM5 file (need sentence_text/DSM5_symptom/status or text/labels columns).");
            }
        }
        return order.Select(k => new LabelledText(k.Split('\u0000')[0], bySentence[k])).ToList();
    }

    private static void AddSymptom(HashSet<string> set, string raw)
    {
        var name = raw.Trim().ToLowerInvariant();
        if (MarkerCatalogue.Dsm5Symptoms.ContainsKey(name))
        {
            set.Add("dsm5." + name);
        }
    }
}
