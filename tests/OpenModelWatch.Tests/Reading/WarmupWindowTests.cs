using Microsoft.EntityFrameworkCore;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Overview;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Reading;

/// <summary>
/// The warm-up of a process that starts on a store with more runs than the overview shows (its last
/// <see cref="OverviewQuery.HistoryRuns"/>): it reads the totals of every run the over-time charts show by default, so
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
        var runner = _app.Services.GetRequiredService<IngestionRunner>();
        for (var day = 0; day < Runs; day++)
        {
            catalog.Current = Day(day);
            var outcome = await runner.RunAsync(RunTrigger.Manual, CancellationToken.None);
            Assert.True(outcome.Succeeded, outcome.Error);
            _runs.Add(outcome.RunId!.Value);
        }
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

        // A process that has just started: nothing read yet.
        var history = new RunHistory(factory);
        var overview = new OverviewQuery(factory, new CountryHistory(history, new LabHistory(history)), new LabHistory(history));
        Assert.DoesNotContain(_runs, run => history.HasTotals(run, CountingView.Default));

        await overview.WarmAsync(asOf, TestContext.Current.CancellationToken);

        Assert.Equal(_runs, _runs.Where(run => history.HasTotals(run, CountingView.Default)));
        // And the series over every run is what the runs recorded: China's downloads day by day.
        var series = await new CountryHistory(history, new LabHistory(history))
            .ItemsAsync(asOf, new ListParameters(), Metrics.Downloads30d, byRegion: true, null, null, TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(0, Runs).Select(day => 100_000L + 1_000 * day),
            series.Where(item => item.Region == OpenModelWatch.Web.Registry.Regions.China).Select(item => item.Downloads30d));
    }
}
