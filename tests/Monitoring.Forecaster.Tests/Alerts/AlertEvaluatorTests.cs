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

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
