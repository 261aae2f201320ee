namespace Monitoring.Collector.Sources;

/// <summary>Exponential backoff with ±20 % jitter (1 s, 2 s, 4 s … capped), reset after a good connection.</summary>
public sealed class Backoff(TimeSpan first, TimeSpan max)
{
    private int _failures;

    public TimeSpan Next(TimeSpan? serverSaid = null)
    {
        _failures++;
        if (serverSaid is { } retryAfter && retryAfter > TimeSpan.Zero)
        {
            return retryAfter < max ? retryAfter : max;
        }
        var exponential = first.TotalMilliseconds * Math.Pow(2, Math.Min(_failures - 1, 20));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }

    public void Reset() => _failures = 0;
}

/// <summary>A source answered 429 or 5xx.</summary>
public sealed class SourceUnavailableException(int status, TimeSpan? retryAfter)
    : Exception($"The source answered {status}.")
{
    public int Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
