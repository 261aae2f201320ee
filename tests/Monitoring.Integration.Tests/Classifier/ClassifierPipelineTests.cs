using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Contracts;
using Monitoring.Hosting;
using Monitoring.Hosting.Security;
using Monitoring.Testing;

namespace Monitoring.Integration.Tests.Classifier;

/// <summary>Collector and Classifier over a real RabbitMQ: pushed posts come out scored, without their text.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class ClassifierPipelineTests(InfrastructureFixture infra) : IAsyncLifetime
{
    private TestApp _app = null!;
    private BusTap<PostsClassified> _tap = null!;

    public async Task InitializeAsync()
    {
        _tap = await BusTap<PostsClassified>.StartAsync(infra.RabbitMq.AmqpUri);
        _app = await TestApp.StartAsync(MonitoringRoles.Collector | MonitoringRoles.Classifier, new Dictionary<string, string>
        {
            ["Bus:RabbitMq"] = infra.RabbitMq.AmqpUri,
            ["Bus:QueuePrefix"] = "classifier-tests",
            ["Database:Postgres"] = await infra.Postgres.CreateDatabaseAsync(),
            ["Collector:AuthorSecret"] = "integration-test-secret-0123456789",
            ["Auth:CreateAdminKeyWhenEmpty"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _tap.DisposeAsync();
    }

    [Fact]
    public async Task Pushed_posts_are_classified_and_published_without_text()
    {
        var key = (await _app.App.Services.GetRequiredService<ApiKeyStore>().CreateAsync(ApiKeyRoles.Ingest, "test")).Secret;
        var run = Guid.NewGuid().ToString("N")[..8];
        var body = $$"""
            {"source":"t","id":"{{run}}-1","publishedAt":"2024-05-01T12:00:00Z","author":"a","text":"I feel so lonely, nobody ever talks to me and I have no friends","language":"en","region":"AR-B"}
            {"source":"t","id":"{{run}}-2","publishedAt":"2024-05-01T12:00:00Z","author":"b","text":"Thank you so much, this made my day! I love it","language":"en","region":"AR-B"}
            {"source":"t","id":"{{run}}-3","publishedAt":"2024-05-01T12:00:00Z","author":"c","text":"Hoy me siento muy solo y triste","language":"es","region":"AR-B"}
            """;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/posts") { Content = new StringContent(body, Encoding.UTF8, "application/x-ndjson") };
        request.Headers.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await _app.Client().SendAsync(request)).StatusCode);

        Assert.True(await _tap.WaitUntilAsync(r => r.SelectMany(b => b.Posts).Count(p => p.PostId.StartsWith($"t:{run}", StringComparison.Ordinal)) >= 2, TimeSpan.FromSeconds(30)),
            "the posts were not classified");
        await Task.Delay(500);
        var batch = _tap.Received.Single(b => b.Posts.Any(p => p.PostId.StartsWith($"t:{run}", StringComparison.Ordinal)));
        var lonely = batch.Posts.Single(p => p.PostId == $"t:{run}-1");
        var grateful = batch.Posts.Single(p => p.PostId == $"t:{run}-2");

        Assert.DoesNotContain(batch.Posts, p => p.PostId == $"t:{run}-3"); // Spanish: no model covers it yet
        Assert.False(string.IsNullOrEmpty(batch.ModelVersion));
        Assert.Equal(MarkerCatalogue.All.Count - 1, lonely.Probabilities.Count); // every per-post marker
        Assert.True(lonely.Probabilities["loneliness"] > grateful.Probabilities["loneliness"]);
        Assert.True(grateful.Probabilities["emotion.gratitude"] > lonely.Probabilities["emotion.gratitude"]);
        Assert.Contains("loneliness", lonely.Flagged);
        Assert.True(batch.Rates.ContainsKey("loneliness"));

        // No text travels past the Classifier: evidence is short n-grams only.
        Assert.All(batch.Posts.SelectMany(p => p.Evidence.Values.SelectMany(v => v)), e => Assert.True(e.Split(' ').Length <= 2, e));
        Assert.Equal(64, lonely.AuthorKey.Length);
    }
}
