using Microsoft.EntityFrameworkCore;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Ingestion;

public sealed class CensusRunTests
{
    [Fact]
    public async Task TheCensusStoresExactlyTheHubsTopNAndCostsItsPagesPlusTheBoundedLookups()
    {
        // 6,000 models over four namespaces, two of them unregistered; the census takes the top 50.
        var catalog = new GeneratedCatalog(6000, ["alpha", "beta", "comm1", "comm2"]);
        await using var fixture = await FakeHubFixture.StartAsync(new FakeHubOptions { Catalog = catalog });
        var host = await fixture.StartIngestionHostAsync([("alpha", "US"), ("beta", "CN")],
            new Dictionary<string, string?> { ["Census:TopN"] = "50", ["Census:MaxParentLookups"] = "7" });

        var outcome = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(outcome.Succeeded, outcome.Error);
        var top = catalog.List(null, ModelSort.Downloads).Take(50).Select(r => r.Model).ToArray();
        await using var db = await host.DbAsync();
        var census = db.Snapshots.Where(s => s.RunId == outcome.RunId && s.InCensus);
        Assert.Equal(50, await census.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(top.Sum(m => m.Downloads), await census.SumAsync(s => s.Downloads30d, TestContext.Current.CancellationToken));
        Assert.Equal(top.Sum(m => m.Likes), await census.SumAsync(s => s.Likes, TestContext.Current.CancellationToken));

        // Every model of alpha and beta (1,500 each) plus the census models of comm1 and comm2, each once.
        var expectedModels = 3000 + top.Count(m => m.Author is "comm1" or "comm2");
        var run = await db.Runs.SingleAsync(r => r.Id == outcome.RunId, TestContext.Current.CancellationToken);
        Assert.Equal((expectedModels, 50, 0), (run.Models, run.CensusModels, run.Duplicates));

        // Census: 1 page (50 kept of 1,000); alpha and beta: 2 pages each. Generated parents sit at index i/8, so many
        // parents in comm1 and comm2 are outside the store: the look-ups stop at the bound of 7.
        Assert.Equal(7, run.ParentLookups);
        Assert.Equal(7, fixture.Hub.Counters.RequestsTo("/api/models/{namespace}/{name}"));
        Assert.Equal(1 + 4 + 7, fixture.Hub.Counters.Requests);
        Assert.Equal(run.Requests, fixture.Hub.Counters.Requests);
    }
}
