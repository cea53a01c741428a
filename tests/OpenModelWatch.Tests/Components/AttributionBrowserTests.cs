using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Components;

/// <summary>
/// The real app on a real port after one run of a small hand-made Hub where community namespaces quantize, fine-tune,
/// adapt and merge the registered labs' models, so counting by uploader and by origin give different numbers.
/// </summary>
public sealed class LineageApp : FakeHubFixture
{
    public const long QwenBase = 1_000_000;
    public const long UnslothGguf = 200_000;
    public const long BartowskiQ4 = 150_000;
    public const long Hermes = 90_000;
    public const long HermesGguf = 40_000;
    public const long Merged = 10_000;

    /// <summary>China by uploader: only Qwen's own model.</summary>
    public const long ChinaByUploader = QwenBase;

    /// <summary>China by origin: Qwen's model and every derivative whose first-parent chain ends at it.</summary>
    public const long ChinaByOrigin = QwenBase + UnslothGguf + BartowskiQ4 + Hermes + HermesGguf + Merged;

    public static FakeModel[] Models { get; } =
    [
        Model("Qwen/Qwen3-8B", QwenBase, 2025, 1),
        Model("meta-llama/Llama-3-8B", 800_000, 2024, 11),
        Model("mistralai/Mistral-7B", 300_000, 2024, 12),
        Model("mistralai/Mistral-7B-Instruct", 120_000, 2025, 2, "finetune:mistralai/Mistral-7B"),
        Model("unsloth/Qwen3-8B-GGUF", UnslothGguf, 2025, 3, "quantized:Qwen/Qwen3-8B"),
        Model("bartowski/Qwen3-8B-Q4", BartowskiQ4, 2025, 4, "quantized:Qwen/Qwen3-8B"),
        Model("nous/Hermes-Qwen3-8B", Hermes, 2025, 4, "finetune:Qwen/Qwen3-8B"),
        Model("lora/llama-3-adapter", 60_000, 2025, 3, "adapter:meta-llama/Llama-3-8B"),
        Model("someone/Hermes-Qwen3-8B-GGUF", HermesGguf, 2025, 5, "quantized:nous/Hermes-Qwen3-8B"),
        Model("merger/qwen-llama", Merged, 2025, 5, "merge:Qwen/Qwen3-8B", "merge:meta-llama/Llama-3-8B"),
    ];

    public string BaseUrl { get; private set; } = "";

    /// <summary>The <c>items</c> of an API list.</summary>
    public async Task<JsonElement[]> ApiItemsAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var body = await http.GetFromJsonAsync<JsonElement>(path, Xunit.TestContext.Current.CancellationToken);
        return [.. body.GetProperty("items").EnumerateArray()];
    }

    protected override FakeHubOptions HubOptions => new() { Catalog = new RealisticCatalog(Models) };

    protected override async ValueTask StartedAsync()
    {
        var registry = Folder.WriteRegistry(("Qwen", "CN"), ("meta-llama", "US"), ("mistralai", "FR"));
        var app = Track(new AppFactory(Folder, Hub.BaseAddress, registry, new Dictionary<string, string?> { ["Census:TopN"] = "100" }));
        BaseUrl = app.StartOnKestrel();
        var outcome = await app.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);
    }

    private static FakeModel Model(string id, long downloads, int year, int month, params string[] parents) => new()
    {
        Id = id,
        CreatedAt = new DateTimeOffset(year, month, 10, 0, 0, 0, TimeSpan.Zero),
        LastModified = new DateTimeOffset(year, month, 11, 0, 0, 0, TimeSpan.Zero),
        Downloads = downloads,
        DownloadsAllTime = downloads * 3,
        Likes = downloads / 1000,
        TrendingScore = 1,
        Tags = ["transformers", "license:apache-2.0", .. parents.SelectMany(p => new[] { "base_model:" + p.Split(':')[1], "base_model:" + p })],
    };
}

