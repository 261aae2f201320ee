namespace Monitoring.Classifier.Training;

/// <summary>
/// Platt (1999) scaling fitted by Newton's method with a backtracking line search, following the
/// numerically stable algorithm of Lin, Lin and Weng (2007), including Platt's smoothed targets
/// (N+ + 1)/(N+ + 2) and 1/(N− + 2), which keep a perfectly separated dev split from giving 0/1 probabilities.
/// </summary>
public static class Platt
{
    /// <returns>(A, B) with p = 1 / (1 + exp(A·s + B)).</returns>
    public static (float A, float B) Fit(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        var n = scores.Length;
        int pos = 0;
        foreach (var l in labels)
        {
            if (l) pos++;
        }
        var neg = n - pos;
        if (pos == 0 || neg == 0)
        {
            // Nothing to calibrate against: a flat prior.
            var prior = (pos + 1.0) / (n + 2.0);
            return (0f, (float)Math.Log((1 - prior) / prior));
        }
        var hi = (pos + 1.0) / (pos + 2.0);
        var lo = 1.0 / (neg + 2.0);
        var t = new double[n];
        for (var i = 0; i < n; i++)
        {
            t[i] = labels[i] ? hi : lo;
        }
        double a = 0, b = Math.Log((neg + 1.0) / (pos + 1.0));
        const double sigma = 1e-12;
        double F(double aa, double bb, ReadOnlySpan<float> s)
        {
            double f = 0;
            for (var i = 0; i < n; i++)
            {
                var fApB = s[i] * aa + bb;
                f += fApB >= 0 ? t[i] * fApB + double.LogP1(Math.Exp(-fApB)) : (t[i] - 1) * fApB + double.LogP1(Math.Exp(fApB));
            }
            return f;
        }
        var fval = F(a, b, scores);
        for (var it = 0; it < 100; it++)
        {
            double h11 = sigma, h22 = sigma, h21 = 0, g1 = 0, g2 = 0;
            for (var i = 0; i < n; i++)
            {
                var fApB = scores[i] * a + b;
                double p, q;
                if (fApB >= 0)
                {
                    p = Math.Exp(-fApB) / (1.0 + Math.Exp(-fApB));
                    q = 1.0 / (1.0 + Math.Exp(-fApB));
                }
                else
                {
                    p = 1.0 / (1.0 + Math.Exp(fApB));
                    q = Math.Exp(fApB) / (1.0 + Math.Exp(fApB));
                }
                var d2 = p * q;
                h11 += scores[i] * scores[i] * d2;
                h22 += d2;
                h21 += scores[i] * d2;
                var d1 = t[i] - p;
                g1 += scores[i] * d1;
                g2 += d1;
            }
            if (Math.Abs(g1) < 1e-5 && Math.Abs(g2) < 1e-5)
            {
                break;
            }
            var det = h11 * h22 - h21 * h21;
            var dA = -(h22 * g1 - h21 * g2) / det;
            var dB = -(-h21 * g1 + h11 * g2) / det;
            var gd = g1 * dA + g2 * dB;
            var step = 1.0;
            var improved = false;
            while (step >= 1e-10)
            {
                var na = a + step * dA;
                var nb = b + step * dB;
                var nf = F(na, nb, scores);
                if (nf < fval + 1e-4 * step * gd)
                {
                    a = na;
                    b = nb;
                    fval = nf;
                    improved = true;
                    break;
                }
                step /= 2;
            }
            if (!improved)
            {
                break;
            }
        }
        return ((float)a, (float)b);
    }
}

public enum ThresholdObjective { F1, Accuracy, MacroF1 }

/// <summary>Chooses the decision threshold on tuning data by the metric the task is judged on.</summary>
public static class ThresholdTuner
{
    public static float Tune(ReadOnlySpan<float> probabilities, ReadOnlySpan<bool> labels, ThresholdObjective objective)
    {
        var n = probabilities.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var probs = probabilities.ToArray();
        Array.Sort(order, (x, y) => probs[y].CompareTo(probs[x]));
        int totalPos = 0;
        foreach (var l in labels)
        {
            if (l) totalPos++;
        }
        var totalNeg = n - totalPos;
        // Sweep from the highest probability down: predicting positive for the first k.
        double best = double.NegativeInfinity;
        var bestThreshold = 0.5f;
        int tp = 0, fp = 0;
        for (var k = 0; k < n; k++)
        {
            var i = order[k];
            if (labels[i]) tp++; else fp++;
            if (k + 1 < n && probs[order[k + 1]] == probs[i])
            {
                continue; // ties move together
            }
            var fn = totalPos - tp;
            var tn = totalNeg - fp;
            var score = objective switch
            {
                ThresholdObjective.F1 => F1(tp, fp, fn),
                ThresholdObjective.Accuracy => (double)(tp + tn) / n,
                _ => 0.5 * (F1(tp, fp, fn) + F1(tn, fn, fp)),
            };
            if (score > best)
            {
                best = score;
                // Half-way to the next lower score, so new data just below the last positive still counts.
                var next = k + 1 < n ? probs[order[k + 1]] : 0f;
                bestThreshold = 0.5f * (probs[i] + next);
            }
        }
        return totalPos == 0 ? 1f : bestThreshold;
    }

    public static double F1(int tp, int fp, int fn) => tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
}
