using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Monitoring.Browser.Tests;

/// <summary>
/// Acknowledging and resolving an alert in the browser, with its own app (it changes the planted alerts, which the
/// other pages' tests count). Any console error or failed request fails.
/// </summary>
public sealed class AlertActionsPagesTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private BrowserApp App => fixture.App;

    private async Task<string> KeyAsync(string role, string name)
    {
        using var admin = App.Client();
        var created = await admin.PostAsJsonAsync("/api/v1/keys", new { role, name });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    [Fact]
    public async Task Viewers_and_anonymous_readers_get_no_buttons()
    {
        foreach (var key in new[] { await KeyAsync("viewer", "browser viewer"), null })
        {
            await using var w = await App.NewPageAsync(key);
            var page = w.Page;
            await page.GotoAsync($"/#/alerts/{Planted.RedAlert}"); // the other test resolves the forecast alert
            await Expect(page.Locator("#alert-facts")).ToContainTextAsync("ears-c2");
            await Expect(page.Locator("#alert-actions-need-key")).ToContainTextAsync("analyst");
            await Expect(page.Locator("#alert-acknowledge")).ToHaveCountAsync(0);
            await Expect(page.Locator("#alert-resolve")).ToHaveCountAsync(0);
            w.AssertClean();
        }
    }

    [Fact]
    public async Task An_analyst_acknowledges_then_resolves_an_alert_with_the_keyboard_and_the_list_shows_it()
    {
        await using var w = await App.NewPageAsync(await KeyAsync("analyst", "browser analyst"));
        var page = w.Page;
        await page.GotoAsync("/#/alerts");
        var row = page.Locator("#alerts-table tbody tr", new() { HasText = "ekman.fear" });
        await Expect(row.Locator(".status")).ToHaveTextAsync("open");
        await row.Locator("a.alert-link").ClickAsync();

        var ack = page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" });
        var resolve = page.GetByRole(AriaRole.Button, new() { Name = "Resolve" });
        await Expect(ack).ToBeEnabledAsync();
        await page.GetByLabel("Note (optional, shown with the alert)").FillAsync("calling the Córdoba office");
        await ack.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#alert-status-text")).ToContainTextAsync("acknowledged by browser analyst");
        await Expect(page.Locator("#alert-status-text")).ToContainTextAsync("calling the Córdoba office");
        await Expect(page.Locator("#alert-acknowledge")).ToBeDisabledAsync();

        await page.Locator("#alert-resolve").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#alert-status-text")).ToContainTextAsync("resolved by browser analyst");
        await Expect(page.Locator("#alert-acknowledge")).ToHaveCountAsync(0);
        await Expect(resolve).ToHaveCountAsync(0);

        await page.GotoAsync("/#/alerts?status=resolved");
        await Expect(page.Locator("#alerts-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#alerts-table tbody tr .status")).ToHaveTextAsync("resolved");
        await page.Locator("#alert-status").SelectOptionAsync("open,acknowledged");
        await Expect(page.Locator("#alerts-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#alerts-table tbody tr")).ToContainTextAsync("loneliness");
        w.AssertClean();

        using var client = App.Client();
        var alert = await client.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{Planted.ForecastAlert}");
        Assert.Equal("resolved", alert.GetProperty("status").GetString());
        Assert.Equal("calling the Córdoba office", alert.GetProperty("acknowledgement").GetProperty("note").GetString());
        Assert.Equal("browser analyst", alert.GetProperty("manualResolution").GetProperty("by").GetString());
    }
}
