namespace Monitoring.Forecaster.Detection;

/// <summary>Optional parameters of <see cref="Detectors.Run"/>; null means the method's default. <c>From</c>: evaluate only
/// points from this index on (CUSUM always runs the whole chart).</summary>
public sealed record DetectorOptions(double? Alpha = null, int? Baseline = null, double? MinSigma = null,
    int? Guard = null, double? K = null, double? H = null, int From = 0);

/// <summary>Runs a detector by its command-line name.</summary>
public static class Detectors
{
    public static readonly IReadOnlyList<string> Names =
        ["ears-c1", "ears-c2", "ears-c3", "ears-c3-textbook", "ewma", "regression", "switch", "cusum"];

    public static DetectionPoint[] Run(string method, IReadOnlyList<DateTime> dates, IReadOnlyList<double> y, DetectorOptions? options = null)
    {
        var o = options ?? new DetectorOptions();
        var earsB = o.Baseline ?? Ears.DefaultBaseline;
        var earsA = o.Alpha ?? Ears.DefaultAlpha;
        var earsS = o.MinSigma ?? Ears.DefaultMinSigma;
        var essB = o.Baseline ?? Essence.DefaultBaseline;
        var essG = o.Guard ?? Essence.DefaultGuard;
        var essA = o.Alpha ?? Essence.DefaultAlpha;
        return method switch
        {
            "ears-c1" => Ears.C1(y, earsB, earsA, earsS, o.From),
            "ears-c2" => Ears.C2(y, earsB, earsA, earsS, o.From),
            "ears-c3" => Ears.C3(y, earsB, earsA, earsS, o.From),
            "ears-c3-textbook" => Ears.C3Textbook(y, earsB, earsA, earsS, o.From),
            "ewma" => Essence.Ewma(y, essB, essG, alpha: essA, from: o.From),
            "regression" => Essence.Regression(dates, y, essB, essG, essA, o.From).Select(r => r.Point).ToArray(),
            "switch" => Essence.Switch(dates, y, essB, essG, essA, o.From),
            "cusum" => Cusum.Detect(y, o.Baseline ?? Cusum.DefaultBaseline, o.Guard ?? Cusum.DefaultGuard,
                o.K ?? Cusum.DefaultK, o.H ?? Cusum.DefaultH, o.MinSigma ?? 0),
            _ => throw new ArgumentException($"unknown method '{method}'; expected one of {string.Join(", ", Names)}", nameof(method)),
        };
    }
}
