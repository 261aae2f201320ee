using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using MassTransit.UsageTracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Monitoring.Hosting.Bus;

namespace Monitoring.Hosting.Tests.Bus;

/// <summary>
/// MassTransit (since 8.4) reports the bus's configuration and the host to usage-tracking.masstransit.io after start,
/// or at shutdown when <see cref="UsageTelemetryOptions.ReportOnShutdown"/> is set, and the environment variable
/// MASSTRANSIT_USAGE_TELEMETRY=true switches that on again. Every role's bus must send nothing.
/// </summary>
[Collection(nameof(UsageTelemetryTests))] // sets a process-wide environment variable
[CollectionDefinition(nameof(UsageTelemetryTests), DisableParallelization = true)]
public sealed class UsageTelemetryTests
{
    [Fact]
    public async Task The_bus_sends_no_usage_telemetry_even_when_the_environment_asks_for_it()
    {
        var requests = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            // the request's tags (server.address, url.full) are complete once it ends, whether it succeeded or not
            ActivityStopped = activity => requests.Enqueue(string.Join(' ', activity.TagObjects.Select(t => $"{t.Key}={t.Value}"))),
        };
        ActivitySource.AddActivityListener(listener);
        Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "true");
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.AddMonitoringBus();
            // Ask MassTransit to report as soon as the host stops rather than minutes after start.
            builder.Services.Configure<UsageTelemetryOptions>(o => o.ReportOnShutdown = true);
            using (var host = builder.Build())
            {
                Assert.False(host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
                Assert.IsType<NoUsageTelemetry>(host.Services.GetRequiredService<IUsageTracker>());
                await host.StartAsync();
                await host.Services.GetRequiredService<IBus>().Publish(new Ping(1));
                await host.StopAsync();
                await ((IAsyncDisposable)host.Services).DisposeAsync();
            }
            Assert.DoesNotContain(requests, address => address.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", null);
        }
    }

    public sealed record Ping(int Value);
}
