using Microsoft.Playwright;
using OpenModelWatch.Tests.Files;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Components;

/// <summary>The export menu of a Spanish page, in Chromium: its words are Spanish and every file it offers carries <c>lang=es</c>.</summary>
[Collection(ExportsCollection.Name)]
public sealed class SpanishExportMenuTests(ExportsApp app, Browser browser)
{
    [Fact]
    public async Task TheEmbedSnippetAndTheFilesOfASpanishPageCarryLangEs()
    {
        await using var context = await browser.Instance.NewContextAsync(new() { BaseURL = app.BaseUrl, ViewportSize = new() { Width = 1400, Height = 1000 } });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.OpenAsync("/models?country=CN&lang=es");
        var menu = page.GetByTestId("export-menu").First;
        await Assertions.Expect(menu.GetByTestId("download-png")).ToHaveTextAsync("Descargar PNG");
        await Assertions.Expect(menu.GetByTestId("download-png")).ToHaveAttributeAsync("href", "/charts/top-models.png?country=CN&lang=es");
        await Assertions.Expect(menu.GetByTestId("export-csv")).ToHaveAttributeAsync("href", "/exports/models.csv?country=CN&lang=es");

        await menu.GetByTestId("embed").ClickAsync();
        var snippet = await page.GetByTestId("embed-panel").Locator("textarea").InputValueAsync();
        Assert.Contains($"<iframe src=\"{app.BaseUrl}/embed/top-models?country=CN&amp;lang=es\"", snippet, StringComparison.Ordinal);

        // The language remembered by the cookie, not in the address: the files still carry it.
        await page.OpenAsync("/models?country=CN");
        await Assertions.Expect(page.GetByTestId("export-menu").First.GetByTestId("download-svg")).ToHaveAttributeAsync("href", "/charts/top-models.svg?country=CN&lang=es");
    }
}
