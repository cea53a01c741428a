using System.Globalization;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Counting;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Ingestion;

/// <summary>
/// <c>ingest</c> killed with SIGKILL at ten points of a run: in the census, through the namespaces' pages, during
/// the look-ups of missing parents. Each time the file is intact, every earlier run is unchanged row for row, the
/// views still come from the last successful run, and the next run succeeds.
/// Run on both stores (SQLite, PostgreSQL).
/// </summary>
public abstract class KillTests(StoreProvider provider) : FakeHubFixture(provider)
{
    public sealed class OnSqlite() : KillTests(StoreProvider.Sqlite);

    public sealed class OnPostgres() : KillTests(StoreProvider.PostgreSQL);

    private const string LookupRoute = "/api/models/{namespace}/{name}";
    private static readonly TimeSpan _processLimit = TimeSpan.FromMinutes(2);

    // alpha and beta are registered (1,000 models each, 10 pages of 100); comm1 and comm2 are not, so parents of
    // theirs are missing from the store and each run looks up Census:MaxParentLookups of them. A run: 3 census
    // pages, 20 namespace pages, 4 look-ups.
    private readonly GeneratedCatalog _catalog = new(4000, ["alpha", "beta", "comm1", "comm2"]);
    private Dictionary<string, string> _settings = null!;

    protected override FakeHubOptions HubOptions => new() { Catalog = _catalog, MaxPageSize = 100 };

