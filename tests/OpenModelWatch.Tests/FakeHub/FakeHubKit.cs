using System.Text.Json;
using System.Text.RegularExpressions;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;

namespace OpenModelWatch.Tests.FakeHub;

/// <summary>Starting a fake Hub and reading it the way the Hub's clients do.</summary>
internal static partial class FakeHubKit
{
    public static Task<FakeHubServer> StartAsync(IFakeCatalog catalog, int maxPageSize = 1000, int quota = 1000) =>
        FakeHubServer.StartAsync(
            new FakeHubOptions { Catalog = catalog, MaxPageSize = maxPageSize, RateLimitQuota = quota },
            TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> GetAsync(
        this HttpClient http, FakeHubServer hub, string relativeUrl, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) =>
        http.GetAsync(new Uri(hub.BaseAddress, relativeUrl), completion, TestContext.Current.CancellationToken);

    /// <summary>The next-page URL, parsed with the official JS client's own pattern; null without a Link header.</summary>
    public static Uri? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        var match = JsClientLinkPattern().Match(string.Join(", ", values));
        Assert.True(match.Success && match.Groups[2].Value == "next", $"Link header the JS client cannot parse: {string.Join(", ", values)}");
        return new Uri(match.Groups[1].Value);
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return document.RootElement.Clone();
    }

    /// <summary>Every page from <paramref name="firstPage"/> on, following Link until there is none.</summary>
    public static async Task<List<Page>> ReadAllPagesAsync(HttpClient http, Uri firstPage, int maxPages = 100)
    {
        var pages = new List<Page>();
        for (Uri? url = firstPage; url is not null; url = pages[^1].Next)
        {
            Assert.True(pages.Count < maxPages, $"More than {maxPages} pages from {firstPage}");
            using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            var items = await ReadJsonAsync(response);
            pages.Add(new Page(url, [.. items.EnumerateArray()], NextLink(response)));
        }

        return pages;
    }

    public static string? Id(this JsonElement item) => item.TryGetProperty("id", out var id) ? id.GetString() : null;

    public static string Header(this HttpResponseMessage response, string name) =>
        string.Join(", ", response.Headers.TryGetValues(name, out var values) ? values : []);

    public sealed record Page(Uri Url, List<JsonElement> Items, Uri? Next);

    // huggingface.js packages/hub/src/utils/parseLinkHeader.ts
    [GeneratedRegex(@"<(https?:[/][/][^>]+)>;\s+rel=""([^""]+)""")]
    private static partial Regex JsClientLinkPattern();
}
