using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>
/// The real app on a real port (Kestrel), on a database filled by two real ingestion runs from the fake Hub: the
/// first from <see cref="FirstRun"/>, the second from <see cref="SecondRun"/> (same models, other counts), so every
/// history has two different points. Shared by the browser tests of a class, to keep the suite fast on two cores.
/// </summary>
public class DashboardApp : FakeHubFixture
{
    /// <summary>Six labs in four regions; model i belongs to namespace i % 6.</summary>
    public static readonly (string Namespace, string Country)[] Labs =
        [("Qwen", "CN"), ("meta-llama", "US"), ("mistralai", "FR"), ("deepseek-ai", "CN"), ("google", "US"), ("tiiuae", "AE")];

    public const int ModelCount = 300;

    private readonly SwitchableCatalog _catalog;
    private AppFactory? _app;
    private Dictionary<string, long>? _storeIds;

    public DashboardApp()
    {
        var namespaces = Labs.Select(lab => lab.Namespace).ToArray();
        FirstRun = new GeneratedCatalog(ModelCount, namespaces, seed: 1);
        SecondRun = new GeneratedCatalog(ModelCount, namespaces, seed: 2);
        _catalog = new SwitchableCatalog(FirstRun);
    }

    public GeneratedCatalog FirstRun { get; }

    /// <summary>The catalog of the as-of run: what the pages show now.</summary>
    public GeneratedCatalog SecondRun { get; }

    public AppFactory App => _app ?? throw new InvalidOperationException("Not started.");

    public IServiceProvider Services => App.Services;

    /// <summary>The app's address, e.g. <c>http://127.0.0.1:41234</c>, without a trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    public LabRegistry Registry => Services.GetRequiredService<LabRegistry>();

    /// <summary>A model's id in the store: what breaks ties in every order of the models list, in the order's direction (<c>ModelLeaderboard.Sort</c>).</summary>
    public long StoreId(string hubId) =>
        (_storeIds ??= Sql.Rows(Folder, "SELECT HubId, Id FROM Models").Select(row => row.Split('|'))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)))[hubId];

    /// <summary>The region of a model of the catalogs by uploader, as the registry places its namespace (Community when it is not there).</summary>
    public string RegionOf(FakeModel model) => Attribution.Uploader.RegionOf(Registry.ForNamespace(model.Author)?.Country);

    /// <summary>Every model of the as-of run, as the fake Hub served it.</summary>
    public IReadOnlyList<FakeModel> AsOfModels => Enumerable.Range(0, ModelCount).Select(SecondRun.ModelAt).ToArray();

    public async Task<RunOutcome> IngestAsync(IFakeCatalog catalog, bool mustSucceed = true)
    {
        _catalog.Current = catalog;
        var outcome = await Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        if (mustSucceed)
        {
            Assert.True(outcome.Succeeded, outcome.Error);
        }

        return outcome;
    }

    protected override FakeHubOptions HubOptions => new() { Catalog = _catalog };

    protected override async ValueTask StartedAsync()
    {
        var registry = Folder.WriteRegistry(Labs);
        _app = Track(new AppFactory(Folder, Hub.BaseAddress, registry));
        BaseUrl = _app.StartOnKestrel();

        await IngestAsync(FirstRun);
        await IngestAsync(SecondRun);
    }
}

/// <summary>One <see cref="DashboardApp"/> for the browser and page tests: they run one after another, on one app.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardApp>
{
    public const string Name = "Dashboard";
}

/// <summary>The same app, whose last run failed: the Hub answered 500 to everything after a first good run.</summary>
public sealed class FailedRunApp : DashboardApp
{
    public string? Failure { get; private set; }

    protected override async ValueTask StartedAsync()
    {
        await base.StartedAsync();
        Hub.Faults.Status(500, FakeHubFaults.Always);
        var outcome = await IngestAsync(SecondRun, mustSucceed: false);
        Assert.False(outcome.Succeeded);
        Failure = outcome.Error;
        Hub.Faults.Clear();
    }
}
