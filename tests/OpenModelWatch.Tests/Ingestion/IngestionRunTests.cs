using Microsoft.EntityFrameworkCore;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Ingestion;

/// <summary>Runs of the real ingestion (Hub client, resilience pipeline, store) against the fake Hub, on both stores.</summary>
public abstract class IngestionRunTests(StoreProvider provider) : FakeHubFixture(provider)
{
    public sealed class OnSqlite() : IngestionRunTests(StoreProvider.Sqlite);

    public sealed class OnPostgres() : IngestionRunTests(StoreProvider.PostgreSQL);

    // 2,500 models over three namespaces, 300 a page: 834 + 833 + 833 models, so 3 + 3 + 3 = 9 pages.
    private const int PagesForAllNamespaces = 9;
    private static readonly string[] _namespaces = ["alpha", "beta", "gamma"];
    private IngestionHost _host = null!;

    public GeneratedCatalog Catalog { get; set; } = new(2500, _namespaces);

    protected override FakeHubOptions HubOptions => new() { Catalog = Catalog, MaxPageSize = 300 };

    protected override async ValueTask StartedAsync() =>
        _host = await StartIngestionHostAsync([("alpha", "US"), ("beta", "CN"), ("gamma", "FR")]);

    [Fact]
    public async Task IngestionStoresExactlyTheServedSums()
    {
        var outcome = await _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(outcome.Succeeded, outcome.Error);
        var expected = Catalog.Sum(Catalog.Authors).Valid;
        var stored = await StoredTotalsAsync(outcome.RunId!.Value);
        Assert.Equal((expected.Models, expected.Downloads, expected.DownloadsAllTime, expected.Likes), stored);
        var run = await RunAsync(outcome.RunId!.Value);
        Assert.Equal((2500, 3, PagesForAllNamespaces, 0L, 0, 0), (run.Models, run.Namespaces, (int)run.Requests, run.Retries, run.Rejected, run.Duplicates));
        Assert.Equal(PagesForAllNamespaces, Hub.Counters.Requests);
        Assert.True(run.Bytes > 0);
    }

    [Fact]
    public async Task IngestionStoresEachLabsSumUnderItsCountry()
    {
        var outcome = await _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        await using var db = await _host.DbAsync();
        var byCountry = await Web.Countries.CountryLeaderboard.CountriesAsync(db, outcome.RunId!.Value, new ListParameters(), TestContext.Current.CancellationToken);
        Assert.Equal(Catalog.Sum(["alpha"]).Valid.Downloads, byCountry.Single(c => c.Country == "US").Downloads30d);
        Assert.Equal(Catalog.Sum(["beta"]).Valid.Downloads, byCountry.Single(c => c.Country == "CN").Downloads30d);
        Assert.Equal(Catalog.Sum(["gamma"]).Valid.Downloads, byCountry.Single(c => c.Country == "FR").Downloads30d);
        Assert.Equal(1.0, byCountry.Sum(c => c.Share), 9);
    }

    [Fact]
    public async Task A429IsWaitedOutThenTheRunSucceeds()
    {
        Hub.Faults.TooManyRequests(retryAfterSeconds: 0, withRateLimitHeader: false, times: 1);

        var outcome = await _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(outcome.Succeeded, outcome.Error);
        var run = await RunAsync(outcome.RunId!.Value);
        Assert.Equal((PagesForAllNamespaces + 1L, 1L, 1L), (run.Requests, run.Retries, run.Throttled));
        Assert.Equal(Catalog.Sum(Catalog.Authors).Valid.Downloads, (await StoredTotalsAsync(run.Id)).Downloads);
    }

    [Fact]
    public async Task A5xxStormFailsTheRunAndLeavesThePreviousRunIntact()
    {
        var first = await _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);
        var before = await SnapshotRowsAsync(first.RunId!.Value);
        Hub.Faults.Status(503, times: FakeHubFaults.Always);
        Hub.Counters.Reset();

