using System.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Monitoring.Forecaster.Forecasting;

/// <summary>
/// Singular spectrum analysis forecaster: a port of ML.NET's <c>ForecastBySsa</c>
/// (<c>AdaptiveSingularSpectrumSequenceModeler.cs</c>, <c>TrajectoryMatrix.cs</c>, <c>PolynomialUtils.cs</c> in
/// dotnet/machinelearning @cd2fbd61, src/Microsoft.ML.TimeSeries) written on MathNet.Numerics in double precision.
/// <list type="number">
/// <item>Train on the first <c>trainSize</c> non-NaN values (needs more than 2L): eigendecomposition of the
/// unnormalised lag-covariance X·Xᵀ of the L×K Hankel trajectory matrix, eigenpairs sorted descending.</item>
/// <item>Rank selection ("Exact"): for r = 1…maxRank, reconstruct the signal from the first r eigentriples by
/// diagonal averaging, then forecast the last E = min(max(L, 200), K) points recurrently from the reconstruction;
/// keep the rank with the smallest sum of absolute errors.</item>
/// <item>Linear recurrence α_j = Σ π_i U_i[j] / (1 − ν), π_i = U_i[L−1], ν = Σ π_i².</item>
/// <item>Stabilisation of the roots of the characteristic polynomial (trend and unobserved seasonalities).</item>
/// <item>Noise moments (observation and autoregression variances) for the confidence bounds.</item>
/// </list>
/// ML.NET computes in float32, so low digits differ; its golden test values are reproduced within 1e-3.
/// <c>isAdaptive</c>/<c>discountFactor</c> have no effect in ML.NET's forecaster and are not ported.
/// </summary>
public sealed class SsaForecaster
{
    readonly int _trainSize;
    readonly int _seriesLength;
    readonly bool _stabilize;
    readonly bool _computeIntervals;
    readonly double _maxTrendRatio;
    int _windowSize;
    int _maxRank;
    int _rank;
    double[] _alpha = [];
    double[] _state = [];
    double[][] _w = []; // rank eigenvectors of length L
    double _nextPrediction;
    double _observationNoiseVariance;
    double _autoregressionNoiseVariance;
    readonly List<double> _buffer = [];

    /// <param name="windowSize">L, the trajectory window (≥ 2). ML.NET recommends more than twice the longest season.</param>
    /// <param name="seriesLength">Capacity of the buffer of recent observations (&gt; L).</param>
    /// <param name="trainSize">Number of points from the start used to train (&gt; 2L).</param>
    /// <param name="maxRank">Largest rank considered (default L − 1).</param>
    /// <param name="stabilize">Stabilise the recurrence roots (default true).</param>
    /// <param name="maxGrowth">Optional cap on growth: (timeSpan, growth) gives a per-step ratio growth^(1/timeSpan).</param>
    /// <param name="computeIntervals">Compute noise moments for confidence bounds (ML.NET: only when a bound column is set).</param>
    public SsaForecaster(int windowSize, int seriesLength, int trainSize, int? maxRank = null, bool stabilize = true,
        (int TimeSpan, double Growth)? maxGrowth = null, bool computeIntervals = true)
    {
        if (windowSize < 2) throw new ArgumentOutOfRangeException(nameof(windowSize), "windowSize must be ≥ 2");
        if (seriesLength <= windowSize) throw new ArgumentOutOfRangeException(nameof(seriesLength), "seriesLength must be > windowSize");
        if (trainSize <= 2 * windowSize) throw new ArgumentOutOfRangeException(nameof(trainSize), "trainSize must be > 2·windowSize");
        _windowSize = windowSize;
        _seriesLength = seriesLength;
        _trainSize = trainSize;
        _maxRank = maxRank ?? windowSize - 1;
        if (_maxRank < 1 || _maxRank >= windowSize) throw new ArgumentOutOfRangeException(nameof(maxRank), "maxRank must be in [1, windowSize)");
        _stabilize = stabilize;
        _computeIntervals = computeIntervals;
        _maxTrendRatio = maxGrowth is { } g ? Math.Pow(g.Growth, 1.0 / g.TimeSpan) : double.PositiveInfinity;
        _state = new double[windowSize - 1];
        _alpha = new double[windowSize - 1];
    }

