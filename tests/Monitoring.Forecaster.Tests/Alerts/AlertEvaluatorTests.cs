using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Monitoring.Contracts;
using Monitoring.Forecaster.Alerts;
using Monitoring.Forecaster.Storage;
using Monitoring.Forecaster.Tests.Series;

namespace Monitoring.Forecaster.Tests.Alerts;

/// <summary>The embedded (SQLite) path: batches → series → incidents and outbox rows, in one transaction per batch.</summary>
public sealed class AlertEvaluatorTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "fc-" + Guid.NewGuid().ToString("N"));
    const string Marker = "dsm5.depressed_mood";
    static readonly DateTimeOffset Day0 = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);

    static PostsClassified DayBatch(int day, double share, Random rng, string region = "AR-B", bool spikeTerms = false) => new(Guid.NewGuid(), Guid.NewGuid(), "m1", Day0,
        Enumerable.Range(0, 300).Select(i =>
        {
            var flagged = rng.NextDouble() < share;
            IReadOnlyList<string> terms = spikeTerms && i % 2 == 0 ? ["can't sleep", "tired", "@bob"] : i % 3 == 0 ? ["tired", "@bob"] : ["sad"];
            return new ClassifiedPost($"t:{day}:{i}", Day0.AddDays(day).AddMinutes(i * 4), $"a{(day * 37 + i) % 260}", "en", region, null, [],
                new Dictionary<string, double> { [Marker] = flagged ? 0.9 : 0.1 }, flagged ? [Marker] : [],
                flagged ? new Dictionary<string, IReadOnlyList<string>> { [Marker] = terms } : new Dictionary<string, IReadOnlyList<string>>());
        }).ToList(),
        new Dictionary<string, MarkerRates> { [Marker] = new(0.5, 0.8, 0.1) });

    [Fact]
    public async Task Spike_opens_incidents_then_quiet_days_resolve_them_and_forecasts_are_issued()
    {
        var factory = new TestDbFactory(new Monitoring.Hosting.Data.DatabaseOptions { Directory = _dir });
        await using (var db = factory.CreateDbContext()) await Monitoring.Hosting.Data.DatabaseExtensions.InitializeAsync(db, default);
        var store = new EfSeriesStore(factory);
        var evaluator = new AlertEvaluator(Microsoft.Extensions.Options.Options.Create(new ForecasterOptions { DetectionMethod = "ears-c2" }), TimeProvider.System);
        var rng = new Random(3);
        async Task Apply(PostsClassified b) => await store.ApplyAsync(b, (db, changed) => evaluator.EvaluateAsync(db, b.BatchId, changed, default));

        for (var d = 0; d < 20; d++) await Apply(DayBatch(d, 0.2, rng));
        await using (var db = factory.CreateDbContext())
        {
            Assert.Empty(await db.AlertIncidents.Where(i => i.Kind == (short)AlertKind.Observed).ToListAsync());
            Assert.Contains(await db.Outbox.ToListAsync(), r => r.MessageType == nameof(ForecastIssued));
            db.Outbox.RemoveRange(db.Outbox);
            await db.SaveChangesAsync();
        }

        await Apply(DayBatch(20, 0.5, rng, spikeTerms: true));
        await using (var db = factory.CreateDbContext())
        {
            var open = await db.AlertIncidents.Where(i => i.Kind == (short)AlertKind.Observed && i.ResolvedAt == null).ToListAsync();
            // The region and "all" series both rose (the same posts): one incident each.
            Assert.Equal(["AR-B", "all"], open.Select(i => i.Region).Order(StringComparer.Ordinal));
            var raised = (await db.Outbox.ToListAsync()).Where(r => r.MessageType == nameof(AlertRaised))
                .Select(r => JsonSerializer.Deserialize<AlertRaised>(r.Payload, AlertEvaluator.Json)!).SelectMany(m => m.Alerts).ToList();
            Assert.Equal(2, raised.Count(a => a.Kind == AlertKind.Observed));
            // Evidence: the term that rose against the baseline leads; handles never appear.
            foreach (var a in raised.Where(a => a.Kind == AlertKind.Observed))
            {
                Assert.Equal("can't sleep", a.RisingTerms[0].Term);
                Assert.Equal(0, a.RisingTerms[0].BaselineShare);
                Assert.DoesNotContain(a.RisingTerms, t => t.Term.StartsWith('@'));
            }
            Assert.Empty(await db.TermAuthors.Where(t => t.Term == "@bob").ToListAsync());
        }

        await Apply(DayBatch(21, 0.2, rng));
        await using (var db = factory.CreateDbContext())
        {
            Assert.Empty(await db.AlertIncidents.Where(i => i.Kind == (short)AlertKind.Observed && i.ResolvedAt == null).ToListAsync());
            Assert.Contains(await db.Outbox.ToListAsync(), r => r.MessageType == nameof(AlertResolved));
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(3)]
    [InlineData(1)]
    public async Task Holt_winters_parameters_are_refit_every_RefitEvery_buckets_and_applied_in_between(int refitEvery)
    {
        var factory = new TestDbFactory(new Monitoring.Hosting.Data.DatabaseOptions { Directory = Path.Combine(_dir, refitEvery.ToString(System.Globalization.CultureInfo.InvariantCulture)) });
        await using (var db = factory.CreateDbContext()) await Monitoring.Hosting.Data.DatabaseExtensions.InitializeAsync(db, default);
        var store = new EfSeriesStore(factory);
        var options = new ForecasterOptions { DetectionMethod = "ears-c2", ForecastMethod = "holt-winters", RefitEvery = refitEvery };
        var evaluator = new AlertEvaluator(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System);
        var rng = new Random(5);
        var key = new SeriesKey(Marker, "AR-B", Granularity.Day);
        var fitDays = new List<int>();
        var forecastDays = new List<int>();
        for (var d = 0; d < 30; d++)
        {
            var batch = DayBatch(d, 0.2 + 0.05 * Math.Sin(d), rng);
            await store.ApplyAsync(batch, (db, changed) => evaluator.EvaluateAsync(db, batch.BatchId, changed, default));
            await using var db = factory.CreateDbContext();
            var model = await db.FittedModels.SingleOrDefaultAsync(m => m.Marker == Marker && m.Region == "AR-B" && m.Granularity == (short)Granularity.Day && m.Topic == "");
            if (model is not null && model.LastBucket == Day0.AddDays(d).ToUnixTimeSeconds())
            {
                fitDays.Add(d);
                Assert.Equal(d + 1, model.Points);
            }
            var issued = (await db.Outbox.ToListAsync()).Where(r => r.MessageType == nameof(ForecastIssued))
                .Select(r => JsonSerializer.Deserialize<ForecastIssued>(r.Payload, AlertEvaluator.Json)!).SelectMany(m => m.Forecasts)
                .Where(f => f.Key == key).ToList();
            if (issued.Count > 0)
            {
                forecastDays.Add(d);
                Assert.All(issued, f => Assert.Equal("holt-winters", f.Method));
            }
            db.Outbox.RemoveRange(db.Outbox);
            await db.SaveChangesAsync();
        }
        // A forecast needs 2·season + 2 = 16 days; the first forecast fits, then only every RefitEvery days.
        Assert.Equal(Enumerable.Range(15, 15), forecastDays);
        Assert.Equal(Enumerable.Range(0, 30).Where(d => d >= 15 && (d - 15) % refitEvery == 0), fitDays);
    }

    [Fact]
    public async Task A_forecast_between_refits_is_the_stored_parameters_applied_to_the_newest_history()
    {
        var factory = new TestDbFactory(new Monitoring.Hosting.Data.DatabaseOptions { Directory = _dir });
        await using (var db = factory.CreateDbContext()) await Monitoring.Hosting.Data.DatabaseExtensions.InitializeAsync(db, default);
        var store = new EfSeriesStore(factory);
        var evaluator = new AlertEvaluator(Microsoft.Extensions.Options.Options.Create(new ForecasterOptions { DetectionMethod = "ears-c2" }), TimeProvider.System);
        var rng = new Random(8);
        for (var d = 0; d < 19; d++)
        {
            var batch = DayBatch(d, 0.2 + 0.05 * Math.Sin(d), rng);
            await store.ApplyAsync(batch, (db, changed) => evaluator.EvaluateAsync(db, batch.BatchId, changed, default));
        }
        await using var check = factory.CreateDbContext();
        var key = new SeriesKey(Marker, "AR-B", Granularity.Day);
        var model = await check.FittedModels.SingleAsync(m => m.Marker == Marker && m.Region == "AR-B" && m.Granularity == (short)Granularity.Day && m.Topic == "");
        Assert.Equal(Day0.AddDays(15).ToUnixTimeSeconds(), model.LastBucket);
        var history = await EfSeriesStore.ReadAsync(check, key, Day0, Day0.AddDays(19));
        var values = history.Select(b => b.Prevalence).ToArray();
        var parameters = JsonSerializer.Deserialize<Monitoring.Forecaster.Forecasting.HoltWinters.Parameters>(model.Parameters, AlertEvaluator.Json)!;
        var expected = new Monitoring.Forecaster.Forecasting.HoltWinters().Apply(new(parameters, model.Season), values, 7, 7)!;
        var issued = (await check.Outbox.OrderBy(r => r.Id).ToListAsync()).Where(r => r.MessageType == nameof(ForecastIssued))
            .Select(r => JsonSerializer.Deserialize<ForecastIssued>(r.Payload, AlertEvaluator.Json)!)
            .Last(m => m.Forecasts.Any(f => f.Key == key)).Forecasts.Single(f => f.Key == key);
        Assert.Equal(19, values.Length);
        Assert.Equal(expected.Mean, issued.Points.Select(p => p.Mean));
        Assert.Equal(expected.Upper95, issued.Points.Select(p => p.Upper95));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
