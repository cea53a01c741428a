using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;
using static OpenModelWatch.Tests.TestSupport.LineageModels;

namespace OpenModelWatch.Tests.Ingestion;

/// <summary>
/// A hand-built Hub with every lineage shape: chains of depth 1–5, a cycle, missing and private parents, a merge with
/// two parents, and a parent that no listing shows but the Hub has. One real run, then the store and the API are read.
/// Run on both stores (SQLite, PostgreSQL).
/// </summary>
public abstract class LineageAndAttributionTests(StoreProvider provider) : FakeHubFixture(provider)
{
    public sealed class OnSqlite() : LineageAndAttributionTests(StoreProvider.Sqlite);

    public sealed class OnPostgres() : LineageAndAttributionTests(StoreProvider.PostgreSQL);

    private AppFactory _app = null!;
    private HttpClient _client = null!;

    protected override FakeHubOptions HubOptions
    {
        get
        {
            FakeModel[] models =
            [
                Model("Qwen/Base", 1_000_000),
                Model("meta-llama/Base", 900_000),
                Model("c1/m1", 50_000, "quantized:Qwen/Base"),
                Model("c2/m2", 40_000, "finetune:c1/m1"),
                Model("c3/m3", 30_000, "finetune:c2/m2"),
                Model("c4/m4", 20_000, "finetune:c3/m3"),
                Model("c5/m5", 10_000, "adapter:c4/m4"),
                Model("x/a", 5_000, "finetune:x/b"),
                Model("x/b", 4_000, "finetune:x/a"),
                Model("y/child", 3_000, "quantized:ghost/missing"),
                Model("y/child2", 2_000, "finetune:z/private"),
                Model("z/private", 1_500) with { Private = true },
                Model("m/merged", 1_000, "merge:meta-llama/Base", "merge:Qwen/Base"),
                Model("q/quant", 700, "quantized:u/notlisted"),
                // The least downloaded: outside the census of 14, so only a look-up finds it.
                Model("u/notlisted", 1, "finetune:Qwen/Base"),
            ];
            return new() { Catalog = new RealisticCatalog(models) };
        }
    }

