using Monitoring.Contracts;
using Monitoring.Forecaster.Series;
using Monitoring.Forecaster.Storage;

namespace Monitoring.Forecaster.Tests.Series;

public abstract class EpisodeScreenTestsBase
{
    static readonly DateTimeOffset Day0 = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly string[] Symptoms = [.. MarkerCatalogue.Dsm5Symptoms.Keys];

    protected abstract Task<EfSeriesStore> CreateStoreAsync();

    static ClassifiedPost Post(string author, int day, params string[] symptoms) => new(
        $"p:{author}:{day}:{string.Join('+', symptoms)}", Day0.AddDays(day), author, "en", "AR-B", null, [],
        Symptoms.ToDictionary(s => "dsm5." + s, s => symptoms.Contains(s) ? 0.9 : 0.1),
        [.. symptoms.Select(s => "dsm5." + s)], new Dictionary<string, IReadOnlyList<string>>());

    static PostsClassified Batch(params ClassifiedPost[] posts) => new(Guid.NewGuid(), Guid.NewGuid(), "m1", Day0, posts,
        new Dictionary<string, MarkerRates>());

    [Fact]
    public void Screen_rule_needs_five_symptoms_including_mood_or_anhedonia_within_14_days()
    {
        var at = Day0.ToUnixTimeSeconds();
        var five = new Dictionary<string, long> { ["depressed_mood"] = at, ["sleep_issues"] = at, ["fatigue"] = at, ["worthlessness"] = at, ["appetite_change"] = at };
        Assert.True(EpisodeScreen.IsPositive(five, at));
        Assert.False(EpisodeScreen.IsPositive(five.Where(kv => kv.Key != "depressed_mood").Append(new("psychomotor", at)).ToDictionary(), at));
        Assert.False(EpisodeScreen.IsPositive(five, at + 15 * 86400)); // expired
        Assert.Equal("sleep_issues", EpisodeScreen.Symptom("dsm5.sleep_issues"));
        Assert.Null(EpisodeScreen.Symptom("dsm5.episode_screen"));
        var (lo, hi) = EpisodeScreen.Wilson(1, 10);
        Assert.True(lo > 0.005 && lo < 0.1 && hi > 0.3 && hi < 0.5);
    }

    [Fact]
    public async Task Authors_accumulate_symptoms_across_batches_and_state_expires()
    {
        var store = await CreateStoreAsync();
        // u3's old symptoms (day −20) have expired by day 5.
        await store.ApplyAsync(Batch(Post("u3", -20, "depressed_mood", "fatigue", "sleep_issues", "worthlessness")));
        await store.ApplyAsync(Batch(Post("u1", 0, "depressed_mood", "sleep_issues"), Post("u2", 0, "sleep_issues", "fatigue", "psychomotor")));
        await store.ApplyAsync(Batch(Post("u1", 3, "fatigue", "worthlessness")));
        var last = Batch(Post("u1", 5, "appetite_change"), Post("u2", 5, "worthlessness", "appetite_change"), Post("u3", 5, "appetite_change"), Post("u4", 5));
        await store.ApplyAsync(last);
        await store.ApplyAsync(last); // redelivered
        var key = new SeriesKey(MarkerCatalogue.EpisodeScreen, "all", Granularity.Day);
        var day5 = Assert.Single(await store.ReadAsync(key, Day0.AddDays(5).AddHours(-12), Day0.AddDays(6).AddHours(-12)));
        Assert.Equal(4, day5.Posts);
        Assert.Equal(4, day5.Authors);
        Assert.Equal(1, day5.FlaggedCount); // u1 only: u2 lacks mood/anhedonia, u3's history expired, u4 has none
        Assert.Equal(0.25, day5.Prevalence);
        Assert.True(day5.Lower95 < 0.25 && day5.Upper95 > 0.25);
    }
}

public sealed class SqliteEpisodeScreenTests : EpisodeScreenTestsBase, IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "fc-" + Guid.NewGuid().ToString("N"));

    protected override async Task<EfSeriesStore> CreateStoreAsync()
    {
        var factory = new TestDbFactory(new Monitoring.Hosting.Data.DatabaseOptions { Directory = _dir });
        await using (var db = factory.CreateDbContext()) await Monitoring.Hosting.Data.DatabaseExtensions.InitializeAsync(db, default);
        return new EfSeriesStore(factory);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}

[Collection(Monitoring.Forecaster.Tests.Integration.InfrastructureCollection.Name)]
public sealed class PostgresEpisodeScreenTests(Monitoring.Testing.InfrastructureFixture infra) : EpisodeScreenTestsBase
{
    readonly Monitoring.Testing.PostgresServer server = infra.Postgres;

    protected override async Task<EfSeriesStore> CreateStoreAsync()
    {
        var factory = new TestDbFactory(new Monitoring.Hosting.Data.DatabaseOptions { Postgres = await server.CreateDatabaseAsync() });
        await using (var db = factory.CreateDbContext()) await Monitoring.Hosting.Data.DatabaseExtensions.InitializeAsync(db, default);
        return new EfSeriesStore(factory);
    }
}
