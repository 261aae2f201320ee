namespace Monitoring.Forecaster.Forecasting;

/// <summary>
/// A small Nelder–Mead simplex minimiser (standard coefficients 1, 2, 0.5, 0.5) that returns the best point found
/// when the iteration budget runs out instead of throwing.
/// </summary>
public static class NelderMead
{
    public static double[] Minimize(Func<double[], double> f, double[] start, double step = 0.5, int maxIterations = 400, double tolerance = 1e-10)
    {
        var d = start.Length;
        var pts = new double[d + 1][];
        var vals = new double[d + 1];
        pts[0] = (double[])start.Clone();
        for (var i = 0; i < d; i++)
        {
            pts[i + 1] = (double[])start.Clone();
            pts[i + 1][i] += step;
        }
        for (var i = 0; i <= d; i++) vals[i] = Safe(f(pts[i]));
        var order = new int[d + 1];
        for (var it = 0; it < maxIterations; it++)
        {
            for (var i = 0; i <= d; i++) order[i] = i;
            Array.Sort(order, (a, b) => vals[a].CompareTo(vals[b]));
            int best = order[0], worst = order[d], second = order[d - 1];
            if (Math.Abs(vals[worst] - vals[best]) <= tolerance * (Math.Abs(vals[best]) + 1e-20)) break;
            var centroid = new double[d];
            for (var i = 0; i <= d; i++)
                if (i != worst)
                    for (var j = 0; j < d; j++) centroid[j] += pts[i][j] / d;
            double[] Along(double c) => centroid.Select((x, j) => x + c * (pts[worst][j] - x)).ToArray();
            var r = Along(-1);
            var fr = Safe(f(r));
            if (fr < vals[best])
            {
                var e = Along(-2);
                var fe = Safe(f(e));
                if (fe < fr) { pts[worst] = e; vals[worst] = fe; } else { pts[worst] = r; vals[worst] = fr; }
            }
            else if (fr < vals[second]) { pts[worst] = r; vals[worst] = fr; }
            else
            {
                var c = fr < vals[worst] ? Along(-0.5) : Along(0.5);
                var fc = Safe(f(c));
                if (fc < Math.Min(fr, vals[worst])) { pts[worst] = c; vals[worst] = fc; }
                else
                {
                    for (var i = 0; i <= d; i++)
                    {
                        if (i == best) continue;
                        for (var j = 0; j < d; j++) pts[i][j] = pts[best][j] + 0.5 * (pts[i][j] - pts[best][j]);
                        vals[i] = Safe(f(pts[i]));
                    }
                }
            }
        }
        var arg = 0;
        for (var i = 1; i <= d; i++) if (vals[i] < vals[arg]) arg = i;
        return pts[arg];
    }

    static double Safe(double v) => double.IsNaN(v) ? double.MaxValue : v;
}
