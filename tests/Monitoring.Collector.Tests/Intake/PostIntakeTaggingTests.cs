using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monitoring.Collector.Intake;
using Monitoring.Collector.Storage;
using Monitoring.Contracts;

namespace Monitoring.Collector.Tests.Intake;

/// <summary>The intake with tagging configured, on an embedded database.</summary>
public sealed class PostIntakeTaggingTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tagging-");
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Database:Directory"] = _dir.FullName;
        builder.Configuration["Collector:Tagging:Languages:0"] = "en";
        builder.Configuration["Collector:Tagging:Languages:1"] = "es";
        builder.Configuration["Collector:Tagging:Regions:Communities:r/argentina"] = "AR";
        builder.Configuration["Collector:Tagging:Regions:Instances:mastodon.example"] = "FR";
        builder.Configuration["Collector:Tagging:Topics:economy:0"] = "inflation";
        builder.Configuration["Collector:Tagging:Topics:economy:1"] = "inflación";
        builder.AddCollectorIntake();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(true);
    }

    private static IncomingPost Post(string id, string text, string? language = null, string? region = null, string? community = null, string? location = null) =>
        IncomingPost.Parsed(new RawPost
        {
            Source = "test", Id = id, PublishedAt = DateTimeOffset.UtcNow.AddHours(-1), Author = "someone", Text = text,
            Language = language, Region = region, Community = community, Location = location,
        });

    [Fact]
    public async Task Tags_language_region_and_topics_and_drops_what_is_not_taken()
    {
        var intake = _host.Services.GetRequiredService<PostIntake>();
        const string repost = "The factory on the north side is closing next month and four hundred people will lose their jobs";
        var summary = await intake.TakeAsync(
        [
            Post("1", "La inflación no para y ya no sé cómo llegar a fin de mes con este sueldo", community: "r/argentina"),
            Post("2", "Ich habe heute den ganzen Tag im Büro gesessen und bin jetzt wirklich sehr müde"),
            Post("3", "Inflation is eating my salary and the rent went up again this month", location: "Córdoba, Argentina"),
            Post("4", "I honestly do not know where this person lives but the weather is nice today", location: "Córdoba"),
            Post("5", repost),
            Post("6", "RT " + repost),
            Post("7", "Just a post from the fediverse about my garden and the tomatoes growing this summer", language: "en"),
        ], "test");

        var results = summary.Results;
        Assert.Equal(["accepted", "dropped", "accepted", "accepted", "accepted", "dropped", "accepted"], results.Select(r => r.Status));
        Assert.Equal("language_not_enabled", results[1].Reason);
        Assert.Equal("near_duplicate", results[5].Reason);

        var queued = await QueuedAsync();
        var spanish = queued.Single(p => p.SourceId == "1");
        Assert.Equal(("es", "AR", "economy"), (spanish.Language, spanish.Region, string.Join(",", spanish.Topics)));
        var english = queued.Single(p => p.SourceId == "3");
        Assert.Equal(("en", "AR-X", "economy"), (english.Language, english.Region, string.Join(",", english.Topics)));
        Assert.Equal("unknown", queued.Single(p => p.SourceId == "4").Region); // "Córdoba" alone is ambiguous
    }

    [Fact]
    public async Task A_client_supplied_region_and_language_are_kept()
    {
        var intake = _host.Services.GetRequiredService<PostIntake>();
        await intake.TakeAsync([Post("k", "La inflación otra vez, qué cansancio todo esto de verdad", language: "es", region: "UY", community: "r/argentina")], "test");
        var post = (await QueuedAsync()).Single(p => p.SourceId == "k");
        Assert.Equal(("es", "UY"), (post.Language, post.Region));
    }

    [Fact]
    public async Task A_batch_whose_commit_failed_is_taken_whole_when_the_client_retries()
    {
        var intake = _host.Services.GetRequiredService<PostIntake>();
        var factory = _host.Services.GetRequiredService<IDbContextFactory<CollectorDbContext>>();
        IncomingPost[] batch =
        [
            Post("r1", "The bus from the east side has been late every single morning this week and nobody says why"),
            Post("r2", "Our street flooded again after last night's storm and the council still has not cleared the drains"),
        ];
        await using (var db = await factory.CreateDbContextAsync())
        {
            // A real failure at commit time: the outbox table is gone while the intake writes.
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE intake_outbox RENAME TO intake_outbox_away");
        }
        await Assert.ThrowsAnyAsync<Exception>(() => intake.TakeAsync(batch, "test"));
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE intake_outbox_away RENAME TO intake_outbox");
        }

        var retry = await intake.TakeAsync(batch, "test");

        Assert.Equal(["accepted", "accepted"], retry.Results.Select(r => r.Status));
        Assert.Equal(["r1", "r2"], (await QueuedAsync()).Select(p => p.SourceId).Order());
    }

    private async Task<List<CollectedPost>> QueuedAsync()
    {
        var factory = _host.Services.GetRequiredService<IDbContextFactory<CollectorDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return (await db.Outbox.ToListAsync()).SelectMany(r => JsonSerializer.Deserialize<PostsCollected>(r.Payload)!.Posts).ToList();
    }
}