    protected override async ValueTask StartedAsync()
    {
        _app = Track(new AppFactory(Folder, Hub.BaseAddress, Folder.WriteRegistry(("Qwen", "CN"), ("meta-llama", "US")),
            new Dictionary<string, string?> { ["Census:TopN"] = "13", ["Census:MaxParentLookups"] = "10" }));
        _client = TrackDisposable(_app.CreateClient());
        var outcome = await _app.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);
    }

    [Theory]
    [InlineData("c1/m1", "Qwen/Base", "lab-qwen")]
    [InlineData("c2/m2", "Qwen/Base", "lab-qwen")]
    [InlineData("c3/m3", "Qwen/Base", "lab-qwen")]
    [InlineData("c4/m4", "Qwen/Base", "lab-qwen")]
    [InlineData("c5/m5", "Qwen/Base", "lab-qwen")]
    [InlineData("m/merged", "meta-llama/Base", "lab-meta-llama")]
    [InlineData("q/quant", "Qwen/Base", "lab-qwen")]
    [InlineData("y/child", "ghost/missing", null)]
    [InlineData("y/child2", "z/private", null)]
    [InlineData("x/a", null, null)]
    [InlineData("x/b", null, null)]
    [InlineData("Qwen/Base", "Qwen/Base", "lab-qwen")]
    public async Task EachModelsOriginIsTheRootOfItsChain(string id, string? origin, string? originLab)
    {
        await using var db = await DbAsync();
        var model = await db.Models.SingleAsync(m => m.HubId == id, TestContext.Current.CancellationToken);
        Assert.Equal((origin, originLab), (model.OriginId, model.OriginLabId));
    }

    [Fact]
    public async Task AMergeKeepsBothParentsAndItsRelation()
    {
        await using var db = await DbAsync();
        var merged = await db.Models.SingleAsync(m => m.HubId == "m/merged", TestContext.Current.CancellationToken);
        Assert.Equal(("meta-llama/Base", "merge", "merge:meta-llama/Base merge:Qwen/Base"), (merged.BaseModel, merged.Relation, merged.Parents));
    }

    [Fact]
    public async Task CyclesMissingParentsAndLookupsAreCountedAndBounded()
    {
        await using var db = await DbAsync();
        var run = await db.Runs.SingleAsync(TestContext.Current.CancellationToken);
        // Look-ups: ghost/missing (404), z/private (404), u/notlisted (found; its parent Qwen/Base is in the store).
        Assert.Equal((3, 2, 2), (run.ParentLookups, run.LineageCycles, run.MissingParents));
        Assert.Equal(3, Hub.Counters.RequestsTo("/api/models/{namespace}/{name}"));
        // One census page, one page per registered namespace, and the three look-ups: nothing else.
        Assert.Equal(1 + 2 + 3, Hub.Counters.Requests);
        Assert.Equal(13, run.CensusModels);
        var lookups = await db.LineageLookups.OrderBy(l => l.HubId).Select(l => new { l.HubId, l.Found }).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["ghost/missing:False", "u/notlisted:True", "z/private:False"], lookups.Select(l => $"{l.HubId}:{l.Found}"));
    }

    [Fact]
    public async Task UploaderAndOriginSumToTheSameTotal()
    {
        var uploader = await ItemsAsync("/api/v1/countries?attribution=uploader");
        var origin = await ItemsAsync("/api/v1/countries?attribution=origin");

        Assert.Equal(uploader.Sum(c => c.GetProperty("downloads30d").GetInt64()), origin.Sum(c => c.GetProperty("downloads30d").GetInt64()));
        Assert.Equal(1_000_000 + 900_000 + 50_000 + 40_000 + 30_000 + 20_000 + 10_000 + 5_000 + 4_000 + 3_000 + 2_000 + 1_000 + 700,
            origin.Sum(c => c.GetProperty("downloads30d").GetInt64()));
        // By origin, China gets Qwen/Base, the c-chain and q/quant; by uploader only Qwen/Base.
        Assert.Equal(1_000_000 + 50_000 + 40_000 + 30_000 + 20_000 + 10_000 + 700, Downloads(origin, "CN"));
        Assert.Equal(1_000_000, Downloads(uploader, "CN"));
        Assert.Equal("Community", uploader.Single(c => c.GetProperty("country").GetString() == "XX").GetProperty("region").GetString());
        Assert.Equal("Unknown", origin.Single(c => c.GetProperty("country").GetString() == "XX").GetProperty("region").GetString());
    }

    [Fact]
    public async Task ACommunityQuantizationOfQwenCountsForChinaByOriginAndForCommunityByUploader()
    {
        var byUploader = (await ItemsAsync("/api/v1/models?q=c1/m1")).Single();
        var byOrigin = (await ItemsAsync("/api/v1/models?q=c1/m1&attribution=origin")).Single();

        Assert.Equal(("XX", "Community", "c1"), (byUploader.GetProperty("country").GetString(), byUploader.GetProperty("region").GetString(), byUploader.GetProperty("namespace").GetString()));
        Assert.Equal(("CN", "China", "lab-qwen"), (byOrigin.GetProperty("country").GetString(), byOrigin.GetProperty("region").GetString(), byOrigin.GetProperty("lab").GetString()));
        Assert.Equal("Qwen/Base", byOrigin.GetProperty("origin").GetString());
    }

    [Fact]
    public async Task CommunityUploadersAreNamedInTheLabsList()
    {
        var labs = await ItemsAsync("/api/v1/labs?community=include&region=Community");

        Assert.Contains(labs, lab => lab.GetProperty("id").GetString() == "community:c1" && lab.GetProperty("downloads30d").GetInt64() == 50_000);
        Assert.All(labs, lab => Assert.Equal("XX", lab.GetProperty("country").GetString()));
    }

    [Fact]
    public async Task DerivativesAreCountedForTheOriginLabByRelation()
    {
        var qwen = (await ItemsAsync("/api/v1/derivatives/labs")).Single(g => g.GetProperty("key").GetString() == "lab-qwen");

        // c1 (quantized), c2–c4 (finetune), c5 (adapter), q/quant (quantized).
        Assert.Equal((6, 3, 2, 1, 0), (qwen.GetProperty("derivatives").GetInt32(), qwen.GetProperty("finetunes").GetInt32(),
            qwen.GetProperty("quantizations").GetInt32(), qwen.GetProperty("adapters").GetInt32(), qwen.GetProperty("merges").GetInt32()));
        Assert.Equal(50_000 + 40_000 + 30_000 + 20_000 + 10_000 + 700, qwen.GetProperty("downloads30d").GetInt64());
    }

    [Fact]
    public async Task AModelsFamilyShowsItsParentsToTheRootAndItsChildren()
    {
        var family = await _client.GetFromJsonAsync<JsonElement>("/api/v1/models/c3/m3/family", TestContext.Current.CancellationToken);

        Assert.Equal(["c2/m2", "c1/m1", "Qwen/Base"], family.GetProperty("parents").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(["finetune", "finetune", "quantized"], family.GetProperty("parents").EnumerateArray().Select(p => p.GetProperty("relation").GetString()));
        Assert.Equal(["c4/m4"], family.GetProperty("children").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    private static long Downloads(IEnumerable<JsonElement> countries, string country) =>
        countries.Single(c => c.GetProperty("country").GetString() == country).GetProperty("downloads30d").GetInt64();

    private async Task<JsonElement[]> ItemsAsync(string url) =>
        (await _client.GetFromJsonAsync<JsonElement>(url, TestContext.Current.CancellationToken)).GetProperty("items").EnumerateArray().ToArray();

    private async Task<OpenModelWatchDb> DbAsync() =>
        await _app.Services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
}
