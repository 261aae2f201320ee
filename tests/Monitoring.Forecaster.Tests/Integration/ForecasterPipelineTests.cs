using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monitoring.Contracts;
using Monitoring.Forecaster.Storage;
using Monitoring.Hosting.Bus;
using Monitoring.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Monitoring.Forecaster.Tests.Integration;

/// <summary>
/// Classified posts flow over a real RabbitMQ node into PostgreSQL series; a spike planted on the last day raises
/// exactly one alert incident, and its AlertRaised is delivered once although the spike batch is delivered twice.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class ForecasterPipelineTests(InfrastructureFixture infra)
{
    const string Marker = "dsm5.depressed_mood";
    static readonly DateTimeOffset Day0 = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);

    static PostsClassified DayBatch(int day, double flaggedShare, Random rng)
    {
        var posts = new List<ClassifiedPost>();
        for (var i = 0; i < 300; i++)
        {
            var flagged = rng.NextDouble() < flaggedShare;
            posts.Add(new ClassifiedPost($"t:{day}:{i}", Day0.AddDays(day).AddMinutes(i * 4), $"author{(day * 37 + i) % 260:D3}", "en",
                SeriesKey.UnknownRegion, null, [], new Dictionary<string, double> { [Marker] = flagged ? 0.9 : 0.1 },
                flagged ? [Marker] : [], new Dictionary<string, IReadOnlyList<string>>()));
        }
        return new PostsClassified(Guid.NewGuid(), Guid.NewGuid(), "m1", Day0.AddDays(day + 1), posts,
            new Dictionary<string, MarkerRates> { [Marker] = new(0.5, 0.8, 0.1) });
    }

    [Fact]
    public async Task Planted_spike_raises_exactly_one_incident_delivered_once()
    {
        var database = await infra.Postgres.CreateDatabaseAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Postgres"] = database,
            ["Bus:RabbitMq"] = infra.RabbitMq.AmqpUri,
            ["Bus:QueuePrefix"] = "fc" + Guid.NewGuid().ToString("N")[..8],
            ["Forecaster:DetectionMethod"] = "switch",
            ["Forecaster:ForecastAlerts"] = "false",
        });
        builder.AddForecaster();
        builder.AddMonitoringBus();
        using var host = builder.Build();

        await using var tap = await BusTap<AlertRaised>.StartAsync(infra.RabbitMq.AmqpUri);
        await host.StartAsync();
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var factory = host.Services.GetRequiredService<IDbContextFactory<ForecasterDbContext>>();
            var rng = new Random(5);
            const int days = 44;
            for (var d = 0; d < days; d++) await bus.Publish(DayBatch(d, 0.2, rng));
            await WaitAsync(async () => { await using var db = await factory.CreateDbContextAsync(); return await db.ProcessedBatches.CountAsync() == days; },
                TimeSpan.FromSeconds(90));
            Assert.Empty(tap.Received); // no alert on the quiet history

            var spike = DayBatch(days, 0.45, rng);
            await bus.Publish(spike);
            await bus.Publish(spike); // redelivery of the same batch
            Assert.True(await tap.WaitUntilAsync(r => r.Count >= 1, TimeSpan.FromSeconds(60)), "no AlertRaised arrived");
            await Task.Delay(TimeSpan.FromSeconds(3)); // room for a duplicate to show up

            var message = Assert.Single(tap.Received);
            var incident = Assert.Single(message.Alerts);
            Assert.Equal(new SeriesKey(Marker, SeriesKey.AllRegions, Granularity.Day), incident.Key);
            Assert.Equal(AlertKind.Observed, incident.Kind);
            Assert.Equal(AlertSeverity.Red, incident.Severity);
            Assert.Equal(Day0.AddDays(days), incident.BucketStart);
            Assert.True(incident.Observed > incident.Threshold);

            await using var check = await factory.CreateDbContextAsync();
            Assert.Single(await check.AlertIncidents.ToListAsync());
            Assert.Equal(days + 1, await check.ProcessedBatches.CountAsync());
            var all = await EfSeriesStore.ReadAsync(check, new SeriesKey(Marker, SeriesKey.AllRegions, Granularity.Day), Day0, Day0.AddDays(60));
            Assert.Equal(days + 1, all.Count);
            Assert.All(all, b => Assert.Equal(300, b.Posts)); // the redelivered batch changed nothing
        }
        finally
        {
            await host.StopAsync();
        }
    }

    static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(200);
        }
    }
}
