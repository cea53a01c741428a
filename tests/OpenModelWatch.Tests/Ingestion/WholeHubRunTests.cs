using Microsoft.EntityFrameworkCore;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Ingestion;

/// <summary>The default census (<c>Census:TopN</c> = <c>all</c>): every public model of the Hub, each once, every run.</summary>
public sealed class WholeHubRunTests
{
    // The test settings turn the census off; a null value takes the setting out again, leaving the app's default.
    private static readonly Dictionary<string, string?> _defaultCensus = new() { ["Census:TopN"] = null };

    [Fact]
    public void TheDefaultCensusIsTheWholeHubAndTopNTakesAllANumberOrZero()
    {
        Assert.Equal(("all", true, (int?)null), (new CensusOptions().TopN, new CensusOptions().WholeHub(), new CensusOptions().Limit()));
        Assert.Equal([null, null, 0, 20_000, 10_000_000], new[] { "ALL", " all ", "0", "20000", "10000000" }.Select(topN => new CensusOptions { TopN = topN }.Limit()));
        Assert.All(new[] { "lots", "-1", "10000001", "", "1e6", "20,000" }, topN =>
        {
            var failure = Assert.Single(new CensusOptions { TopN = topN }.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new object())));
            Assert.Equal(["TopN"], failure.MemberNames);
        });
        Assert.Equal(TimeSpan.FromDays(1), new IngestionOptions().Interval);
    }

    [Fact]
    public async Task ADefaultRunListsEveryModelOfTheHubOnceThenTheRegisteredNamespaces()
    {
        // 5,500 models over four namespaces, two of them unregistered: 1,375 each.
        var catalog = new GeneratedCatalog(5_500, ["alpha", "beta", "comm1", "comm2"]);
        await using var fixture = await FakeHubFixture.StartAsync(new FakeHubOptions { Catalog = catalog });
        var host = await fixture.StartIngestionHostAsync([("alpha", "US"), ("beta", "CN")], _defaultCensus);

        var outcome = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(outcome.Succeeded, outcome.Error);
        await using var db = await host.DbAsync();
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == outcome.RunId, TestContext.Current.CancellationToken);
        Assert.Equal((5_500, 5_500, 0, 0, 2), (run.Models, run.CensusModels, run.Duplicates, run.Rejected, run.Namespaces));

        // The census: 6 pages, the last one of 500 and without a next link, where it stops. Then alpha and beta, 2 pages
        // each, whose models are all in the census already. No parent is looked up: every parent is in the census.
        Assert.Equal(0, run.ParentLookups);
        Assert.Equal(6 + 2 + 2, fixture.Hub.Counters.Requests);
        Assert.Equal(fixture.Hub.Counters.Requests, fixture.Hub.Counters.RequestsTo("/api/models"));
        Assert.Equal(run.Requests, fixture.Hub.Counters.Requests);
        Assert.Equal(catalog.Sum().Valid.Downloads, await db.Snapshots.Where(s => s.RunId == outcome.RunId && s.InCensus).SumAsync(s => s.Downloads30d, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DayAfterDayEachRunStoresExactlyWhatTheHubServesThatDay()
    {
        // 4,000 models on day 0; each day 8 new, 2 removed, 2 renamed (a higher rename rate than the default's 0.01%), a third changed.
        var catalog = new DailyCatalog(4_000, ["alpha", "beta", "comm1"], seed: 11, rates: new DailyRates(Renamed: 0.0005));
        await using var fixture = await FakeHubFixture.StartAsync(new FakeHubOptions { Catalog = catalog });
        var host = await fixture.StartIngestionHostAsync([("alpha", "US"), ("beta", "CN")], _defaultCensus);

        foreach (var day in new[] { 0, 1, 2, 9 })
        {
            var served = catalog.MoveTo(day);
            var outcome = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

            Assert.True(outcome.Succeeded, outcome.Error);
            await using var db = await host.DbAsync();
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == outcome.RunId, TestContext.Current.CancellationToken);
            Assert.Equal((served.ModelCount, served.ModelCount, 0), (run.Models, run.CensusModels, run.Duplicates));
            // Gone from the listing: the day's removed and renamed models; the renamed ones found under their new id.
            if (day is 1 or 2)
            {
                var changes = catalog.ChangesOn(day);
                Assert.Equal((2, 2), (changes.Removed, changes.Renamed));
                Assert.Equal((4, 2), (run.Removed, run.Renamed));
            }

            var stored = await db.Snapshots.AsNoTracking().Where(s => s.RunId == outcome.RunId)
                .Select(s => new { s.Model!.HubId, s.Downloads30d, s.DownloadsAllTime, s.Likes })
                .ToDictionaryAsync(s => s.HubId, TestContext.Current.CancellationToken);
            Assert.All(served.Counts, model =>
            {
                var row = stored[model.Id];
                Assert.Equal((model.Counts.Downloads, (long?)model.Counts.DownloadsAllTime, (long?)model.Counts.Likes), (row.Downloads30d, row.DownloadsAllTime, row.Likes));
            });
        }
    }

    [Fact]
    public async Task TheDailyScheduleCountsFromTheStartOfTheLastSuccessSoItDoesNotDrift()
    {
        await using var fixture = await FakeHubFixture.StartAsync(new FakeHubOptions { Catalog = new GeneratedCatalog(50, ["alpha"]) });
        var start = new DateTimeOffset(2026, 11, 24, 3, 17, 0, TimeSpan.Zero);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(start);
        var host = await fixture.StartIngestionHostAsync([("alpha", "US")], new Dictionary<string, string?> { ["Hub:MaxAttempts"] = "1" }, time);
        var worker = host.Services.GetServices<IHostedService>().OfType<IngestionWorker>().Single();

        // The run takes 40 minutes (of the fake clock) from the moment it is recorded.
        var outcome = await host.Runner.RunAsync(RunTrigger.Schedule, CancellationToken.None, started: _ => time.Advance(TimeSpan.FromMinutes(40)));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(start.UtcDateTime.AddDays(1), await worker.NextDueAsync(CancellationToken.None));
    }
}
