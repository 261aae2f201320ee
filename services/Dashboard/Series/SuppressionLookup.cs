using Monitoring.Contracts;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.Series;

/// <summary>
/// Answers "is this cell shown?" for things derived from cells (an alert's observed value, a forecast's recent
/// history), with the same suppression as the series endpoint. Loads whole weeks per marker and topic once per
/// instance; use one per request.
/// </summary>
public sealed class SuppressionLookup(DashboardDbContext db)
{
    private readonly Dictionary<(string Marker, string Topic, DateTimeOffset Week, Granularity Granularity, string Region), SeriesResponse> _cache = new();

    /// <summary>Whether the cell of one bucket exists and is shown (not suppressed).</summary>
    public async Task<bool> IsShownAsync(string marker, string region, Granularity granularity, string topic, DateTimeOffset bucket, CancellationToken ct)
    {
        var start = bucket.ToUniversalTime();
        var response = await LoadAsync(marker, region, granularity, topic, start, start.AddTicks(1), ct);
        var point = response.Series[0].Points.FirstOrDefault(p => p.Start == start);
        return point is { Suppressed: false };
    }

    /// <summary>Whether [from, to) of a series has at least one shown bucket and no suppressed one.</summary>
    public async Task<bool> IsWindowShownAsync(string marker, string region, Granularity granularity, string topic, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var response = await LoadAsync(marker, region, granularity, topic, from, to, ct);
        var points = response.Series[0].Points;
        return points.Count > 0 && points.All(p => !p.Suppressed);
    }

    private async Task<SeriesResponse> LoadAsync(string marker, string region, Granularity granularity, string topic, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var key = (marker, topic, Buckets.StartOf(from, Granularity.Week), granularity, region);
        var (weekFrom, weekTo) = Suppression.WholeWeeks(from, to);
        if (weekTo - weekFrom > TimeSpan.FromDays(7) || !_cache.TryGetValue(key, out var response))
        {
            response = await SeriesQuery.RunAsync(db, new SeriesRequest([marker], [region], granularity, topic.Length == 0 ? null : topic, weekFrom, weekTo, null), ct);
            if (weekTo - weekFrom <= TimeSpan.FromDays(7)) _cache[key] = response;
        }
        var points = response.Series[0].Points.Where(p => p.Start >= from && p.Start < to).ToList();
        return response with { Series = [response.Series[0] with { Points = points }] };
    }
}