    public bool IsTrained { get; private set; }
    public int Rank => _rank;
    public int WindowSize => _windowSize;
    public IReadOnlyList<double> AutoregressiveCoefficients => _alpha;
    public double ObservationNoiseVariance => _observationNoiseVariance;
    public double AutoregressionNoiseVariance => _autoregressionNoiseVariance;
    public bool IsNaiveModel { get; private set; }

    /// <summary>Trains on the first trainSize non-NaN values; returns false (untrained) when there are not more than 2L of them.</summary>
    public bool Train(IEnumerable<double> data)
    {
        var values = data.Where(v => !double.IsNaN(v)).Take(_trainSize).ToArray();
        if (values.Length <= 2 * _windowSize) return false;
        TrainCore(values);
        IsTrained = true;
        return true;
    }

    void TrainCore(double[] y)
    {
        var n = y.Length;
        var L = _windowSize;
        var naive = false;
        double[][] u;
        try
        {
            u = Eigenvectors(y, L);
            for (var i = 0; i < _maxRank && !naive; i++)
                if (u[i].Any(double.IsNaN)) naive = true;
        }
        catch (Exception e) when (e is ArithmeticException or MathNet.Numerics.NonConvergenceException)
        {
            u = Enumerable.Range(0, L).Select(_ => new double[L]).ToArray();
            naive = true;
        }

        if (!naive)
        {
            // A "standard" eigenvector (last component ±1) makes 1 − ν vanish: ML.NET shrinks L and retrains.
            for (var i = 0; i < L; i++)
            {
                var v = (float)u[i][L - 1];
                if (v * v == 1f)
                {
                    if (L > 2)
                    {
                        _windowSize--;
                        _maxRank = _windowSize / 2;
                        _alpha = new double[_windowSize - 1];
                        _state = new double[_windowSize - 1];
                        TrainCore(y);
                        return;
                    }
                    naive = true;
                    break;
                }
            }
        }

        var signal = new double[n];
        if (naive)
        {
            _rank = 1;
            u[0] = Enumerable.Repeat(1 / Math.Sqrt(L), L).ToArray();
        }
        else
        {
            _rank = DetermineSignalRank(y, u, L, _maxRank, signal);
        }
        IsNaiveModel = naive;
        _w = u.Take(_rank).Select(v => (double[])v.Clone()).ToArray();

        var nu = 0.0;
        var pi = new double[_rank];
        for (var i = 0; i < _rank; i++) { pi[i] = _w[i][L - 1]; nu += pi[i] * pi[i]; }
        for (var j = 0; j < L - 1; j++)
        {
            var s = 0.0;
            for (var i = 0; i < _rank; i++) s += pi[i] * _w[i][j];
            _alpha[j] = s / (1 - nu);
        }

        if (_stabilize && !naive) Stabilize();

        if (_computeIntervals)
        {
            ComputeNoiseMoments(y, signal, _alpha, out _observationNoiseVariance, out _autoregressionNoiseVariance);
        }

        // State from the last L training values projected on the signal subspace (noise means are zeroed in ML.NET).
        _buffer.Clear();
        var x = new double[L];
        Array.Copy(y, n - L, x, 0, L);
        var smooth = Project(x);
        _nextPrediction = 0;
        for (var i = 1; i < L; i++)
        {
            _state[i - 1] = smooth[i];
            _nextPrediction += _state[i - 1] * _alpha[i - 1];
        }
    }

    /// <summary>Eigenvectors of X·Xᵀ sorted by eigenvalue, descending (TrajectoryMatrix.ComputeSvd).</summary>
    static double[][] Eigenvectors(double[] y, int L)
    {
        var k = y.Length - L + 1;
        var c = Matrix<double>.Build.Dense(L, L);
        for (var i = 0; i < L; i++)
            for (var j = i; j < L; j++)
            {
                var s = 0.0;
                for (var t = 0; t < k; t++) s += y[i + t] * y[j + t];
                c[i, j] = s;
                c[j, i] = s;
            }
        var evd = c.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(v => v.Real).ToArray();
        var order = Enumerable.Range(0, L).OrderByDescending(i => values[i]).ToArray();
        return order.Select(i => evd.EigenVectors.Column(i).ToArray()).ToArray();
    }

