using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Ingestion;

/// <summary>
/// The <c>ingest</c> command as a real process: exit codes, a real SIGKILL mid-run, two processes at once. On both
/// stores: on PostgreSQL the run lock is the database's advisory lock, which the server drops with a killed holder's session.
/// </summary>
public abstract class IngestProcessTests(StoreProvider provider) : FakeHubFixture(provider)
{
    public sealed class OnSqlite() : IngestProcessTests(StoreProvider.Sqlite);

    public sealed class OnPostgres() : IngestProcessTests(StoreProvider.PostgreSQL);

    private static readonly TimeSpan _processLimit = TimeSpan.FromMinutes(2);
    private readonly GeneratedCatalog _catalog = new(3000, ["alpha", "beta"]);
    private Dictionary<string, string> _settings = null!;

    protected override FakeHubOptions HubOptions => new() { Catalog = _catalog, MaxPageSize = 100 };

    protected override ValueTask StartedAsync()
    {
        _settings = TestSettings.For(Folder, Hub.BaseAddress, Folder.WriteRegistry(("alpha", "US"), ("beta", "CN")));
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task IngestExitsZeroOnSuccessAndOneWithTheReasonOnFailure()
    {
        using (var ok = AppProcess.Start(_settings, "ingest"))
        {
            var (code, output, _) = await ok.WaitAsync(_processLimit);
            Assert.Equal(0, code);
            Assert.Contains("ingest: run 1 succeeded", output);
        }

        Hub.Faults.Status(500, times: FakeHubFaults.Always);
        using var failing = AppProcess.Start(_settings, "ingest");
        var (failCode, _, error) = await failing.WaitAsync(_processLimit);
        Assert.Equal(1, failCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("ingest: run 2 failed: GET " + Hub.BaseAddress.AbsoluteUri + "api/models?author=alpha", line);
        Assert.EndsWith("failed after 6 attempts; last status 500 Internal Server Error", line);
    }

    [Fact]
    public async Task AnIngestKilledMidRunLeavesEarlierRunsExactAndTheNextRunSucceeds()
    {
        using (var first = AppProcess.Start(_settings, "ingest"))
        {
            Assert.Equal(0, (await first.WaitAsync(_processLimit)).ExitCode);
        }

        const string firstRun = "SELECT RunId, ModelId, Downloads30d, DownloadsAllTime, Likes, TrendingScore FROM Snapshots WHERE RunId = 1 ORDER BY ModelId";
        var before = Dump(firstRun);
        Hub.Faults.Slow(TimeSpan.FromMilliseconds(100), times: FakeHubFaults.Always);
        Hub.Counters.Reset();
        using (var doomed = AppProcess.Start(_settings, "ingest"))
        {
            // 30 pages in all: kill it a third of the way in, with pages written into its open transaction.
            await WaitUntilAsync(() => Hub.Counters.Requests >= 10);
            doomed.Kill();
            await doomed.WaitAsync(_processLimit);
        }

        if (Folder.Provider == StoreProvider.Sqlite)
        {
            Assert.Equal("ok", Scalar("PRAGMA integrity_check"));
        }

        Assert.Equal(3000, before.Count);
        Assert.Equal(before, Dump(firstRun));
        Assert.Equal("Running", Scalar("SELECT Status FROM Runs WHERE Id = 2"));
        Assert.Equal("1", Scalar("SELECT MAX(Id) FROM Runs WHERE Status = 'Succeeded'"));

        Hub.Faults.Clear();
        using var next = AppProcess.Start(_settings, "ingest");
        var (code, output, _) = await next.WaitAsync(_processLimit);
        Assert.Equal(0, code);
        Assert.Contains("ingest: run 3 succeeded", output);
        Assert.Equal("Failed", Scalar("SELECT Status FROM Runs WHERE Id = 2"));
        Assert.StartsWith("Interrupted: the process running it (", Scalar("SELECT Error FROM Runs WHERE Id = 2"));
        Assert.Equal("0", Scalar("SELECT COUNT(*) FROM Snapshots WHERE RunId = 2"));
        Assert.Equal("3000", Scalar("SELECT COUNT(*) FROM Snapshots WHERE RunId = 3"));
        Assert.Equal(_catalog.Sum(_catalog.Authors).Valid.Downloads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Scalar("SELECT SUM(Downloads30d) FROM Snapshots WHERE RunId = 3"));
    }

    [Fact]
    public async Task TwoIngestProcessesAtOnceRunExactlyOneAndTheOtherSaysWhy()
    {
        // 30 pages at 3 s: the first run would last 90 s, held open until the second process has tried and exited
        // (its start-up took more than 18 s once, on a machine loaded by other work), then let finish at full speed.
        Hub.Faults.Slow(TimeSpan.FromSeconds(3), times: FakeHubFaults.Always);
        using var first = AppProcess.Start(_settings, "ingest");
        await WaitUntilAsync(() => Hub.Counters.Requests >= 2);
        using var second = AppProcess.Start(_settings, "ingest");

        var (secondCode, _, secondError) = await second.WaitAsync(_processLimit);
        Hub.Faults.Clear();
        var (firstCode, firstOutput, _) = await first.WaitAsync(_processLimit);

        Assert.Equal(0, firstCode);
        Assert.Contains("ingest: run 1 succeeded", firstOutput);
        Assert.Equal(3, secondCode);
        Assert.StartsWith("ingest: not started: Another run is in progress on this database: run 1, started ", secondError.Trim());
        if (Folder.Provider == StoreProvider.PostgreSQL)
        {
            // The advisory lock names the process holding it, whatever host it runs on.
            Assert.Contains($"(lock held by OpenModelWatch run lock, {Environment.MachineName} pid {first.Id}).", secondError);
        }

        Assert.Equal("1", Scalar("SELECT COUNT(*) FROM Runs"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + _processLimit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the ingest process to make progress.");
            await Task.Delay(20);
        }
    }

    private string? Scalar(string sql) => Sql.Scalar(Folder, sql);

    private List<string> Dump(string sql) => Sql.Rows(Folder, sql);
}
