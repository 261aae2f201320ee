namespace Monitoring.Contracts;

/// <summary><c>Observed</c>: a detector fired on the newest bucket. <c>Forecast</c>: the forecast crosses the threshold within the horizon.</summary>
public enum AlertKind { Observed, Forecast }

/// <summary>Red for p &lt; 0.01, yellow for p &lt; 0.05.</summary>
public enum AlertSeverity { Yellow, Red }

/// <summary>A term that rose against the baseline window (used by at least 10 distinct authors in the cell).</summary>
public sealed record TermShift(string Term, double BaselineShare, double CurrentShare, double Contribution);

/// <summary>
/// The state of an alert incident. An incident opens, is updated while it lasts (each update bumps
/// <see cref="Revision"/>) and resolves; subscribers are told on change.
/// </summary>
public sealed record AlertIncident(
    Guid AlertId,
    int Revision,
    SeriesKey Key,
    AlertKind Kind,
    AlertSeverity Severity,
    DateTimeOffset OpenedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset BucketStart,
    double Observed,
    double Expected,
    double Threshold,
    string Method,
    double PValue,
    IReadOnlyList<TermShift> RisingTerms);

public sealed record AlertRaised(Guid BatchId, IReadOnlyList<AlertIncident> Alerts);

public sealed record AlertResolution(Guid AlertId, int Revision, SeriesKey Key, AlertKind Kind, DateTimeOffset ResolvedAt, string Reason);

public sealed record AlertResolved(Guid BatchId, IReadOnlyList<AlertResolution> Alerts);
