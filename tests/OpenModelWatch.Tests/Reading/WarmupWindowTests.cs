using Microsoft.EntityFrameworkCore;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Overview;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Reading;

/// <summary>
/// The warm-up of a process that starts on a store with more runs than the overview shows (its last
/// <see cref="OverviewQuery.HistoryRuns"/>): the series' warm-up (<see cref="CountryHistory.WarmAsync"/>) reads the totals of every run the over-time charts show by default, so
/// that their first visitor reads none (a year at 3 million models: 113 / 154 ms median / p90 otherwise,
/// docs/performance.md). Real runs from the fake Hub into a real SQLite file.
/// </summary>
public sealed class WarmupWindowTests : IAsyncLifetime
{
    private const int Runs = OverviewQuery.HistoryRuns + 2;

    private readonly TempFolder _folder = new();
    private FakeHubServer _hub = null!;
    private AppFactory _app = null!;
    private readonly List<int> _runs = [];

    public async ValueTask InitializeAsync()
    {
        var catalog = new SwitchableCatalog(Day(0));
        _hub = await FakeHubServer.StartAsync(new FakeHubOptions { Catalog = catalog });
        _app = new AppFactory(_folder, _hub.BaseAddress, _folder.WriteRegistry(("Qwen", "CN"), ("meta-llama", "US")),
            new Dictionary<string, string?> { ["Census:TopN"] = "100" });
        _runs.AddRange(await DailyRuns.RecordAsync(_app, catalog, Runs, Day));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _hub.DisposeAsync();
        _folder.Dispose();
    }

    // Each day the Chinese model gains 1,000 downloads, so each run's totals differ.
    private static RealisticCatalog Day(int day) => new(
    [
        LineageModels.Model("Qwen/daily", 100_000 + 1_000 * day),
        LineageModels.Model("meta-llama/steady", 50_000),
    ]);

    [Fact]
    public async Task AStartingProcessReadsEveryRunsTotalsOfTheSeriesBeforeItsFirstVisitor()
    {
        var factory = _app.Services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>();
        AsOfRun asOf;
        await using (var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            asOf = (await AsOf.LatestAsync(db, TestContext.Current.CancellationToken))!;
        }

        // The app's warm-up runs the series' own (the overview's reads its last 30 runs only).
        Assert.Contains(_app.Services.GetServices<IViewWarmup>(), view => view is CountryHistory);

        // A process that has just started: nothing read yet; then its warm-up, the overview's and the series'.
        var history = new RunHistory(factory);
        var series = new CountryHistory(history, new LabHistory(history));
        Assert.DoesNotContain(_runs, run => history.HasTotals(run, CountingView.Default));

        await new OverviewQuery(factory, series, new LabHistory(history)).WarmAsync(asOf, TestContext.Current.CancellationToken);
        await series.WarmAsync(asOf, TestContext.Current.CancellationToken);

        Assert.Equal(_runs, _runs.Where(run => history.HasTotals(run, CountingView.Default)));
        // And the series over every run is what the runs recorded: China's downloads day by day.
        var items = await series.ItemsAsync(asOf, new ListParameters(), Metrics.Downloads30d, byRegion: true, null, null, TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(0, Runs).Select(day => 100_000L + 1_000 * day),
            items.Where(item => item.Region == OpenModelWatch.Web.Registry.Regions.China).Select(item => item.Downloads30d));
    }
}
