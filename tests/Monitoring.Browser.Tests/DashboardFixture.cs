using Monitoring.Hosting;

namespace Monitoring.Browser.Tests;

/// <summary>The Dashboard role with planted data and a browser, shared by the tests of one class.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public BrowserApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await BrowserApp.StartAsync(MonitoringRoles.Dashboard);
        await Planted.PlantAsync(App);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>Where screenshots go: docs/images of the repository (found from the test binary's folder).</summary>
public static class Screenshots
{
    public static string PathOf(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Monitoring.sln"))) dir = dir.Parent;
        var images = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "docs", "images");
        Directory.CreateDirectory(images);
        return Path.Combine(images, name);
    }
}
