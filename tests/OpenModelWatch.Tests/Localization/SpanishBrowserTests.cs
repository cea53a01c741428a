using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Reading;
using static Microsoft.Playwright.Assertions;

namespace OpenModelWatch.Tests.Localization;

/// <summary>
/// The dashboard in Spanish, in Debian's Chromium against the real app: chosen by <c>?lang=es</c>, by the app bar's
/// switch (the rest of the address kept), by a copied link, by <c>Accept-Language</c>, and remembered by the cookie.
/// Expected numbers are computed from the fake Hub's catalog and written with <see cref="Format"/> in Spanish.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SpanishBrowserTests(DashboardApp app, Browser browser)
{
    private const string OverviewHeading = "¿Quién gana la adopción de modelos abiertos?";

    [Fact]
    public async Task LangEsShowsSpanishHeadingsAndNumbers()
    {
        var top = app.AsOfModels.OrderByDescending(m => m.Downloads).ThenByDescending(m => app.StoreId(m.Id)).First();
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;

        await page.OpenAsync("/?lang=es");

        await Expect(page.Locator("h1")).ToHaveTextAsync(OverviewHeading);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Los 10 laboratorios más descargados en 30 días" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Modelos", Exact = true })).ToBeVisibleAsync();
        var first = page.GetByTestId("top10-list").Locator("li").First.Locator(".omw-num");
        string compact, exact;
        using (new CultureScope("es"))
        {
            (compact, exact) = (Format.Compact(top.Downloads), Format.Exact(top.Downloads));
        }

        await Expect(first).ToHaveTextAsync(compact);
        await Expect(first).ToHaveAttributeAsync("title", exact);
        Assert.Matches(new Regex(@"^\d{1,3}(\.\d{3})+$"), exact);
        // Shares: a decimal comma and a space before the sign.
        Assert.All(await page.GetByTestId("region-share").AllInnerTextsAsync(), share => Assert.Matches(new Regex(@"^(<)?\d+,\d %$"), share.Trim()));
        await Expect(page.GetByTestId("as-of")).ToContainTextAsync("Datos a");
    }

    [Fact]
    public async Task TheSwitchKeepsTheRestOfTheAddress()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/models?country=CN&sort=likes");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Models");

        await page.GetByTestId("language-es").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("lang=es"));
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Equal("?country=CN&sort=likes&lang=es", page.Query());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Modelos");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(page.GetByTestId("language-es")).ToHaveAttributeAsync("aria-current", "true");

        // And back: English, the same view.
        await page.GetByTestId("language-en").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("lang=en"));
        Assert.Equal("?country=CN&sort=likes&lang=en", page.Query());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Models");
    }

    [Fact]
    public async Task ACopiedLinkOpensInSpanishAndTheCookieRemembers()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/?lang=es");
        await Expect(page.Locator("h1")).ToHaveTextAsync(OverviewHeading);

        // A later visit without lang= is still in Spanish: the cookie remembers the choice.
        await page.OpenAsync("/models?country=CN");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Modelos");

        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.GetByTestId("copy-link").ClickAsync();
        await Expect(page.GetByText("Enlace copiado")).ToBeVisibleAsync();
        var link = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        Assert.Equal(app.BaseUrl + "/models?country=CN&lang=es", link);

        // A reader with no cookie, an English browser, opens the link: Spanish.
        await using var fresh = await browser.NewPageAsync(app, Browser.Desktop);
        await fresh.Page.OpenAsync(link);
        await Expect(fresh.Page.Locator("h1")).ToHaveTextAsync("Modelos");
        await Expect(fresh.Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
    }

    [Fact]
    public async Task TheModelsGridPagesInSpanish()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/models?lang=es");
        var grid = page.GetByTestId("models-grid");
        await Expect(grid.GetByTestId("model-link")).ToHaveCountAsync(ListUrl.DefaultSize);

        var pager = grid.Locator(".mud-table-pagination");
        await Expect(pager).ToContainTextAsync("Filas por página:");
        await Expect(pager).ToContainTextAsync($"1-{ListUrl.DefaultSize} de {DashboardApp.ModelCount}");
        await Expect(grid.Locator("th").Filter(new() { HasTextRegex = new("^\\s*Me gusta") })).ToHaveCountAsync(1);
        await Expect(page.GetByLabel("Página siguiente")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task ASpanishBrowserWithoutACookieGetsSpanish()
    {
        var context = await browser.Instance.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl,
            Locale = "es-ES",
            ViewportSize = new() { Width = Browser.Desktop.Width, Height = Browser.Desktop.Height },
        });
        try
        {
            var page = await context.NewPageAsync();
            await page.OpenAsync("/models");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Modelos");
            await Expect(page.GetByTestId("models-grid").Locator(".mud-table-pagination")).ToContainTextAsync("Filas por página:");
            Assert.DoesNotContain(await context.CookiesAsync(), cookie => cookie.Name == OpenModelWatch.Web.Localization.Languages.CookieName);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Theory]
    [InlineData("/?lang=es", "top10-list", "es-overview")]
    [InlineData("/models?lang=es", "model-link", "es-models")]
    public async Task Screenshots(string path, string ready, string name)
    {
        foreach (var (viewport, width) in new[] { (Browser.Desktop, "1280"), (Browser.Phone, "390") })
        {
            await using var session = await browser.NewPageAsync(app, viewport);
            var page = session.Page;
            await page.OpenAsync(path);
            await page.GetByTestId(ready).First.WaitForAsync();
            await page.WaitForTimeoutAsync(300);
            // Nothing wider than the window: a long Spanish word must wrap, not push the page sideways.
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways at {width}px");
            await page.ScreenshotAsync($"{name}-{width}", fullPage: width == "1280");
        }
    }
}
