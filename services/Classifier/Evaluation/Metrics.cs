namespace Monitoring.Classifier.Evaluation;

/// <summary>Confusion counts and the usual scores of one binary decision.</summary>
public sealed record BinaryMetrics(int Tp, int Fp, int Fn, int Tn)
{
    public int Support => Tp + Fn;
    public int N => Tp + Fp + Fn + Tn;
    public double Precision => Tp + Fp == 0 ? 0 : (double)Tp / (Tp + Fp);
    public double Recall => Tp + Fn == 0 ? 0 : (double)Tp / (Tp + Fn);
    public double F1 => Tp == 0 ? 0 : 2.0 * Tp / (2.0 * Tp + Fp + Fn);
    public double FalsePositiveRate => Fp + Tn == 0 ? 0 : (double)Fp / (Fp + Tn);
    public double Accuracy => N == 0 ? 0 : (double)(Tp + Tn) / N;
    /// <summary>F1 of the negative class.</summary>
    public double NegativeF1 => Tn == 0 ? 0 : 2.0 * Tn / (2.0 * Tn + Fn + Fp);
    public double MacroF1 => 0.5 * (F1 + NegativeF1);

    public static BinaryMetrics Compute(ReadOnlySpan<float> probabilities, ReadOnlySpan<bool> labels, float threshold)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i] >= threshold;
            if (p && labels[i]) tp++;
            else if (p) fp++;
            else if (labels[i]) fn++;
            else tn++;
        }
        return new BinaryMetrics(tp, fp, fn, tn);
    }

    public static BinaryMetrics FromDecisions(ReadOnlySpan<bool> predicted, ReadOnlySpan<bool> labels)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (var i = 0; i < predicted.Length; i++)
        {
            if (predicted[i] && labels[i]) tp++;
            else if (predicted[i]) fp++;
            else if (labels[i]) fn++;
            else tn++;
        }
        return new BinaryMetrics(tp, fp, fn, tn);
    }

    /// <summary>Micro-averaged F1 over several labels (pooled counts).</summary>
    public static double MicroF1(IEnumerable<BinaryMetrics> all)
    {
        int tp = 0, fp = 0, fn = 0;
        foreach (var m in all)
        {
            tp += m.Tp;
            fp += m.Fp;
            fn += m.Fn;
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
}

public static class Auc
{
    /// <summary>Area under the ROC curve by the rank-sum (Mann–Whitney) formula, ties counted half.</summary>
    public static double Compute(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        var n = scores.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var s = scores.ToArray();
        Array.Sort(order, (a, b) => s[a].CompareTo(s[b]));
        double rankSumPos = 0;
        long pos = 0;
        var k = 0;
        while (k < n)
        {
            var j = k;
            while (j + 1 < n && s[order[j + 1]] == s[order[k]]) j++;
            var avgRank = (k + j) / 2.0 + 1;
            for (var t = k; t <= j; t++)
            {
                if (labels[order[t]])
                {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            k = j + 1;
        }
        var neg = n - pos;
        if (pos == 0 || neg == 0) return 0.5;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double)pos * neg);
    }
}
