using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using System.IO.Compression;
using Monitoring.Classifier;
using Monitoring.Collector.Demo;
using Monitoring.Collector.Import;
using Monitoring.Collector.Intake;
using Monitoring.Collector.Privacy;
using Monitoring.Collector.Tagging;
using Monitoring.Contracts;
using Monitoring.Dashboard.ReadModel;
using Monitoring.Dashboard.Storage;
using Monitoring.Forecaster;
using Monitoring.Forecaster.Alerts;
using Monitoring.Forecaster.Storage;
using Monitoring.Hosting.Data;

namespace Monitoring.Benchmarks;

/// <summary>
/// `replay-demo [steps]`: the embedded default's downstream cost per demo step. Builds the <see cref="PostsClassified"/>
/// batches the demo produces (the bundled posts, three simulated days a step, through the Collector's validation and
/// tagging and the Classifier), applies them to a fresh SQLite Forecaster store with alert evaluation, stores the
/// resulting SeriesUpdated in a fresh SQLite Dashboard read model, and prints CPU and wall time per stage. CPU time is
/// reported because wall time on a shared machine says little. `--hourly` keeps hourly series too (the default outside
/// the embedded mode).
/// </summary>
public static class PipelineReplay
{
    public static async Task RunAsync(int steps, bool hourly)
    {
        var batches = DemoBatches(steps);
        var work = Path.Combine(Path.GetTempPath(), "replay-" + Guid.NewGuid().ToString("N"));
        var options = new DatabaseOptions { Directory = work };
        var forecaster = new Factory<ForecasterDbContext>(options, ForecasterDbContext.DatabaseName, o => new ForecasterDbContext(o));
        var dashboard = new Factory<DashboardDbContext>(options, DashboardDbContext.DatabaseName, o => new DashboardDbContext(o));
        await using (var db = forecaster.CreateDbContext()) await DatabaseExtensions.InitializeAsync(db, default);
        await using (var db = dashboard.CreateDbContext()) await DatabaseExtensions.InitializeAsync(db, default);
        // As `monitoring run` configures the Forecaster: day and week series (see Host/Roles.cs), other settings default.
        var settings = new ForecasterOptions { Granularities = hourly ? null : [Granularity.Day, Granularity.Week] };
        var store = new EfSeriesStore(forecaster, TimeProvider.System, settings.KeptGranularities);
        var evaluator = new AlertEvaluator(Options.Create(settings), TimeProvider.System);
        var process = Process.GetCurrentProcess();
        TimeSpan forecasterCpu = default, dashboardCpu = default;
        double forecasterWall = 0, dashboardWall = 0;
        Console.WriteLine("step posts  changed  forecaster-cpu-ms  dashboard-cpu-ms");
        var step = 0;
        foreach (var batch in batches)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var changed = await store.ApplyAsync(batch, (db, keys) => evaluator.EvaluateAsync(db, batch.BatchId, keys, default));
            forecasterWall += wall.Elapsed.TotalMilliseconds;
            process.Refresh();
            var cpu1 = process.TotalProcessorTime;

            List<SeriesUpdated> updates;
            await using (var db = forecaster.CreateDbContext())
            {
                var rows = await db.Outbox.Where(r => r.MessageType == nameof(SeriesUpdated)).ToListAsync();
                updates = rows.Select(r => JsonSerializer.Deserialize<SeriesUpdated>(r.Payload, AlertEvaluator.Json)!).ToList();
                db.Outbox.RemoveRange(await db.Outbox.ToListAsync());
                await db.SaveChangesAsync();
            }
            process.Refresh();
            var cpu2 = process.TotalProcessorTime;
            wall.Restart();
            foreach (var update in updates) await SeriesUpdatedConsumer.StoreAsync(dashboard, update, default);
            dashboardWall += wall.Elapsed.TotalMilliseconds;
            process.Refresh();
            var cpu3 = process.TotalProcessorTime;
            forecasterCpu += cpu1 - cpu0;
            dashboardCpu += cpu3 - cpu2;
            Console.WriteLine($"{++step,4} {batch.Posts.Count,5} {changed.Count,8} {(cpu1 - cpu0).TotalMilliseconds,18:F0} {(cpu3 - cpu2).TotalMilliseconds,17:F0}");
        }
        Console.WriteLine($"{batches.Count} steps: forecaster {forecasterCpu.TotalSeconds:F2} s CPU ({forecasterWall / 1000:F2} s wall), " +
            $"dashboard {dashboardCpu.TotalSeconds:F2} s CPU ({dashboardWall / 1000:F2} s wall)");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(work, true); } catch (IOException) { }
    }

    /// <summary>The demo's batches, as DemoReplayer and the Classifier make them (dates shifted to end yesterday).</summary>
    static List<PostsClassified> DemoBatches(int steps)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "samples", "demo-posts.ndjson.gz");
        if (!File.Exists(file)) file = Path.Combine(FindRoot(), "samples", "demo-posts.ndjson.gz");
        var posts = new List<RawPost>();
        using (var stream = new GZipStream(File.OpenRead(file), CompressionMode.Decompress))
            posts.AddRange(RecordReaders.Read(stream, ImportFormat.Ndjson).Select(i => i.Post).OfType<RawPost>().Where(p => p.PublishedAt is not null));
        var firstDay = posts.Min(p => p.PublishedAt!.Value).UtcDateTime.Date;
        var shift = DateTime.UtcNow.Date.AddDays(-1) - posts.Max(p => p.PublishedAt!.Value).UtcDateTime.Date;
        var validator = new PostValidator(new AuthorPseudonymizer(new byte[32]), TimeProvider.System);
        var tagger = new PostTagger(Options.Create(new TaggingOptions()), new LanguageIdentifier(), new Gazetteer());
        var classifier = PostClassifier.Load();
        var batches = new List<PostsClassified>();
        foreach (var group in posts.GroupBy(p => (p.PublishedAt!.Value.UtcDateTime.Date - firstDay).Days / 3).OrderBy(g => g.Key).Take(steps))
        {
            var scored = new List<ClassifiedPost>();
            foreach (var raw in group)
            {
                raw.PublishedAt += shift;
                if (validator.Validate(IncomingPost.Parsed(raw), DemoReplayer.SourceName).Post is not { } valid) continue;
                if (tagger.Tag(valid, raw.Location).Post is { } post && classifier.TryClassify(post, out var classified)) scored.Add(classified);
            }
            batches.Add(new PostsClassified(Guid.NewGuid(), Guid.NewGuid(), classifier.ModelVersion, DateTimeOffset.UtcNow, scored, classifier.Rates));
        }
        return batches;
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Monitoring.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Run from inside the repository (samples/demo-posts.ndjson.gz not found).");
    }

    sealed class Factory<T>(DatabaseOptions options, string name, Func<DbContextOptions<T>, T> create) : IDbContextFactory<T> where T : DbContext
    {
        public T CreateDbContext()
        {
            var b = new DbContextOptionsBuilder<T>();
            DatabaseExtensions.Configure(b, options, name);
            return create(b.Options);
        }
    }
}
