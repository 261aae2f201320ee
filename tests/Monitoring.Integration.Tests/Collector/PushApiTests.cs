using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Contracts;
using Monitoring.Hosting;
using Monitoring.Hosting.Security;
using Monitoring.Testing;

namespace Monitoring.Integration.Tests.Collector;

[Collection(InfrastructureCollection.Name)]
public sealed class PushApiTests(InfrastructureFixture infra) : IAsyncLifetime
{
    private TestApp _app = null!;
    private BusTap<PostsCollected> _tap = null!;

    public async Task InitializeAsync()
    {
        _tap = await BusTap<PostsCollected>.StartAsync(infra.RabbitMq.AmqpUri);
        _app = await TestApp.StartAsync(MonitoringRoles.Collector, new Dictionary<string, string>
        {
            ["Bus:RabbitMq"] = infra.RabbitMq.AmqpUri,
            ["Bus:QueuePrefix"] = "push-tests",
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
    public async Task Ready_covers_bus_and_database()
    {
        var response = await _app.Client().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_a_key_the_push_api_answers_401_with_problem_details()
    {
        var response = await _app.Client().PostAsync("/api/v1/posts", new StringContent("[]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        Assert.True(problem.RootElement.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task A_viewer_key_cannot_push()
    {
        var key = await CreateKeyAsync(ApiKeyRoles.Viewer);
        var response = await _app.Client(key).PostAsync("/api/v1/posts", new StringContent("[]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_pushed_post_is_published_on_the_bus_and_bad_posts_are_rejected_alone()
    {
        var key = await CreateKeyAsync(ApiKeyRoles.Ingest);
        var id = Guid.NewGuid().ToString("N");
        var body = $$"""
            [
              {"source":"test","id":"{{id}}","publishedAt":"2024-05-01T12:00:00Z","author":"@someone","text":"<p>I feel so alone tonight</p> https://example.org @friend","language":"en","region":"AR-B"},
              {"source":"test","id":"{{id}}-2","author":"@someone","text":"no timestamp"},
              {"source":"test","id":"{{id}}-3","publishedAt":"2024-05-01T12:00:00Z","author":"@someone","text":"{{new string('x', 40_001)}}"},
              {broken
            ]
            """;
        var response = await _app.Client(key).PostAsync("/api/v1/posts", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var summary = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var results = summary.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["accepted", "rejected", "rejected", "rejected"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(["missing_field", "text_too_long", "invalid_json"], results.Skip(1).Select(r => r.GetProperty("reason").GetString()));

        Assert.True(await _tap.WaitUntilAsync(r => r.SelectMany(b => b.Posts).Any(p => p.SourceId == id), TimeSpan.FromSeconds(20)),
            "the accepted post was not published as PostsCollected");
        var post = _tap.Received.SelectMany(b => b.Posts).Single(p => p.SourceId == id);
        Assert.Equal("test", post.Source);
        Assert.Equal("I feel so alone tonight <url> <user>", post.Text);
        Assert.Equal("en", post.Language);
        Assert.Equal("AR-B", post.Region);
        Assert.Equal(64, post.AuthorKey.Length);
        Assert.DoesNotContain("someone", post.AuthorKey);

        // The same post again is a duplicate and is not published twice.
        var again = await _app.Client(key).PostAsJsonAsync("/api/v1/posts", new[]
        {
            new { source = "test", id, publishedAt = "2024-05-01T12:00:00Z", author = "@someone", text = "again" },
        });
        using var second = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
        Assert.Equal("duplicate", second.RootElement.GetProperty("results")[0].GetProperty("status").GetString());
        await Task.Delay(1000);
        Assert.Single(_tap.Received.SelectMany(b => b.Posts), p => p.SourceId == id);
    }

    private async Task<string> CreateKeyAsync(string role) =>
        (await _app.App.Services.GetRequiredService<ApiKeyStore>().CreateAsync(role, "test")).Secret;
}
