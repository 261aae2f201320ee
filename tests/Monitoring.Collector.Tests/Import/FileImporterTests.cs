using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monitoring.Collector.Import;
using Monitoring.Collector.Storage;
using Monitoring.Contracts;

namespace Monitoring.Collector.Tests.Import;

/// <summary>The importer with the real intake and an embedded SQLite database in a temporary folder.</summary>
public sealed class FileImporterTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("collector-import-");
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Database:Directory"] = Path.Combine(_dir.FullName, "data");
        builder.Configuration["Collector:BatchSize"] = "100";
        builder.AddCollectorIntake();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    private FileImporter Importer => _host.Services.GetRequiredService<FileImporter>();

    private string WriteNdjson(int count, string name = "posts.ndjson", int badEvery = 0)
    {
        var path = Path.Combine(_dir.FullName, name);
        using var writer = new StreamWriter(path);
        for (var i = 0; i < count; i++)
        {
            writer.WriteLine(badEvery > 0 && i % badEvery == 0
                ? "{not json"
                : JsonSerializer.Serialize(new { source = "file", id = i.ToString(), publishedAt = "2024-01-01T00:00:00Z", author = "a" + i, text = "hello " + i }));
        }
        return path;
    }

    private async Task<List<CollectedPost>> QueuedAsync()
    {
        var factory = _host.Services.GetRequiredService<IDbContextFactory<CollectorDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var rows = await db.Outbox.OrderBy(o => o.Id).ToListAsync();
        return rows.SelectMany(r => JsonSerializer.Deserialize<PostsCollected>(r.Payload)!.Posts).ToList();
    }

    [Fact]
    public async Task Imports_counts_rejections_by_reason_and_queues_in_batches()
    {
        var path = WriteNdjson(2_500, badEvery: 500);
        var report = await Importer.ImportAsync(path, ImportFormat.Ndjson, restart: false, progress: null, rejects: null, CancellationToken.None);
        Assert.Equal(2_500, report.Records);
        Assert.Equal(5, report.Rejected);
        Assert.Equal(5, report.RejectedByReason["invalid_json"]);
        Assert.Equal(2_495, report.Accepted);
        var queued = await QueuedAsync();
        Assert.Equal(2_495, queued.Select(p => p.PostId).Distinct().Count());
    }

    [Fact]
    public async Task An_interrupted_import_resumes_from_its_checkpoint_without_loss_or_repeats()
    {
        var path = WriteNdjson(5_000);
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p => { if (p.Records >= 2_000) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Importer.ImportAsync(path, ImportFormat.Ndjson, false, progress, null, cts.Token));

        var resumed = await Importer.ImportAsync(path, ImportFormat.Ndjson, false, null, null, CancellationToken.None);
        Assert.InRange(resumed.Skipped, 2_000, 4_999);
        Assert.Equal(0, resumed.Duplicates);
        var queued = await QueuedAsync();
        Assert.Equal(5_000, queued.Count);
        Assert.Equal(5_000, queued.Select(p => p.PostId).Distinct().Count());

        // A third run of the finished file reads nothing again.
        var again = await Importer.ImportAsync(path, ImportFormat.Ndjson, false, null, null, CancellationToken.None);
        Assert.True(again.AlreadyComplete);
        Assert.Equal(0, again.Accepted);
    }

    [Fact]
    public async Task Restarting_a_finished_file_finds_only_duplicates()
    {
        var path = WriteNdjson(300);
        await Importer.ImportAsync(path, ImportFormat.Ndjson, false, null, null, CancellationToken.None);
        var again = await Importer.ImportAsync(path, ImportFormat.Ndjson, restart: true, null, null, CancellationToken.None);
        Assert.Equal(300, again.Duplicates);
        Assert.Equal(0, again.Accepted);
    }

    [Fact]
    public async Task Reads_gzip_and_zstd()
    {
        var plain = WriteNdjson(1_000, "plain.ndjson");
        var gz = Path.Combine(_dir.FullName, "posts.ndjson.gz");
        await using (var input = File.OpenRead(plain))
        await using (var output = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
        {
            await input.CopyToAsync(output);
        }
        var gzReport = await Importer.ImportAsync(gz, ImportFormat.Ndjson, false, null, null, CancellationToken.None);
        Assert.Equal(1_000, gzReport.Accepted);

        // Pushshift ships zstd with a long window; compress the same way with the zstd tool.
        var zst = Path.Combine(_dir.FullName, "posts.ndjson.zst");
        using (var zstd = Process.Start("zstd", ["-q", "--long=27", "-o", zst, plain])!)
        {
            await zstd.WaitForExitAsync();
            Assert.Equal(0, zstd.ExitCode);
        }
        var zstReport = await Importer.ImportAsync(zst, ImportFormat.Ndjson, true, null, null, CancellationToken.None);
        Assert.Equal(1_000, zstReport.Records);
        Assert.Equal(1_000, zstReport.Duplicates); // same posts as the gzip file
    }

    private sealed class SynchronousProgress(Action<ImportProgress> action) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => action(value);
    }
}
