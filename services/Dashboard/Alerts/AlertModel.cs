using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Monitoring.Contracts;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.Alerts;

/// <summary>
/// An alert as the API, the stream and the deliveries show it: aggregates only. <see cref="Status"/> is
/// <c>open</c>, <c>acknowledged</c> or <c>resolved</c>; <see cref="Acknowledgement"/> and <see cref="ManualResolution"/>
/// say which API key did it, when, and its note.
/// </summary>
public sealed record AlertView(
    Guid Id,
    int Revision,
    string Marker,
    string Region,
    Granularity Granularity,
    string? Topic,
    AlertKind Kind,
    AlertSeverity Severity,
    AlertStatus Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset BucketStart,
    double? Observed,
    double? Expected,
    double? Threshold,
    string Method,
    double? PValue,
    DateTimeOffset? ResolvedAt,
    string? ResolutionReason,
    AlertAction? Acknowledgement,
    AlertAction? ManualResolution)
{
    /// <param name="cellShown">False when the alert's cell is suppressed: its observed value would give the cell away.</param>
    public static AlertView From(AlertRecord a, bool cellShown = true) => new(a.AlertId, a.Revision, a.Marker, a.Region, a.Granularity,
        a.Topic.Length == 0 ? null : a.Topic, a.Kind, a.Severity, a.Status, a.OpenedAt, a.UpdatedAt, a.BucketStart,
        cellShown ? a.Observed : null, a.Expected, a.Threshold, a.Method, a.PValue, a.ResolvedAt, a.ResolutionReason,
        AlertActions.Acknowledgement(a), AlertActions.ManualResolution(a));
}

public static class AlertMasking
{
    /// <summary>Whether the alert's own cell is shown; if not, its observed value is withheld everywhere.</summary>
    public static Task<bool> CellShownAsync(Series.SuppressionLookup lookup, AlertRecord a, CancellationToken ct) =>
        lookup.IsShownAsync(a.Marker, a.Region, a.Granularity, a.Topic, a.BucketStart, ct);
}

public sealed record EvidenceTerm(string Term, double BaselineShare, double CurrentShare, double Contribution);

public sealed record AlertEvidence(Guid AlertId, int Revision, string Marker, string Region, DateTimeOffset BucketStart, int MinTermAuthors, bool Suppressed, IReadOnlyList<EvidenceTerm> RisingTerms);

/// <summary>
/// The last line of defence for word shifts: whatever the Forecaster sent, a term that looks like a handle, an
/// e-mail address, a phone number or a URL (or a placeholder for one) is never served.
/// </summary>
public static partial class EvidenceFilter
{
    [GeneratedRegex(@"(^|\s)[@＠]\w|\w@\w|<user>|<url>|<email>|<phone>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HandleOrEmail();

    [GeneratedRegex(@"https?:|ftp:|www\.|://|\b[a-z0-9-]+\.(com|org|net|io|ar|uk|de|es|fr|gov|edu|info|co|me|ly|gl|app|dev|social)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Url();

    [GeneratedRegex(@"\+?\d[\d\s().-]{5,}\d")]
    private static partial Regex Phone();

    public static bool IsSafe(string term) =>
        !string.IsNullOrWhiteSpace(term) && term.Length <= 100
        && !HandleOrEmail().IsMatch(term) && !Url().IsMatch(term) && !Phone().IsMatch(term);

    public static IReadOnlyList<EvidenceTerm> Filter(IEnumerable<TermShift> terms) =>
        terms.Where(t => IsSafe(t.Term)).Select(t => new EvidenceTerm(t.Term, t.BaselineShare, t.CurrentShare, t.Contribution)).ToList();

    public static IReadOnlyList<EvidenceTerm> FromJson(string json) =>
        Filter(JsonSerializer.Deserialize<List<TermShift>>(json, ReadModel.Numbers.StorageJson) ?? []);
}

/// <summary>
/// No alert on a region-week with fewer than <see cref="PrivacyRules.MinAlertAuthors"/> distinct authors. Distinct
/// authors of a week are taken from the newest week cell of the region (any marker); without one, the largest day
/// count of that week is a lower bound. When the count cannot be shown to reach the minimum, the alert is withheld.
/// </summary>
public static class AlertEligibility
{
    public static async Task<HashSet<(string Region, DateTimeOffset Week)>> EligibleAsync(DashboardDbContext db, IEnumerable<AlertRecord> alerts, CancellationToken ct)
    {
        var wanted = alerts.Select(a => (a.Region, Week: Buckets.StartOf(a.BucketStart, Granularity.Week))).Distinct().ToList();
        var result = new HashSet<(string, DateTimeOffset)>();
        foreach (var group in wanted.GroupBy(w => w.Region))
        {
            var region = group.Key;
            var weeks = group.Select(g => g.Week).ToList();
            var from = weeks.Min();
            var to = weeks.Max().AddDays(7);
            var cells = await db.SeriesCells.AsNoTracking()
                .Where(c => c.Region == region && c.Topic == "" && (c.Granularity == Granularity.Week || c.Granularity == Granularity.Day)
                    && c.BucketStart >= from && c.BucketStart < to)
                .Select(c => new { c.Granularity, c.BucketStart, c.Authors })
                .ToListAsync(ct);
            foreach (var week in weeks)
            {
                var inWeek = cells.Where(c => Buckets.StartOf(c.BucketStart, Granularity.Week) == week).ToList();
                var weekly = inWeek.Where(c => c.Granularity == Granularity.Week).Select(c => c.Authors).DefaultIfEmpty(0).Max();
                var daily = inWeek.Where(c => c.Granularity == Granularity.Day).Select(c => c.Authors).DefaultIfEmpty(0).Max();
                if (Math.Max(weekly, daily) >= PrivacyRules.MinAlertAuthors)
                {
                    result.Add((region, week));
                }
            }
        }
        return result;
    }

    public static async Task<bool> IsEligibleAsync(DashboardDbContext db, AlertRecord alert, CancellationToken ct) =>
        (await EligibleAsync(db, [alert], ct)).Contains((alert.Region, Buckets.StartOf(alert.BucketStart, Granularity.Week)));

    public static string Format(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
