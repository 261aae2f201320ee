using Monitoring.Contracts;
using Monitoring.Forecaster.Series;

namespace Monitoring.Forecaster.Tests.Series;

public class SeriesStoreTests
{
    protected virtual Task<ISeriesStore> CreateStoreAsync() => Task.FromResult<ISeriesStore>(new InMemorySeriesStore());

    protected const string Marker = "dsm5.depressed_mood";
    protected static readonly DateTimeOffset Wed = new(2024, 5, 1, 13, 45, 0, TimeSpan.Zero); // a Wednesday

    protected static ClassifiedPost Post(string id, string author, double p, bool flagged, string region = "AR-B", string[]? topics = null, DateTimeOffset? at = null) =>
        new(id, at ?? Wed, author, "en", region, null, topics ?? [], new Dictionary<string, double> { [Marker] = p },
            flagged ? [Marker] : [], new Dictionary<string, IReadOnlyList<string>>());

    protected static PostsClassified Batch(params ClassifiedPost[] posts) => new(Guid.NewGuid(), Guid.NewGuid(), "m1", Wed, posts,
        new Dictionary<string, MarkerRates> { [Marker] = new(0.5, 0.8, 0.1) });

    [Fact]
    public async Task Concurrent_batches_add_up()
    {
        var store = await CreateStoreAsync();
        var batches = Enumerable.Range(0, 8).Select(b => Batch(Enumerable.Range(0, 30)
            .Select(i => Post($"b{b}p{i}", $"u{(b * 30 + i) % 100}", 0.5, i % 3 == 0)).ToArray())).ToList();
        await Task.WhenAll(batches.Select(b => Task.Run(() => store.ApplyAsync(b))));
        await Task.WhenAll(batches.Select(b => Task.Run(() => store.ApplyAsync(b)))); // redelivered
        var bucket = Assert.Single(await store.ReadAsync(new SeriesKey(Marker, "all", Granularity.Day), Wed.AddDays(-1), Wed.AddDays(1)));
        Assert.Equal(240, bucket.Posts);
        Assert.Equal(100, bucket.Authors);
        Assert.Equal(80, bucket.FlaggedCount);
        Assert.Equal(120, bucket.ExpectedCount, 1e-9);
    }

    [Fact]
    public void Buckets_start_at_hour_day_and_iso_week()
    {
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 13, 0, 0, TimeSpan.Zero), Buckets.StartOf(Wed, Granularity.Hour));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero), Buckets.StartOf(Wed, Granularity.Day));
        Assert.Equal(new DateTimeOffset(2024, 4, 29, 0, 0, 0, TimeSpan.Zero), Buckets.StartOf(Wed, Granularity.Week));
        // 2021-01-03 (Sunday) belongs to ISO week 53 of 2020, which starts on Monday 2020-12-28.
        Assert.Equal(new DateTimeOffset(2020, 12, 28, 0, 0, 0, TimeSpan.Zero),
            Buckets.StartOf(new DateTimeOffset(2021, 1, 3, 23, 0, 0, TimeSpan.Zero), Granularity.Week));
    }

    [Fact]
    public void Aggregates_regions_all_topics_and_distinct_authors()
    {
        var b = Batch(Post("a", "u1", 0.9, true, topics: ["covid"]), Post("b", "u1", 0.2, false), Post("c", "u2", 0.6, true, region: "AR-C"));
        var d = SeriesAggregator.Aggregate(b, [Granularity.Day]).ToDictionary(x => x.Key);
        var all = d[new SeriesKey(Marker, "all", Granularity.Day)];
        Assert.Equal(3, all.Posts);
        Assert.Equal(2, all.Authors.Count);
        Assert.Equal(1.7, all.ExpectedCount, 1e-12);
        Assert.Equal(2, all.FlaggedCount);
        Assert.Equal(2, d[new SeriesKey(Marker, "AR-B", Granularity.Day)].Posts);
        Assert.Equal(1, d[new SeriesKey(Marker, "all", Granularity.Day, "covid")].Posts);
        Assert.Equal(1, d[new SeriesKey(Marker, "AR-B", Granularity.Day, "covid")].Posts);
    }

    [Fact]
    public async Task Redelivered_batches_change_nothing()
    {
        var store = await CreateStoreAsync();
        var batch = Batch(Enumerable.Range(0, 100).Select(i => Post($"p{i}", $"u{i % 60}", 0.5, i < 25)).ToArray());
        Assert.NotEmpty(await store.ApplyAsync(batch));
        Assert.Empty(await store.ApplyAsync(batch));
        var key = new SeriesKey(Marker, "all", Granularity.Day);
        var bucket = Assert.Single(await store.ReadAsync(key, Wed.AddDays(-1), Wed.AddDays(1)));
        Assert.Equal(100, bucket.Posts);
        Assert.Equal(60, bucket.Authors);
        Assert.Equal(25, bucket.FlaggedCount);
        Assert.Equal((0.25 - 0.1) / 0.7, bucket.Prevalence, 1e-12);
        Assert.True(bucket.Lower95 < bucket.Prevalence && bucket.Prevalence < bucket.Upper95);

        // A late post lands in its own (earlier) bucket; authors already counted are not counted twice.
        await store.ApplyAsync(Batch(Post("late", "u1", 0.5, false, at: Wed.AddDays(-3)), Post("x", "u1", 0.5, false)));
        var series = await store.ReadAsync(key, Wed.AddDays(-5), Wed.AddDays(1));
        Assert.Equal(2, series.Count);
        Assert.Equal(1, series[0].Posts);
        Assert.Equal(101, series[1].Posts);
        Assert.Equal(60, series[1].Authors);
    }
}

