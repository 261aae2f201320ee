using Monitoring.Forecaster.Detection;

namespace Monitoring.Forecaster.Backtesting;

/// <summary>Detection quality of one detector against a known outbreak indicator.</summary>
/// <param name="Sensitivity">Share of outbreak events (runs of consecutive outbreak buckets) with at least one alarm inside the run.</param>
/// <param name="FalseAlertsPer100">Alarms on non-outbreak buckets per 100 evaluable non-outbreak buckets.</param>
/// <param name="MedianLag">Median over detected events of (first alarm − event start), in buckets; NaN when none detected.</param>
/// <param name="Events">Number of outbreak events with at least one evaluable bucket.</param>
/// <param name="Detected">Events detected.</param>
public sealed record DetectionScore(double Sensitivity, double FalseAlertsPer100, double MedianLag, int Events, int Detected, double BucketSensitivity);

public static class DetectionBacktest
{
    public static DetectionScore Score(IReadOnlyList<bool?> alarms, IReadOnlyList<bool> outbreak)
    {
        if (alarms.Count != outbreak.Count) throw new ArgumentException("alarm and truth lengths differ");
        int falseAlarms = 0, negatives = 0, events = 0, detected = 0, posBuckets = 0, posHits = 0;
        var lags = new List<int>();
        var t = 0;
        while (t < outbreak.Count)
        {
            if (!outbreak[t])
            {
                if (alarms[t].HasValue) { negatives++; if (alarms[t] == true) falseAlarms++; }
                t++;
                continue;
            }
            var start = t;
            var evaluable = false;
            int? first = null;
            while (t < outbreak.Count && outbreak[t])
            {
                if (alarms[t].HasValue)
                {
                    evaluable = true;
                    posBuckets++;
                    if (alarms[t] == true) { posHits++; first ??= t; }
                }
                t++;
            }
            if (!evaluable) continue;
            events++;
            if (first is { } f) { detected++; lags.Add(f - start); }
        }
        return new DetectionScore(
            events > 0 ? (double)detected / events : double.NaN,
            negatives > 0 ? 100.0 * falseAlarms / negatives : double.NaN,
            lags.Count > 0 ? RStats.Median(lags.Select(l => (double)l)) : double.NaN,
            events, detected,
            posBuckets > 0 ? (double)posHits / posBuckets : double.NaN);
    }
}
