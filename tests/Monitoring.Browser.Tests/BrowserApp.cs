using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Monitoring.Hosting;

namespace Monitoring.Browser.Tests;

/// <summary>
/// The real `monitoring` composition root on a real Kestrel port (embedded: in-memory bus, SQLite in a temporary folder),
/// plus one headless Chromium. One per test class: starting both takes a few seconds on two cores.
/// </summary>
public sealed class BrowserApp : IAsyncDisposable
{
    public const string AdminKey = "mon_0123456789ab_browser-tests-admin-key-not-secret";

    public static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private readonly string _directory;

    private BrowserApp(WebApplication app, string baseUrl, string directory, IPlaywright playwright, IBrowser browser)
    {
        App = app;
        BaseUrl = baseUrl;
        _directory = directory;
        Playwright = playwright;
        Browser = browser;
    }

    public WebApplication App { get; }

    public string BaseUrl { get; }

    public IPlaywright Playwright { get; }

    public IBrowser Browser { get; }

    public static async Task<BrowserApp> StartAsync(MonitoringRoles roles, IDictionary<string, string>? extra = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "monitoring-browser-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var settings = new Dictionary<string, string>
        {
            ["Database:Directory"] = directory,
            ["Auth:AdminKey"] = AdminKey,
            ["Collector:Demo:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Dashboard:Delivery:Enabled"] = "false",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) settings[k] = v;
        var args = settings.Select(s => $"--{s.Key}={s.Value}").Append("--urls=http://127.0.0.1:0").ToArray();
        var app = Host.Roles.Build(roles, args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
        return new BrowserApp(app, address.TrimEnd('/') + "/", directory, playwright, browser);
    }

    public HttpClient Client(string? apiKey = AdminKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public Task PublishAsync<T>(T message) where T : class => App.Services.GetRequiredService<IBus>().Publish(message);

    /// <summary>A new page (1280×800) that records console errors, page errors, failed requests and HTTP errors.</summary>
    public async Task<WatchedPage> NewPageAsync(string? apiKey = AdminKey)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            BaseURL = BaseUrl,
            AcceptDownloads = true,
        });
        if (apiKey is not null)
        {
            await context.AddInitScriptAsync($"localStorage.setItem('monitoring.apiKey', '{apiKey}');");
        }
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return new WatchedPage(context, page);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}

/// <summary>A page whose console errors, uncaught exceptions, failed requests and 4xx/5xx answers fail the test.</summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];

    public WatchedPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, m) =>
        {
            if (m.Type == "error") Add($"console error: {m.Text}");
        };
        page.PageError += (_, e) => Add($"page error: {e}");
        page.RequestFailed += (_, r) =>
        {
            // Chromium re-requests the icon on hash navigations and cancels it when the next one comes quickly: not the page's fault.
            if (r.Failure == "net::ERR_ABORTED" && r.Url.EndsWith("/favicon.svg", StringComparison.Ordinal)) return;
            Add($"request failed: {r.Method} {r.Url}: {r.Failure}");
        };
        page.Response += (_, r) =>
        {
            if (r.Status >= 400) Add($"HTTP {r.Status}: {r.Request.Method} {r.Url}");
        };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems) return [.. _problems];
        }
    }

    private void Add(string problem)
    {
        lock (_problems) _problems.Add(problem);
    }

    /// <summary>Fails when anything went wrong in the page so far.</summary>
    public void AssertClean()
    {
        var problems = Problems;
        Assert.True(problems.Count == 0, "The page had problems:\n" + string.Join("\n", problems));
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
