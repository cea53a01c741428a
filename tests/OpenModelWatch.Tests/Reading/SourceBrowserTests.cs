using Microsoft.Playwright;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Reading;

/// <summary>
/// The pages' charts across two sources (<see cref="SourcesApp"/>) in Debian's Chromium: each source's stretch named
/// under the chart, and the like-with-like comparison said in words. Screenshots (and the chart file's PNG) are saved
/// under <c>bin/…/screenshots</c> to be looked at.
/// </summary>
public sealed class SourceBrowserTests(SourcesApp app, Browser browser) : IClassFixture<SourcesApp>
{
    [Fact]
    public async Task TheOverviewChartNamesEachSourcesStretchAndComparesLikeWithLike()
    {
        await using var browserPage = await browser.NewPageAsync(app.BaseUrl, Browser.Desktop);
        var page = browserPage.Page;
        await page.OpenAsync("/");
        var band = page.GetByTestId("region-share-chart-sources");
        await Assertions.Expect(band.Locator("[data-source]")).ToHaveCountAsync(2);
        await Assertions.Expect(band.Locator("[data-source=osir-monthly]")).ToContainTextAsync("OSIR monthly · 2025-01-01 – 2025-02-01");
        await Assertions.Expect(band.Locator("[data-source=hub-api]")).ToContainTextAsync("Hub API · 2026-03-01 – 2026-03-08");
        await Assertions.Expect(page.GetByTestId("region-share-like")).ToContainTextAsync("shares are of the 2 registered labs present in every run");
        await page.GetByTestId("region-share-chart").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync("sources-overview");

        // The chart file as published, with its marks, for the eye.
        var png = await app.Client.GetByteArrayAsync("/charts/region-share.png", TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(Browser.ScreenshotFolder, "sources-region-share-chart.png"), png, TestContext.Current.CancellationToken);
        var all = await app.Client.GetByteArrayAsync("/charts/region-share.png?compare=all", TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(Browser.ScreenshotFolder, "sources-region-share-chart-all.png"), all, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ALabPageSaysWhichSourceEachRunComesFrom()
    {
        await using var browserPage = await browser.NewPageAsync(app.BaseUrl, Browser.Desktop);
        var page = browserPage.Page;
        await page.OpenAsync("/labs/mistral?metric=share");
        await Assertions.Expect(page.GetByTestId("lab-history-chart-sources").Locator("[data-source]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("lab-history-like")).ToContainTextAsync("among the 3 labs present in every run");
        await Assertions.Expect(page.GetByTestId("lab-history-row").Last).ToContainTextAsync("(OSIR monthly)");
        await page.ScreenshotAsync("sources-lab-mistral");
    }
}
