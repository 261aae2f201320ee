using System.IO.Compression;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitoring.Collector.Import;
using Monitoring.Collector.Intake;

namespace Monitoring.Collector.Demo;

/// <summary>Section <c>Collector:Demo</c>. On by default in the embedded mode (see the Host's run command).</summary>
public sealed class DemoOptions
{
    public const string Section = "Collector:Demo";

    public bool Enabled { get; set; }

    /// <summary>The bundled simulated posts (samples/, copied beside the binary).</summary>
    public string File { get; set; } = Path.Combine(AppContext.BaseDirectory, "samples", "demo-posts.ndjson.gz");

    /// <summary>Wall-clock seconds per simulated day: 0.3 replays the 90 bundled days in about half a minute (if the pipeline keeps up).</summary>
    public double SecondsPerDay { get; set; } = 0.3;

    /// <summary>
    /// Simulated days taken in one step. Downstream work is mostly per batch (every touched series is re-detected and
    /// re-forecast), so three days a step fills the series about three times sooner than one.
    /// </summary>
    public int DaysPerStep { get; set; } = 3;
}

/// <summary>
/// Replays the bundled simulated posts through the ordinary intake, a day at a time on a compressed clock, with dates
/// shifted so the last simulated day is yesterday. Replaying again later changes nothing: the posts are already seen.
/// </summary>
public sealed class DemoReplayer(IOptions<DemoOptions> options, PostIntake intake, TimeProvider time, ILogger<DemoReplayer> logger) : BackgroundService
{
    public const string SourceName = "demo";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var file = options.Value.File;
        if (!File.Exists(file))
        {
            logger.LogWarning("Demo data {File} not found; the dashboard starts empty", file);
            return;
        }
        await Task.Yield();
        var posts = new List<RawPost>();
        await using (var stream = new GZipStream(File.OpenRead(file), CompressionMode.Decompress))
        {
            foreach (var item in RecordReaders.Read(stream, ImportFormat.Ndjson))
            {
                if (item.Post is { PublishedAt: not null } post) posts.Add(post);
            }
        }
        if (posts.Count == 0) return;
        var lastDay = posts.Max(p => p.PublishedAt!.Value).UtcDateTime.Date;
        var shift = time.GetUtcNow().UtcDateTime.Date.AddDays(-1) - lastDay;
        logger.LogInformation("Replaying {Count} simulated demo posts ({Days} days) on a compressed clock", posts.Count,
            (lastDay - posts.Min(p => p.PublishedAt!.Value).UtcDateTime.Date).Days + 1);
        long accepted = 0;
        var firstDay = posts.Min(p => p.PublishedAt!.Value).UtcDateTime.Date;
        var perStep = Math.Max(1, options.Value.DaysPerStep);
        foreach (var step in posts.GroupBy(p => (p.PublishedAt!.Value.UtcDateTime.Date - firstDay).Days / perStep).OrderBy(g => g.Key))
        {
            foreach (var post in step) post.PublishedAt = post.PublishedAt!.Value + shift;
            var summary = await intake.TakeAsync(step.Select(IncomingPost.Parsed).ToList(), SourceName, SourceName, ct: stoppingToken);
            accepted += summary.Accepted;
            await Task.Delay(TimeSpan.FromSeconds(options.Value.SecondsPerDay * perStep), stoppingToken);
        }
        logger.LogInformation("Demo replay done: {Accepted} posts taken (posts seen before are skipped)", accepted);
    }
}
