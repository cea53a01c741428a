using System.Net;
using System.Text.Json;
using OpenModelWatch.FakeHub.Catalogs;

namespace OpenModelWatch.Tests.FakeHub;

public class FakeHubShapeTests
{
    // The two items HUB-API.md quotes, as the real Hub returned them in Nov 2025.
    private const string KimiK2Thinking = """{"_id":"6909b87b734dd24dd19da3ef","id":"moonshotai/Kimi-K2-Thinking","likes":578,"trendingScore":580,"private":false,"downloads":5119,"tags":["transformers","safetensors","kimi_k2","text-generation","conversational","custom_code","license:other","autotrain_compatible","endpoints_compatible","compressed-tensors","region:us"],"pipeline_tag":"text-generation","library_name":"transformers","createdAt":"2025-11-04T08:25:31.000Z","modelId":"moonshotai/Kimi-K2-Thinking"}""";
    private const string MiniMaxM2 = """{"_id":"68f8dfe68cb208be9702aa87","id":"MiniMaxAI/MiniMax-M2","likes":1178,"trendingScore":319,"private":false,"downloads":846249,"tags":["transformers","safetensors","minimax_m2","text-generation","conversational","custom_code","arxiv:2504.07164","arxiv:2509.06501","arxiv:2509.13160","license:mit","autotrain_compatible","fp8","region:us"],"pipeline_tag":"text-generation","library_name":"transformers","createdAt":"2025-10-22T13:45:10.000Z","modelId":"MiniMaxAI/MiniMax-M2"}""";

    [Fact]
    public async Task TheRealHubItemsComeBackByteForByteWithoutExpand()
    {
        await using var hub = await FakeHubKit.StartAsync(new RealisticCatalog());
        using var http = new HttpClient();

        using var listing = await http.GetAsync(hub, "api/models?author=moonshotai");
        using var model = await http.GetAsync(hub, "api/models/MiniMaxAI/MiniMax-M2");

        Assert.Contains(KimiK2Thinking, (await FakeHubKit.ReadJsonAsync(listing)).EnumerateArray().Select(i => i.GetRawText()));
        Assert.Equal(MiniMaxM2, await model.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WithoutExpandAnItemHasTheDefaultSetInTheHubsOrder()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(10, ["solo"]));
        using var http = new HttpClient();

        using var response = await http.GetAsync(hub, "api/models?author=solo&limit=1");

        var item = (await FakeHubKit.ReadJsonAsync(response))[0];
        Assert.Equal(
            ["_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag", "library_name", "createdAt", "modelId"],
            item.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task WithExpandAnItemHasOnlyTheAskedPropertiesPlusIdAndObjectId()
    {
        await using var hub = await FakeHubKit.StartAsync(new RealisticCatalog());
        using var http = new HttpClient();

        using var response = await http.GetAsync(hub, "api/models?author=openai&expand=downloads&expand[]=likes&expand=safetensors");

        var items = (await FakeHubKit.ReadJsonAsync(response)).EnumerateArray().ToList();
        Assert.Equal(4, items.Count);
        Assert.All(items, item => Assert.Equal(
            ["_id", "downloads", "id", "likes", "safetensors"],
            item.EnumerateObject().Select(p => p.Name).Order()));
    }

    [Fact]
    public async Task EveryModelledExpandPropertyCanBeAskedAtOnce()
    {
        string[] all =
        [
            "author", "createdAt", "downloads", "downloadsAllTime", "likes", "trendingScore", "pipeline_tag", "library_name",
            "tags", "safetensors", "gated", "private", "lastModified", "baseModels", "childrenModelCount", "sha",
        ];
        await using var hub = await FakeHubKit.StartAsync(new RealisticCatalog());
        using var http = new HttpClient();

        using var response = await http.GetAsync(hub, "api/models/Qwen/Qwen3-0.6B?" + string.Join('&', all.Select(f => "expand=" + f)));

        var model = await FakeHubKit.ReadJsonAsync(response);
        Assert.Equal(all.Append("_id").Append("id").Order(), model.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Qwen", model.GetProperty("author").GetString());
        Assert.False(model.GetProperty("gated").GetBoolean());
        Assert.Matches("^[0-9a-f]{40}$", model.GetProperty("sha").GetString());
        var lineage = model.GetProperty("baseModels");
        Assert.Equal("finetune", lineage.GetProperty("relation").GetString());
        Assert.Equal("Qwen/Qwen3-0.6B-Base", lineage.GetProperty("models")[0].Id());
        Assert.Equal(1, model.GetProperty("childrenModelCount").GetProperty("quantized").GetInt32());
    }

    [Fact]
    public async Task IdsTimestampsAndSafetensorsHaveTheHubsFormats()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(500, ["solo"]));
        using var http = new HttpClient();

        using var response = await http.GetAsync(hub, "api/models?author=solo&expand=createdAt&expand=lastModified&expand=safetensors&expand=gated");

        var items = (await FakeHubKit.ReadJsonAsync(response)).EnumerateArray().ToList();
        Assert.Equal(500, items.Select(i => i.GetProperty("_id").GetString()).Distinct().Count());
        Assert.All(items, item =>
        {
            Assert.Matches("^[0-9a-f]{24}$", item.GetProperty("_id").GetString());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", item.GetProperty("createdAt").GetString());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", item.GetProperty("lastModified").GetString());
            Assert.True(item.GetProperty("gated") is { ValueKind: JsonValueKind.False } or { ValueKind: JsonValueKind.String });
            if (item.TryGetProperty("safetensors", out var safetensors))
            {
                var parameters = safetensors.GetProperty("parameters").EnumerateObject().Sum(p => p.Value.GetInt64());
                Assert.Equal(parameters, safetensors.GetProperty("total").GetInt64());
            }
        });
        Assert.Contains(items, i => !i.TryGetProperty("safetensors", out _));
    }

    [Theory]
    [InlineData("full=true")]
    [InlineData("cardData=true")]
    [InlineData("config=True")]
    public async Task ExpandCannotBeCombinedWithFullCardDataOrConfig(string other)
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(10, ["solo"]));
        using var http = new HttpClient();

        using var combined = await http.GetAsync(hub, $"api/models?author=solo&expand=downloads&{other}");
        using var alone = await http.GetAsync(hub, $"api/models?author=solo&{other}");

        Assert.Equal(HttpStatusCode.BadRequest, combined.StatusCode);
        Assert.Contains("expand", (await FakeHubKit.ReadJsonAsync(combined)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, alone.StatusCode);
    }

    [Theory]
    [InlineData("expand=downloadz", "Invalid expand value")]
    [InlineData("expand[]=siblings", "does not model")]
    public async Task AnUnknownOrUnmodelledExpandValueIs400(string query, string message)
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(10, ["solo"]));
        using var http = new HttpClient();

        using var listing = await http.GetAsync(hub, "api/models?author=solo&" + query);
        using var model = await http.GetAsync(hub, "api/models/solo/gen-model-0000001?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, listing.StatusCode);
        Assert.Contains(message, (await FakeHubKit.ReadJsonAsync(listing)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, model.StatusCode);
    }
}