    /// <summary>Adds the diagonal average of u·(Xᵀu)ᵀ to <paramref name="x"/> (MultiplyTranspose + RankOneHankelization).</summary>
    static void AddComponent(double[] y, double[] u, int L, double[] x)
    {
        var n = y.Length;
        var k = n - L + 1;
        var v = new double[k];
        for (var t = 0; t < k; t++)
        {
            var s = 0.0;
            for (var i = 0; i < L; i++) s += u[i] * y[i + t];
            v[t] = s;
        }
        for (var p = 0; p < n; p++)
        {
            var lo = Math.Max(0, p - k + 1);
            var hi = Math.Min(L - 1, p);
            var s = 0.0;
            for (var i = lo; i <= hi; i++) s += u[i] * v[p - i];
            x[p] += s / (hi - lo + 1);
        }
    }

    static int DetermineSignalRank(double[] y, double[][] u, int L, int maxRank, double[] outputSignal)
    {
        var n = y.Length;
        var k = n - L + 1;
        var x = new double[n];
        var alpha = new double[L - 1];
        var nu = 0.0;
        var minErr = double.MaxValue;
        var minIndex = maxRank - 1;
        var e = Math.Min(Math.Max(L, 200), k);
        var window = new double[L - 1];
        for (var i = 0; i < maxRank; i++)
        {
            var lambda = u[i][L - 1];
            for (var j = 0; j < L - 1; j++) alpha[j] += lambda * u[i][j];
            nu += lambda * lambda;
            AddComponent(y, u[i], L, x);

            var mean = 0.0;
            for (var j = 0; j < n; j++) mean += y[j] - x[j];
            mean /= n;

            // Seed with the reconstruction just before the evaluation window, then forecast recurrently.
            var q = new Queue<double>(L);
            for (var j = n - e - L + 1; j < n - e; j++) q.Enqueue(x[j]);
            q.CopyTo(window, 0);
            var error = 0.0;
            for (var j = n - e; j < n; j++)
            {
                var t = 0.0;
                for (var m = 0; m < L - 1; m++) t += alpha[m] * window[m];
                t = t / (1 - nu) + mean;
                Array.Copy(window, 1, window, 0, L - 2);
                window[L - 2] = t;
                error += Math.Abs(y[j] - t);
                if (error > minErr) break;
            }
            if (error < minErr)
            {
                minErr = error;
                minIndex = i;
                Array.Copy(x, outputSignal, n);
            }
        }
        return minIndex + 1;
    }

    static void ComputeNoiseMoments(double[] series, double[] signal, double[] alpha, out double observationVariance, out double arVariance)
    {
        var n = signal.Length;
        var L = alpha.Length + 1;
        var k = n - L + 1;
        var mean = 0.0;
        for (var i = 0; i < n; i++) mean += series[i] - signal[i];
        mean /= n;
        var v = 0.0;
        for (var i = 0; i < n; i++) v += (series[i] - signal[i]) * (series[i] - signal[i]);
        observationVariance = v / n - mean * mean;

        var res = new double[k];
        var arMean = 0.0;
        for (var i = 0; i < k; i++)
        {
            var s = 0.0;
            for (var j = 0; j < L - 1; j++) s += alpha[j] * signal[i + j];
            res[i] = signal[L - 1 + i] - s;
            arMean += res[i];
        }
        arMean /= k;
        var a = 0.0;
        for (var i = 0; i < k; i++) a += (res[i] - arMean) * (res[i] - arMean);
        arVariance = a / (k - L + 1);
    }

    /// <summary>W·Wᵀ·x over the retained eigenvectors.</summary>
    double[] Project(double[] x)
    {
        var L = x.Length;
        var result = new double[L];
        foreach (var w in _w)
        {
            var c = 0.0;
            for (var i = 0; i < L; i++) c += w[i] * x[i];
            for (var i = 0; i < L; i++) result[i] += c * w[i];
        }
        return result;
    }

    /// <summary>Feeds the next observation (NaN is skipped); the model parameters do not change.</summary>
    public void Consume(double input)
    {
        if (double.IsNaN(input)) return;
        if (!IsTrained) throw new InvalidOperationException("train the model first");
        var L = _windowSize;
        if (_buffer.Count == 0)
            for (var i = 0; i < L - 1; i++) _buffer.Add(_state[i]);
        var x = new double[L];
        var len = _buffer.Count;
        for (var i = Math.Max(0, len - L + 1); i < len; i++) x[i - len + L - 1] = _buffer[i];
        x[L - 1] = input;
        var smooth = Project(x);
        _nextPrediction = 0;
        for (var i = 0; i < L - 2; i++)
        {
            _state[i] = ((L - 2 - i) * _state[i + 1] + smooth[i + 1]) / (L - 1 - i);
            _nextPrediction += _state[i] * _alpha[i];
        }
        _state[L - 2] = smooth[L - 1];
        _nextPrediction += _state[L - 2] * _alpha[L - 2];
        _buffer.Add(input);
        if (_buffer.Count > _seriesLength) _buffer.RemoveAt(0);
    }

