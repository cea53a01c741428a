using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Localization;

/// <summary>
/// The labs, countries, derivatives and adoption pages in Spanish (<c>?lang=es</c>) in Chromium, against the real app
/// after two runs from the fake Hub: Spanish headings, table headers and sentences, numbers in Spanish format, and a
/// page that does not scroll sideways on a phone with Spanish's longer words. Screenshots: <c>es-*.png</c>.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SpanishPagesBrowserTests(DashboardApp app, Browser browser)
{
    [Fact]
    public async Task TheLabsPageSpeaksSpanish()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/labs?lang=es");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Laboratorios");
        await Expect(page).ToHaveTitleAsync("Laboratorios · OpenModelWatch");
        var headers = page.GetByTestId("labs-table").Locator("thead th");
        await Expect(headers.Nth(1)).ToHaveTextAsync("Laboratorio");
        await Expect(headers.Nth(4)).ToContainTextAsync("Descargas en 30 días");
        await Expect(headers.Nth(6)).ToContainTextAsync("Me gusta");
        await Expect(page.GetByText(new Regex(@"\d+ laboratorios con modelos en esta ejecución\."))).ToBeVisibleAsync();
        await Expect(page.GetByTestId("filter-region").GetByText("Todas las regiones")).ToBeVisibleAsync();
        // No English left in the table's header or the page's own sentences.
        Assert.DoesNotContain("30-day", string.Join("|", await headers.AllInnerTextsAsync()), StringComparison.Ordinal);
        await page.ScreenshotAsync("es-labs-1280");
        await PhoneAsync("/labs?lang=es", "es-labs-phone");
    }

    [Fact]
    public async Task TheIngestionPageNamesTriggersInSpanish()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/ingestion?lang=es");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Ingesta");
        var triggers = await page.GetByTestId("run-trigger").AllInnerTextsAsync();
        Assert.NotEmpty(triggers);
        Assert.All(triggers, trigger => Assert.Contains(trigger.Trim(), new[] { "Programada", "Manual", "Comando", "Instantánea", "Importación" }));
    }

    [Fact]
    public async Task TheCountriesPageSpeaksSpanish()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/countries?lang=es");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Países y regiones");
        await Expect(page.GetByTestId("regions-table").Locator("thead th")).ToHaveTextAsync(["Región", "Laboratorios", "Modelos", "Descargas en 30 días", "Cuota"]);
        await Expect(page.GetByTestId("countries-table").Locator("thead th").First).ToHaveTextAsync("País");
        await Expect(page.GetByTestId("compare-side").First).ToContainTextAsync("de las descargas en 30 días");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Intercambiar los dos lados" })).ToBeVisibleAsync();
        await page.ScreenshotAsync("es-countries-1280");
        await PhoneAsync("/countries?lang=es", "es-countries-phone");
    }

    /// <summary>Numbers as a Spanish reader writes them: 1.234.567 and 34,5 % (Reading/Format in the page's culture).</summary>
    [Fact]
    public async Task TheLabsAndCountriesPagesWriteNumbersTheSpanishWay()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;

        await page.OpenAsync("/labs?lang=es");
        var exact = await page.GetByTestId("lab-row").First.Locator("td").Nth(4).Locator("span[title]").GetAttributeAsync("title");
        Assert.Matches(@"^\d{1,3}(\.\d{3})+$", exact);

        await page.OpenAsync("/countries?lang=es");
        var share = await page.GetByTestId("compare-share").First.InnerTextAsync();
        Assert.Matches(@"^\d{1,3},\d[\u00a0\u202f ]%$", share);
    }

    [Fact]
    public async Task TheDerivativesAndAdoptionPagesSpeakSpanish()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;

        await page.OpenAsync("/derivatives?lang=es");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Modelos derivados");
        await Expect(page.GetByTestId("derivatives-explained")).ToContainTextAsync("En esta página los derivados se cuentan siempre por origen.");
        await Expect(page.Locator("h2", new() { HasText = "Por laboratorio de origen" })).ToBeVisibleAsync();
        await page.ScreenshotAsync("es-derivatives-1280");
        await PhoneAsync("/derivatives?lang=es", "es-derivatives-phone");

        await page.OpenAsync("/adoption?lang=es");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Por encima de su peso");
        await Expect(page.Locator("h2", new() { HasText = "Clasificación" })).ToBeVisibleAsync();
        await page.ScreenshotAsync("es-adoption-1280");
        await PhoneAsync("/adoption?lang=es", "es-adoption-phone");
    }

    /// <summary>The page at phone width, top only; it must not scroll sideways (wide tables scroll in their own box).</summary>
    private async Task PhoneAsync(string path, string name)
    {
        await using var phone = await browser.NewPageAsync(app, Browser.Phone);
        await phone.Page.OpenAsync(path);
        await phone.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await phone.Page.ScreenshotAsync(name, fullPage: false);
        await phone.Page.ScreenshotAsync(name + "-full");
        Assert.True(await phone.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"{path} scrolls sideways on a phone");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