/// <summary>
/// The attribution toggle and the derivative views in Chromium, on <see cref="LineageApp"/>: the numbers shown are the
/// API's, and equal the sums worked out by hand from the catalog. Screenshots go under <c>bin/…/screenshots</c>.
/// </summary>
public sealed class AttributionBrowserTests(LineageApp app, Browser browser) : IClassFixture<LineageApp>
{
    [Fact]
    public async Task ByOriginTogglesTheNumbersAndTheAddress()
    {
        var byUploader = RegionDownloads(await app.ApiItemsAsync("/api/v1/countries?limit=1000"), "China");
        var byOrigin = RegionDownloads(await app.ApiItemsAsync("/api/v1/countries?attribution=origin&limit=1000"), "China");
        Assert.Equal((LineageApp.ChinaByUploader, LineageApp.ChinaByOrigin), (byUploader, byOrigin));
        await using var session = await browser.NewPageAsync(app.BaseUrl, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/");
        var china = page.GetByTestId("region-China").GetByTestId("region-downloads30d").Locator("span");
        await Assertions.Expect(china).ToHaveAttributeAsync("title", Format.Exact(byUploader));
        // The top of the page: the toggle and the region cards.
        await page.ScreenshotAsync("attribution-uploader-1280", fullPage: false);

        await page.GetByTestId("attribution").GetByText("By origin").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("attribution=origin"));
        await Assertions.Expect(china).ToHaveAttributeAsync("title", Format.Exact(byOrigin));
        await Assertions.Expect(china).ToHaveTextAsync(Format.Compact(byOrigin));
        Assert.Equal("?attribution=origin", page.Query());
        await page.Mouse.MoveAsync(0, 0);
        await page.WaitForTimeoutAsync(500); // the toggle's selection animates: a screenshot at once catches it half-way (cosmetic only)
        await page.ScreenshotAsync("attribution-origin-1280", fullPage: false);

        // And back: the address loses the parameter, the number returns.
        await page.GetByTestId("attribution").GetByText("By uploader").ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("attribution="));
        await Assertions.Expect(china).ToHaveAttributeAsync("title", Format.Exact(byUploader));
    }

    [Fact]
    public async Task DerivativesPageShowsTheApiNumbersAndSortsFromTheAddress()
    {
        var labs = (await app.ApiItemsAsync("/api/v1/derivatives/labs?limit=1000")).ToDictionary(g => g.GetProperty("key").GetString()!);
        var byCount = (await app.ApiItemsAsync("/api/v1/derivatives/base-models?limit=25")).Select(b => b.GetProperty("id").GetString()!).ToArray();
        var byDownloads = (await app.ApiItemsAsync("/api/v1/derivatives/base-models?sort=downloads30d&limit=25")).Select(b => b.GetProperty("id").GetString()!).ToArray();
        // Qwen's derivatives by origin: two quantizations, a fine-tune, a quantization of that fine-tune, a merge.
        Assert.Equal((5, LineageApp.ChinaByOrigin - LineageApp.QwenBase),
            (labs["lab-qwen"].GetProperty("derivatives").GetInt32(), labs["lab-qwen"].GetProperty("downloads30d").GetInt64()));
        Assert.NotEqual(byCount, byDownloads);

        await using var session = await browser.NewPageAsync(app.BaseUrl, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/derivatives");

        var labRows = page.GetByTestId("derivative-labs").GetByTestId("group-row");
        await Assertions.Expect(labRows).ToHaveCountAsync(labs.Count);
        foreach (var (key, group) in labs)
        {
            var row = page.GetByTestId("derivative-labs").Locator($"[data-key='{key}']");
            Assert.Equal(group.GetProperty("derivatives").GetInt32().ToString(CultureInfo.InvariantCulture),
                await row.GetByTestId("group-derivatives").GetAttributeAsync("data-value"));
            Assert.Equal(group.GetProperty("downloads30d").GetInt64().ToString(CultureInfo.InvariantCulture),
                await row.GetByTestId("group-downloads30d").GetAttributeAsync("data-value"));
        }

        var china = page.GetByTestId("derivative-countries").Locator("[data-key='CN']");
        Assert.Equal(Format.Exact(LineageApp.ChinaByOrigin - LineageApp.QwenBase), await china.GetByTestId("group-downloads30d").Locator("span").GetAttributeAsync("title"));
        var baseTable = page.GetByTestId("base-models");
        await Assertions.Expect(baseTable.GetByTestId("base-link")).ToHaveTextAsync(byCount);
        await Assertions.Expect(page.GetByTestId("derivative-months").Locator("svg").First).ToBeVisibleAsync();

        await baseTable.GetByTestId("sort-downloads30d").ClickAsync();

        // Polls the address: WaitForURLAsync can miss a client-side (pushState) navigation that lands as it starts.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("sort=downloads30d"));
        await Assertions.Expect(baseTable.GetByTestId("base-link")).ToHaveTextAsync(byDownloads);
        Assert.Equal("?sort=downloads30d", page.Query());
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync("derivatives-1280");

        await using var phone = await browser.NewPageAsync(app.BaseUrl, Browser.Phone);
        await phone.Page.OpenAsync("/derivatives");
        // What the screenshots need drawn, not "no request for 500 ms", which a loaded machine's suite once missed by 15 s.
        await Assertions.Expect(phone.Page.GetByTestId("derivative-months").Locator("svg").First).ToBeAttachedAsync();
        await Assertions.Expect(phone.Page.GetByTestId("derivative-countries").Locator("[data-key='CN']")).ToBeVisibleAsync();
        await phone.Page.ScreenshotAsync("derivatives-phone", fullPage: false);
        await phone.Page.GetByTestId("derivative-months").ScrollIntoViewIfNeededAsync();
        await phone.Page.ScreenshotAsync("derivatives-phone-chart", fullPage: false);
    }

    [Fact]
    public async Task AModelPageShowsItsFamilyTree()
    {
        await using var session = await browser.NewPageAsync(app.BaseUrl, Browser.Desktop);
        var page = session.Page;

        await page.OpenAsync("/models/someone/Hermes-Qwen3-8B-GGUF");

        var tree = page.GetByTestId("family-tree");
        await Assertions.Expect(tree.GetByTestId("family-parent-link")).ToHaveTextAsync(["nous/Hermes-Qwen3-8B", "Qwen/Qwen3-8B"]);
        await Assertions.Expect(tree.GetByTestId("family-parent")).ToHaveTextAsync([new Regex("quantized"), new Regex("finetune")]);
        await tree.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync("family-tree-1280", fullPage: false);

        await tree.GetByTestId("family-parent-link").Last.ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/models/Qwen/Qwen3-8B$"));
        await Assertions.Expect(tree.GetByTestId("family-root")).ToBeVisibleAsync();
        // Direct children, most downloaded first.
        await Assertions.Expect(tree.GetByTestId("family-child-link")).ToHaveTextAsync(
            ["unsloth/Qwen3-8B-GGUF", "bartowski/Qwen3-8B-Q4", "nous/Hermes-Qwen3-8B", "merger/qwen-llama"]);

        await using var phone = await browser.NewPageAsync(app.BaseUrl, Browser.Phone);
        await phone.Page.OpenAsync("/models/Qwen/Qwen3-8B");
        await phone.Page.GetByTestId("family-tree").ScrollIntoViewIfNeededAsync();
        await phone.Page.ScreenshotAsync("family-tree-phone", fullPage: false);
    }

    private static long RegionDownloads(IEnumerable<JsonElement> countries, string region) =>
        countries.Where(c => c.GetProperty("region").GetString() == region).Sum(c => c.GetProperty("downloads30d").GetInt64());
}
