using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Tests.FirstPaint;

/// <summary>
/// What a page sends before its Blazor circuit connects, read the way a link preview, a search engine or a reader on a
/// slow connection gets it: a plain HttpClient (no script runs), and Chromium with JavaScript off. The first page of
/// every leaderboard is in the HTML in the address's filter and sort, the overview's region chart is an SVG with the
/// region names, and every page says what it shows (as-of, coverage). Expected rows come from the fake Hub's catalog
/// or from the API, never from the page.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class FirstPaintTests(DashboardApp app, Browser browser)
{
    [Fact]
    public async Task TheModelsPageSendsTheFirstRowsOfItsFilterAndSort()
    {
        var html = await HtmlAsync("/models?country=CN");

        var chinese = app.AsOfModels.Where(m => app.RegionOf(m) == Regions.China)
            .OrderByDescending(m => m.Downloads).ThenByDescending(m => app.StoreId(m.Id)).ToArray();
        Assert.Equal(chinese.Take(ListUrl.DefaultSize).Select(m => m.Id), Links(html, "model-link"));
        var american = app.AsOfModels.Where(m => app.RegionOf(m) == Regions.Us).Select(m => m.Id).ToHashSet();
        Assert.DoesNotContain(Links(html, "model-link"), american.Contains);
        Assert.Contains($"<strong>{Format.Exact(chinese.Length)}</strong> models match", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"as-of\"", html, StringComparison.Ordinal);
        Assert.Contains("Coverage", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheModelsPageSendsTheRequestedPageInTheRequestedOrder()
    {
        var html = await HtmlAsync("/models?country=US&sort=likes&order=asc&page=2");

        var expected = app.AsOfModels.Where(m => app.RegionOf(m) == Regions.Us)
            .OrderBy(m => m.Likes).ThenBy(m => app.StoreId(m.Id)).Skip(ListUrl.DefaultSize).Take(ListUrl.DefaultSize);
        Assert.Equal(expected.Select(m => m.Id), Links(html, "model-link"));
    }

    [Fact]
    public async Task TheOverviewSendsItsRegionChartAsSvgWithTheRegionNames()
    {
        var html = await HtmlAsync("/");

        var chart = Regex.Match(html, "<figure class=\"omw-area\" data-testid=\"region-share-chart\">(.*?)</figure>", RegexOptions.Singleline);
        Assert.True(chart.Success, "The overview's HTML has no region share chart.");
        Assert.Contains("<svg", chart.Value, StringComparison.Ordinal);
        foreach (var region in Attribution.Uploader.Regions())
        {
            Assert.Contains($"data-region=\"{region}\"", chart.Value, StringComparison.Ordinal);
        }

        // The numbers are in the page too: the region cards and the top 10, as the API answers them.
        var byDownloads = app.AsOfModels.OrderByDescending(m => m.Downloads).ThenByDescending(m => app.StoreId(m.Id)).Take(10);
        Assert.Equal(byDownloads.Select(m => m.Id), Regex.Matches(Section(html, "top10-list"), "<a [^>]*>([^<]+)</a>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)));
        Assert.Contains("data-testid=\"as-of\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/labs", "/api/v1/labs", "name", "lab-link")]
    [InlineData("/labs?sort=likes&order=asc", "/api/v1/labs?sort=likes&order=asc", "name", "lab-link")]
    [InlineData("/labs/lab-qwen", "/api/v1/models?lab=lab-qwen&limit=100", "id", "lab-model-link")]
    [InlineData("/derivatives", "/api/v1/derivatives/base-models?limit=25", "id", "base-link")]
    public async Task EveryLeaderboardSendsItsRows(string page, string api, string field, string testId)
    {
        var html = await HtmlAsync(page);
        var items = await ApiItemsAsync(api);

        var shown = Links(html, testId);
        var expected = items.Select(item => item.GetProperty(field).GetString()!).Take(shown.Count).ToArray();
        Assert.True(shown.Count >= Math.Min(items.Length, 5), $"{page} sent {shown.Count} rows.");
        Assert.Equal(expected, shown);
        Assert.Contains("data-testid=\"as-of\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCountriesAndModelPagesSendTheirNumbers()
    {
        var countries = await HtmlAsync("/countries");
        foreach (var country in await ApiItemsAsync("/api/v1/countries"))
        {
            Assert.Contains(Format.Compact(country.GetProperty("downloads30d").GetInt64()), countries, StringComparison.Ordinal);
        }

        var model = await HtmlAsync("/models/Qwen/gen-model-0000000");
        var history = await ApiItemsAsync("/api/v1/models/Qwen/gen-model-0000000/history");
        Assert.Equal(2, history.Length);
        foreach (var point in history)
        {
            Assert.Contains($"data-value=\"{point.GetProperty("downloads30d").GetInt64()}\"", model, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WithJavaScriptOffThePagesStillShowTheirRowsAndCharts()
    {
        var context = await browser.Instance.NewContextAsync(new() { BaseURL = app.BaseUrl, JavaScriptEnabled = false, ViewportSize = new() { Width = 1280, Height = 900 } });
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/models?country=CN");
            await Assertions.Expect(page.GetByTestId("model-link")).ToHaveCountAsync(ListUrl.DefaultSize);
            await Assertions.Expect(page.GetByTestId("as-of")).ToContainTextAsync("As of");
            await page.ScreenshotAsync("first-paint-models-no-js");

            await page.GotoAsync("/");
            await Assertions.Expect(page.Locator("[data-testid=region-share-chart] polygon")).ToHaveCountAsync(Attribution.Uploader.Regions().Count);
            await Assertions.Expect(page.GetByTestId("top10-list").Locator("a")).ToHaveCountAsync(10);
            await page.ScreenshotAsync("first-paint-overview-no-js");

            await page.SetViewportSizeAsync(Browser.Phone.Width, Browser.Phone.Height);
            await page.GotoAsync("/models?country=CN");
            await page.ScreenshotAsync("first-paint-models-no-js-phone", fullPage: false);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private async Task<string> HtmlAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var response = await http.GetAsync(path, Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Xunit.TestContext.Current.CancellationToken);
    }

    private async Task<JsonElement[]> ApiItemsAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var body = await http.GetFromJsonAsync<JsonElement>(path, Xunit.TestContext.Current.CancellationToken);
        return [.. body.GetProperty("items").EnumerateArray()];
    }

    /// <summary>The texts of the links with a test id, in page order.</summary>
    private static List<string> Links(string html, string testId) =>
        Regex.Matches(html, $"<a [^>]*data-testid=\"{testId}\"[^>]*>([^<]*)</a>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value).Trim()).ToList();

    /// <summary>The element with a test id, up to its closing tag (no nesting of the same tag inside).</summary>
    private static string Section(string html, string testId)
    {
        var match = Regex.Match(html, $"<(\\w+) [^>]*data-testid=\"{testId}\"[^>]*>", RegexOptions.Singleline);
        Assert.True(match.Success, $"No element with data-testid=\"{testId}\".");
        var end = html.IndexOf($"</{match.Groups[1].Value}>", match.Index, StringComparison.Ordinal);
        return html[match.Index..end];
    }
}
