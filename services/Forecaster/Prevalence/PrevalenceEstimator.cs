using MathNet.Numerics.Distributions;

namespace Monitoring.Forecaster.Prevalence;

/// <summary>An adjusted prevalence with its interval (all clipped to [0, 1]).</summary>
/// <param name="Raw">Classify-and-count share q = flagged / posts.</param>
/// <param name="Adjusted">Forman's adjusted share (q − FPR)/(TPR − FPR), clipped to [0, 1].</param>
/// <param name="StandardError">Delta-method standard error of the unclipped estimate.</param>
public sealed record PrevalenceEstimate(double Raw, double Adjusted, double Lower, double Upper, double StandardError);

/// <summary>
/// Adjusted classify-and-count (Forman 2008, "Quantifying counts and costs via classification"):
/// p̂ = (q − FPR)/(TPR − FPR), clipped to [0, 1]. The interval is p̂ ± z·se around the clipped estimate, with the delta-method variance
/// <c>[q(1−q)/n + p̂²·TPR(1−TPR)/n₊ + (1−p̂)²·FPR(1−FPR)/n₋] / (TPR − FPR)²</c>, i.e. the sampling error of q in the
/// bucket plus the estimation error of TPR and FPR on n₊ positive and n₋ negative held-apart examples; clipped to [0, 1].
/// </summary>
public sealed class PrevalenceEstimator
{
    /// <summary>Validation sizes assumed when the model card does not give them.</summary>
    public const int DefaultValidationSize = 200;

    public PrevalenceEstimator(double truePositiveRate, double falsePositiveRate,
        int validationPositives = DefaultValidationSize, int validationNegatives = DefaultValidationSize, double confidence = 0.95)
    {
        if (truePositiveRate is < 0 or > 1 || falsePositiveRate is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(truePositiveRate), "rates must be in [0, 1]");
        if (validationPositives < 1 || validationNegatives < 1) throw new ArgumentOutOfRangeException(nameof(validationPositives));
        if (confidence is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(confidence));
        Tpr = truePositiveRate;
        Fpr = falsePositiveRate;
        Positives = validationPositives;
        Negatives = validationNegatives;
        Z = Normal.InvCDF(0, 1, 0.5 + confidence / 2);
    }

    public double Tpr { get; }
    public double Fpr { get; }
    public int Positives { get; }
    public int Negatives { get; }
    public double Z { get; }

    /// <summary>Estimates the prevalence from <paramref name="flagged"/> of <paramref name="posts"/> posts.</summary>
    public PrevalenceEstimate Estimate(long flagged, long posts)
    {
        if (posts < 0 || flagged < 0 || flagged > posts) throw new ArgumentOutOfRangeException(nameof(flagged));
        if (posts == 0) return new PrevalenceEstimate(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        var q = (double)flagged / posts;
        var d = Tpr - Fpr;
        if (!(d > 0))
        {
            // The classifier carries no information: nothing can be said about the prevalence.
            return new PrevalenceEstimate(q, double.NaN, 0, 1, double.NaN);
        }
        var p = (q - Fpr) / d;
        var pc = Math.Clamp(p, 0, 1);
        var variance = (q * (1 - q) / posts + pc * pc * Tpr * (1 - Tpr) / Positives + (1 - pc) * (1 - pc) * Fpr * (1 - Fpr) / Negatives) / (d * d);
        var se = Math.Sqrt(variance);
        return new PrevalenceEstimate(q, pc, Math.Clamp(pc - Z * se, 0, 1), Math.Clamp(pc + Z * se, 0, 1), se);
    }
}
