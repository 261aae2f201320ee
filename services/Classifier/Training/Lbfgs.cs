namespace Monitoring.Classifier.Training;

/// <summary>
/// Limited-memory BFGS (Nocedal 1980; Liu and Nocedal 1989): the two-loop recursion over the last
/// <c>m</c> curvature pairs, with a backtracking line search on the Armijo condition. Plain arrays and a
/// fixed order of operations, so the result is bit-for-bit deterministic.
/// </summary>
public static class Lbfgs
{
    /// <summary>Evaluates the objective at <c>x</c>, writes its gradient into <c>grad</c> and returns its value.</summary>
    public delegate double Objective(double[] x, double[] grad);

    public sealed record Options(int Memory = 10, int MaxIterations = 200, double RelativeTolerance = 1e-6, double GradientTolerance = 1e-6);

    public sealed record Result(int Iterations, int Evaluations, double Value, bool Converged);

    public static Result Minimize(Objective f, double[] x, Options? options = null)
    {
        options ??= new Options();
        var n = x.Length;
        var m = options.Memory;
        var s = new double[m][];
        var y = new double[m][];
        var rho = new double[m];
        var alpha = new double[m];
        for (var i = 0; i < m; i++)
        {
            s[i] = new double[n];
            y[i] = new double[n];
        }
        var g = new double[n];
        var gNew = new double[n];
        var d = new double[n];
        var xNew = new double[n];
        var fx = f(x, g);
        var evals = 1;
        var stored = 0;
        var head = 0;
        var converged = false;
        var iter = 0;
        for (; iter < options.MaxIterations; iter++)
        {
            var gNorm = Math.Sqrt(Dot(g, g));
            if (gNorm <= options.GradientTolerance * Math.Max(1, Math.Sqrt(Dot(x, x))))
            {
                converged = true;
                break;
            }

            // Two-loop recursion: d = -H g.
            Array.Copy(g, d, n);
            for (var k = 0; k < stored; k++)
            {
                var i = (head - 1 - k + m) % m;
                alpha[i] = rho[i] * Dot(s[i], d);
                Axpy(-alpha[i], y[i], d);
            }
            if (stored > 0)
            {
                var last = (head - 1 + m) % m;
                Scale(d, Dot(s[last], y[last]) / Dot(y[last], y[last]));
            }
            for (var k = stored - 1; k >= 0; k--)
            {
                var i = (head - 1 - k + m) % m;
                var beta = rho[i] * Dot(y[i], d);
                Axpy(alpha[i] - beta, s[i], d);
            }
            Scale(d, -1);

            var slope = Dot(g, d);
            if (slope >= 0)
            {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                Array.Copy(g, d, n);
                Scale(d, -1);
                slope = -Dot(g, g);
                stored = 0;
            }

            var step = stored == 0 ? Math.Min(1.0, 1.0 / gNorm) : 1.0;
            double fNew;
            var accepted = false;
            for (var ls = 0; ls < 30; ls++)
            {
                for (var j = 0; j < n; j++)
                {
                    xNew[j] = x[j] + step * d[j];
                }
                fNew = f(xNew, gNew);
                evals++;
                if (fNew <= fx + 1e-4 * step * slope)
                {
                    // Store the curvature pair if it keeps the Hessian approximation positive definite.
                    var si = s[head];
                    var yi = y[head];
                    for (var j = 0; j < n; j++)
                    {
                        si[j] = xNew[j] - x[j];
                        yi[j] = gNew[j] - g[j];
                    }
                    var sy = Dot(si, yi);
                    if (sy > 1e-12)
                    {
                        rho[head] = 1.0 / sy;
                        head = (head + 1) % m;
                        stored = Math.Min(stored + 1, m);
                    }
                    var relative = (fx - fNew) / Math.Max(Math.Max(Math.Abs(fx), Math.Abs(fNew)), 1e-12);
                    Array.Copy(xNew, x, n);
                    Array.Copy(gNew, g, n);
                    fx = fNew;
                    accepted = true;
                    if (relative < options.RelativeTolerance)
                    {
                        converged = true;
                    }
                    break;
                }
                step *= 0.5;
            }
            if (!accepted || converged)
            {
                converged = converged || !accepted;
                iter++;
                break;
            }
        }
        return new Result(iter, evals, fx, converged);
    }

    internal static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (var i = 0; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    private static void Scale(double[] x, double a)
    {
        for (var i = 0; i < x.Length; i++)
        {
            x[i] *= a;
        }
    }
}
