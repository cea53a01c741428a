using Microsoft.Playwright;
using OpenModelWatch.FakeHub;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Adoption;

/// <summary>The "punching above its weight" page in Chromium, on the hand-built Hub of <see cref="AdoptionTests"/>, at desktop and phone width.</summary>
public sealed class AdoptionBrowserTests(Browser browser) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private FakeHubServer _hub = null!;
    private AppFactory _app = null!;
    private string _baseUrl = "";

    public async ValueTask InitializeAsync()
    {
        (_hub, _app, var baseUrl) = await AdoptionTests.StartAsync(_folder, onKestrel: true);
        _baseUrl = baseUrl!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _hub.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task TheLeaderboardRanksByRatioAndASizeClassLinkNarrowsIt()
    {
        await using var browserPage = await browser.NewPageAsync(_baseUrl, Browser.Desktop);
        var page = browserPage.Page;
        await page.OpenAsync("/adoption");

        var rows = page.GetByTestId("adoption-row");
        await Assertions.Expect(rows).ToHaveCountAsync(13);
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-id", "google/g4");
        await Assertions.Expect(page.GetByTestId("adoption-ratio").First).ToHaveTextAsync("25×");
        await Assertions.Expect(page.GetByTestId("adoption-chart")).ToBeVisibleAsync();
        // The chart image is drawn (the SVG answered and has a size).
        Assert.True(await page.GetByTestId("adoption-chart").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
        await page.ScreenshotAsync("adoption-desktop");

        await page.GetByTestId("adoption-size-filter").GetByText("unknown").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        Assert.Contains("sizeClass=unknown", page.Query(), StringComparison.Ordinal);
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-id", "mistralai/m");

        await using var phonePage = await browser.NewPageAsync(_baseUrl, Browser.Phone);
        await phonePage.Page.OpenAsync("/adoption");
        await Assertions.Expect(phonePage.Page.GetByTestId("adoption-row")).ToHaveCountAsync(13);
        // The page itself does not scroll sideways on a phone (the wide table scrolls in its own box).
        Assert.True(await phonePage.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await phonePage.Page.ScreenshotAsync("adoption-phone", fullPage: false);
    }
}
