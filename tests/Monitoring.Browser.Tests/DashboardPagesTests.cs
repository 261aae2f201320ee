using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Monitoring.Browser.Tests;

/// <summary>Each page of the dashboard in headless Chromium, against planted data; any console error or failed request fails.</summary>
public sealed class DashboardPagesTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private BrowserApp App => fixture.App;

    [Fact]
    public async Task Overview_shows_a_card_per_marker_family_with_prevalence_change_alerts_and_sparkline()
    {
        await using var w = await App.NewPageAsync();
        var page = w.Page;
        await page.GotoAsync("/");
        await Expect(page.Locator(".card")).ToHaveCountAsync(7);
        var lonely = page.Locator("#card-loneliness");
        await Expect(lonely.Locator(".big")).ToContainTextAsync("%");
        await Expect(lonely).ToContainTextAsync("vs last week");
        await Expect(lonely.Locator("canvas")).ToHaveCountAsync(1);
        await Expect(page.Locator("#demo-banner")).ToBeHiddenAsync();

        // The region selector: in AR-X the loneliness card counts the open red alert.
        await page.SelectOptionAsync("#overview-region", "AR-X");
        await Expect(page.Locator("#card-loneliness")).ToContainTextAsync("1 open alert");
        await Expect(page.Locator("#card-loneliness .note")).ToContainTextAsync("suppressed");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("overview.png"), FullPage = true });
        w.AssertClean();
    }

    [Fact]
    public async Task Explorer_chooses_marker_and_region_compares_two_regions_toggles_the_forecast_and_downloads()
    {
        await using var w = await App.NewPageAsync();
        var page = w.Page;
        await page.GotoAsync("/#/explorer");
        await Expect(page.Locator("#explorer-message")).ToContainTextAsync("1 series");

        await page.SelectOptionAsync("#marker", ["loneliness"]);
        await page.SelectOptionAsync("#region", ["AR-X"]);
        await Expect(page.Locator("#explorer-message")).ToContainTextAsync("1 series");
        await Expect(page.Locator("#explorer-message")).ToContainTextAsync("1 forecast");
        await Expect(page.Locator("#suppression-note")).ToContainTextAsync("gaps, not zeros");
        Assert.Contains("r=AR-X", page.Url);

        await page.SelectOptionAsync("#region", ["AR-X", "AR-B"]);
        await Expect(page.Locator("#explorer-message")).ToContainTextAsync("2 series");
        await Expect(page.Locator("#explorer-message")).ToContainTextAsync("2 forecasts");
        await Expect(page.Locator("#explorer-notes")).ToContainTextAsync("Plant closure");

        await page.Locator("#forecast").UncheckAsync();
        await Expect(page.Locator("#explorer-message")).Not.ToContainTextAsync("forecast");
        await page.Locator("#forecast").CheckAsync();
        await Expect(page.Locator("#explorer-message")).ToContainTextAsync("2 forecasts");

        // Seven markers × regions would be too many to compare.
        await page.SelectOptionAsync("#marker", ["loneliness", "hostility", "ekman.fear", "emotion.sadness"]);
        await Expect(page.Locator("#explorer-message")).ToContainTextAsync("compare at most 6");
        await page.SelectOptionAsync("#marker", ["loneliness"]);
        await Expect(page.Locator("#explorer-message")).ToContainTextAsync("2 series");

        await page.Locator("#g-week").CheckAsync();
        await Expect(page.Locator("#explorer-message")).ToContainTextAsync("2 series");
        await page.Locator("#g-day").CheckAsync();
        await Expect(page.Locator("#explorer-message")).ToContainTextAsync("2 forecasts");

        var csv = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-csv").ClickAsync());
        var csvText = await File.ReadAllTextAsync(await csv.PathAsync());
        Assert.StartsWith("marker,region,topic,granularity,bucket_start,suppressed", csvText);
        Assert.Contains("loneliness,AR-X,,day,", csvText);
        Assert.Contains(",true,,,,", csvText); // a suppressed row: no numbers
        var png = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-png").ClickAsync());
        var bytes = await File.ReadAllBytesAsync(await png.PathAsync());
        Assert.True(bytes.Length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "a PNG");

        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("explorer.png"), FullPage = true });
        w.AssertClean();
    }

    [Fact]
    public async Task Alerts_list_and_detail_show_detector_p_value_and_word_shift()
    {
        await using var w = await App.NewPageAsync();
        var page = w.Page;
        await page.GotoAsync("/#/alerts");
        await Expect(page.Locator("#alerts-table tbody tr")).ToHaveCountAsync(2);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("alerts.png") });

        await page.Locator("a.alert-link", new() { HasText = "loneliness" }).ClickAsync();
        await Expect(page.Locator("#alert-facts")).ToContainTextAsync("ears-c2");
        await Expect(page.Locator("#alert-facts")).ToContainTextAsync("0.00400");
        await Expect(page.Locator("#word-shift canvas")).ToHaveCountAsync(1);
        await Expect(page.Locator("#alert-series canvas")).ToHaveCountAsync(1);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("alert-detail.png"), FullPage = true });
        w.AssertClean();
    }

    [Fact]
    public async Task Map_models_and_keys_pages_load()
    {
        await using var w = await App.NewPageAsync();
        var page = w.Page;
        await page.GotoAsync("/#/map");
        await Expect(page.Locator("#map-note")).ToContainTextAsync("provinces are not in it");
        await Expect(page.Locator("#map-chart canvas")).ToHaveCountAsync(1);
        await Expect(page.Locator("#map-regions canvas")).ToHaveCountAsync(1);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("map.png"), FullPage = true });

        await page.Locator("#nav a[data-page=models]").ClickAsync();
        await Expect(page.Locator("section.model")).ToHaveCountAsync(7);
        await Expect(page.Locator("#model-loneliness")).ToContainTextAsync("FIG-Loneliness");
        await Expect(page.Locator("#model-loneliness .model-version")).ToHaveTextAsync(Planted.LonelinessModelVersion);
        await Expect(page.Locator("#model-dsm5 .model-version")).ToHaveTextAsync("dsm5-rules-1");
        await Expect(page.Locator("#model-dsm5")).ToContainTextAsync("never a diagnosis");

        await page.Locator("#nav a[data-page=keys]").ClickAsync();
        await Expect(page.Locator("#keys-table")).ToContainTextAsync("0123456789ab");
        await page.Locator("#key-role").SelectOptionAsync("viewer");
        await page.Locator("#key-name").FillAsync("browser test viewer");
        await page.Locator("#key-create-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#key-admin-status code.secret")).ToContainTextAsync("mon_");
        w.AssertClean();
    }

    [Fact]
    public async Task An_analyst_creates_edits_and_deletes_a_subscription_and_an_annotation()
    {
        await using var w = await App.NewPageAsync();
        var page = w.Page;
        page.Dialog += (_, d) => d.AcceptAsync();
        await page.GotoAsync("/#/subscriptions");
        await page.Locator("#sub-name").FillAsync("Córdoba loneliness");
        await page.Locator("#sub-channel").SelectOptionAsync("email");
        await page.Locator("#sub-target").FillAsync("analyst@example.org");
        await page.Locator("#sub-markers").SelectOptionAsync(["loneliness", "ekman.fear"]);
        await page.Locator("#sub-regions").SelectOptionAsync(["AR-X"]);
        await page.Locator("#sub-severity").SelectOptionAsync("red");
        await page.Locator("#sub-save").ClickAsync();
        await Expect(page.Locator("#subscription-saved")).ToContainTextAsync("Córdoba loneliness");
        var row = page.Locator("#subscriptions-table tbody tr", new() { HasText = "Córdoba loneliness" });
        await Expect(row).ToContainTextAsync("ekman.fear, loneliness");
        await Expect(row).ToContainTextAsync("red");

        using var client = App.Client();
        var listed = JsonDocument.Parse(await client.GetStringAsync("/api/v1/subscriptions")).RootElement;
        Assert.Contains(listed.EnumerateArray(), s => s.GetProperty("target").GetString() == "analyst@example.org" && s.GetProperty("minSeverity").GetString() == "red");

        await row.GetByRole(AriaRole.Link, new() { Name = "Edit Córdoba loneliness" }).ClickAsync();
        await page.Locator("#sub-name").FillAsync("Córdoba loneliness (all severities)");
        await page.Locator("#sub-severity").SelectOptionAsync("yellow");
        await page.Locator("#sub-save").ClickAsync();
        var edited = page.Locator("#subscriptions-table tbody tr", new() { HasText = "all severities" });
        await Expect(edited).ToContainTextAsync("yellow");
        await Expect(page.Locator("#subscriptions-table tbody tr")).ToHaveCountAsync(1);
        await edited.GetByRole(AriaRole.Button, new() { Name = "Delete Córdoba loneliness (all severities)" }).ClickAsync();
        await Expect(page.Locator("#no-subscriptions")).ToBeVisibleAsync();

        await page.Locator("#nav a[data-page=annotations]").ClickAsync();
        await page.Locator("#ann-title").FillAsync("Heat wave (simulated)");
        await page.Locator("#ann-date").FillAsync(Planted.LastDay.AddDays(-30).ToString("yyyy-MM-dd"));
        await page.Locator("#ann-region").SelectOptionAsync("AR-B");
        await page.Locator("#ann-save").ClickAsync();
        var ann = page.Locator("#annotations-table tbody tr", new() { HasText = "Heat wave" });
        await Expect(ann).ToContainTextAsync("AR-B");
        await ann.GetByRole(AriaRole.Button, new() { Name = "Delete Heat wave (simulated)" }).ClickAsync();
        await Expect(page.Locator("#annotations-table tbody tr", new() { HasText = "Heat wave" })).ToHaveCountAsync(0);
        w.AssertClean();
    }

    [Fact]
    public async Task Keyboard_reaches_the_pages_and_the_page_is_served_with_a_content_security_policy()
    {
        await using var w = await App.NewPageAsync();
        var page = w.Page;
        var response = await page.GotoAsync("/");
        Assert.Contains("default-src 'self'", response!.Headers["content-security-policy"]);
        await Expect(page.Locator(".card")).ToHaveCountAsync(7);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("a.skip")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#nav a[data-page=explorer]")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#explorer-message")).ToContainTextAsync("series");
        w.AssertClean();
    }
}
