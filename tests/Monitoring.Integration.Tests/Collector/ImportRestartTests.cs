using System.Diagnostics;
using System.Text.Json;
using Monitoring.Contracts;
using Monitoring.Testing;
using Npgsql;

namespace Monitoring.Integration.Tests.Collector;

/// <summary>
/// Kills `monitoring import` (the real binary, in its own process) in the middle of a file, runs it again, and checks
/// that downstream receives every post, each exactly once by business key.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class ImportRestartTests(InfrastructureFixture infra)
{
    private const int Posts = 40_000;

    [Fact]
    public async Task An_import_killed_midway_resumes_and_downstream_gets_every_post_once_by_key()
    {
        var dir = Directory.CreateTempSubdirectory("monitoring-import-");
        var file = Path.Combine(dir.FullName, "posts.ndjson");
        await WriteFileAsync(file);
        var database = await infra.Postgres.CreateDatabaseAsync();
        var env = new Dictionary<string, string>
        {
            ["Bus__RabbitMq"] = infra.RabbitMq.AmqpUri,
            ["Database__Postgres"] = database,
            ["Collector__AuthorSecret"] = "integration-test-secret-0123456789",
        };
        await using var tap = await BusTap<PostsCollected>.StartAsync(infra.RabbitMq.AmqpUri);

        // First run: killed (SIGKILL, no chance to clean up) once part of the file is checkpointed.
        using (var first = StartImport(file, env))
        {
            var checkpointed = await WaitForCheckpointAsync(database, atLeast: 3_000, first);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
            Assert.InRange(checkpointed, 3_000, Posts - 1);
        }
        var afterKill = await CheckpointAsync(database);
        Assert.True(afterKill < Posts, $"the first run got through the whole file ({afterKill}) before it was killed");

        // Second run: resumes from the checkpoint and finishes.
        using (var second = StartImport(file, env))
        {
            var output = await second.StandardOutput.ReadToEndAsync();
            await second.WaitForExitAsync();
            Assert.True(second.ExitCode == 0, $"the resumed import failed: {output}\n{await second.StandardError.ReadToEndAsync()}");
            Assert.Contains("skipped from an earlier run", output);
        }

        Assert.True(await tap.WaitUntilAsync(r => r.SelectMany(b => b.Posts).Select(p => p.PostId).Distinct().Count() >= Posts, TimeSpan.FromSeconds(60)),
            $"downstream received {tap.Received.SelectMany(b => b.Posts).Select(p => p.PostId).Distinct().Count()} of {Posts} posts");
        await Task.Delay(1000); // anything published late would show up as an extra
        var received = tap.Received.SelectMany(b => b.Posts).ToList();
        var byKey = received.GroupBy(p => p.PostId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Enumerable.Range(0, Posts).Select(i => $"import:{i}").Order(), byKey.Keys.Order());
        // The outbox commits posts and checkpoint together, so a batch can only repeat when the kill fell between
        // the broker's confirm and the outbox delete; consumers drop those by post id. Everything else arrives once.
        var repeated = byKey.Values.Count(n => n > 1);
        Assert.True(repeated <= 16 * 250, $"{repeated} posts arrived more than once");
        dir.Delete(recursive: true);
    }

    private static async Task WriteFileAsync(string path)
    {
        await using var writer = new StreamWriter(path);
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Posts; i++)
        {
            await writer.WriteLineAsync(JsonSerializer.Serialize(new
            {
                source = "import",
                id = i.ToString(),
                publishedAt = start.AddMinutes(i),
                author = $"user{i % 997}",
                text = VariedText(i),
            }));
        }
    }

    private static readonly string[] Vocabulary =
    [
        "today", "tired", "alone", "news", "jobs", "scary", "friends", "happy", "weekend", "family", "lockdown", "sleep",
        "worried", "prices", "school", "hospital", "love", "city", "angry", "government", "hope", "better", "thanks", "rain",
    ];

    /// <summary>Twelve words drawn per post, so that posts are not near-duplicates of each other (the Collector drops those).</summary>
    private static string VariedText(int i)
    {
        var random = new Random(i);
        return string.Join(' ', Enumerable.Range(0, 12).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));
    }

    private static Process StartImport(string file, Dictionary<string, string> env)
    {
        var monitoring = typeof(Host.Commands.ImportCommand).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet", [monitoring, "import", file, "--format", "ndjson"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in env) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    private static async Task<long> WaitForCheckpointAsync(string database, long atLeast, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            var n = await CheckpointAsync(database);
            if (n >= atLeast) return n;
            await Task.Delay(20);
        }
        throw new TimeoutException($"the import did not checkpoint {atLeast} records (exited: {process.HasExited}): {await process.StandardError.ReadToEndAsync()}");
    }

    private static async Task<long> CheckpointAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT to_regclass('intake_cursors') IS NOT NULL", connection);
        if (!(bool)(await exists.ExecuteScalarAsync())!) return 0;
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(position::bigint), 0) FROM intake_cursors", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
