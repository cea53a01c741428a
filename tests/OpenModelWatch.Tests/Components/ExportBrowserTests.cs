using Microsoft.Playwright;
using OpenModelWatch.Tests.Files;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Files;
using SkiaSharp;

namespace OpenModelWatch.Tests.Components;

/// <summary>
/// The export buttons in Debian's Chromium (the suite's shared <see cref="Browser"/>; it fails, never skips, without
/// Chromium): the files a click saves are the view on the screen.
/// </summary>
[Collection(ExportsCollection.Name)]
public sealed class ExportBrowserTests(ExportsApp app, Browser browser)
{
    [Fact]
    public async Task DownloadPngAndExportCsvOnTheModelsPageSaveTheViewOnTheScreen()
    {
        await using var context = await browser.Instance.NewContextAsync(new() { BaseURL = app.BaseUrl, ViewportSize = new() { Width = 1400, Height = 1000 }, AcceptDownloads = true });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.OpenAsync("/models?country=CN&sort=likes");
        var grid = page.GetByTestId("models-grid");
        await Assertions.Expect(grid.GetByTestId("model-link")).ToHaveCountAsync(25);
        var shown = await grid.GetByTestId("model-link").AllInnerTextsAsync();

        var png = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-png").ClickAsync());
        Assert.Matches(@"^openmodelwatch-top-models-\d{8}-\d{4}-run2\.png$", png.SuggestedFilename);
        using (var bitmap = SKBitmap.Decode(await File.ReadAllBytesAsync(await png.PathAsync(), TestContext.Current.CancellationToken)))
        {
            Assert.Equal((1200, 675), (bitmap.Width, bitmap.Height));
        }

        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-csv").ClickAsync());
        Assert.Matches(@"^openmodelwatch-models-\d{8}-\d{4}-run2\.csv$", csv.SuggestedFilename);
        var file = CsvFile.Parse(await File.ReadAllTextAsync(await csv.PathAsync(), TestContext.Current.CancellationToken), withMetadata: true);
        Assert.Equal("country CN · by uploader · all tracked models · sorted by likes, highest first", file["Filters"]);
        Assert.Equal(ExportInfo.Source, file["Source"]);
        Assert.True(file.Rows.Count > shown.Count, "Every page of the view, not the one on the screen.");
        Assert.Equal(shown, file.Rows.Take(shown.Count).Select(row => CsvFile.Plain(row[file.Column("id")])));

        // The embed snippet frames this very view.
        await page.GetByTestId("embed").ClickAsync();
        var snippet = await page.GetByTestId("embed-panel").Locator("textarea").InputValueAsync();
        Assert.Contains($"<iframe src=\"{app.BaseUrl}/embed/top-models?country=CN&amp;sort=likes\"", snippet, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "exports-models-embed.png") });
    }

    [Fact]
    public async Task AnEmbedRendersItsChartInsideAnotherSitesFrame()
    {
        // A newsroom's article on another site (another port: another origin), with the snippet in it.
        var article = $"<html><body><h1>Article</h1><iframe id=\"chart\" src=\"{app.BaseUrl}/embed/region-share\" style=\"width:800px;height:480px;border:0\"></iframe></body></html>";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var site = builder.Build();
        site.MapGet("/", () => Results.Content(article, "text/html"));
        await site.StartAsync(TestContext.Current.CancellationToken);
        var siteUrl = site.Urls.First();

        await using var context = await browser.Instance.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(siteUrl);
        var frame = page.FrameLocator("#chart");
        await Assertions.Expect(frame.GetByTestId("embed-as-of")).ToContainTextAsync("As of", new() { Timeout = 15_000 });
        await Assertions.Expect(frame.Locator("img")).ToHaveJSPropertyAsync("complete", true);
        var loaded = await frame.Locator("img").EvaluateAsync<int>("img => img.naturalWidth");
        Assert.True(loaded >= 1200, $"the chart image did not load ({loaded})");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "exports-embed-in-article.png") });
    }

    [Fact]
    public async Task TheApiReferenceRendersTheDocument()
    {
        await using var context = await browser.Instance.NewContextAsync(new() { BaseURL = app.BaseUrl });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        await page.GotoAsync("/docs/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "OpenModelWatch API" })).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "API" }).Or(page.GetByText("API", new() { Exact = true })).First.ClickAsync();
        await Assertions.Expect(page.GetByText("Models: every tracked model", new() { Exact = false }).First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "exports-api-reference.png") });
        Assert.DoesNotContain(errors, error => error.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }
}
