using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Recorded;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Ingestion;

/// <summary>
/// A parent renamed on the Hub: the look-up of its old name gets the real recorded <c>307</c> (Location: the new name),
/// the app's own Hub client follows it to the real recorded payload, and the new name becomes the parent, the stored
/// model and the origin chain's next link. Recordings: <c>hub-recorded/</c> (Apache-2.0, see its README).
/// On both stores.
/// </summary>
public abstract class RenamedParentTests(StoreProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : RenamedParentTests(StoreProvider.Sqlite);

    public sealed class OnPostgres() : RenamedParentTests(StoreProvider.PostgreSQL);

    private const string OldName = "meta-llama/Meta-Llama-3.1-8B-Instruct";
    private const string NewName = "meta-llama/Llama-3.1-8B-Instruct";

    private readonly TempFolder _folder = new(provider);
    private FakeHubServer _hub = null!;
    private AppFactory _app = null!;

    private static Dictionary<string, RecordedAnswer> Recorded => new(StringComparer.OrdinalIgnoreCase)
    {
        [OldName] = RecordedAnswer.Load(File("models_meta-llama_Meta-Llama-3.1-8B-Instruct_307-redirect.headers.json"), File("models_meta-llama_Meta-Llama-3.1-8B-Instruct_307-redirect.txt")),
        [NewName] = RecordedAnswer.Load(File("models_meta-llama_Llama-3.1-8B-Instruct.headers.json"), File("models_meta-llama_Llama-3.1-8B-Instruct.json")),
    };

    public async ValueTask InitializeAsync()
    {
        var child = LineageModels.Model("fan/llama-tune", 1_000, "finetune:" + OldName);
        _hub = await FakeHubServer.StartAsync(new FakeHubOptions { Catalog = new RealisticCatalog([child]), RecordedModels = Recorded });
        _app = new AppFactory(_folder, _hub.BaseAddress, _folder.WriteRegistry(("meta-llama", "US")), new Dictionary<string, string?> { ["Census:TopN"] = "10" });
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
    public async Task TheFakeHubServesTheRecorded307AsItIs()
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _hub.BaseAddress };

        using var response = await http.GetAsync("api/models/" + OldName, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("/api/models/" + NewName, response.Headers.Location?.OriginalString);
        Assert.Equal(await System.IO.File.ReadAllBytesAsync(File("models_meta-llama_Meta-Llama-3.1-8B-Instruct_307-redirect.txt"), TestContext.Current.CancellationToken),
            await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TheLookUpFollowsThe307AndRecordsTheNewNameAsTheParent()
    {
        await using var db = await DbAsync();
        var child = await db.Models.SingleAsync(m => m.HubId == "fan/llama-tune", TestContext.Current.CancellationToken);
        Assert.Equal((NewName, "finetune:" + NewName), (child.BaseModel, child.Parents));

        var parent = await db.Models.SingleAsync(m => m.HubId == NewName, TestContext.Current.CancellationToken);
        Assert.Equal("meta-llama/Llama-3.1-8B", parent.BaseModel);
        Assert.False(await db.Models.AnyAsync(m => m.HubId == OldName, TestContext.Current.CancellationToken));

        var lookup = await db.LineageLookups.SingleAsync(l => l.HubId == OldName, TestContext.Current.CancellationToken);
        Assert.Equal((true, NewName), (lookup.Found, lookup.RenamedTo));
        // The old name (307), the new one (followed by the handler), then the new one's own parent (404 here).
        Assert.Equal(3, _hub.Counters.RequestsTo("/api/models/{namespace}/{name}"));
        Assert.Equal(("meta-llama/Llama-3.1-8B", "lab-meta-llama"), (child.OriginId, child.OriginLabId));
    }

    [Fact]
    public async Task ANextRunKeepsTheNewNameWithoutLookingTheOldOneUpAgain()
    {
        var outcome = await _app.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);

        await using var db = await DbAsync();
        var child = await db.Models.SingleAsync(m => m.HubId == "fan/llama-tune", TestContext.Current.CancellationToken);
        Assert.Equal((NewName, "finetune:" + NewName, "lab-meta-llama"), (child.BaseModel, child.Parents, child.OriginLabId));
        Assert.Equal(3, _hub.Counters.RequestsTo("/api/models/{namespace}/{name}"));
    }

    private async Task<OpenModelWatchDb> DbAsync() =>
        await _app.Services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>().CreateDbContextAsync(TestContext.Current.CancellationToken);

    private static string File(string name) => Repo.Path("tests", "OpenModelWatch.Tests", "Ingestion", "hub-recorded", name);
}
