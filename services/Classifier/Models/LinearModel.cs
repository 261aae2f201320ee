using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Monitoring.Classifier.Features;

namespace Monitoring.Classifier.Models;

/// <summary>
/// How one output of a model is scored. A head has its own weight column; a roll-up may instead take
/// the maximum of member probabilities (whichever scored better on dev during training).
/// </summary>
public sealed class LabelInfo
{
    public required string Name { get; init; }
    /// <summary><c>head</c> (own weight column) or <c>max</c> (maximum of <see cref="Members"/>' probabilities).</summary>
    public string Source { get; set; } = "head";
    public string[] Members { get; set; } = [];
    public float Bias { get; set; }
    /// <summary>Platt (1999) scaling: p = 1 / (1 + exp(A·s + B)) over the raw score s.</summary>
    public float PlattA { get; set; } = -1f;
    public float PlattB { get; set; }
    /// <summary>Calibrated-probability threshold tuned on the dev split.</summary>
    public float Threshold { get; set; } = 0.5f;
    /// <summary>True-positive rate at <see cref="Threshold"/> on the held-apart tuning split.</summary>
    public float Tpr { get; set; }
    /// <summary>False-positive rate at <see cref="Threshold"/> on the held-apart tuning split.</summary>
    public float Fpr { get; set; }
    /// <summary>Share of positives in the training data; the fallback score when a post cannot be scored.</summary>
    public float Prior { get; set; }
    public Dictionary<string, double> DevScores { get; set; } = [];
}

public sealed class ModelHeader
{
    public required string Task { get; init; }
    public required string Version { get; init; }
    public required DateTimeOffset TrainedAt { get; init; }
    public required FeatureSpec Features { get; init; }
    public required List<LabelInfo> Labels { get; init; }
    /// <summary>Number of weight columns (the <c>head</c> labels, in order).</summary>
    public required int Heads { get; init; }
    public Dictionary<string, string> Meta { get; init; } = [];
}

/// <summary>
/// A multi-output linear model over hashed features: weights stored feature-major (all heads of one
/// feature side by side), so scoring a post touches one short contiguous run per feature.
/// File format: gzip of magic, JSON header, half-precision weights, and an FNV-64 checksum.
/// </summary>
public sealed class LinearModel
{
    private const string Magic = "MONITORING-LINEAR-MODEL";
    private const int FormatVersion = 1;

    public ModelHeader Header { get; }

    /// <summary>Feature-major weights: <c>Weights[f * Heads + h]</c>.</summary>
    public float[] Weights { get; }

    public int Heads => Header.Heads;

    public FeatureSpec Spec => Header.Features;

    private readonly int[] _headIndexOfLabel;
    private readonly int[][] _memberIndices;

    public LinearModel(ModelHeader header, float[] weights)
    {
        if (weights.Length != (long)header.Features.Dimension * header.Heads)
        {
            throw new InvalidDataException($"Model '{header.Task}': {weights.Length} weights, expected {(long)header.Features.Dimension * header.Heads}.");
        }
        Header = header;
        Weights = weights;
        _headIndexOfLabel = new int[header.Labels.Count];
        _memberIndices = new int[header.Labels.Count][];
        var head = 0;
        var byName = header.Labels.Select((l, i) => (l.Name, i)).ToDictionary(x => x.Name, x => x.i);
        for (var i = 0; i < header.Labels.Count; i++)
        {
            var l = header.Labels[i];
            _headIndexOfLabel[i] = l.Source == "head" ? head++ : -1;
            _memberIndices[i] = l.Members.Select(m => byName.TryGetValue(m, out var j) ? j : throw new InvalidDataException($"Model '{header.Task}': roll-up {l.Name} names unknown member {m}.")).ToArray();
        }
        if (head != header.Heads)
        {
            throw new InvalidDataException($"Model '{header.Task}': {head} head labels but {header.Heads} weight columns.");
        }
    }

    public IReadOnlyList<LabelInfo> Labels => Header.Labels;

    public int HeadIndexOf(int label) => _headIndexOfLabel[label];

    /// <summary>Raw margins of every head: bias plus the dot product with the features.</summary>
    public void Margins(FeatureVector x, Span<float> margins)
    {
        var h = Heads;
        var labels = Header.Labels;
        for (var i = 0; i < labels.Count; i++)
        {
            var hi = _headIndexOfLabel[i];
            if (hi >= 0)
            {
                margins[hi] = labels[i].Bias;
            }
        }
        var w = Weights.AsSpan();
        var idx = x.Indices;
        var val = x.Values;
        if (h == 1)
        {
            float s = 0;
            for (var k = 0; k < idx.Length; k++)
            {
                s += w[idx[k]] * val[k];
            }
            margins[0] += s;
            return;
        }
        var vw = Vector<float>.Count;
        for (var k = 0; k < idx.Length; k++)
        {
            var row = w.Slice(idx[k] * h, h);
            var v = val[k];
            var j = 0;
            if (h >= vw)
            {
                var vv = new Vector<float>(v);
                for (; j <= h - vw; j += vw)
                {
                    var m = new Vector<float>(margins[j..]);
                    (m + new Vector<float>(row[j..]) * vv).CopyTo(margins[j..]);
                }
            }
            for (; j < h; j++)
            {
                margins[j] += row[j] * v;
            }
        }
    }

