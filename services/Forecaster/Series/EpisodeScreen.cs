using Monitoring.Contracts;

namespace Monitoring.Forecaster.Series;

/// <summary>
/// <c>dsm5.episode_screen</c> (DESIGN.md): an author screens positive when, within the last 14 days, at least 5 of
/// the 9 DSM-5 symptom markers were flagged on their posts, at least one of them depressed mood (A1) or anhedonia (A2).
/// The series counts, per bucket, the active authors (any post) and those who screened positive at the time of one of
/// their posts in the bucket. State is per pseudonymous author key and expires after 14 days.
/// </summary>
public static class EpisodeScreen
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(14);
    public const int MinSymptoms = 5;
    public const string Prefix = "dsm5.";

    /// <summary>The symptom name of a DSM-5 symptom marker (<c>dsm5.sleep_issues</c> → <c>sleep_issues</c>), else null.</summary>
    public static string? Symptom(string marker) =>
        marker.StartsWith(Prefix, StringComparison.Ordinal) && MarkerCatalogue.Dsm5Symptoms.ContainsKey(marker[Prefix.Length..])
            ? marker[Prefix.Length..] : null;

    /// <summary>True when the symptoms last seen (Unix seconds) within the window ending at <paramref name="at"/> meet the screen.</summary>
    public static bool IsPositive(IReadOnlyDictionary<string, long> lastSeen, long at)
    {
        var from = at - (long)Window.TotalSeconds;
        var present = lastSeen.Where(kv => kv.Value >= from).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        return present.Count >= MinSymptoms && (present.Contains("depressed_mood") || present.Contains("anhedonia"));
    }

    /// <summary>Wilson score interval (95 %) for k of n.</summary>
    public static (double Lower, double Upper) Wilson(long k, long n, double z = 1.959963984540054)
    {
        if (n <= 0) return (double.NaN, double.NaN);
        var p = Math.Min(1, (double)k / n);
        var d = 1 + z * z / n;
        var c = (p + z * z / (2 * n)) / d;
        var h = z * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;
        return (Math.Max(0, c - h), Math.Min(1, c + h));
    }
}
