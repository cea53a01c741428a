using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Store;

/// <summary>
/// A model's rank on its page is its place in <c>/api/v1/models</c> (30-day downloads, ties by the store's id in the
/// sort's direction), for every model of a run where four share their downloads; and the page counts the run's models
/// from its totals. On both stores.
/// </summary>
public abstract class ModelRankTests(StoreProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : ModelRankTests(StoreProvider.Sqlite);

    public sealed class OnPostgres() : ModelRankTests(StoreProvider.PostgreSQL);

    private static readonly (string Id, long Downloads)[] _models =
    [
        ("Qwen/top", 900_000), ("Qwen/tie-a", 5_000), ("meta-llama/tie-b", 5_000), ("Qwen/tie-c", 5_000), ("fan/tie-d", 5_000),
        ("meta-llama/mid", 70_000), ("fan/small", 40), ("fan/smallest", 3),
    ];

    private readonly TempFolder _folder = new(provider);
    private FakeHubServer _hub = null!;
    private AppFactory _app = null!;

    public async ValueTask InitializeAsync()
    {
        _hub = await FakeHubServer.StartAsync(new FakeHubOptions
        {
            Catalog = new RealisticCatalog(_models.Select(model => LineageModels.Model(model.Id, model.Downloads, [])).ToArray()),
        });
        _app = new AppFactory(_folder, _hub.BaseAddress, _folder.WriteRegistry(("Qwen", "CN"), ("meta-llama", "US")),
            new Dictionary<string, string?> { ["Census:TopN"] = "100" });
        var outcome = await _app.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _hub.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task EveryModelsRankIsItsPlaceInTheModelsListTiesIncluded()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var http = _app.CreateClient();
        var page = await http.GetFromJsonAsync<JsonElement>("/api/v1/models?limit=100", cancellationToken);
        var order = page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(8, order.Length);
        // The four ties after the two larger models, in some order the store's ids decide.
        Assert.Equal(["Qwen/top", "meta-llama/mid"], order[..2]);
        Assert.Equal(["Qwen/tie-a", "Qwen/tie-c", "fan/tie-d", "meta-llama/tie-b"], order[2..6].Order(StringComparer.Ordinal));
        // The app's query, once the run's ids are in memory (as the warm-up leaves them): each rank is a place there.
        var names = _app.Services.GetRequiredService<ModelNameIndex>();
        var run = page.GetProperty("runId").GetInt32();
        Assert.Equal(run, await names.BuildAsync(run, cancellationToken));
        var answered = names.Answered;
        var detail = _app.Services.GetRequiredService<ModelDetailQuery>();
        // The same query without them: two counts in the store.
        var counting = new ModelDetailQuery(_app.Services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>());
        for (var place = 0; place < order.Length; place++)
        {
            var data = await detail.GetAsync(order[place], cancellationToken);
            Assert.Equal((order[place], place + 1, 8), (order[place], data!.Rank, data.RankedModels));
            var counted = await counting.GetAsync(order[place], cancellationToken);
            Assert.Equal((order[place], place + 1, 8), (order[place], counted!.Rank, counted.RankedModels));
        }

        Assert.Equal(answered + order.Length, names.Answered);
    }
}
