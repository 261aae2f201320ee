using System.Globalization;
using Monitoring.Contracts;
using Monitoring.Forecaster.Prevalence;

namespace Monitoring.Forecaster.Series;

/// <summary>What one batch adds to one bucket: counts, and the author keys whose distinct count the store keeps.</summary>
public sealed class BucketDelta(SeriesKey key, DateTimeOffset start)
{
    public SeriesKey Key { get; } = key;
    public DateTimeOffset Start { get; } = start;
    public long Posts { get; set; }
    public double ExpectedCount { get; set; }
    public long FlaggedCount { get; set; }
    public HashSet<string> Authors { get; } = new(StringComparer.Ordinal);
}

/// <summary>Occurrences of an evidence term (an n-gram that pushed a flagged marker up) in one bucket, with its authors.</summary>
public sealed class TermDelta(SeriesKey key, DateTimeOffset start, string term)
{
    public SeriesKey Key { get; } = key;
    public DateTimeOffset Start { get; } = start;
    public string Term { get; } = term;
    public long Count { get; set; }
    public HashSet<string> Authors { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Turns a <see cref="PostsClassified"/> batch into additive bucket deltas, per (marker, region, granularity,
/// optional topic): the post's region and always <see cref="SeriesKey.AllRegions"/>; each granularity; no topic and
/// each tracked topic of the post. Buckets start at the UTC hour, UTC day, or ISO week (Monday 00:00 UTC).
/// </summary>
public static class SeriesAggregator
{
    public static readonly IReadOnlyList<Granularity> AllGranularities = [Granularity.Hour, Granularity.Day, Granularity.Week];

    /// <summary>
    /// The cells a post counts in for each granularity: its region and <see cref="SeriesKey.AllRegions"/>, no topic and
    /// each of its topics.
    /// </summary>
    public static List<(string Region, Granularity Granularity, string? Topic, DateTimeOffset Start)> CellsOf(ClassifiedPost post,
        IReadOnlyList<Granularity> granularities)
    {
        var regions = post.Region == SeriesKey.AllRegions ? [SeriesKey.AllRegions] : new[] { post.Region, SeriesKey.AllRegions };
        var topics = new List<string?> { null };
        topics.AddRange(post.Topics.Distinct(StringComparer.Ordinal));
        var cells = new List<(string, Granularity, string?, DateTimeOffset)>(granularities.Count * regions.Length * topics.Count);
        foreach (var g in granularities)
        {
            var start = Buckets.StartOf(post.PublishedAt, g);
            foreach (var region in regions)
                foreach (var topic in topics)
                    cells.Add((region, g, topic, start));
        }
        return cells;
    }

    public static IReadOnlyCollection<BucketDelta> Aggregate(PostsClassified batch, IEnumerable<Granularity>? granularities = null)
    {
        var grans = (granularities ?? AllGranularities).ToArray();
        var deltas = new Dictionary<(SeriesKey, DateTimeOffset), BucketDelta>();
        foreach (var post in batch.Posts)
        {
            var cells = CellsOf(post, grans);
            foreach (var (marker, probability) in post.Probabilities)
            {
                if (marker == MarkerCatalogue.EpisodeScreen) continue; // author-level: see EpisodeScreen
                var flagged = post.Flagged.Contains(marker);
                foreach (var (region, g, topic, start) in cells)
                {
                    var key = new SeriesKey(marker, region, g, topic);
                    if (!deltas.TryGetValue((key, start), out var d)) deltas[(key, start)] = d = new BucketDelta(key, start);
                    d.Posts++;
                    d.ExpectedCount += probability;
                    if (flagged) d.FlaggedCount++;
                    d.Authors.Add(post.AuthorKey);
                }
            }
        }
        return deltas.Values;
    }

    /// <summary>
    /// Evidence-term deltas for word shifts: per flagged marker, its evidence n-grams, for the post's region and
    /// <c>all</c>, the given granularities (default day), no topic. Terms that look like a handle, e-mail, phone
    /// number or URL are never kept (<see cref="Prevalence.WordShift.IsShowable"/>).
    /// </summary>
    public static IReadOnlyCollection<TermDelta> AggregateTerms(PostsClassified batch, IEnumerable<Granularity>? granularities = null)
    {
        var grans = (granularities ?? [Granularity.Day]).ToArray();
        var deltas = new Dictionary<(SeriesKey, DateTimeOffset, string), TermDelta>();
        foreach (var post in batch.Posts)
        {
            var regions = post.Region == SeriesKey.AllRegions ? [SeriesKey.AllRegions] : new[] { post.Region, SeriesKey.AllRegions };
            foreach (var marker in post.Flagged)
            {
                if (!post.Evidence.TryGetValue(marker, out var terms)) continue;
                foreach (var raw in terms.Distinct(StringComparer.Ordinal))
                {
                    var term = raw.Trim().ToLowerInvariant();
                    if (term.Length == 0 || term.Length > 100 || !Prevalence.WordShift.IsShowable(term)) continue;
                    foreach (var g in grans)
                    {
                        var start = Buckets.StartOf(post.PublishedAt, g);
                        foreach (var region in regions)
                        {
                            var key = new SeriesKey(marker, region, g);
                            if (!deltas.TryGetValue((key, start, term), out var d)) deltas[(key, start, term)] = d = new TermDelta(key, start, term);
                            d.Count++;
                            d.Authors.Add(post.AuthorKey);
                        }
                    }
                }
            }
        }
        return deltas.Values;
    }

    /// <summary>
    /// A bucket from its totals, with Forman's adjusted prevalence from the marker's rates. For
    /// <c>dsm5.episode_screen</c> the prevalence is the share of the bucket's active authors who screened positive,
    /// with a Wilson 95 % interval.
    /// </summary>
    public static SeriesBucket ToBucket(DateTimeOffset start, long posts, long authors, double expected, long flagged, MarkerRates? rates,
        string? marker = null)
    {
        if (marker == MarkerCatalogue.EpisodeScreen)
        {
            if (authors == 0) return new SeriesBucket(start, posts, authors, expected, flagged, double.NaN, double.NaN, double.NaN);
            var (lo, hi) = EpisodeScreen.Wilson(flagged, authors);
            return new SeriesBucket(start, posts, authors, expected, flagged, Math.Min(1, (double)flagged / authors), lo, hi);
        }
        if (rates is null || posts == 0)
        {
            var q = posts == 0 ? double.NaN : (double)flagged / posts;
            return new SeriesBucket(start, posts, authors, expected, flagged, q, double.NaN, double.NaN);
        }
        var e = new PrevalenceEstimator(rates.TruePositiveRate, rates.FalsePositiveRate).Estimate(flagged, posts);
        return new SeriesBucket(start, posts, authors, expected, flagged, e.Adjusted, e.Lower, e.Upper);
    }
}

/// <summary>
/// The series store contract: additive, idempotent upserts (a batch id is applied at most once) and reads.
/// </summary>
public interface ISeriesStore
{
    /// <summary>Applies a batch; returns the keys and bucket starts it changed (empty when the batch was seen before).</summary>
    Task<IReadOnlyList<(SeriesKey Key, DateTimeOffset Start)>> ApplyAsync(PostsClassified batch, CancellationToken ct = default);

    Task<IReadOnlyList<SeriesBucket>> ReadAsync(SeriesKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default);
}

/// <summary>In-memory <see cref="ISeriesStore"/> (tests, embedded runs without persistence). Thread-safe.</summary>
public sealed class InMemorySeriesStore : ISeriesStore
{
    sealed class Cell
    {
        public long Posts;
        public double Expected;
        public long Flagged;
        public readonly HashSet<string> Authors = new(StringComparer.Ordinal);
    }

    readonly Lock _gate = new();
    readonly HashSet<Guid> _ledger = [];
    readonly Dictionary<SeriesKey, SortedDictionary<DateTimeOffset, Cell>> _cells = [];
    readonly Dictionary<string, MarkerRates> _rates = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<(SeriesKey Key, DateTimeOffset Start)>> ApplyAsync(PostsClassified batch, CancellationToken ct = default)
    {
        var deltas = SeriesAggregator.Aggregate(batch);
        lock (_gate)
        {
            if (!_ledger.Add(batch.BatchId)) return Task.FromResult<IReadOnlyList<(SeriesKey, DateTimeOffset)>>([]);
            foreach (var (marker, r) in batch.Rates) _rates[marker] = r;
            var changed = new List<(SeriesKey, DateTimeOffset)>();
            foreach (var d in deltas)
            {
                if (!_cells.TryGetValue(d.Key, out var series)) _cells[d.Key] = series = [];
                if (!series.TryGetValue(d.Start, out var c)) series[d.Start] = c = new Cell();
                c.Posts += d.Posts;
                c.Expected += d.ExpectedCount;
                c.Flagged += d.FlaggedCount;
                c.Authors.UnionWith(d.Authors);
                changed.Add((d.Key, d.Start));
            }
            return Task.FromResult<IReadOnlyList<(SeriesKey, DateTimeOffset)>>(changed);
        }
    }

    public Task<IReadOnlyList<SeriesBucket>> ReadAsync(SeriesKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (!_cells.TryGetValue(key, out var series)) return Task.FromResult<IReadOnlyList<SeriesBucket>>([]);
            var rates = _rates.GetValueOrDefault(key.Marker);
            IReadOnlyList<SeriesBucket> result = series.Where(kv => kv.Key >= from && kv.Key < to)
                .Select(kv => SeriesAggregator.ToBucket(kv.Key, kv.Value.Posts, kv.Value.Authors.Count, kv.Value.Expected, kv.Value.Flagged, rates))
                .ToList();
            return Task.FromResult(result);
        }
    }
}
