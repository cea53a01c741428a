using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Tests.Components;

/// <summary>
/// The dashboard in Debian's Chromium, against the real app on a real port, after two real ingestion runs from the
/// fake Hub. Every expected number is computed from the fake Hub's catalog and the registry, never read back from
/// the app. Each test saves screenshots under <c>bin/…/screenshots</c>.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests(DashboardApp app, Browser browser)
{
    [Fact]
    public async Task OverviewShowsTheTopTenCompositionOfTheAsOfRun()
    {
        var byDownloads = app.AsOfModels.OrderByDescending(m => m.Downloads).ThenByDescending(m => app.StoreId(m.Id)).ToArray();
        var byTrending = app.AsOfModels.OrderByDescending(m => m.TrendingScore).ThenByDescending(m => app.StoreId(m.Id)).ToArray();
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;

        await page.OpenAsync("/");

        foreach (var region in Attribution.Uploader.Regions())
        {
            Assert.Equal(byDownloads.Take(10).Count(m => app.RegionOf(m) == region).ToString(CultureInfo.InvariantCulture),
                await page.GetByTestId($"top10-{region}").InnerTextAsync());
            Assert.Equal(byDownloads.Take(50).Count(m => app.RegionOf(m) == region).ToString(CultureInfo.InvariantCulture),
                await page.GetByTestId($"top50-{region}").InnerTextAsync());
            Assert.Equal(byTrending.Take(5).Count(m => app.RegionOf(m) == region).ToString(CultureInfo.InvariantCulture),
                await page.GetByTestId($"trending5-{region}").InnerTextAsync());
        }

        Assert.Equal(byDownloads.Take(10).Select(m => m.Id), await page.GetByTestId("top10-list").Locator("a").AllInnerTextsAsync());

        // The China card: the exact sum of what the Hub served for the Chinese namespaces, shown as 1.2M with the exact value on hover.
        var chinese = app.SecondRun.Sum(DashboardApp.Labs.Where(lab => lab.Country == "CN").Select(lab => lab.Namespace)).Valid.Downloads;
        var card = page.GetByTestId("region-China").GetByTestId("region-downloads30d").Locator("span");
        Assert.Equal(Format.Exact(chinese), await card.GetAttributeAsync("title"));
        Assert.Equal(Format.Compact(chinese), await card.InnerTextAsync());

        await page.ScreenshotAsync("overview-1280");
        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.ScreenshotAsync("overview-1280-dark");
        await PhoneScreenshotAsync("/", "overview-phone");
    }

    [Fact]
    public async Task FilteringModelsByCountryChangesTheRowsAndTheAddress()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/models");
        var grid = page.GetByTestId("models-grid");
        await Expect(grid.GetByTestId("model-link")).ToHaveCountAsync(ListUrl.DefaultSize);
        var before = await grid.GetByTestId("model-link").AllInnerTextsAsync();

        await page.GetByTestId("filter-country").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new("\\bCN$") }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Models" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("country=CN"));
        var chinese = app.AsOfModels.Where(m => app.RegionOf(m) == Regions.China)
            .OrderByDescending(m => m.Downloads).ThenByDescending(m => app.StoreId(m.Id)).ToArray();
        var after = chinese.Take(ListUrl.DefaultSize).Select(m => m.Id).ToArray();
        await Expect(grid.GetByTestId("model-link")).ToHaveTextAsync(after);
        Assert.NotEqual(before, after);
        Assert.All(await grid.GetByTestId("model-country").AllInnerTextsAsync(), country => Assert.EndsWith("CN", country.Trim(), StringComparison.Ordinal));
        Assert.Contains(Format.Exact(chinese.Length), await page.GetByTestId("model-total").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("?country=CN", page.Query());

        // The Copy link button puts exactly this view's address on the clipboard.
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.GetByTestId("copy-link").ClickAsync();
        await Assertions.Expect(page.GetByText("Link copied")).ToBeVisibleAsync();
        Assert.Equal(page.Url, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));

        await page.ScreenshotAsync("models-country-cn-1280");
        await PhoneScreenshotAsync("/models?country=CN", "models-country-cn-phone");
    }

    [Fact]
    public async Task TheLabAndTaskListsOfferEveryChoiceWhenOpenedAndFilterTheGrid()
    {
        var qwen = app.Registry.ForNamespace("Qwen")!;
        var tasks = app.AsOfModels.Select(m => m.PipelineTag).OfType<string>().Distinct().Count();
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/models");
        var grid = page.GetByTestId("models-grid");
        await Expect(grid.GetByTestId("model-link")).ToHaveCountAsync(ListUrl.DefaultSize);
        var items = page.Locator(".mud-popover-open .mud-list-item");

        // The lab list, opened with the mouse: "any lab" and each of the run's six labs (rendered only while open).
        await page.GetByTestId("filter-lab").ClickAsync();
        await Expect(items).ToHaveCountAsync(DashboardApp.Labs.Length + 1);
        await items.Filter(new() { HasText = qwen.Name }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"lab={qwen.Id}"));
        var qwens = app.AsOfModels.Where(m => m.Author == "Qwen")
            .OrderByDescending(m => m.Downloads).ThenByDescending(m => app.StoreId(m.Id)).Select(m => m.Id).ToArray();
        await Expect(grid.GetByTestId("model-link")).ToHaveTextAsync(qwens.Take(ListUrl.DefaultSize).ToArray());
        // Closed, it names the chosen lab (its choices no longer rendered: the words come from the page).
        await Expect(page.GetByTestId("filter-lab")).ToHaveValueAsync(qwen.Name);
        await Expect(items).ToHaveCountAsync(0);

        // The task list, with the keyboard: opened with Enter, its first task chosen with one step down.
        await page.GetByTestId("filter-task").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(items).ToHaveCountAsync(tasks + 1);
        var first = (await items.Nth(1).InnerTextAsync()).Split(" (")[0];
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"task={Regex.Escape(first)}"));
        var chosen = app.AsOfModels.Where(m => m.Author == "Qwen" && m.PipelineTag == first)
            .OrderByDescending(m => m.Downloads).ThenByDescending(m => app.StoreId(m.Id)).Select(m => m.Id).ToArray();
        await Expect(grid.GetByTestId("model-link")).ToHaveTextAsync(chosen.Take(ListUrl.DefaultSize).ToArray());
        await page.ScreenshotAsync("models-lab-and-task");
    }

    [Fact]
    public async Task SortingModelsByLikesOrdersTheRows()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/models");
        var grid = page.GetByTestId("models-grid");
        await Expect(grid.GetByTestId("model-link")).ToHaveCountAsync(ListUrl.DefaultSize);
        var likesHeader = grid.Locator("th").Filter(new() { HasTextRegex = new("^\\s*Likes") }).Locator(".sortable-column-header");

        await likesHeader.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("sort=likes"));
        var ascending = app.AsOfModels.OrderBy(m => m.Likes).ThenBy(m => app.StoreId(m.Id)).Take(ListUrl.DefaultSize).ToArray();
        await Expect(grid.GetByTestId("model-link")).ToHaveTextAsync(ascending.Select(m => m.Id).ToArray());
        Assert.Equal("?sort=likes&order=asc", page.Query());

        await likesHeader.ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("order=asc"));
        var descending = app.AsOfModels.OrderByDescending(m => m.Likes).ThenByDescending(m => app.StoreId(m.Id)).Take(ListUrl.DefaultSize).ToArray();
        await Expect(grid.GetByTestId("model-link")).ToHaveTextAsync(descending.Select(m => m.Id).ToArray());
        var likes = (await grid.GetByTestId("model-likes").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.value)")).Select(long.Parse).ToArray();
        Assert.Equal(descending.Select(m => m.Likes), likes);
        Assert.Equal("?sort=likes", page.Query());
        await page.ScreenshotAsync("models-sorted-by-likes");
    }

    [Fact]
    public async Task AnAddressRestoresTheModelsView()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;

        await page.OpenAsync("/models?country=US&sort=likes&order=asc&page=2");

        var american = app.AsOfModels.Where(m => app.RegionOf(m) == Regions.Us)
            .OrderBy(m => m.Likes).ThenBy(m => app.StoreId(m.Id)).Skip(ListUrl.DefaultSize).Take(ListUrl.DefaultSize).ToArray();
        var grid = page.GetByTestId("models-grid");
        await Expect(grid.GetByTestId("model-link")).ToHaveTextAsync(american.Select(m => m.Id).ToArray());
        Assert.Equal("?country=US&sort=likes&order=asc&page=2", page.Query());
    }

    [Fact]
    public async Task LabAndModelPagesShowTheirHistoryOverBothRuns()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/labs");

        await page.GetByTestId("lab-link").Filter(new() { HasText = "Qwen Lab" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/labs/lab-qwen$"));
        var rows = page.GetByTestId("lab-history-downloads30d");
        await Expect(rows).ToHaveCountAsync(2);
        // Newest first: the second run, then the first.
        Assert.Equal(
            [app.SecondRun.Sum(["Qwen"]).Valid.Downloads, app.FirstRun.Sum(["Qwen"]).Valid.Downloads],
            (await rows.EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.value)")).Select(long.Parse));
        await Expect(page.GetByTestId("lab-history-chart").Locator("svg").First).ToBeVisibleAsync();
        await page.ScreenshotAsync("lab-qwen");

        var top = app.AsOfModels.Where(m => m.Author == "Qwen").OrderByDescending(m => m.Downloads).ThenByDescending(m => app.StoreId(m.Id)).First();
        await page.GetByTestId("lab-model-link").Filter(new() { HasText = top.Id }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/models/" + Regex.Escape(top.Id) + "$"));
        var points = page.GetByTestId("model-history-downloads30d");
        await Expect(points).ToHaveCountAsync(2);
        var index = int.Parse(top.Id[(top.Id.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);
        Assert.Equal(
            [app.SecondRun.ModelAt(index).Downloads, app.FirstRun.ModelAt(index).Downloads],
            (await points.EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.value)")).Select(long.Parse));
        await Expect(page.GetByTestId("model-history-chart").Locator("svg").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("hub-link")).ToHaveAttributeAsync("href", new Uri(app.Hub.BaseAddress, top.Id).AbsoluteUri);
        await page.ScreenshotAsync("model-page");
        await PhoneScreenshotAsync("/models/" + top.Id, "model-page-phone");
    }

    [Fact]
    public async Task OtherPagesRenderWithoutErrors()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;
        foreach (var (path, name) in new[] { ("/labs", "labs"), ("/countries", "countries"), ("/countries?a=Europe&b=CN&metric=downloads30d", "countries-europe-cn"), ("/concentration", "concentration"), ("/ingestion", "ingestion") })
        {
            await page.OpenAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await Expect(page.GetByTestId("page-error")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("last-run-failed")).ToHaveCountAsync(0);
            await page.ScreenshotAsync(name);
        }

        await PhoneScreenshotAsync("/labs", "labs-phone");
        await PhoneScreenshotAsync("/countries", "countries-phone");
        await PhoneScreenshotAsync("/concentration", "concentration-phone");
    }

    /// <summary>The page as a phone opens it (390 px wide), top of the page only: a full phone page is too tall to look at.</summary>
    private async Task PhoneScreenshotAsync(string path, string name)
    {
        await using var phone = await browser.NewPageAsync(app, Browser.Phone);
        await phone.Page.OpenAsync(path);
        await phone.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await phone.Page.ScreenshotAsync(name, fullPage: false);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}

/// <summary>A failed last run: its reason is on every page, above the last good data.</summary>
public sealed class FailedRunBannerTests(FailedRunApp app, Browser browser) : IClassFixture<FailedRunApp>
{
    [Fact]
    public async Task FailedLastRunShowsItsReasonOnEveryPage()
    {
        await using var session = await browser.NewPageAsync(app, Browser.Desktop);
        var page = session.Page;

        foreach (var path in new[] { "/", "/models", "/labs/lab-qwen", "/ingestion" })
        {
            await page.OpenAsync(path);
            var banner = page.GetByTestId("last-run-failed");
            await Assertions.Expect(banner).ToBeVisibleAsync();
            // One sentence, without the Hub request the run failed on (the Ingestion page has it in full).
            var text = await banner.InnerTextAsync();
            Assert.Equal(RunFailure.Summary(app.Failure), await page.GetByTestId("last-run-failed-reason").InnerTextAsync());
            Assert.StartsWith("The Hub answered 500 Internal Server Error (", text, StringComparison.Ordinal);
            Assert.DoesNotContain("/api/models", text, StringComparison.Ordinal);
            Assert.Contains("The numbers shown are those of the last successful run, ", text, StringComparison.Ordinal);
        }

        await page.OpenAsync("/ingestion");
        await Assertions.Expect(page.GetByTestId("runs-table")).ToContainTextAsync(app.Failure!);

        // The data stays that of the last good run: the overview still shows it.
        await page.OpenAsync("/");
        await Assertions.Expect(page.GetByTestId("region-cards")).ToBeVisibleAsync();
        await page.ScreenshotAsync("failed-run-banner");
    }
}
