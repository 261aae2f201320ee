using System.Diagnostics;
using Monitoring.Contracts;
using Monitoring.Testing;
using Monitoring.Testing.Protocols;

namespace Monitoring.Integration.Tests.Collector;

/// <summary>
/// `monitoring run --role collector` (the real binary, its own process) follows a Mastodon stream from a local server,
/// is killed while streaming, and is started again: every status reaches the real broker, none twice.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class LiveSourceRestartTests(InfrastructureFixture infra) : IAsyncLifetime
{
    private readonly FakeMastodonServer _mastodon = new();
    private Process? _collector;

    public Task InitializeAsync() => _mastodon.StartAsync();

    public async Task DisposeAsync()
    {
        Kill();
        await _mastodon.DisposeAsync();
    }

    [Fact]
    public async Task A_collector_killed_while_streaming_loses_nothing_and_publishes_nothing_twice()
    {
        await using var tap = await BusTap<PostsCollected>.StartAsync(infra.RabbitMq.AmqpUri);
        var env = new Dictionary<string, string>
        {
            ["Bus__RabbitMq"] = infra.RabbitMq.AmqpUri,
            ["Bus__QueuePrefix"] = "live-restart",
            ["Database__Postgres"] = await infra.Postgres.CreateDatabaseAsync(),
            ["Collector__AuthorSecret"] = "integration-test-secret-0123456789",
            ["Auth__CreateAdminKeyWhenEmpty"] = "false",
            ["Collector__Sources__Mastodon__0__Instance"] = _mastodon.Instance,
            ["Collector__Sources__Mastodon__0__Timeline"] = "public",
            ["Collector__Sources__Mastodon__0__Streaming"] = "true",
        };
        int Distinct() => tap.Received.SelectMany(b => b.Posts).Select(p => p.PostId).Distinct().Count();

        for (var i = 0; i < 3; i++) _mastodon.Publish($"before start {i}");
        Start(env);
        await WaitForStreamAsync();
        for (var i = 0; i < 10; i++) _mastodon.Publish($"streamed {i}", acct: $"user{i}");
        Assert.True(await tap.WaitUntilAsync(_ => Distinct() >= 13, TimeSpan.FromSeconds(30)), $"only {Distinct()} of 13 published before the kill");

        await Task.Delay(500); // let the outbox go idle, then kill without warning while the stream is open
        Kill();
        for (var i = 0; i < 7; i++) _mastodon.Publish($"while down {i}", acct: $"user{i}");

        Start(env);
        Assert.True(await tap.WaitUntilAsync(_ => Distinct() >= 20, TimeSpan.FromSeconds(60)), $"only {Distinct()} of 20 published after the restart");
        await WaitForStreamAsync();
        for (var i = 0; i < 5; i++) _mastodon.Publish($"after restart {i}");
        Assert.True(await tap.WaitUntilAsync(_ => Distinct() >= 25, TimeSpan.FromSeconds(30)), $"only {Distinct()} of 25 published");
        await Task.Delay(1000);

        var posts = tap.Received.SelectMany(b => b.Posts).ToList();
        Assert.Equal(25, posts.Select(p => p.PostId).Distinct().Count());
        Assert.Equal(25, posts.Count);
    }

    private void Start(Dictionary<string, string> env)
    {
        var monitoring = typeof(Host.Commands.RunCommand).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet", [monitoring, "run", "--role", "collector", "--urls", $"http://127.0.0.1:{ProcessRunner.FreePort()}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in env) psi.Environment[k] = v;
        _collector = Process.Start(psi)!;
        _collector.OutputDataReceived += (_, _) => { };
        _collector.ErrorDataReceived += (_, _) => { };
        _collector.BeginOutputReadLine();
        _collector.BeginErrorReadLine();
    }

    private void Kill()
    {
        if (_collector is { HasExited: false }) _collector.Kill(entireProcessTree: true);
        _collector?.WaitForExit(10_000);
        _collector?.Dispose();
        _collector = null;
    }

    private async Task WaitForStreamAsync()
    {
        for (var i = 0; i < 600 && _mastodon.ConnectedStreams == 0; i++) await Task.Delay(50);
        Assert.True(_mastodon.ConnectedStreams > 0, "the collector never opened the Mastodon stream");
    }
}