public sealed class SqliteSeriesStoreTests : SeriesStoreTests, IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "fc-" + Guid.NewGuid().ToString("N"));

    protected override async Task<ISeriesStore> CreateStoreAsync()
    {
        var factory = new TestDbFactory(new Monitoring.Hosting.Data.DatabaseOptions { Directory = _dir });
        await using (var db = factory.CreateDbContext())
            await Monitoring.Hosting.Data.DatabaseExtensions.InitializeAsync(db, default);
        return new Monitoring.Forecaster.Storage.EfSeriesStore(factory);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}

public sealed class TestDbFactory(Monitoring.Hosting.Data.DatabaseOptions options)
    : Microsoft.EntityFrameworkCore.IDbContextFactory<Monitoring.Forecaster.Storage.ForecasterDbContext>
{
    public Monitoring.Forecaster.Storage.ForecasterDbContext CreateDbContext()
    {
        var b = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<Monitoring.Forecaster.Storage.ForecasterDbContext>();
        Monitoring.Hosting.Data.DatabaseExtensions.Configure(b, options, Monitoring.Forecaster.Storage.ForecasterDbContext.DatabaseName);
        return new Monitoring.Forecaster.Storage.ForecasterDbContext(b.Options);
    }
}

/// <summary>The same contract on a throwaway PostgreSQL cluster, with migrations and monthly partitions.</summary>
[Collection(Monitoring.Forecaster.Tests.Integration.InfrastructureCollection.Name)]
public sealed class PostgresSeriesStoreTests(Monitoring.Testing.InfrastructureFixture infra) : SeriesStoreTests
{
    readonly Monitoring.Testing.PostgresServer server = infra.Postgres;

    protected override async Task<ISeriesStore> CreateStoreAsync()
    {
        var factory = new TestDbFactory(new Monitoring.Hosting.Data.DatabaseOptions { Postgres = await server.CreateDatabaseAsync() });
        await using (var db = factory.CreateDbContext())
            await Monitoring.Hosting.Data.DatabaseExtensions.InitializeAsync(db, default);
        LastFactory = factory;
        return new Monitoring.Forecaster.Storage.EfSeriesStore(factory);
    }

    TestDbFactory? LastFactory { get; set; }

    [Fact]
    public async Task Buckets_land_in_monthly_partitions()
    {
        var store = await CreateStoreAsync();
        await store.ApplyAsync(Batch(Post("a", "u1", 0.5, true), Post("b", "u2", 0.5, false, at: Wed.AddMonths(-1))));
        await using var db = LastFactory!.CreateDbContext();
        var connection = (Npgsql.NpgsqlConnection)Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(db.Database);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent " +
            "WHERE p.relname = 'series_buckets' ORDER BY 1", connection);
        var names = new List<string>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) names.Add(r.GetString(0));
        Assert.Contains("series_buckets_y2024m05", names);
        Assert.Contains("series_buckets_y2024m04", names);
    }
}
