namespace Monitoring.Contracts;

public enum Granularity { Hour, Day, Week }

/// <summary>Where a time falls: buckets start at the UTC hour, the UTC day, or the ISO week (Monday 00:00 UTC).</summary>
public static class Buckets
{
    public static DateTimeOffset StartOf(DateTimeOffset t, Granularity g)
    {
        var u = t.UtcDateTime;
        return g switch
        {
            Granularity.Hour => new DateTimeOffset(u.Year, u.Month, u.Day, u.Hour, 0, 0, TimeSpan.Zero),
            Granularity.Day => new DateTimeOffset(u.Year, u.Month, u.Day, 0, 0, 0, TimeSpan.Zero),
            _ => new DateTimeOffset(System.Globalization.ISOWeek.ToDateTime(System.Globalization.ISOWeek.GetYear(u),
                System.Globalization.ISOWeek.GetWeekOfYear(u), DayOfWeek.Monday), TimeSpan.Zero),
        };
    }
}

/// <summary>Identifies one prevalence series. <see cref="AllRegions"/> is always kept beside the regional ones.</summary>
public sealed record SeriesKey(string Marker, string Region, Granularity Granularity, string? Topic = null)
{
    public const string AllRegions = "all";
    public const string UnknownRegion = "unknown";

    public override string ToString() =>
        $"{Marker}/{Region}/{Granularity.ToString().ToLowerInvariant()}{(Topic is null ? "" : "/" + Topic)}";
}

/// <summary>
/// One bucket of a series: counts and the adjusted prevalence with its 95 % interval.
/// </summary>
/// <param name="Posts">Posts scored in the bucket.</param>
/// <param name="Authors">Distinct pseudonymous authors in the bucket.</param>
/// <param name="ExpectedCount">Sum of the marker's probabilities (probabilistic count).</param>
/// <param name="FlaggedCount">Posts at or above the marker's threshold (classify and count).</param>
/// <param name="Prevalence">Adjusted prevalence (Forman 2008) clipped to [0, 1].</param>
public sealed record SeriesBucket(
    DateTimeOffset Start,
    long Posts,
    long Authors,
    double ExpectedCount,
    long FlaggedCount,
    double Prevalence,
    double Lower95,
    double Upper95);

/// <summary>Buckets that changed, with the time at which this version of them became known (for as-of queries).</summary>
public sealed record SeriesUpdate(SeriesKey Key, DateTimeOffset KnownAt, IReadOnlyList<SeriesBucket> Buckets);

public sealed record SeriesUpdated(Guid BatchId, IReadOnlyList<SeriesUpdate> Updates);

/// <summary>One forecast step with its 80 % and 95 % bounds.</summary>
public sealed record ForecastPoint(DateTimeOffset Start, double Mean, double Lower80, double Upper80, double Lower95, double Upper95);

public sealed record SeriesForecast(SeriesKey Key, string Method, DateTimeOffset IssuedAt, IReadOnlyList<ForecastPoint> Points);

public sealed record ForecastIssued(Guid BatchId, IReadOnlyList<SeriesForecast> Forecasts);
