using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Ingestion;

/// <summary>
/// A whole-Hub run logs its listing's progress (every ten seconds, and once when the listing ends): records read, pages,
/// and, after a first run, the pages to expect from the last run's requests. Read back from the run's log files.
/// </summary>
public sealed class ListingProgressTests : FakeHubFixture
{
    private const int Models = 1_800;
    private const string Template = "Run {RunId} listing: {Records} records in {Pages} pages{OfExpected}, {Rate} records/s, {Left} left";

    private readonly GeneratedCatalog _catalog = new(Models, ["alpha", "beta", "comm1"], seed: 5);

    protected override FakeHubOptions HubOptions => new() { Catalog = _catalog };

    private string LogFolder => Folder.File("logs");

    [Fact]
    public async Task TheListingsLastLineCountsRecordsAndPagesAgainstTheLastRunsRequests()
    {
        var host = await StartIngestionHostAsync([("alpha", "US"), ("beta", "CN")],
            new Dictionary<string, string?> { ["Census:TopN"] = null, ["Logs:Path"] = LogFolder });
        var first = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);
        Assert.True(first.Succeeded, first.Error);
        var second = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);
        Assert.True(second.Succeeded, second.Error);

        await using var db = await host.DbAsync();
        var firstRequests = await db.Runs.Where(r => r.Id == first.RunId).Select(r => r.Requests).SingleAsync(TestContext.Current.CancellationToken);
        // Registered namespaces' models are listed again after the census: alpha's and beta's (two thirds of the Hub).
        var registered = _catalog.List(null, ModelSort.Downloads).Count(record => record.Model.Author is "alpha" or "beta");
        Assert.InRange(registered, 1_000, 1_400);
        // A page is at most 1,000 models: the census's 2 pages, then a page for each registered namespace.
        const int pages = 2 + 2;
        Assert.True(firstRequests >= pages, $"the first run made {firstRequests} requests");

        var lines = ListingLines();
        // Each run's last listing line; a listing of a few seconds logs only that one.
        var last = lines.GroupBy(line => line.RunId).ToDictionary(group => group.Key, group => group.Last());
        Assert.Equal((Models + registered, pages, ""), (last[first.RunId!.Value].Records, last[first.RunId.Value].Pages, last[first.RunId.Value].OfExpected));
        Assert.Equal((Models + registered, pages, $" of about {firstRequests} (the last run's requests)"),
            (last[second.RunId!.Value].Records, last[second.RunId.Value].Pages, last[second.RunId.Value].OfExpected));
        Assert.All(lines, line => Assert.True(line.Rate > 0, $"run {line.RunId}: rate {line.Rate}"));
    }

    private sealed record Line(int RunId, long Records, long Pages, string OfExpected, double Rate);

    private List<Line> ListingLines()
    {
        var lines = new List<Line>();
        foreach (var text in Admin.ReadLogs(LogFolder).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.TryGetProperty("@mt", out var template) && template.GetString() == Template)
            {
                lines.Add(new Line(root.GetProperty("RunId").GetInt32(), root.GetProperty("Records").GetInt64(), root.GetProperty("Pages").GetInt64(),
                    root.GetProperty("OfExpected").GetString()!, root.GetProperty("Rate").GetDouble()));
            }
        }

        return lines;
    }
}
