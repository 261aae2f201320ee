using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Monitoring.Forecaster.Forecasting;

/// <summary>
/// Roots and coefficients of monic polynomials z^n + c[n−1]·z^(n−1) + … + c[0], the convention of ML.NET's
/// <c>PolynomialUtils</c>: leading (low-order) zero coefficients give exact zero roots, degree 1 and 2 are solved
/// in closed form, higher degrees through the eigenvalues of the companion matrix (MathNet's EVD instead of LAPACK
/// dhseqr).
/// </summary>
public static class PolynomialRoots
{
    const double Tolerance = 2.22e-100;

    public static Complex[]? FindRoots(double[] c)
    {
        var n = c.Length;
        var roots = new Complex[n];
        int i;
        for (i = 0; i < n; i++)
        {
            if (Math.Abs(c[i]) <= Tolerance) roots[n - i - 1] = Complex.Zero;
            else break;
        }
        if (i == n) return roots;
        if (i == n - 1) { roots[0] = new Complex(-c[i], 0); return roots; }
        if (i == n - 2)
        {
            var b = c[i + 1];
            var cc = c[i];
            var delta = b * b - 4 * cc;
            var sq = Math.Sqrt(Math.Abs(delta));
            if (delta >= 0) { roots[0] = new Complex((-b + sq) / 2, 0); roots[1] = new Complex((-b - sq) / 2, 0); }
            else { roots[0] = new Complex(-b / 2, sq / 2); roots[1] = new Complex(-b / 2, -sq / 2); }
            return roots;
        }
        var m = n - i;
        var companion = Matrix<double>.Build.Dense(m, m);
        for (var r = 1; r < m; r++) companion[r - 1, r] = 1;
        for (var r = 0; r < m; r++) companion[m - 1, r] = -c[i + r];
        try
        {
            var ev = companion.Evd().EigenValues;
            for (var j = 0; j < m; j++)
            {
                var z = ev[j];
                if (double.IsNaN(z.Real) || double.IsNaN(z.Imaginary)) return null;
                // Real eigenvalues carry an exact zero imaginary part (no −0 phase flips).
                roots[j] = z.Imaginary == 0 ? new Complex(z.Real, 0) : z;
            }
        }
        catch (ArithmeticException) { return null; }
        return roots;
    }

    /// <summary>
    /// Coefficients c[0..n−1] of Π(z − r_i). As in ML.NET, complex roots must come in exact conjugate pairs,
    /// otherwise null is returned (and the caller keeps its unstabilised coefficients).
    /// </summary>
    public static double[]? Coefficients(Complex[] roots)
    {
        var n = roots.Length;
        var pending = new Dictionary<Complex, int>();
        foreach (var r in roots)
        {
            if (double.IsNaN(r.Real) || double.IsNaN(r.Imaginary)) return null;
            if (r.Imaginary == 0) continue;
            var conj = Complex.Conjugate(r);
            if (pending.TryGetValue(conj, out var m))
            {
                if (m <= 1) pending.Remove(conj); else pending[conj] = m - 1;
            }
            else pending[r] = pending.GetValueOrDefault(r) + 1;
        }
        if (pending.Count > 0) return null;

        // Multiply real linear and real quadratic factors (low order first).
        var poly = new List<double> { 1 };
        var used = new bool[n];
        for (var i = 0; i < n; i++)
        {
            if (used[i]) continue;
            used[i] = true;
            var r = roots[i];
            if (r.Imaginary == 0) poly = Multiply(poly, [-r.Real, 1]);
            else
            {
                for (var k = i + 1; k < n; k++)
                    if (!used[k] && roots[k] == Complex.Conjugate(r)) { used[k] = true; break; }
                poly = Multiply(poly, [r.Real * r.Real + r.Imaginary * r.Imaginary, -2 * r.Real, 1]);
            }
        }
        var result = new double[n];
        for (var i = 0; i < n; i++) result[i] = poly[i];
        return result;
    }

    static List<double> Multiply(List<double> a, double[] b)
    {
        var r = new double[a.Count + b.Length - 1];
        for (var i = 0; i < a.Count; i++)
            for (var j = 0; j < b.Length; j++)
                r[i + j] += a[i] * b[j];
        return [.. r];
    }
}
