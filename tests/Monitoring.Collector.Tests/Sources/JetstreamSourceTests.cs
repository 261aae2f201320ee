using Monitoring.Collector.Sources.Bluesky;
using Monitoring.Testing.Protocols;

namespace Monitoring.Collector.Tests.Sources;

public sealed class JetstreamSourceTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("jetstream-");
    private readonly FakeJetstreamServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(true);
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Collector:Sources:Bluesky:0:Endpoint"] = _server.Endpoint,
        ["Collector:Sources:Bluesky:0:RewindMicroseconds"] = "1500", // replays the last event or two
    };

    [Fact]
    public void Parses_a_post_commit_and_ignores_other_events()
    {
        var post = JetstreamSource.Parse("""
            {"did":"did:plc:eygmaihciaxprqvxpfvl6flk","time_us":1725911162329308,"kind":"commit","commit":{"rev":"3l3qo2vutsw2b","operation":"create","collection":"app.bsky.feed.post","rkey":"3l3qo2vuowo2b","record":{"$type":"app.bsky.feed.post","createdAt":"2024-09-09T19:46:02.102Z","langs":["en"],"text":"so tired of this week","reply":{"parent":{"cid":"x","uri":"at://did:plc:xyz/app.bsky.feed.post/3l3qo"},"root":{"cid":"x","uri":"at://did:plc:xyz/app.bsky.feed.post/3l3qo"}}},"cid":"bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcqi"}}
            """u8);
        Assert.Equal(1725911162329308, post!.Value.TimeUs);
        Assert.Equal("at://did:plc:eygmaihciaxprqvxpfvl6flk/app.bsky.feed.post/3l3qo2vuowo2b", post.Value.Post!.Id);
        Assert.Equal("so tired of this week", post.Value.Post.Text);
        Assert.Equal("en", post.Value.Post.Language);
        Assert.Equal("at://did:plc:xyz/app.bsky.feed.post/3l3qo", post.Value.Post.ReplyTo);

        var delete = JetstreamSource.Parse("""{"did":"did:plc:a","time_us":5,"kind":"commit","commit":{"rev":"r","operation":"delete","collection":"app.bsky.feed.post","rkey":"k"}}"""u8);
        Assert.Equal((5L, (Monitoring.Collector.Intake.RawPost?)null), (delete!.Value.TimeUs, delete.Value.Post));
        Assert.Null(JetstreamSource.Parse("not json"u8));
    }

    [Fact]
    public async Task Reconnects_after_drops_and_resumes_from_its_cursor_without_loss_or_repeats()
    {
        _server.DropAfter = 8;
        await using var host = new LiveSourceHost(_dir, Settings());
        await host.StartAsync();
        for (var i = 0; i < 100 && _server.Connections == 0; i++) await Task.Delay(50);
        await Task.Delay(200);

        for (var i = 0; i < 30; i++)
        {
            _server.PublishPost($"post {i}", did: $"did:plc:user{i % 4}");
            if (i % 7 == 0) _server.PublishIdentity();
            await Task.Delay(20);
        }
        var queued = await host.WaitForAsync(30, TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        queued = await host.QueuedAsync();

        Assert.True(_server.Connections >= 3, $"expected reconnections, saw {_server.Connections}");
        Assert.Contains(_server.CursorsAsked, c => c is not null);
        Assert.Equal(30, queued.Count);
        Assert.Equal(30, queued.Select(p => p.PostId).Distinct().Count());
        Assert.All(queued, p => Assert.Equal("bluesky", p.Source));
    }

    [Fact]
    public async Task A_restart_resumes_from_the_committed_cursor()
    {
        await using (var first = new LiveSourceHost(_dir, Settings()))
        {
            await first.StartAsync();
            for (var i = 0; i < 100 && _server.Connections == 0; i++) await Task.Delay(50);
            await Task.Delay(200);
            for (var i = 0; i < 5; i++) _server.PublishPost($"a{i}");
            Assert.Equal(5, (await first.WaitForAsync(5, TimeSpan.FromSeconds(20))).Count);
            await first.StopAsync();
        }
        for (var i = 0; i < 5; i++) _server.PublishPost($"while down {i}");
        await using var second = new LiveSourceHost(_dir, Settings());
        await second.StartAsync();
        await second.WaitForAsync(10, TimeSpan.FromSeconds(20));
        await Task.Delay(500);
        var queued = await second.QueuedAsync();
        Assert.Equal(10, queued.Count);
        Assert.Equal(10, queued.Select(p => p.PostId).Distinct().Count());
    }
}