    /// <summary>Point forecasts and (if intervals are computed) their standard deviations and bounds.</summary>
    public SsaForecast Forecast(int horizon, double confidenceLevel = 0.95)
    {
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon));
        if (!IsTrained) throw new InvalidOperationException("train the model first");
        var L = _windowSize;
        var f = new double[horizon];
        f[0] = _nextPrediction;
        for (var i = 1; i < horizon; i++)
        {
            var k = 0;
            var s = 0.0;
            for (var j = i; j < L - 1; j++, k++) s += _state[j] * _alpha[k];
            for (var j = Math.Max(0, i - L + 1); j < i; j++, k++) s += f[j] * _alpha[k];
            f[i] = s;
        }
        var sd = new double[horizon];
        if (_computeIntervals)
        {
            // Queue [0 × (L−3), 1, α_{L−2}] as in ML.NET (at step 1 the added term is ψ₂², ψ₁ never enters).
            var last = new List<double>(L);
            for (var i = 0; i < L - 3; i++) last.Add(0);
            last.Add(1);
            last.Add(_alpha[L - 2]);
            while (last.Count > L - 1) last.RemoveAt(0);
            var v = _autoregressionNoiseVariance + _observationNoiseVariance;
            sd[0] = v;
            for (var i = 1; i < horizon; i++)
            {
                var t = 0.0;
                for (var j = 0; j < L - 1; j++) t += _alpha[j] * last[j];
                last.Add(t);
                last.RemoveAt(0);
                sd[i] = sd[i - 1] + _autoregressionNoiseVariance * t * t;
            }
            for (var i = 0; i < horizon; i++) sd[i] = Math.Sqrt(sd[i]);
        }
        else Array.Fill(sd, double.NaN);
        return new SsaForecast(f, sd, BoundsZ(confidenceLevel));
    }

    static double BoundsZ(double confidence) => Normal.InvCDF(0, 1, 0.5 + confidence / 2);

    sealed class Component(double phase, int index)
    {
        public double Phase = phase;
        public int Index = index;
        public int Cluster;
    }

    /// <summary>ML.NET's Stabilize(): moves the characteristic roots so the recurrence does not explode.</summary>
    bool Stabilize()
    {
        var L = _windowSize;
        if (_alpha.Length == 1)
        {
            _alpha[0] = Math.Clamp(_alpha[0], -1, 1);
            return true;
        }
        const double eps = 1e-9;
        const double highFrequencyBoundary = Math.PI / 2;
        var coeff = _alpha.Select(a => -a).ToArray();
        var roots = PolynomialRoots.FindRoots(coeff);
        if (roots is null) return false;

        var trendComponents = new List<int>();
        for (var i = 0; i < L - 1; i++)
            if (roots[i].Magnitude > 1 && (Math.Abs(roots[i].Phase) <= eps || Math.Abs(Math.Abs(roots[i].Phase) - Math.PI) <= eps))
                trendComponents.Add(i);

        var polynomialTrendFound = false;
        var sorted = new List<Component>();
        for (var i = 0; i < L - 1; i++)
        {
            if (roots[i].Phase != 0)
            {
                if (roots[i].Magnitude >= 1 && 2 * Math.PI / Math.Abs(roots[i].Phase) > L)
                {
                    roots[i] = new Complex(roots[i].Real, 0);
                    polynomialTrendFound = true;
                }
                else if (roots[i].Magnitude > 1)
                    sorted.Add(new Component(roots[i].Phase, i));
            }
        }

        if (_maxTrendRatio > 1)
        {
            if (sorted.Count > 1 && polynomialTrendFound)
            {
                sorted.Sort((a, b) => a.Phase.CompareTo(b.Phase));
                var clusterNum = 0;
                for (var i = 0; i < sorted.Count - 1; i++)
                {
                    if ((sorted[i].Phase < 0 && sorted[i + 1].Phase < 0) || (sorted[i].Phase > 0 && sorted[i + 1].Phase > 0))
                    {
                        sorted[i].Cluster = clusterNum;
                        if (Math.Abs(sorted[i + 1].Phase - sorted[i].Phase) > 0.05) clusterNum++;
                        sorted[i + 1].Cluster = clusterNum;
                    }
                    else clusterNum++;
                }
                var start = 0;
                for (var i = 1; i < sorted.Count; i++)
                {
                    if (sorted[i].Cluster != sorted[i - 1].Cluster)
                    {
                        if (i - start > 1)
                        {
                            double avgPhase = 0, avgMagnitude = 0;
                            for (var j = start; j < i; j++)
                            {
                                avgPhase += sorted[j].Phase;
                                avgMagnitude += roots[sorted[j].Index].Magnitude;
                            }
                            avgPhase /= i - start;
                            avgMagnitude /= i - start;
                            for (var j = start; j < i; j++)
                                roots[sorted[j].Index] = Complex.FromPolarCoordinates(avgMagnitude, avgPhase);
                        }
                        start = i;
                    }
                }
            }

            if (!polynomialTrendFound)
            {
                int ind1 = -1, ind2 = -1;
                foreach (var ind in trendComponents)
                    if (Math.Abs(roots[ind].Phase) <= eps) { ind1 = ind; break; }
                for (var i = 0; i < L - 1; i++)
                    if (Math.Abs(roots[i].Phase) <= eps && 0.9 <= roots[i].Magnitude && i != ind1) { ind2 = i; break; }
                if (ind1 >= 0 && ind2 >= 0 && ind1 != ind2)
                {
                    roots[ind1] = Complex.FromPolarCoordinates(1, 0);
                    roots[ind2] = Complex.FromPolarCoordinates(1, 0);
                    polynomialTrendFound = true;
                }
            }
        }

        double maxTrendMagnitude;
        if (polynomialTrendFound)
        {
            maxTrendMagnitude = Math.Min(1, _maxTrendRatio);
            foreach (var ind in trendComponents)
                roots[ind] = Complex.FromPolarCoordinates(0.99, roots[ind].Phase);
        }
        else
        {
            var trendFound = false;
            maxTrendMagnitude = double.NegativeInfinity;
            for (var i = 0; i < L - 1; i++)
                if (roots[i].Magnitude > 1 && Math.Abs(roots[i].Phase) <= eps)
                {
                    trendFound = true;
                    maxTrendMagnitude = Math.Max(maxTrendMagnitude, roots[i].Magnitude);
                }
            if (!trendFound) maxTrendMagnitude = 1;
            maxTrendMagnitude = Math.Min(maxTrendMagnitude, _maxTrendRatio);
        }

        var smallTrendMagnitude = Math.Min(maxTrendMagnitude, (maxTrendMagnitude + 1) / 2);
        for (var i = 0; i < L - 1; i++)
        {
            if (roots[i].Magnitude >= maxTrendMagnitude)
            {
                var ph = roots[i].Phase;
                var high = (highFrequencyBoundary < ph && ph < Math.PI - eps) || (-Math.PI + eps < ph && ph < -highFrequencyBoundary);
                roots[i] = Complex.FromPolarCoordinates(high ? smallTrendMagnitude : maxTrendMagnitude, ph);
            }
        }
        for (var i = 0; i < L - 1; i++)
        {
            var phase = roots[i].Phase;
            if (Math.Abs(phase) <= eps) roots[i] = new Complex(roots[i].Magnitude, 0);
            else if (Math.Abs(phase - Math.PI) <= eps || Math.Abs(phase + Math.PI) <= eps) roots[i] = new Complex(-roots[i].Magnitude, 0);
        }

        var rebuilt = PolynomialRoots.Coefficients(roots);
        if (rebuilt is null) return false;
        for (var i = 0; i < L - 1; i++) _alpha[i] = -rebuilt[i];
        return true;
    }
}

/// <summary>SSA forecast: point values and standard deviations; bounds at the confidence used to build it.</summary>
public sealed record SsaForecast(double[] Point, double[] StandardDeviation, double Z)
{
    public double[] Lower => Point.Select((p, i) => p - Z * StandardDeviation[i]).ToArray();
    public double[] Upper => Point.Select((p, i) => p + Z * StandardDeviation[i]).ToArray();
    public double[] LowerAt(double confidence) => Bounds(confidence, -1);
    public double[] UpperAt(double confidence) => Bounds(confidence, 1);
    double[] Bounds(double confidence, int sign)
    {
        var z = Normal.InvCDF(0, 1, 0.5 + confidence / 2);
        return Point.Select((p, i) => p + sign * z * StandardDeviation[i]).ToArray();
    }
}
