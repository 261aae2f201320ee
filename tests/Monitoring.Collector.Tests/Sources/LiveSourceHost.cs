using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monitoring.Collector.Storage;
using Monitoring.Contracts;

namespace Monitoring.Collector.Tests.Sources;

/// <summary>A Collector with live sources on an embedded database in a folder that outlives restarts of the host.</summary>
public sealed class LiveSourceHost(DirectoryInfo dir, IDictionary<string, string?> settings) : IAsyncDisposable
{
    private IHost? _host;

    public async Task StartAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Database:Directory"] = dir.FullName;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCollectorIntake();
        builder.AddLiveSources();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_host is null) return;
        await _host.StopAsync();
        _host.Dispose();
        _host = null;
    }

    /// <summary>Every post queued for publishing so far, across restarts.</summary>
    public async Task<List<CollectedPost>> QueuedAsync()
    {
        var options = new DbContextOptionsBuilder<CollectorDbContext>()
            .UseSqlite($"Data Source={Path.Combine(dir.FullName, "collector.db")};Pooling=False").Options;
        await using var db = new CollectorDbContext(options);
        var rows = await db.Outbox.AsNoTracking().OrderBy(o => o.Id).ToListAsync();
        return rows.SelectMany(r => JsonSerializer.Deserialize<PostsCollected>(r.Payload)!.Posts).ToList();
    }

    public async Task<List<CollectedPost>> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        List<CollectedPost> queued;
        do
        {
            queued = await QueuedAsync();
            if (queued.Count >= count) return queued;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return queued;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
