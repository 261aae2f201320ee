using Monitoring.Classifier.Features;
using Monitoring.Classifier.Text;

namespace Monitoring.Classifier.Training;

/// <summary>Rows of hashed features in compressed-sparse-row form.</summary>
public sealed class SparseMatrix
{
    public required int[] RowStart { get; init; }
    public required int[] Index { get; init; }
    public required float[] Value { get; init; }
    public required int Dimension { get; init; }
    public int Rows => RowStart.Length - 1;

    /// <summary>Featurises texts on up to <paramref name="threads"/> threads; the result does not depend on the thread count.</summary>
    public static SparseMatrix Build(IReadOnlyList<string> texts, FeatureExtractor extractor, int threads)
    {
        var rowsIdx = new int[texts.Count][];
        var rowsVal = new float[texts.Count][];
        Parallel.For(0, texts.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, () => (new TokenBuffer(), new FeatureVector()), (i, _, state) =>
        {
            SocialTokenizer.Tokenize(texts[i], state.Item1);
            extractor.Extract(state.Item1, state.Item2);
            rowsIdx[i] = state.Item2.Indices.ToArray();
            rowsVal[i] = state.Item2.Values.ToArray();
            return state;
        }, _ => { });
        var starts = new int[texts.Count + 1];
        for (var i = 0; i < texts.Count; i++)
        {
            starts[i + 1] = starts[i] + rowsIdx[i].Length;
        }
        var idx = new int[starts[^1]];
        var val = new float[starts[^1]];
        for (var i = 0; i < texts.Count; i++)
        {
            rowsIdx[i].CopyTo(idx, starts[i]);
            rowsVal[i].CopyTo(val, starts[i]);
        }
        return new SparseMatrix { RowStart = starts, Index = idx, Value = val, Dimension = extractor.Spec.Dimension };
    }

    public double Dot(int row, double[] w)
    {
        double s = 0;
        for (var k = RowStart[row]; k < RowStart[row + 1]; k++)
        {
            s += Value[k] * w[Index[k]];
        }
        return s;
    }
}

/// <summary>
/// Binary L2-regularised logistic regression, one per label (multi-label one-vs-rest), minimised by
/// L-BFGS. Rare labels get a larger weight on their positives, (N−/N+)^<see cref="PositiveWeightPower"/>
/// (a softened "balanced" weighting: 1 would be fully balanced, which overshoots on labels with a
/// handful of examples); the tuned threshold and Platt scaling then correct the shifted base rate.
/// </summary>
public sealed class LogisticTrainer
{
    public double Lambda { get; init; } = 1e-5;
    public double PositiveWeightPower { get; init; } = 0.5;
    public double MaxPositiveWeight { get; init; } = 30;
    public int MaxIterations { get; init; } = 150;
    public int Threads { get; init; } = 2;

    public sealed record Fit(double[] Weights, double Bias, int Iterations, double Loss);

    /// <summary>Fits one model per label column. <paramref name="labels"/>[l][i] is row i's label for l.</summary>
    public Fit[] Train(SparseMatrix x, IReadOnlyList<bool[]> labels, Action<string>? log = null)
    {
        var fits = new Fit[labels.Count];
        Parallel.For(0, labels.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Threads) }, l =>
        {
            fits[l] = TrainOne(x, labels[l]);
            log?.Invoke($"  label {l + 1}/{labels.Count}: {fits[l].Iterations} iterations, loss {fits[l].Loss:F5}");
        });
        return fits;
    }

    public Fit TrainOne(SparseMatrix x, bool[] y)
    {
        var n = x.Rows;
        var d = x.Dimension;
        var pos = y.Count(v => v);
        var neg = n - pos;
        var cPos = pos == 0 ? 1 : Math.Min(MaxPositiveWeight, Math.Pow(Math.Max(1.0, (double)neg / pos), PositiveWeightPower));
        var norm = 1.0 / (pos * cPos + neg);
        var lambda = Lambda;
        var margins = new double[n];
        // Parameter vector: d weights then the (unregularised) bias.
        var w = new double[d + 1];
        if (pos > 0 && neg > 0)
        {
            w[d] = Math.Log(pos * cPos / neg);
        }

        double Objective(double[] p, double[] grad)
        {
            Array.Clear(grad);
            var bias = p[d];
            double loss = 0, gBias = 0;
            for (var i = 0; i < n; i++)
            {
                var z = x.Dot(i, p) + bias;
                var c = y[i] ? cPos : 1.0;
                // log(1 + exp(-yz)) computed without overflow.
                var yz = y[i] ? z : -z;
                loss += c * (yz > 0 ? double.LogP1(Math.Exp(-yz)) : -yz + double.LogP1(Math.Exp(yz)));
                var sigma = 1.0 / (1.0 + Math.Exp(-z));
                margins[i] = c * (sigma - (y[i] ? 1.0 : 0.0));
            }
            for (var i = 0; i < n; i++)
            {
                var gi = margins[i];
                if (gi == 0)
                {
                    continue;
                }
                gBias += gi;
                for (var k = x.RowStart[i]; k < x.RowStart[i + 1]; k++)
                {
                    grad[x.Index[k]] += gi * x.Value[k];
                }
            }
            double reg = 0;
            for (var j = 0; j < d; j++)
            {
                grad[j] = grad[j] * norm + lambda * p[j];
                reg += p[j] * p[j];
            }
            grad[d] = gBias * norm;
            return loss * norm + 0.5 * lambda * reg;
        }

        var result = Lbfgs.Minimize(Objective, w, new Lbfgs.Options(MaxIterations: MaxIterations, RelativeTolerance: 1e-7));
        return new Fit(w[..d], w[d], result.Iterations, result.Value);
    }
}
