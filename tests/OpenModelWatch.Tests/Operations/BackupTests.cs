using Microsoft.Data.Sqlite;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Operations;

/// <summary>The <c>backup</c> command: a consistent copy (<c>VACUUM INTO</c>) even while a run writes, that restores.</summary>
public sealed class BackupTests : FakeHubFixture
{
    private static readonly TimeSpan _processLimit = TimeSpan.FromMinutes(2);
    private Dictionary<string, string> _settings = null!;

    protected override FakeHubOptions HubOptions => new() { Catalog = new GeneratedCatalog(3000, ["alpha", "beta"]), MaxPageSize = 100 };

    protected override ValueTask StartedAsync()
    {
        _settings = TestSettings.For(Folder, Hub.BaseAddress, Folder.WriteRegistry(("alpha", "US"), ("beta", "CN")));
        _settings["Hub:PageSize"] = "100";
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task ABackupTakenWhileARunWritesIsConsistentAndRestoresToAStoreThatRunsOn()
    {
        await RunAsync(_settings, "ingest");
        Hub.Faults.Slow(TimeSpan.FromMilliseconds(150), times: FakeHubFaults.Always);
        Hub.Counters.Reset();
        var copy = Folder.File("backups/omw-copy.db");
        using var writing = AppProcess.Start(_settings, "ingest");
        await Admin.EventuallyAsync(() => Task.FromResult(Hub.Counters.Requests >= 8), _processLimit, "the second run to be writing");

        var (_, output, _) = await RunAsync(_settings, "backup", copy);

        Assert.Matches($"^backup: {System.Text.RegularExpressions.Regex.Escape(copy)}: [0-9.]+ MiB, 2 runs, [0-9]+ count ranges, integrity ok, in [0-9.]+ s$", output.Trim());
        Assert.Equal("ok", Scalar(copy, "PRAGMA integrity_check"));
        Assert.Equal("Succeeded|Running", string.Join('|', Rows(copy, "SELECT Status FROM Runs ORDER BY Id")));
        // The first run, row for row; of the run in progress, nothing but its Running row: its listings are staged in the
        // writer's own temporary table until the run publishes, and the models it relists did not change.
        Assert.Equal(Rows(Folder.DatabasePath, Run1), Rows(copy, Run1));
        Assert.Equal("0|0", $"{Scalar(copy, "SELECT COUNT(*) FROM Listings WHERE RunId = 2")}|{Scalar(copy, "SELECT COUNT(*) FROM Snapshots WHERE RunId = 2")}");

        Assert.Equal(0, (await writing.WaitAsync(_processLimit)).ExitCode);
        Assert.Equal("3000", Scalar(Folder.DatabasePath, "SELECT COUNT(*) FROM Snapshots WHERE RunId = 2"));

        // Restore: the copy is a store the app starts on; the run it caught halfway is marked interrupted, then a run succeeds.
        Hub.Faults.Clear();
        var restored = new Dictionary<string, string>(_settings) { ["ConnectionStrings:OpenModelWatch"] = $"Data Source={copy}" };
        var (_, restoredOutput, _) = await RunAsync(restored, "ingest");
        Assert.Contains("ingest: run 3 succeeded", restoredOutput);
        Assert.StartsWith("Interrupted: ", Scalar(copy, "SELECT Error FROM Runs WHERE Id = 2"));
        Assert.Equal("0|0|3000|3000", $"{Scalar(copy, "SELECT COUNT(*) FROM Listings")}|{Scalar(copy, "SELECT COUNT(*) FROM Snapshots WHERE RunId = 2")}|{Scalar(copy, "SELECT COUNT(*) FROM Snapshots WHERE RunId = 1")}|{Scalar(copy, "SELECT COUNT(*) FROM Snapshots WHERE RunId = 3")}");
        Assert.Equal("ok", Scalar(copy, "PRAGMA integrity_check"));
    }

    [Fact]
    public async Task ABackupRefusesToOverwriteAFileOrToInventAStore()
    {
        var existing = Folder.File("exists.db");
        File.WriteAllText(existing, "keep me");
        using (var overwrite = AppProcess.Start(_settings, "backup", existing))
        {
            var (code, _, error) = await overwrite.WaitAsync(_processLimit);
            Assert.Equal(2, code);
            Assert.Equal($"backup: {existing} already exists; name a new file.", error.Trim());
            Assert.Equal("keep me", File.ReadAllText(existing));
        }

        var missing = new Dictionary<string, string>(_settings) { ["ConnectionStrings:OpenModelWatch"] = $"Data Source={Folder.File("none.db")}" };
        using var nothing = AppProcess.Start(missing, "backup", Folder.File("copy.db"));
        var (missingCode, _, missingError) = await nothing.WaitAsync(_processLimit);
        Assert.Equal(1, missingCode);
        Assert.Equal($"backup: there is no database at {Folder.File("none.db")} (ConnectionStrings:OpenModelWatch).", missingError.Trim());
        Assert.False(File.Exists(Folder.File("none.db")));
        Assert.False(File.Exists(Folder.File("copy.db")));
    }

    private const string Run1 = "SELECT RunId, ModelId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus FROM Snapshots WHERE RunId = 1 ORDER BY ModelId";

    private static async Task<(int ExitCode, string Out, string Error)> RunAsync(Dictionary<string, string> settings, params string[] args)
    {
        using var process = AppProcess.Start(settings, args);
        var result = await process.WaitAsync(_processLimit);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: exit {result.ExitCode}: {result.Error}");
        return result;
    }

    private static string? Scalar(string database, string sql) => Rows(database, sql).SingleOrDefault();

    private static List<string> Rows(string database, string sql) =>
        Sql.Rows(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString(), sql);
}
