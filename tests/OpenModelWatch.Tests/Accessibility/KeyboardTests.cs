using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Tests.Accessibility;

/// <summary>
/// The dashboard without a mouse: every control of a page is reached with Tab, each stop shows a focus ring, and on the
/// models page the country filter is chosen with the keys and the grid and the address follow.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class KeyboardTests(DashboardApp app, Browser browser)
{
    // The outline a focused control shows (app.css, :focus-visible); an input's focus is shown by its field's border.
    private const string Ring = "(() => { const e = document.activeElement; if (!e || e === document.body) return 'body'; if (e.closest('.mud-input-control')) return 'input'; const s = getComputedStyle(e); return s.outlineStyle + ' ' + s.outlineWidth; })()";

    [Theory]
    [InlineData("/")]
    [InlineData("/models?size=10")]
    [InlineData("/labs/lab-qwen")]
    [InlineData("/concentration?adjusted=true")]
    [InlineData("/derivatives")]
    [InlineData("/adoption")]
    [InlineData("/ingestion")]
    public async Task EveryControlIsReachedWithTabAndShowsItsFocus(string path)
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync(path);
        // Not network idle (under load a page's chart images can keep the network busy past any timeout): the page as its
        // circuit renders it, once nothing in it has changed for half a second (the models page swaps its prerendered
        // table for the grid after the circuit connects).
        await page.EvaluateAsync("""
            () => new Promise(resolve => {
              let timer;
              const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 500); });
              function done() { observer.disconnect(); resolve(); }
              observer.observe(document.body, { subtree: true, childList: true, attributes: true });
              timer = setTimeout(done, 500);
              setTimeout(done, 5000); // a page that never settles is tabbed through as it is then
            })
            """);

        // Every control a mouse could use: visible links, buttons and fields that are not taken out of the tab order.
        const string Controls = "[...document.querySelectorAll('a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select, textarea, [tabindex]:not([tabindex=\"-1\"])')]"
            + ".filter(e => e.tabIndex >= 0 && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[inert], [aria-hidden=true]'))";
        await page.EvaluateAsync("window.__omwControls = " + Controls + "; window.__omwReached = new Set();");
        var controls = await page.EvaluateAsync<int>("window.__omwControls.length");
        Assert.True(controls > 5, $"{path}: only {controls} controls found");

        // Tab round the whole page: from where the page put the focus (its heading) to the end, out of the page once (the
        // body) and on from the top, until a control comes round again.
        var stops = 0;
        var outOfPage = 0;
        while (true)
        {
            await page.Keyboard.PressAsync("Tab");
            var ring = await page.EvaluateAsync<string>(Ring);
            if (ring == "body")
            {
                Assert.True(++outOfPage < 3, $"{path}: Tab left the page twice without coming round to a control");
                continue;
            }

            if (await page.EvaluateAsync<bool>("window.__omwReached.has(document.activeElement)"))
            {
                break;
            }

            Assert.True(++stops < 600, $"{path}: Tab never left the page (a keyboard trap?)");
            Assert.True(ring is "input" or "solid 3px", $"{path}: Tab stop {stops} ({await page.EvaluateAsync<string>("document.activeElement.outerHTML.slice(0, 160)")}) has no visible focus: {ring}");
            await page.EvaluateAsync("window.__omwReached.add(document.activeElement)");
        }

        // A control counts as reached when it, or the element that takes its focus (a field's input), was a stop.
        var unreached = await page.EvaluateAsync<string[]>(
            "window.__omwControls.filter(e => ![...window.__omwReached].some(r => r === e || e.contains(r) || r.contains(e))).map(e => e.outerHTML.slice(0, 160))");
        Assert.True(unreached.Length == 0, $"{path}: {unreached.Length} of {controls} controls never reached with Tab ({stops} stops):\n{string.Join("\n", unreached)}");
    }

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
            var ring = await page.EvaluateAsync<string>(Ring);
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
            .OrderByDescending(m => m.Downloads).ThenByDescending(m => app.StoreId(m.Id)).Take(ListUrl.DefaultSize).Select(m => m.Id).ToArray();
        await Assertions.Expect(grid.GetByTestId("model-link")).ToHaveTextAsync(chinese);
        await page.ScreenshotAsync("keyboard-country-cn");
    }
}