    /// <summary>Calibrated probabilities of every label (heads and roll-ups) into <paramref name="probabilities"/>.</summary>
    public void Predict(FeatureVector x, Span<float> probabilities)
    {
        Span<float> margins = Heads <= 256 ? stackalloc float[Heads] : new float[Heads];
        Margins(x, margins);
        ProbabilitiesFromMargins(margins, probabilities);
    }

    public void ProbabilitiesFromMargins(ReadOnlySpan<float> margins, Span<float> probabilities)
    {
        var labels = Header.Labels;
        for (var i = 0; i < labels.Count; i++)
        {
            var hi = _headIndexOfLabel[i];
            if (hi >= 0)
            {
                probabilities[i] = Calibrate(labels[i], margins[hi]);
            }
        }
        for (var i = 0; i < labels.Count; i++)
        {
            if (_headIndexOfLabel[i] < 0)
            {
                float max = 0;
                foreach (var m in _memberIndices[i])
                {
                    max = MathF.Max(max, probabilities[m]);
                }
                probabilities[i] = Calibrate(labels[i], Logit(max));
            }
        }
    }

    public static float Calibrate(LabelInfo label, float score)
    {
        var z = label.PlattA * score + label.PlattB;
        var p = 1f / (1f + MathF.Exp(Math.Clamp(z, -30f, 30f)));
        return float.IsNaN(p) ? label.Prior : p;
    }

    public static float Logit(float p)
    {
        p = Math.Clamp(p, 1e-6f, 1 - 1e-6f);
        return MathF.Log(p / (1 - p));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.SmallestSize);
        using var bw = new BinaryWriter(gz, Encoding.UTF8);
        var header = JsonSerializer.Serialize(Header, JsonOptions);
        bw.Write(Magic);
        bw.Write(FormatVersion);
        bw.Write(header);
        bw.Write(Weights.Length);
        var halves = new Half[Weights.Length];
        for (var i = 0; i < halves.Length; i++)
        {
            halves[i] = (Half)Weights[i];
        }
        var bytes = MemoryMarshal.AsBytes(halves.AsSpan());
        bw.Write(bytes);
        bw.Write(Checksum(Encoding.UTF8.GetBytes(header), bytes));
    }

    /// <summary>Loads a model file; any damage (truncation, bit flips, wrong file) is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static LinearModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file '{path}' is missing. Train it with `monitoring train` or restore models/ from the repository.", path);
        }
        try
        {
            using var file = File.OpenRead(path);
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            using var br = new BinaryReader(gz, Encoding.UTF8);
            if (br.ReadString() != Magic)
            {
                throw new InvalidDataException("not a Monitoring linear model file");
            }
            var version = br.ReadInt32();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"format version {version}, this build reads {FormatVersion}");
            }
            var headerJson = br.ReadString();
            var header = JsonSerializer.Deserialize<ModelHeader>(headerJson, JsonOptions) ?? throw new InvalidDataException("empty header");
            var n = br.ReadInt32();
            if (n < 0 || n != (long)header.Features.Dimension * header.Heads)
            {
                throw new InvalidDataException($"weight count {n} does not match the header");
            }
            var halves = new Half[n];
            var bytes = MemoryMarshal.AsBytes(halves.AsSpan());
            var read = 0;
            while (read < bytes.Length)
            {
                var r = gz.Read(bytes[read..]);
                if (r == 0)
                {
                    throw new InvalidDataException("file is truncated");
                }
                read += r;
            }
            var expected = br.ReadUInt64();
            if (expected != Checksum(Encoding.UTF8.GetBytes(headerJson), bytes))
            {
                throw new InvalidDataException("checksum mismatch");
            }
            var weights = new float[n];
            for (var i = 0; i < n; i++)
            {
                weights[i] = (float)halves[i];
            }
            return new LinearModel(header, weights);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or JsonException or IOException or NotSupportedException or ArgumentException)
        {
            throw new InvalidDataException($"Model file '{path}' is corrupt or unreadable ({e.Message}). Re-train it or restore models/ from the repository.", e);
        }
    }

    private static ulong Checksum(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var h = 14695981039346656037UL; // FNV-1a 64
        foreach (var x in a)
        {
            h = (h ^ x) * 1099511628211UL;
        }
        foreach (var x in b)
        {
            h = (h ^ x) * 1099511628211UL;
        }
        return h;
    }
}
