using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Monitoring.Testing;

namespace Monitoring.Integration.Tests;

/// <summary>
/// The README's first command, as a newcomer runs it: `monitoring run` in an empty folder, no configuration. It must be
/// ready within 30 s, print an admin key once, and take a pushed post onto its (in-memory) bus.
/// </summary>
public sealed partial class EmbeddedRunTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("monitoring-run-");
    private readonly StringBuilder _output = new();
    private Process? _process;

    [Fact]
    public async Task Monitoring_run_is_ready_within_30_s_and_publishes_a_pushed_post()
    {
        var port = ProcessRunner.FreePort();
        var monitoring = typeof(Host.Commands.RunCommand).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet", [monitoring, "run", "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = _dir.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var started = Stopwatch.StartNew();
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        HttpStatusCode? ready = null;
        while (started.Elapsed < TimeSpan.FromSeconds(30) && ready != HttpStatusCode.OK && !_process.HasExited)
        {
            try { ready = (await http.GetAsync("/health/ready")).StatusCode; }
            catch (HttpRequestException) { await Task.Delay(250); }
        }
        Assert.True(ready == HttpStatusCode.OK, $"not ready after {started.Elapsed.TotalSeconds:N1} s:\n{Output}");

        var key = AdminKey().Match(Output);
        Assert.True(key.Success, $"no admin key was printed:\n{Output}");
        var post = """{"source":"readme","id":"1","publishedAt":"2024-05-01T12:00:00Z","author":"@x","text":"first post"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/posts") { Content = new StringContent(post, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", key.Value);
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Published means taken out of the outbox after the bus accepted it.
        var db = Path.Combine(_dir.FullName, "data", "collector.db");
        Assert.True(File.Exists(db), "the embedded database was not created under ./data");
        long seen = 0, pending = -1;
        for (var i = 0; i < 50 && !(seen == 1 && pending == 0); i++)
        {
            await Task.Delay(100);
            await using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            // The demo replay is queuing posts too, so look for this post only.
            seen = await ScalarAsync(connection, "SELECT COUNT(*) FROM seen_posts WHERE post_id = 'readme:1'");
            pending = await ScalarAsync(connection, "SELECT COUNT(*) FROM intake_outbox WHERE payload LIKE '%\"SourceId\":\"1\"%' AND payload LIKE '%\"Source\":\"readme\"%'");
        }
        Assert.Equal((1, 0), (seen, pending));
    }

    private string Output { get { lock (_output) return _output.ToString(); } }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex("mon_[0-9a-f]{12}_[A-Za-z0-9_-]{32}")]
    private static partial Regex AdminKey();

    public void Dispose()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit(10_000);
        _process?.Dispose();
        try { _dir.Delete(true); } catch (IOException) { }
    }
}
