using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Ingestion;

/// <summary>
/// Faults of the fault suite not already pinned by <c>IngestionRunTests</c> (a 5xx storm, a truncated body retried, a
/// Link loop, malformed and duplicated records, one 429): each run completes or fails cleanly with its reason, in
/// bounded time, and a failing run is never partly visible.
/// Run on both stores (SQLite, PostgreSQL).
/// </summary>
public abstract class FaultSuiteTests(StoreProvider provider) : FakeHubFixture(provider)
{
    public sealed class OnSqlite() : FaultSuiteTests(StoreProvider.Sqlite);

    public sealed class OnPostgres() : FaultSuiteTests(StoreProvider.PostgreSQL);

    private const int Pages = 9; // 2,500 models over three namespaces, 300 a page
    private readonly GeneratedCatalog _catalog = new(2500, ["alpha", "beta", "gamma"]);
    private IngestionHost _host = null!;

    protected override FakeHubOptions HubOptions => new() { Catalog = _catalog, MaxPageSize = 300 };

    protected override async ValueTask StartedAsync() =>
        _host = await StartIngestionHostAsync([("alpha", "US"), ("beta", "CN"), ("gamma", "FR")],
            new Dictionary<string, string?> { ["Hub:AttemptTimeout"] = "00:00:01", ["Hub:MaxAttempts"] = "4" });

    [Fact]
    public async Task ABurstOf5xxIsRetriedWithBackoffAndTheRunCompletesExactly()
    {
        // Three in a row, one short of Hub:MaxAttempts (4 here).
        Hub.Faults.Status(502, times: 1);
        Hub.Faults.Status(503, times: 1);
        Hub.Faults.Status(504, times: 1);

        var outcome = await _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(outcome.Succeeded, outcome.Error);
        var run = await RunAsync(outcome.RunId!.Value);
        Assert.Equal((Pages + 3L, 3L, 2500), (run.Requests, run.Retries, run.Models));
        Assert.Equal(_catalog.Sum(_catalog.Authors).Valid.Downloads, await DownloadsAsync(run.Id));
    }

    [Fact]
    public async Task ATimeoutIsRetriedAndTimeoutsEveryTimeFailTheRunCleanlyInBoundedTime()
    {
        Hub.Faults.Slow(TimeSpan.FromSeconds(3), times: 1);
        var recovered = await _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);
        Assert.True(recovered.Succeeded, recovered.Error);
        Assert.Equal((Pages + 1L, 1L), ((await RunAsync(recovered.RunId!.Value)).Requests, (await RunAsync(recovered.RunId!.Value)).Retries));

        Hub.Faults.Slow(TimeSpan.FromSeconds(3), times: FakeHubFaults.Always);
        Hub.Counters.Reset();
        var clock = Stopwatch.StartNew();
        var failed = await _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("failed after 4 attempts", failed.Error);
        Assert.Equal(4, Hub.Counters.Requests);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(20));
        await AssertOnlyVisibleRunIsAsync(recovered.RunId!.Value, failed.RunId!.Value);
    }

    [Fact]
    public async Task ABodyCutMidJsonEveryTimeFailsTheRunCleanlyWithItsReason()
    {
        var first = await _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);
        Hub.Faults.TruncateCleanly(times: FakeHubFaults.Always);
        Hub.Counters.Reset();

        var failed = await _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.False(string.IsNullOrWhiteSpace(failed.Error));
        Assert.Contains("failed after 4 attempts", failed.Error);
        Assert.Equal(4, Hub.Counters.Requests);
        await AssertOnlyVisibleRunIsAsync(first.RunId!.Value, failed.RunId!.Value);
    }

    [Fact]
    public async Task ARunThatFailsLateIsNeverVisibleWhileItRunsNorAfter()
    {
        var first = await _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);
        var firstTotal = await VisibleDownloadsAsync();
        // Every page but the last comes, slowly; the last never does.
        Hub.Faults.Slow(TimeSpan.FromMilliseconds(150), times: Pages - 1);
        Hub.Faults.Status(500, times: FakeHubFaults.Always);
        Hub.Counters.Reset();

        var second = _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);
        var looks = 0;
        while (!second.IsCompleted)
        {
            // Pages of the second run are being committed: the views must not move.
            Assert.Equal((first.RunId, firstTotal), (await AsOfIdAsync(), await VisibleDownloadsAsync()));
            looks++;
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var failed = await second;

        Assert.True(looks > 5, $"{looks} looks");
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("last status 500", failed.Error);
        await AssertOnlyVisibleRunIsAsync(first.RunId!.Value, failed.RunId!.Value);
        Assert.Equal(firstTotal, await VisibleDownloadsAsync());
    }

    private async Task AssertOnlyVisibleRunIsAsync(int visible, int failed)
    {
        Assert.Equal(visible, await AsOfIdAsync());
        await using var db = await _host.DbAsync();
        Assert.Equal(0, await db.Snapshots.CountAsync(s => s.RunId == failed, TestContext.Current.CancellationToken));
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == failed, TestContext.Current.CancellationToken);
        Assert.Equal((RunStatus.Failed, 0), (run.Status, run.Models));
        Assert.NotNull(run.FinishedAt);
    }

    private async Task<int?> AsOfIdAsync()
    {
        await using var db = await _host.DbAsync();
        return (await AsOf.LatestAsync(db, TestContext.Current.CancellationToken))?.Id;
    }

    /// <summary>What the views show: the as-of run's total, through the same query as the API and the pages.</summary>
    private async Task<long> VisibleDownloadsAsync()
    {
        await using var db = await _host.DbAsync();
        var asOf = await AsOf.LatestAsync(db, TestContext.Current.CancellationToken);
        var countries = await Web.Countries.CountryLeaderboard.CountriesAsync(db, asOf!.Id, new ListParameters(), TestContext.Current.CancellationToken);
        return countries.Sum(c => c.Downloads30d);
    }

    private async Task<long> DownloadsAsync(int runId)
    {
        await using var db = await _host.DbAsync();
        return await db.Snapshots.Where(s => s.RunId == runId).SumAsync(s => s.Downloads30d, TestContext.Current.CancellationToken);
    }

    private async Task<IngestionRun> RunAsync(int id)
    {
        await using var db = await _host.DbAsync();
        return await db.Runs.AsNoTracking().SingleAsync(run => run.Id == id, TestContext.Current.CancellationToken);
    }
}
