namespace Monitoring.Forecaster.Detection;

/// <summary>
/// A detector's verdict on one time point. Undefined quantities are <see cref="double.NaN"/>;
/// <see cref="Alarm"/> is null where the method cannot be evaluated or its statistic is undefined.
/// </summary>
/// <param name="Expected">The baseline expectation (mean, EWMA baseline, regression forecast).</param>
/// <param name="UpperBound">The threshold reported next to the observation (see docs/methods.md per method).</param>
/// <param name="Statistic">The test statistic (C-statistic, t statistic, CUSUM sum).</param>
/// <param name="PValue">One-sided p-value where the method defines one, else NaN.</param>
/// <param name="Alarm">True when the detector fires; null when not evaluable.</param>
/// <param name="Method">The method that produced this point (useful for the switch).</param>
public readonly record struct DetectionPoint(
    double Expected,
    double UpperBound,
    double Statistic,
    double PValue,
    bool? Alarm,
    string? Method = null)
{
    public static readonly DetectionPoint NotEvaluable = new(double.NaN, double.NaN, double.NaN, double.NaN, null);

    public bool IsEvaluable => Alarm.HasValue;
}
