using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Tests.Accessibility;

/// <summary>The models page without a mouse: Tab to the country filter, choose a country with the keys, and the grid and the address follow.</summary>
[Collection(DashboardCollection.Name)]
public sealed class KeyboardTests(DashboardApp app, Browser browser)
{
    [Fact]
    public async Task TheCountryFilterIsReachedAndUsedWithTheKeyboard()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/models");
        var grid = page.GetByTestId("models-grid");
        await Assertions.Expect(grid.GetByTestId("model-link")).ToHaveCountAsync(ListUrl.DefaultSize);

        // Tab from the top of the page until the focus is in the country filter; every stop on the way shows a focus ring.
        var presses = 0;
        while (!await page.EvaluateAsync<bool>("document.activeElement?.closest('[data-testid=filter-country]') != null"))
        {
            Assert.True(++presses < 80, "The country filter was not reached with Tab.");
            await page.Keyboard.PressAsync("Tab");
            var ring = await page.EvaluateAsync<string>(
                "(() => { const e = document.activeElement; if (!e || e.closest('.mud-input-control')) return 'input'; const s = getComputedStyle(e); return s.outlineStyle + ' ' + s.outlineWidth; })()");
            Assert.True(ring is "input" or "solid 3px", $"Tab stop {presses} ({await page.EvaluateAsync<string>("document.activeElement?.outerHTML.slice(0, 120)")}) has no visible focus: {ring}");
        }

        // Open the list (its first item is active), walk down to CN, choose it, close the list.
        await page.Keyboard.PressAsync("Enter");
        var items = page.Locator(".mud-popover-open .mud-list-item");
        await Assertions.Expect(items.First).ToBeVisibleAsync();
        var texts = await items.AllInnerTextsAsync();
        var target = texts.Select((text, i) => (text, i)).First(item => Regex.IsMatch(item.text, "\\bCN$")).i;
        for (var i = 0; i < target; i++)
        {
            await page.Keyboard.PressAsync("ArrowDown");
        }

        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Escape");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("country=CN"));
        var chinese = app.AsOfModels.Where(m => app.RegionOf(m) == Regions.China)
            .OrderByDescending(m => m.Downloads).ThenBy(m => m.Id, StringComparer.Ordinal).Take(ListUrl.DefaultSize).Select(m => m.Id).ToArray();
        await Assertions.Expect(grid.GetByTestId("model-link")).ToHaveTextAsync(chinese);
        await page.ScreenshotAsync("keyboard-country-cn");
    }
}