        var second = await _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Failed, second.Status);
        Assert.Contains("failed after 6 attempts; last status 503", second.Error);
        Assert.Contains(Hub.BaseAddress.AbsoluteUri + "api/models?author=alpha", second.Error);
        Assert.Equal(6, Hub.Counters.Requests);
        var failed = await RunAsync(second.RunId!.Value);
        Assert.Equal((6L, 5L, 0), (failed.Requests, failed.Retries, failed.Models));
        Assert.Equal(before, await SnapshotRowsAsync(first.RunId!.Value));
        Assert.Empty(await SnapshotRowsAsync(second.RunId!.Value));
        await using var db = await _host.DbAsync();
        Assert.Equal(first.RunId, (await AsOf.LatestAsync(db, TestContext.Current.CancellationToken))!.Id);
    }

    [Fact]
    public async Task ATruncatedBodyIsRetriedAndNothingIsCountedTwice()
    {
        Hub.Faults.Truncate(times: 1);
        Hub.Faults.TruncateCleanly(times: 1);

        var outcome = await _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(outcome.Succeeded, outcome.Error);
        var run = await RunAsync(outcome.RunId!.Value);
        Assert.Equal((PagesForAllNamespaces + 2L, 2L, 2500), (run.Requests, run.Retries, run.Models));
        var expected = Catalog.Sum(Catalog.Authors).Valid;
        Assert.Equal((expected.Models, expected.Downloads, expected.DownloadsAllTime, expected.Likes), await StoredTotalsAsync(run.Id));
    }

    [Fact]
    public async Task ALinkThatLoopsBackFailsTheRunCleanly()
    {
        Hub.Faults.LinkLoop(times: 1);

        var outcome = await _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Contains("the Link header loops back", outcome.Error);
        Assert.Empty(await SnapshotRowsAsync(outcome.RunId!.Value));
    }

    [Fact]
    public async Task ASecondRunWhileOneIsGoingSaysWhyAndDoesNotStart()
    {
        Hub.Faults.Slow(TimeSpan.FromMilliseconds(150), times: FakeHubFaults.Always);
        var first = _host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);
        while (Hub.Counters.Requests == 0)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        var second = await _host.Runner.RunAsync(RunTrigger.Schedule, TestContext.Current.CancellationToken);

        Assert.Null(second.RunId);
        Assert.StartsWith("Another run is in progress on this database: run 1, started ", second.Error);
        Assert.True((await first).Succeeded);
        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.Runs.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MalformedRecordsAreRejectedWithTheirReasonsAndTheRestStoredExactly()
    {
        var catalog = new GeneratedCatalog(2500, _namespaces) { MalformedEvery = 97 };
        await using var fixture = await FakeHubFixture.StartAsync(new FakeHubOptions { Catalog = catalog, MaxPageSize = 300 });
        var host = await fixture.StartIngestionHostAsync([("alpha", "US"), ("beta", "CN"), ("gamma", "FR")]);

        var outcome = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(outcome.Succeeded, outcome.Error);
        var malformed = _namespaces.SelectMany(catalog.MalformedIn).ToArray();
        var reasons = new Dictionary<MalformedKind, string>
        {
            [MalformedKind.DownloadsNull] = "null downloads",
            [MalformedKind.DownloadsHuge] = "implausible downloads",
            [MalformedKind.MissingId] = "missing id",
            [MalformedKind.DownloadsString] = "non-numeric downloads",
        };
        // Negative likes do not cost the model: it is stored, its likes unknown.
        var rejectedRecords = malformed.Where(m => reasons.ContainsKey(m.Kind)).ToArray();
        var likesUnknown = malformed.Where(m => m.Kind == MalformedKind.LikesNegative).Select(m => catalog.Find(m.Id)!).ToArray();
        var expectedReasons = string.Join("; ", rejectedRecords
            .GroupBy(m => reasons[m.Kind]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}: {g.Count()}"));
        await using var db = await host.DbAsync();
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == outcome.RunId, TestContext.Current.CancellationToken);
        Assert.Equal(rejectedRecords.Length, run.Rejected);
        Assert.Equal(malformed.Count(m => m.Kind == MalformedKind.Duplicate), run.Duplicates);
        Assert.True(run.Rejected >= 4 && run.Duplicates >= 1 && likesUnknown.Length >= 1, $"{run.Rejected} rejected, {run.Duplicates} duplicates, {likesUnknown.Length} likes unknown");
        Assert.Equal(expectedReasons, run.RejectedReasons);
        Assert.Equal((likesUnknown.Length, $"negative likes: {likesUnknown.Length}"), (run.UnknownFields, run.UnknownFieldReasons));
        var valid = catalog.Sum(catalog.Authors).Valid;
        var snapshots = db.Snapshots.Where(s => s.RunId == run.Id);
        Assert.Equal(valid.Models + likesUnknown.Length, await snapshots.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(valid.Downloads + likesUnknown.Sum(m => m.Downloads), await snapshots.SumAsync(s => s.Downloads30d, TestContext.Current.CancellationToken));
        Assert.Equal(likesUnknown.Length, await snapshots.CountAsync(s => s.Likes == null, TestContext.Current.CancellationToken));
        Assert.Equal(valid.Likes, await snapshots.SumAsync(s => s.Likes, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PacingKeepsARunInsideTheQuotaWithoutA429()
    {
        // 27 pages against a quota of 10 requests per 2-second window: the client must wait out the windows itself.
        var catalog = new GeneratedCatalog(2500, _namespaces);
        await using var fixture = await FakeHubFixture.StartAsync(new FakeHubOptions
        {
            Catalog = catalog,
            MaxPageSize = 100,
            RateLimitQuota = 10,
            RateLimitWindow = TimeSpan.FromSeconds(2),
        });
        var host = await fixture.StartIngestionHostAsync([("alpha", "US"), ("beta", "CN"), ("gamma", "FR")],
            new Dictionary<string, string?> { ["Hub:PacingReserve"] = "5" });

        var outcome = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(0, fixture.Hub.Counters.TooManyRequests);
        Assert.Equal(27, fixture.Hub.Counters.Requests);
        var counts = host.HubStats.Snapshot();
        Assert.Equal((27L, 0L, 0L), (counts.Requests, counts.Throttled, counts.Retries));
        Assert.True(counts.PacingWaits >= 2, $"{counts.PacingWaits} pacing waits");
    }

    private async Task<IngestionRun> RunAsync(int id)
    {
        await using var db = await _host.DbAsync();
        return await db.Runs.AsNoTracking().SingleAsync(run => run.Id == id);
    }

    private async Task<(long Models, long Downloads, long DownloadsAllTime, long Likes)> StoredTotalsAsync(int runId)
    {
        await using var db = await _host.DbAsync();
        var snapshots = db.Snapshots.Where(s => s.RunId == runId);
        return (await snapshots.CountAsync(), await snapshots.SumAsync(s => s.Downloads30d),
            await snapshots.SumAsync(s => s.DownloadsAllTime ?? 0), await snapshots.SumAsync(s => s.Likes ?? 0));
    }

    private async Task<List<(int, long, long?, long?, long?)>> SnapshotRowsAsync(int runId)
    {
        await using var db = await _host.DbAsync();
        var rows = await db.Snapshots.Where(s => s.RunId == runId).OrderBy(s => s.ModelId)
            .Select(s => new { s.ModelId, s.Downloads30d, s.DownloadsAllTime, s.Likes, s.TrendingScore }).ToListAsync();
        return rows.Select(r => (r.ModelId, r.Downloads30d, r.DownloadsAllTime, r.Likes, r.TrendingScore)).ToList();
    }
}
