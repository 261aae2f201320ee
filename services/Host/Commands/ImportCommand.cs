using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Monitoring.Collector;
using Monitoring.Collector.Import;
using Monitoring.Collector.Storage;
using Monitoring.Hosting.Bus;
using Monitoring.Hosting.Telemetry;

namespace Monitoring.Host.Commands;

public static class ImportCommand
{
    public static Command Create()
    {
        var path = new Argument<FileInfo>("path") { Description = "The file: NDJSON, CSV or a Pushshift Reddit dump; plain, .gz or .zst." };
        var format = new Option<ImportFormat>("--format") { Description = "ndjson, csv or reddit.", Required = true };
        var restart = new Option<bool>("--restart") { Description = "Ignore the checkpoint of an earlier run of this file and read it from the start (already-seen posts are still skipped)." };
        var rejects = new Option<FileInfo?>("--rejects") { Description = "Write each rejected record's number and reason (never its text) to this NDJSON file." };
        var json = new Option<bool>("--json") { Description = "End with one JSON object summarising the import." };
        var command = new Command("import", "Import posts from a file of any size, with progress, resuming after an interruption.")
        {
            path, format, restart, rejects, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var builder = Roles.CreateOfflineBuilder();
            builder.AddMonitoringTelemetry("monitoring-import");
            builder.AddCollectorIntake();
            var bus = builder.Configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
            if (bus.UsesRabbitMq)
            {
                // With a broker, this process publishes what it queues; embedded, the running `monitoring run` does.
                builder.AddCollector();
                builder.AddMonitoringBus();
            }
            using var host = builder.Build();
            await host.StartAsync(ct);

            var importer = host.Services.GetRequiredService<FileImporter>();
            await using var rejectsWriter = parse.GetValue(rejects) is { } r ? new StreamWriter(r.FullName, append: true) : null;
            var bar = new ProgressBar(Console.Error);
            var report = await importer.ImportAsync(parse.GetValue(path)!.FullName, parse.GetValue(format), parse.GetValue(restart),
                new Progress<ImportProgress>(bar.Draw), rejectsWriter, ct);
            bar.Finish();

            if (bus.UsesRabbitMq)
            {
                var factory = host.Services.GetRequiredService<IDbContextFactory<CollectorDbContext>>();
                while (await OutboxPublisher.PendingPostsAsync(factory, ct) > 0)
                {
                    await Task.Delay(200, ct);
                }
            }
            await host.StopAsync(CancellationToken.None);
            Print(report, bus.UsesRabbitMq, parse.GetValue(json));
            return 0;
        });
        return command;
    }

    private static void Print(ImportReport report, bool published, bool json)
    {
        var rate = report.Elapsed.TotalSeconds > 0 ? (report.Records - report.Skipped) / report.Elapsed.TotalSeconds : 0;
        Console.WriteLine(report.AlreadyComplete
            ? $"{report.Path} was already imported ({report.Records:N0} records); use --restart to read it again."
            : $"Read {report.Records:N0} records ({report.Skipped:N0} skipped from an earlier run) in {report.Elapsed.TotalSeconds:N1} s ({rate:N0}/s): "
              + $"{report.Accepted:N0} accepted, {report.Duplicates:N0} duplicates, {report.Dropped:N0} dropped, {report.Rejected:N0} rejected.");
        foreach (var (reason, n) in report.RejectedByReason.OrderByDescending(p => p.Value))
        {
            Console.WriteLine($"  rejected {reason}: {n:N0}");
        }
        foreach (var (reason, n) in (report.DroppedByReason ?? new Dictionary<string, long>()).OrderByDescending(p => p.Value))
        {
            Console.WriteLine($"  dropped {reason}: {n:N0}");
        }
        if (!published && report.Accepted > 0)
        {
            Console.WriteLine("Queued in the embedded database; `monitoring run` publishes them to the pipeline.");
        }
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
            {
                path = report.Path,
                records = report.Records,
                skipped = report.Skipped,
                accepted = report.Accepted,
                duplicates = report.Duplicates,
                rejected = report.Rejected,
                rejected_by_reason = report.RejectedByReason,
                dropped = report.Dropped,
                dropped_by_reason = report.DroppedByReason,
                seconds = report.Elapsed.TotalSeconds,
                posts_per_second = rate,
            }));
        }
    }

    /// <summary>A one-line progress bar on stderr, redrawn in place on a terminal and every 10 s otherwise.</summary>
    private sealed class ProgressBar(TextWriter writer)
    {
        private DateTime _last = DateTime.MinValue;

        public void Draw(ImportProgress p)
        {
            var interactive = !Console.IsErrorRedirected;
            var now = DateTime.UtcNow;
            if (now - _last < (interactive ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(10))) return;
            _last = now;
            var fraction = p.TotalBytes > 0 ? Math.Clamp((double)p.BytesRead / p.TotalBytes, 0, 1) : 0;
            var filled = (int)(fraction * 30);
            var rate = p.Elapsed.TotalSeconds > 0 ? p.Records / p.Elapsed.TotalSeconds : 0;
            var line = $"[{new string('#', filled)}{new string('.', 30 - filled)}] {fraction,4:P0} {p.Records:N0} records, {rate:N0}/s, {p.Rejected:N0} rejected";
            writer.Write(interactive ? "\r" + line : line + Environment.NewLine);
        }

        public void Finish()
        {
            if (!Console.IsErrorRedirected) writer.WriteLine();
        }
    }
}
