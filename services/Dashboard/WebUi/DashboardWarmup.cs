using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Monitoring.Dashboard.WebUi;

/// <summary>
/// Once the server listens, requests the overview page and the API calls it makes, over loopback, so that the first
/// analyst to open the dashboard does not pay for JIT compilation, EF query compilation and the first database
/// connections (about two seconds on two busy cores, against a few hundred milliseconds warm). Failures are ignored:
/// with anonymous reading off the API answers 401, which still warms the routing and the page. <c>/health/ready</c>
/// reports the role ready once the warm-up has run (<see cref="DashboardWarmupHealthCheck"/>), so a load balancer or a
/// test sends its first visitor to a warm server.
/// </summary>
public sealed class DashboardWarmup(IServiceProvider services, IHostApplicationLifetime lifetime, IOptions<DashboardOptions> options,
    ILogger<DashboardWarmup> logger) : BackgroundService
{
    private static readonly string[] Paths =
    [
        "/", "/ui/config.json", "/api/v1/markers", "/api/v1/regions",
        "/api/v1/series?marker=emotion.sadness,loneliness&region=all&granularity=day",
        "/api/v1/alerts?status=open,acknowledged&pageSize=200",
    ];

    private volatile bool _completed;

    /// <summary>True once the warm-up has run (or was switched off, or found no HTTP address).</summary>
    public bool Completed => _completed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WarmUpAsync(stoppingToken);
        }
        finally
        {
            _completed = true;
        }
    }

    private async Task WarmUpAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WarmUp) return;
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try { await started.Task.WaitAsync(stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
        if (LoopbackAddress() is not { } address) return;
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        foreach (var path in Paths)
        {
            try
            {
                using var response = await http.GetAsync(path, stoppingToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                logger.LogDebug("Dashboard warm-up request {Path} failed: {Error}", path, e.Message);
                if (stoppingToken.IsCancellationRequested) return;
            }
        }
    }

    /// <summary>The first HTTP address the server listens on, with a wildcard host replaced by loopback.</summary>
    private Uri? LoopbackAddress()
    {
        // No server in hosts without a web front (offline commands): nothing to warm.
        var address = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (address is null) return null;
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::") uri.Host = "127.0.0.1";
        return uri.Uri;
    }
}

/// <summary>Readiness: unhealthy until <see cref="DashboardWarmup"/> has run.</summary>
public sealed class DashboardWarmupHealthCheck(DashboardWarmup warmup) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(warmup.Completed
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy()
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("warming up"));
}
