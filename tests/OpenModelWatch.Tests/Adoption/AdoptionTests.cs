using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Adoption;

/// <summary>
/// Size- and age-fair adoption through the real app on a small hand-built Hub, every figure computed by hand.
/// The 3–10B, 6–12 months peer group holds eleven models: Qwen/s1–s6 (7B, 200 days, 100–600 downloads), google/g1–g4
/// (8B, 250 days: 1,000, 50, 0, 10,000) and Qwen/Qwen-VL-Chat (700), which the Hub says is 20B but ATOM's reviewed
/// 9.6B puts here. Sorted: 0, 50, 100, 200, 300, [400], 500, 600, 700, 1,000, 10,000: median 400.
/// google/gemma-3-27b-it is alone in its group (ATOM's release date 2025-03-12); mistralai/m has no size; fan/tune, a
/// community finetune with a million downloads, is not a registered lab's model: it is neither listed nor a peer.
/// Qwen/s6 is a finetune of google/g1, so it counts for Google by origin.
/// </summary>
public sealed class AdoptionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly TempFolder _folder = new();
    private FakeHubServer _hub = null!;
    private AppFactory _app = null!;
    private HttpClient _http = null!;

    private static FakeModel Model(string id, long downloads, long? parameters, int ageDays, params string[] parents) =>
        Model(id, downloads, parameters, _now.AddDays(-ageDays).AddHours(-12), parents);

    private static FakeModel Model(string id, long downloads, long? parameters, DateTimeOffset created, params string[] parents) =>
        LineageModels.Model(id, downloads, parents) with { CreatedAt = created, LastModified = created, SafetensorsTotal = parameters };

    public async ValueTask InitializeAsync()
    {
        (_hub, _app, _) = await StartAsync(_folder);
        _http = _app.CreateClient();
    }

    /// <summary>The hand-built Hub of this class and the app after one run of it (also the browser test's).</summary>
    public static async Task<(FakeHubServer Hub, AppFactory App, string? BaseUrl)> StartAsync(TempFolder folder, bool onKestrel = false)
    {
        var catalog = new RealisticCatalog(
        [
            .. new long[] { 100, 200, 300, 400, 500 }.Select((d, i) => Model($"Qwen/s{i + 1}", d, 7_000_000_000, 200)),
            Model("Qwen/s6", 600, 7_000_000_000, 200, "finetune:google/g1"),
            Model("google/g1", 1_000, 8_000_000_000, 250),
            Model("google/g2", 50, 8_000_000_000, 250),
            Model("google/g3", 0, 8_000_000_000, 250),
            Model("google/g4", 10_000, 8_000_000_000, 250),
            Model("Qwen/Qwen-VL-Chat", 700, 20_000_000_000, 200),
            Model("google/gemma-3-27b-it", 2_000, 27_400_000_000, new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero)),
            Model("mistralai/m", 50, null, 200),
            Model("fan/tune", 1_000_000, 7_000_000_000, 200, "finetune:Qwen/s1"),
        ]);
        var hub = await FakeHubServer.StartAsync(new FakeHubOptions { Catalog = catalog });
        var app = new AppFactory(folder, hub.BaseAddress,
            folder.WriteRegistry(("Qwen", "CN"), ("google", "US"), ("mistralai", "FR")),
            new Dictionary<string, string?> { ["Census:TopN"] = "3" });
        var baseUrl = onKestrel ? app.StartOnKestrel() : null;
        var outcome = await app.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);
        return (hub, app, baseUrl);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _hub.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task TheListRanksEveryRegisteredModelByItsRatioToThePeerMedian()
    {
        var ct = TestContext.Current.CancellationToken;
        var answer = await _http.GetFromJsonAsync<JsonElement>("/api/v1/adoption", ct);

        Assert.Equal(13, answer.GetProperty("total").GetInt32());
        Assert.Equal(
            [
                "google/g4 US 3b-10b 250 11 400 25",
                "google/g1 US 3b-10b 250 11 400 2.5",
                "Qwen/Qwen-VL-Chat China 3b-10b 200 11 400 1.75",
                "Qwen/s6 China 3b-10b 200 11 400 1.5",
                "Qwen/s5 China 3b-10b 200 11 400 1.25",
                "Qwen/s4 China 3b-10b 200 11 400 1",
                "Qwen/s3 China 3b-10b 200 11 400 0.75",
                "Qwen/s2 China 3b-10b 200 11 400 0.5",
                "Qwen/s1 China 3b-10b 200 11 400 0.25",
                "google/g2 US 3b-10b 250 11 400 0.125",
                "google/g3 US 3b-10b 250 11 400 0",
                $"google/gemma-3-27b-it US 10b-40b {AgeSince(2025, 3, 12, answer)} 1 2000 peer group of 1, fewer than 10 models",
                "mistralai/m Europe unknown 200 0 - size unknown",
            ],
            Lines(answer));

        var items = answer.GetProperty("items").EnumerateArray().ToDictionary(item => item.GetProperty("id").GetString()!);
        // ATOM's reviewed total over the Hub's safetensors total; the Hub's where ATOM has nothing.
        Assert.Equal((9_600_000_000L, "atom", "3b-10b"), (items["Qwen/Qwen-VL-Chat"].GetProperty("parameters").GetInt64(),
            items["Qwen/Qwen-VL-Chat"].GetProperty("parametersSource").GetString(), items["Qwen/Qwen-VL-Chat"].GetProperty("sizeClass").GetString()));
        Assert.Equal((7_000_000_000L, "hub", "hub"), (items["Qwen/s1"].GetProperty("parameters").GetInt64(),
            items["Qwen/s1"].GetProperty("parametersSource").GetString(), items["Qwen/s1"].GetProperty("releasedSource").GetString()));
        // ATOM's release date (2025-03-12) over the repository's creation (2025-03-01).
        var gemma = items["google/gemma-3-27b-it"];
        Assert.Equal(("2025-03-12T00:00:00Z", "atom", 27_000_000_000L), (gemma.GetProperty("released").GetString(), gemma.GetProperty("releasedSource").GetString(), gemma.GetProperty("parameters").GetInt64()));
        Assert.False(items.ContainsKey("fan/tune"));
    }

    [Fact]
    public async Task ThePeerGroupsAreListedWithTheirMedians()
    {
        var answer = await _http.GetFromJsonAsync<JsonElement>("/api/v1/adoption/peer-groups", TestContext.Current.CancellationToken);
        var groups = answer.GetProperty("items").EnumerateArray()
            .Select(g => $"{g.GetProperty("sizeClass").GetString()} {g.GetProperty("ageBand").GetString()} {g.GetProperty("models").GetInt32()} {g.GetProperty("median30dEquivalent").GetDouble()} {g.GetProperty("downloads30d").GetInt64()}")
            .ToList();
        var gemmaBand = groups[1].Split(' ')[1];
        Assert.Equal(["3b-10b 6m-12m 11 400 13850", $"10b-40b {gemmaBand} 1 2000 2000"], groups);
        Assert.Contains(gemmaBand, new[] { "12m-24m", "24m-plus" });
    }

    [Fact]
    public async Task AttributionScopeAndTheListsFiltersChooseWhatIsListedNotThePeers()
    {
        var ct = TestContext.Current.CancellationToken;
        // By origin Qwen/s6 (a finetune of google/g1) counts for Google, with the same ratio.
        var usByOrigin = await _http.GetFromJsonAsync<JsonElement>("/api/v1/adoption?attribution=origin&region=US", ct);
        Assert.Equal(["google/g4", "google/g1", "Qwen/s6", "google/g2", "google/g3", "google/gemma-3-27b-it"], Ids(usByOrigin));
        Assert.Equal("origin", usByOrigin.GetProperty("attribution").GetString());
        var usByUploader = await _http.GetFromJsonAsync<JsonElement>("/api/v1/adoption?region=US", ct);
        Assert.Equal(["google/g4", "google/g1", "google/g2", "google/g3", "google/gemma-3-27b-it"], Ids(usByUploader));

        // The census is the Hub's top 3 (fan/tune, google/g4, google/gemma-3-27b-it): its registered models only.
        var census = await _http.GetFromJsonAsync<JsonElement>("/api/v1/adoption?scope=census", ct);
        Assert.Equal(["google/g4", "google/gemma-3-27b-it"], Ids(census));
        Assert.Equal("25", census.GetProperty("items")[0].GetProperty("ratio").GetDouble().ToString(CultureInfo.InvariantCulture));

        var small = await _http.GetFromJsonAsync<JsonElement>("/api/v1/adoption?sizeClass=unknown", ct);
        Assert.Equal(["mistralai/m"], Ids(small));
        var byDownloads = await _http.GetFromJsonAsync<JsonElement>("/api/v1/adoption?sort=downloads30d&limit=3", ct);
        Assert.Equal(["google/g4", "google/gemma-3-27b-it", "google/g1"], Ids(byDownloads));
        Assert.Equal(13, byDownloads.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task TheCsvChartEmbedExportAndPagesShowTheSameFigures()
    {
        var ct = TestContext.Current.CancellationToken;
        var csv = (await _http.GetStringAsync("/api/v1/adoption?format=csv&limit=2", ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("id,namespace,lab,labName,country,region,task,parameters,parametersSource,sizeClass,released,releasedSource,ageDays,ageBand,downloads30d,downloads30dEquivalent,peers,peerMedian,ratio,note,inCensus", csv[0]);
        Assert.StartsWith("google/g4,google,lab-google,google Lab,US,US,", csv[1], StringComparison.Ordinal);
        Assert.EndsWith(",8000000000,hub,3b-10b," + csv[1].Split(',')[10] + ",hub,250,6m-12m,10000,10000,11,400,25,,true", csv[1], StringComparison.Ordinal);

        var png = await _http.GetAsync("/charts/adoption.png", ct);
        Assert.Equal((HttpStatusCode.OK, "image/png"), (png.StatusCode, png.Content.Headers.ContentType?.MediaType));
        var svg = await _http.GetStringAsync("/charts/adoption.svg?n=3", ct);
        Assert.Contains("Punching above its weight", svg, StringComparison.Ordinal);
        Assert.Contains("ATOM Project", svg, StringComparison.Ordinal);
        var data = await _http.GetStringAsync("/charts/adoption.csv?n=3", ct);
        Assert.Contains("1,google/g4 · 3–10B · 6–12 months,US,25,", data, StringComparison.Ordinal);
        Assert.Contains("3,Qwen/Qwen-VL-Chat · 3–10B · 6–12 months,China,1.75,", data, StringComparison.Ordinal);
        var embed = await _http.GetAsync("/embed/adoption?region=China", ct);
        Assert.Equal(HttpStatusCode.OK, embed.StatusCode);

        var export = (await _http.GetStringAsync("/exports/adoption.csv?metadata=none&region=China", ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8, export.Length);
        var withBlock = await _http.GetStringAsync("/exports/adoption.csv", ct);
        Assert.Contains("ATOM Project (Interconnects-AI/tracked-models), Apache-2.0", withBlock, StringComparison.Ordinal);

        var page = WebUtility.HtmlDecode(await _http.GetStringAsync("/adoption", ct));
        Assert.Contains("Punching above its weight", page, StringComparison.Ordinal);
        Assert.Contains("13 models of registered labs in this view, 11 with a ratio", page, StringComparison.Ordinal);
        Assert.Contains("25×", page, StringComparison.Ordinal);
        Assert.Contains("0.13×", page, StringComparison.Ordinal);
        var model = WebUtility.HtmlDecode(await _http.GetStringAsync("/models/google/g1", ct));
        Assert.Contains("2.5×", model, StringComparison.Ordinal);
        Assert.Contains("8,000,000,000 parameters, the Hub", model, StringComparison.Ordinal);
        var reviewed = WebUtility.HtmlDecode(await _http.GetStringAsync("/models/Qwen/Qwen-VL-Chat", ct));
        Assert.Contains("9,600,000,000 parameters, ATOM Project", reviewed, StringComparison.Ordinal);
        var community = WebUtility.HtmlDecode(await _http.GetStringAsync("/models/fan/tune", ct));
        Assert.Contains("Not compared: only the registered labs", community, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/adoption?sizeClass=huge", "sizeClass")]
    [InlineData("/api/v1/adoption?ageBand=old", "ageBand")]
    [InlineData("/api/v1/adoption?sort=likes", "sort")]
    [InlineData("/charts/adoption.png?n=51", "n")]
    [InlineData("/exports/adoption.csv?sizeClass=7b", "sizeClass")]
    public async Task BadParametersAreAProblemNamingThem(string url, string parameter)
    {
        var response = await _http.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{parameter}\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    /// <summary>Whole days from a release day to the answer's as-of time, as the test computes them.</summary>
    private static int AgeSince(int year, int month, int day, JsonElement answer) =>
        (int)Math.Floor((answer.GetProperty("asOf").GetDateTime().ToUniversalTime() - new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc)).TotalDays);

    private static List<string> Ids(JsonElement answer) =>
        answer.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()!).ToList();

    private static List<string> Lines(JsonElement answer) => answer.GetProperty("items").EnumerateArray().Select(item =>
    {
        var ratio = item.GetProperty("ratio");
        var median = item.GetProperty("peerMedian");
        return $"{item.GetProperty("id").GetString()} {item.GetProperty("region").GetString()} {item.GetProperty("sizeClass").GetString()} "
            + $"{item.GetProperty("ageDays").GetInt32()} {item.GetProperty("peers").GetInt32()} "
            + $"{(median.ValueKind == JsonValueKind.Null ? "-" : median.GetDouble().ToString(CultureInfo.InvariantCulture))} "
            + (ratio.ValueKind == JsonValueKind.Null ? item.GetProperty("note").GetString() : ratio.GetDouble().ToString(CultureInfo.InvariantCulture));
    }).ToList();
}
