using System.Net;
using System.Text.RegularExpressions;
using OpenModelWatch.FakeHub.Catalogs;

namespace OpenModelWatch.Tests.FakeHub;

public class FakeHubPagingTests
{
    [Fact]
    public async Task AnAuthorOf2500ModelsComesInThreeLinkedPagesAtLimit1000()
    {
        var catalog = new GeneratedCatalog(2_500, ["solo"]);
        await using var hub = await FakeHubKit.StartAsync(catalog);
        using var http = new HttpClient();

        var pages = await FakeHubKit.ReadAllPagesAsync(http, new Uri(hub.BaseAddress, "api/models?author=solo&limit=1000&expand=downloads"));

        Assert.Equal([1000, 1000, 500], pages.Select(p => p.Items.Count));
        Assert.Equal(Enumerable.Range(0, 2_500).Select(catalog.IdOf), pages.SelectMany(p => p.Items).Select(i => i.Id()));
        Assert.Null(pages[^1].Next);
        Assert.All(pages.Take(2), p => Assert.Single(Regex.Matches(p.Next!.Query, "cursor=")));
        Assert.Equal(3, hub.Counters.RequestsTo("/api/models"));
    }

    [Fact]
    public async Task NextLinkIsAbsoluteAndKeepsEveryParameterInOrder()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(30, ["solo"]));
        using var http = new HttpClient();
        var first = new Uri(hub.BaseAddress, "api/models?author=solo&limit=10&expand=downloads&expand[]=likes&direction=-1&sort=downloads");

        using var response = await http.GetAsync(first, TestContext.Current.CancellationToken);

        Assert.Matches(
            $"^<{Regex.Escape(first.AbsoluteUri)}&cursor=[A-Za-z0-9_-]+>; rel=\"next\"$",
            response.Header("Link"));
    }

    [Fact]
    public async Task LimitDefaultsToAndIsCappedAtTheMaxPageSize()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(250, ["solo"]), maxPageSize: 100);
        using var http = new HttpClient();

        async Task<int> CountAsync(string query)
        {
            using var response = await http.GetAsync(hub, "api/models?author=solo" + query);
            return (await FakeHubKit.ReadJsonAsync(response)).GetArrayLength();
        }

        Assert.Equal(100, await CountAsync(""));
        Assert.Equal(100, await CountAsync("&limit=500"));
        Assert.Equal(7, await CountAsync("&limit=7"));
    }

    [Fact]
    public async Task AnEmptyListingIsAnEmptyArrayWithoutLink()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(10, ["solo"]));
        using var http = new HttpClient();

        using var response = await http.GetAsync(hub, "api/models?author=nobody&expand=downloads");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.False(response.Headers.Contains("Link"));
    }

    [Theory]
    [InlineData("limit=abc")]
    [InlineData("limit=0")]
    [InlineData("limit=-3")]
    [InlineData("cursor=not*a*cursor")]
    [InlineData("cursor=b2Zmc2V0Oi0x")] // "offset:-1"
    [InlineData("sort=popularity")]
    public async Task BadLimitCursorOrSortIs400WithAJsonError(string query)
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(10, ["solo"]));
        using var http = new HttpClient();

        using var response = await http.GetAsync(hub, "api/models?author=solo&" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await FakeHubKit.ReadJsonAsync(response)).GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData("downloads")]
    [InlineData("likes")]
    [InlineData("trendingScore")]
    [InlineData("createdAt")]
    [InlineData("lastModified")]
    public async Task HubWideSortsAreDescendingAcrossPages(string sort)
    {
        var catalog = new GeneratedCatalog(2_500, ["a", "b"]);
        await using var hub = await FakeHubKit.StartAsync(catalog);
        using var http = new HttpClient();

        var items = (await FakeHubKit.ReadAllPagesAsync(http, new Uri(hub.BaseAddress, $"api/models?sort={sort}&expand={sort}")))
            .SelectMany(p => p.Items)
            .ToList();

        Assert.Equal(2_500, items.Select(i => i.Id()).Distinct().Count());
        var keys = items.Select(i => i.GetProperty(sort) is { ValueKind: System.Text.Json.JsonValueKind.String } s
            ? DateTimeOffset.Parse(s.GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds()
            : i.GetProperty(sort).GetInt64()).ToList();
        Assert.All(keys.Zip(keys.Skip(1)), pair => Assert.True(pair.First >= pair.Second, $"{sort} rises from {pair.First} to {pair.Second}"));
    }

    [Fact]
    public async Task ASortedAuthorListingHoldsExactlyThatAuthorsModels()
    {
        var catalog = new GeneratedCatalog(3_000, ["a", "b", "c"]);
        await using var hub = await FakeHubKit.StartAsync(catalog);
        using var http = new HttpClient();

        var ids = (await FakeHubKit.ReadAllPagesAsync(http, new Uri(hub.BaseAddress, "api/models?author=b&sort=likes&limit=300&expand=likes")))
            .SelectMany(p => p.Items)
            .Select(i => i.Id())
            .ToList();

        Assert.Equal(catalog.List("b", ModelSort.None).Select(r => r.Model.Id).Order(), ids.Order());
    }

    [Fact]
    public async Task SearchPagesThroughMatchingModelsOnly()
    {
        var catalog = new GeneratedCatalog(5_000, ["solo"]);
        await using var hub = await FakeHubKit.StartAsync(catalog);
        using var http = new HttpClient();

        var pages = await FakeHubKit.ReadAllPagesAsync(http, new Uri(hub.BaseAddress, "api/models?author=solo&search=GEN-MODEL-0001&limit=300&expand=downloads"));

        Assert.Equal([300, 300, 300, 100], pages.Select(p => p.Items.Count));
        Assert.Equal(Enumerable.Range(1_000, 1_000).Select(catalog.IdOf), pages.SelectMany(p => p.Items).Select(i => i.Id()));
    }

    [Fact]
    public async Task FilterAndPipelineTagNarrowTheListing()
    {
        await using var hub = await FakeHubKit.StartAsync(new RealisticCatalog());
        using var http = new HttpClient();

        using var quantized = await http.GetAsync(hub, "api/models?filter=base_model:quantized:openai/gpt-oss-20b&expand=tags");
        using var speech = await http.GetAsync(hub, "api/models?author=openai&pipeline_tag=automatic-speech-recognition&expand=pipeline_tag");

        Assert.Equal(
            ["lmstudio-community/gpt-oss-20b-GGUF", "unsloth/gpt-oss-20b-GGUF"],
            (await FakeHubKit.ReadJsonAsync(quantized)).EnumerateArray().Select(i => i.Id()).Order());
        Assert.Equal(
            ["openai/whisper-large-v3", "openai/whisper-large-v3-turbo"],
            (await FakeHubKit.ReadJsonAsync(speech)).EnumerateArray().Select(i => i.Id()).Order());
    }
}