    protected override ValueTask StartedAsync()
    {
        _settings = TestSettings.For(Folder, Hub.BaseAddress, Folder.WriteRegistry(("alpha", "US"), ("beta", "CN")));
        _settings["Hub:PageSize"] = "100";
        _settings["Census:TopN"] = "300";
        _settings["Census:MaxParentLookups"] = "4";
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task AnIngestKilledAtTenPointsOfARunNeverDamagesHistoryAndTheNextRunSucceeds()
    {
        (string Where, Func<FakeHubCounters, bool> Reached)[] points =
        [
            ("during a look-up of a missing parent", hub => hub.RequestsTo(LookupRoute) >= 1),
            ("during the third look-up", hub => hub.RequestsTo(LookupRoute) >= 3),
            ("at the first census page", hub => hub.Requests >= 1),
            ("at the last census page", hub => hub.Requests >= 3),
            ("after 5 pages", hub => hub.Requests >= 5),
            ("after 8 pages", hub => hub.Requests >= 8),
            ("after 12 pages, between namespaces", hub => hub.Requests >= 13),
            ("after 16 pages", hub => hub.Requests >= 16),
            ("after 20 pages", hub => hub.Requests >= 20),
            ("at the last namespace page", hub => hub.Requests >= 23),
        ];
        var expectedModels = await IngestAsync(expectedRun: 1);
        var run = 1;

        foreach (var (where, reached) in points)
        {
            var before = History();
            var asOf = Scalar("SELECT MAX(Id) FROM Runs WHERE Status = 'Succeeded'");
            var published = Published();
            Hub.Counters.Reset();
            Hub.Faults.Slow(TimeSpan.FromMilliseconds(100), times: FakeHubFaults.Always);
            using (var doomed = AppProcess.Start(_settings, "ingest"))
            {
                await WaitUntilAsync(() => reached(Hub.Counters), doomed, where);
                doomed.Kill();
                await doomed.WaitAsync(_processLimit);
            }

            run++;
            // On a connection of its own: a pooled one keeps the search index's structure from its last read, and
            // integrity_check reads that copy (SQLite 3.53) instead of the file's.
            var integrity = Folder.Provider == StoreProvider.Sqlite
                ? string.Join("; ", Sql.Rows(Folder.ConnectionString + ";Pooling=False", "PRAGMA integrity_check"))
                : "ok";
            Assert.True("ok" == integrity, $"Killed {where}: integrity_check failed: {integrity}");
            Assert.True(before.SequenceEqual(History(except: [run])), $"Killed {where}: an earlier run changed.");
            Assert.True(published.SequenceEqual(Published()), $"Killed {where}: count ranges, totals or latest counts changed.");
            Assert.Equal("Running", Scalar($"SELECT Status FROM Runs WHERE Id = {run}"));
            Assert.Equal(asOf, Scalar("SELECT MAX(Id) FROM Runs WHERE Status = 'Succeeded'"));

            Hub.Faults.Clear();
            run++;
            Assert.Equal(expectedModels, await IngestAsync(expectedRun: run));
            Assert.Equal("Failed", Scalar($"SELECT Status FROM Runs WHERE Id = {run - 1}"));
            Assert.StartsWith("Interrupted: ", Scalar($"SELECT Error FROM Runs WHERE Id = {run - 1}"));
            Assert.Equal("0", Scalar($"SELECT COUNT(*) FROM Snapshots WHERE RunId = {run - 1}"));
            Assert.Equal("0|0", Scalar($"SELECT (SELECT COUNT(*) FROM Listings) || '|' || (SELECT COUNT(*) FROM RunTotals WHERE RunId = {run - 1})"));
            Assert.True(before.SequenceEqual(History(except: [run - 1, run])), $"Killed {where}: the next run changed an earlier one.");
        }

        if (Folder.Provider == StoreProvider.Sqlite)
        {
            Assert.Equal("ok", Sql.Rows(Folder.ConnectionString + ";Pooling=False", "PRAGMA integrity_check").Single());
        }

        Assert.Equal("11", Scalar("SELECT COUNT(*) FROM Runs WHERE Status = 'Succeeded'"));
        Assert.Equal("10", Scalar("SELECT COUNT(*) FROM Runs WHERE Status = 'Failed' AND Error LIKE 'Interrupted: %'"));
    }

    /// <summary>One successful <c>ingest</c>; returns how many snapshots it stored.</summary>
    private async Task<string> IngestAsync(int expectedRun)
    {
        using var ingest = AppProcess.Start(_settings, "ingest");
        var (code, output, error) = await ingest.WaitAsync(_processLimit);
        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains($"ingest: run {expectedRun} succeeded", output);
        var models = Scalar($"SELECT COUNT(*) FROM Snapshots WHERE RunId = {expectedRun}")!;
        Assert.True(int.Parse(models, CultureInfo.InvariantCulture) > 2000, $"{models} snapshots");
        Assert.True(int.Parse(Scalar($"SELECT ParentLookups FROM Runs WHERE Id = {expectedRun}")!, CultureInfo.InvariantCulture) > 0, "The run looked nothing up: no look-up to be killed in.");
        return models;
    }

    /// <summary>Every run row and every snapshot row of the store but those of <paramref name="except"/>, as text, in a stable order.</summary>
    private List<string> History(int[]? except = null)
    {
        var skipped = string.Join(',', except ?? [0]);
        var rows = Rows($"SELECT 'run ' || Id, StartedAt, FinishedAt, Status, Trigger, Models, Requests, Retries, Error FROM Runs WHERE Id NOT IN ({skipped}) ORDER BY Id");
        rows.AddRange(Rows($"SELECT 'snapshot ' || RunId, ModelId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus FROM Snapshots WHERE RunId NOT IN ({skipped}) ORDER BY RunId, ModelId"));
        return rows;
    }

    /// <summary>What readers read besides the runs: count ranges, per-run totals, and the latest counts on the models.</summary>
    private List<string> Published()
    {
        var rows = Rows("SELECT 'range ' || ModelId, FromRunId, ToRunId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus FROM Counts ORDER BY ModelId, FromRunId");
        rows.AddRange(Rows("SELECT 'total ' || RunId, Attribution, Scope, LabId, Models, Downloads30d, DownloadsAllTime, AllTimeKnown, Likes FROM RunTotals ORDER BY RunId, Attribution, Scope, LabId"));
        rows.AddRange(Rows("SELECT 'latest ' || Id, Listed, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus, Country, OriginCountry FROM Models WHERE Listed ORDER BY Id"));
        return rows;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, AppProcess process, string where)
    {
        var deadline = DateTime.UtcNow + _processLimit;
        while (!condition())
        {
            Assert.False(process.HasExited, $"The ingest ended before it could be killed {where}.");
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting to kill the ingest {where}.");
            await Task.Delay(5);
        }
    }

    private string? Scalar(string sql) => Sql.Scalar(Folder, sql);

    private List<string> Rows(string sql) => Sql.Rows(Folder, sql);
}
