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
/// The origin rule on a hand-built Hub: a model counts for the registered lab closest to the root of its chain of
/// first parents (the model itself included), Unknown when no link is registered or the chain loops; the raw root
/// stays the model's origin. A curated fixes file reroutes models that declare no parent. One real run, then the
/// store and the API are read.
/// On both stores.
/// </summary>
public abstract class OriginRuleTests(StoreProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : OriginRuleTests(StoreProvider.Sqlite);

    public sealed class OnPostgres() : OriginRuleTests(StoreProvider.PostgreSQL);

    private readonly TempFolder _folder = new(provider);
    private FakeHubServer _hub = null!;
    private AppFactory _app = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        FakeModel[] models =
        [
            Model("Qwen/Base", 1_000_000),
            // Unregistered root, registered middle: the middle's lab.
            Model("indie/root", 90_000),
            Model("midlab/tuned", 80_000, "finetune:indie/root"),
            Model("c/quant", 70_000, "quantized:midlab/tuned"),
            // Two registered links: the one closest to the root.
            Model("meta-llama/FromQwen", 60_000, "finetune:Qwen/Base"),
            Model("d/quant", 50_000, "quantized:meta-llama/FromQwen"),
            // No registered link.
            Model("e/root", 40_000),
            Model("e/child", 30_000, "finetune:e/root"),
            // Merges follow their first parent; a registered merge counts for itself.
            Model("m/merged", 20_000, "merge:e/root", "merge:Qwen/Base"),
            Model("midlab/merged", 19_000, "merge:e/root", "merge:Qwen/Base"),
            // A curated fix reroutes an unregistered root that declares no parent.
            Model("n/mini", 18_000),
            Model("st/all", 17_000, "finetune:n/mini"),
            // A loop stays Unknown, registered links or not.
            Model("midlab/loop", 16_000, "finetune:x/loop"),
            Model("x/loop", 15_000, "finetune:midlab/loop"),
            // A fix that would close a loop with the declared lineage is not applied.
            Model("p/root", 14_000),
            Model("p/child", 13_000, "finetune:p/root"),
        ];
        _hub = await FakeHubServer.StartAsync(new FakeHubOptions { Catalog = new RealisticCatalog(models) });
        var fixes = _folder.File("lineage.json");
        await File.WriteAllTextAsync(fixes, """
            { "version": 1, "fixes": [
            { "model": "n/mini", "upstream": "microsoft/Big", "relation": "derived", "source": "https://example.org/n-mini", "note": "card says so" },
            { "model": "e/child", "upstream": "Qwen/Base", "relation": "finetune", "source": "https://example.org/e-child", "note": "ignored: e/child declares a parent" },
            { "model": "p/root", "upstream": "p/child", "relation": "finetune", "source": "https://example.org/p-root", "note": "would loop" }
            ] }
            """, TestContext.Current.CancellationToken);
        _app = new AppFactory(_folder, _hub.BaseAddress, _folder.WriteRegistry(("Qwen", "CN"), ("meta-llama", "US"), ("midlab", "FR"), ("microsoft", "US")),
            new Dictionary<string, string?> { ["Census:TopN"] = "100", ["Lineage:FixesPath"] = fixes });
        _client = _app.CreateClient();
        var outcome = await _app.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _hub.DisposeAsync();
        _folder.Dispose();
    }

    [Theory]
    [InlineData("c/quant", "indie/root", "lab-midlab", "FR")]
    [InlineData("midlab/tuned", "indie/root", "lab-midlab", "FR")]
    [InlineData("indie/root", "indie/root", null, "XX")]
    [InlineData("d/quant", "Qwen/Base", "lab-qwen", "CN")]
    [InlineData("meta-llama/FromQwen", "Qwen/Base", "lab-qwen", "CN")]
    [InlineData("e/child", "e/root", null, "XX")]
    [InlineData("m/merged", "e/root", null, "XX")]
    [InlineData("midlab/merged", "e/root", "lab-midlab", "FR")]
    [InlineData("st/all", "microsoft/Big", "lab-microsoft", "US")]
    [InlineData("n/mini", "microsoft/Big", "lab-microsoft", "US")]
    [InlineData("midlab/loop", null, null, "XX")]
    [InlineData("x/loop", null, null, "XX")]
    [InlineData("p/child", "p/root", null, "XX")]
    [InlineData("p/root", "p/root", null, "XX")]
    public async Task AModelCountsForTheRegisteredLinkClosestToTheRootOfItsChain(string id, string? origin, string? originLab, string country)
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var model = await db.Models.SingleAsync(m => m.HubId == id, TestContext.Current.CancellationToken);
        Assert.Equal((origin, originLab), (model.OriginId, model.OriginLabId));

        var byOrigin = (await ItemsAsync($"/api/v1/models?q={Uri.EscapeDataString(id)}&attribution=origin")).Single(m => m.GetProperty("id").GetString() == id);
        Assert.Equal((originLab, country, origin), (byOrigin.GetProperty("lab").GetString(), byOrigin.GetProperty("country").GetString(), byOrigin.GetProperty("origin").GetString()));
    }

    [Fact]
    public async Task TheFamilyTreeFollowsTheCuratedLinkAndNamesTheOriginLab()
    {
        var family = await _client.GetFromJsonAsync<JsonElement>("/api/v1/models/st/all/family", TestContext.Current.CancellationToken);

        var parents = family.GetProperty("parents").EnumerateArray().ToArray();
        Assert.Equal(["n/mini", "microsoft/Big"], parents.Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(["finetune", "derived"], parents.Select(p => p.GetProperty("relation").GetString()));
        Assert.Equal([null, "https://example.org/n-mini"], parents.Select(p => p.GetProperty("fix").GetString()));
        Assert.Equal(("microsoft/Big", "lab-microsoft"), (family.GetProperty("origin").GetString(), family.GetProperty("originLab").GetString()));
    }

    [Fact]
    public async Task TheFamilyTreeOfAChainWithAnUnregisteredRootNamesTheMiddleLab()
    {
        var family = await _client.GetFromJsonAsync<JsonElement>("/api/v1/models/c/quant/family", TestContext.Current.CancellationToken);

        Assert.Equal(["midlab/tuned", "indie/root"], family.GetProperty("parents").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(("indie/root", "lab-midlab"), (family.GetProperty("origin").GetString(), family.GetProperty("originLab").GetString()));
    }

    [Fact]
    public async Task UploaderAndOriginStillSumToTheSameTotal()
    {
        var uploader = await ItemsAsync("/api/v1/countries");
        var origin = await ItemsAsync("/api/v1/countries?attribution=origin");

        Assert.Equal(uploader.Sum(c => c.GetProperty("downloads30d").GetInt64()), origin.Sum(c => c.GetProperty("downloads30d").GetInt64()));
    }

    private async Task<JsonElement[]> ItemsAsync(string url) =>
        (await _client.GetFromJsonAsync<JsonElement>(url, TestContext.Current.CancellationToken)).GetProperty("items").EnumerateArray().ToArray();
}
