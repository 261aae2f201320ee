using Monitoring.Testing.Protocols;

namespace Monitoring.Collector.Tests.Sources;

public sealed class MastodonSourceTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("mastodon-");
    private readonly FakeMastodonServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(true);
    }

    private Dictionary<string, string?> Settings(bool streaming = true) => new()
    {
        ["Collector:Sources:Mastodon:0:Instance"] = _server.Instance,
        ["Collector:Sources:Mastodon:0:Timeline"] = "public",
        ["Collector:Sources:Mastodon:0:Streaming"] = streaming ? "true" : "false",
        ["Collector:Sources:Mastodon:0:PollSeconds"] = "1",
        ["Collector:Sources:Mastodon:0:Region"] = "AR",
    };

    private async Task WaitForStreamAsync()
    {
        for (var i = 0; i < 100 && _server.ConnectedStreams == 0; i++) await Task.Delay(50);
        Assert.True(_server.ConnectedStreams > 0, "the client never opened the stream");
    }

    [Fact]
    public async Task Streams_reconnects_after_drops_and_catches_up_without_loss_or_repeats()
    {
        for (var i = 0; i < 3; i++) _server.Publish($"before start {i}");
        _server.DropStreamAfter = 4;
        await using var host = new LiveSourceHost(_dir, Settings());
        await host.StartAsync();
        await WaitForStreamAsync();

        for (var wave = 0; wave < 4; wave++)
        {
            // Each stream drops after 4 events; the next 2 statuses arrive while it is down, so only the REST
            // catch-up on reconnection can find them.
            await WaitForStreamAsync();
            for (var i = 0; i < 5; i++)
            {
                _server.Publish($"live status {wave * 5 + i}", acct: $"user{i % 3}@remote.example");
                await Task.Delay(30);
            }
        }
        var queued = await host.WaitForAsync(23, TimeSpan.FromSeconds(30));

        Assert.True(_server.StreamConnections >= 4, $"expected reconnections, saw {_server.StreamConnections} stream connections");
        Assert.Equal(23, queued.Count);
        Assert.Equal(23, queued.Select(p => p.PostId).Distinct().Count());
        var post = queued.Single(p => p.Text == "live status 7");
        Assert.Equal("mastodon", post.Source);
        Assert.StartsWith("https://", post.SourceId);
        Assert.Equal("AR", post.Region);
        Assert.Equal("en", post.Language);
        Assert.Equal(64, post.AuthorKey.Length);
    }

    [Fact]
    public async Task A_restart_resumes_from_the_committed_cursor()
    {
        await using (var first = new LiveSourceHost(_dir, Settings()))
        {
            _server.Publish("first");
            await first.StartAsync();
            await WaitForStreamAsync();
            for (var i = 0; i < 5; i++) _server.Publish($"a{i}");
            Assert.Equal(6, (await first.WaitForAsync(6, TimeSpan.FromSeconds(20))).Count);
            await first.StopAsync();
        }
        for (var i = 0; i < 5; i++) _server.Publish($"while down {i}");
        await using var second = new LiveSourceHost(_dir, Settings());
        await second.StartAsync();
        var queued = await second.WaitForAsync(11, TimeSpan.FromSeconds(20));
        await Task.Delay(500);
        queued = await second.QueuedAsync();
        Assert.Equal(11, queued.Count);
        Assert.Equal(11, queued.Select(p => p.PostId).Distinct().Count());
    }

    [Fact]
    public async Task Polling_backs_off_on_429_and_then_reads_everything()
    {
        _server.RateLimitNext = 2;
        for (var i = 0; i < 5; i++) _server.Publish($"polled {i}");
        await using var host = new LiveSourceHost(_dir, Settings(streaming: false));
        await host.StartAsync();
        var queued = await host.WaitForAsync(5, TimeSpan.FromSeconds(30));
        Assert.Equal(5, queued.Count);
        Assert.True(_server.TimelineRequests >= 3);
    }
}
