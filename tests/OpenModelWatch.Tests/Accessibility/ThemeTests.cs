using Microsoft.Playwright;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Accessibility;

/// <summary>
/// The theme follows the system's preference by default and remembers the reader's choice across visits, from the
/// first paint on: the HTML the server sends (before any script runs) is already in the remembered theme.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ThemeTests(DashboardApp app, Browser browser)
{
    private const string ToLight = "Switch to light theme";
    private const string ToDark = "Switch to dark theme";

    [Fact]
    public async Task TheSystemPreferenceIsFollowedAndAChoiceIsRemembered()
    {
        var context = await browser.Instance.NewContextAsync(new() { BaseURL = app.BaseUrl, ColorScheme = ColorScheme.Dark, ViewportSize = new() { Width = 1280, Height = 900 } });
        try
        {
            context.SetDefaultTimeout(15_000);
            var page = await context.NewPageAsync();

            // First visit, a dark system: the first paint cannot know it (light), the circuit follows the system.
            var first = await page.GotoAsync("/");
            Assert.Contains($"aria-label=\"{ToDark}\"", await first!.TextAsync(), StringComparison.Ordinal);
            await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await Assertions.Expect(page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("aria-label", ToLight);
            await page.ScreenshotAsync("theme-system-dark");

            // Second visit: the system's preference seen last time paints the page dark from its first byte.
            var second = await page.GotoAsync("/models");
            Assert.Contains($"aria-label=\"{ToLight}\"", await second!.TextAsync(), StringComparison.Ordinal);
            await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

            // The reader chooses light: it wins over the system's dark, on the next visit's first paint too.
            await page.GetByTestId("theme-toggle").ClickAsync();
            await Assertions.Expect(page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("aria-label", ToDark);
            var cookies = await context.CookiesAsync();
            Assert.Equal("light", cookies.Single(c => c.Name == "omw-theme").Value);
            Assert.Equal("light", await page.EvaluateAsync<string>("localStorage.getItem('omw-theme')"));

            var third = await page.GotoAsync("/labs");
            Assert.Contains($"aria-label=\"{ToDark}\"", await third!.TextAsync(), StringComparison.Ordinal);
            await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await Assertions.Expect(page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("aria-label", ToDark);
            await page.ScreenshotAsync("theme-chosen-light-on-dark-system");
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
