using System.Globalization;
using Microsoft.Data.Sqlite;
using OpenModelWatch.Tests.TestSupport;
using SQLitePCL;

namespace OpenModelWatch.Tests.Snapshot;

/// <summary>
/// The bundled snapshot imported by the real app at its first start, checked against the gz files read independently
/// (<see cref="SnapshotFile"/>); the database is read with plain SQL, not the app's queries.
/// </summary>
public sealed class SnapshotImportTests : IDisposable
{
    private static readonly TimeSpan _limit = TimeSpan.FromMinutes(2);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task AFreshDatabaseGetsExactlyTheFilesModelsAndHistoryRows()
    {
        await using (var app = ImportingApp(_folder))
        {
            _ = app.Services;
        }

        var times = SnapshotFile.Times;
        Assert.Equal(13, times.Count);
        var runs = Rows("SELECT Id, StartedAt, FinishedAt, Status, \"Trigger\", Models FROM Runs ORDER BY Id", r =>
            (Id: r.GetInt32(0), Started: Time(r.GetString(1)), Finished: Time(r.GetString(2)), Status: r.GetString(3), Trigger: r.GetString(4), Models: r.GetInt32(5)));
        Assert.Equal(times, runs.Select(run => run.Finished));
        Assert.All(runs, run => Assert.Equal(("Succeeded", "Snapshot", run.Finished), (run.Status, run.Trigger, run.Started)));

        // Per run: as many snapshots as the file has rows at that time, the run's Models saying the same.
        var expectedPerRun = SnapshotFile.History.GroupBy(h => h.At).ToDictionary(g => g.Key, g => g.Count());
        var storedPerRun = Rows("SELECT r.FinishedAt, COUNT(*) FROM Snapshots s JOIN Runs r ON r.Id = s.RunId GROUP BY r.Id", r => (Time(r.GetString(0)), r.GetInt32(1)))
            .ToDictionary(p => p.Item1, p => p.Item2);
        Assert.Equal(expectedPerRun.OrderBy(p => p.Key), storedPerRun.OrderBy(p => p.Key));
        Assert.Equal(times.Select(t => expectedPerRun[t]), runs.Select(run => run.Models));

        // Every row: the same model, time, 30-day downloads and likes as the file; no all-time count anywhere.
        var expectedRows = SnapshotFile.History.Select(h => (h.At, h.Id, h.Downloads30d, h.Likes)).Order().ToList();
        var storedRows = Rows("SELECT r.FinishedAt, m.HubId, s.Downloads30d, s.Likes FROM Snapshots s JOIN Runs r ON r.Id = s.RunId JOIN Models m ON m.Id = s.ModelId",
            r => (Time(r.GetString(0)), r.GetString(1), r.GetInt64(2), r.GetInt64(3))).Order().ToList();
        Assert.Equal(163_234, expectedRows.Count);
        Assert.Equal(expectedRows, storedRows);
        Assert.Equal("0", Scalar("SELECT COUNT(*) FROM Snapshots WHERE DownloadsAllTime IS NOT NULL"));

        // Models: every model the history holds, each once. The file's other models are removed ones that no snapshot
        // time held, so they have no numbers to show.
        var historyIds = SnapshotFile.History.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        var storedIds = Rows("SELECT HubId FROM Models", r => r.GetString(0));
        Assert.Equal(15_632, storedIds.Count);
        Assert.Equal(historyIds.Order(StringComparer.Ordinal), storedIds.Order(StringComparer.Ordinal));
        var neverInHistory = SnapshotFile.Models.Where(m => !historyIds.Contains(m.Id)).ToList();
        Assert.Equal(272, neverInHistory.Count);
        Assert.All(neverInHistory, m => Assert.True(m.Removed, m.Id));

        // Trending scores exist for the last time only, as the file's latest state has them.
        var trending = Rows("SELECT m.HubId, s.TrendingScore FROM Snapshots s JOIN Models m ON m.Id = s.ModelId WHERE s.TrendingScore IS NOT NULL AND s.RunId = $run",
            r => (r.GetString(0), r.GetInt64(1)), ("$run", runs[^1].Id));
        var expectedTrending = SnapshotFile.History.Where(h => h.At == times[^1])
            .Join(SnapshotFile.Models, h => h.Id, m => m.Id, (h, m) => (m.Id, (long)m.TrendingScore)).Order().ToList();
        Assert.Equal(expectedTrending, trending.Order().ToList());
        Assert.Equal(expectedTrending.Count.ToString(CultureInfo.InvariantCulture), Scalar("SELECT COUNT(*) FROM Snapshots WHERE TrendingScore IS NOT NULL"));
    }

    [Fact]
    public async Task ASecondStartImportsNothing()
    {
        await using (var first = ImportingApp(_folder))
        {
            _ = first.Services;
        }

        var afterFirst = Counts();
        await using (var second = ImportingApp(_folder))
        {
            _ = second.Services;
        }

        Assert.Equal((13, 163_234, 15_632, 13), afterFirst);
        Assert.Equal(afterFirst, Counts());
    }

    [Fact]
    public async Task AKillDuringImportLeavesNoPartialSnapshotAndTheNextStartImportsEverything()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:OpenModelWatch"] = _folder.ConnectionString,
            ["Hub:BaseUrl"] = "http://127.0.0.1:9/",
            ["Labs:RegistryPath"] = Repo.Path("seeds", "labs.json"),
            ["Ingestion:Enabled"] = "false",
            ["Snapshot:ImportWhenEmpty"] = "true",
            ["Logs:Path"] = "",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        };

        using (var app = AppProcess.Start(settings))
        {
            // The registry is synced (committed) before the import begins; from then on the only writer is the import,
            // which holds the write lock from its first row to its commit. Kill it well inside that window.
            await WaitUntilAsync(() => LabsSynced() && WriteLockHeld(), "the import to start writing");
            await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
            Assert.True(WriteLockHeld(), "The import committed before it could be killed.");
            app.Kill();
            var (_, output, _) = await app.WaitAsync(_limit);
            Assert.DoesNotContain("Imported the bundled Hub snapshot", output);
        }

        Assert.Equal("ok", Scalar("PRAGMA integrity_check"));
        Assert.Equal((0, 0, 0, 0), Counts());
        Assert.NotEqual("0", Scalar("SELECT COUNT(*) FROM Labs"));

        await using (var next = ImportingApp(_folder))
        {
            _ = next.Services;
        }

        Assert.Equal((13, 163_234, 15_632, 13), Counts());
        Assert.Equal("ok", Scalar("PRAGMA integrity_check"));
    }

    /// <summary>The real app on the folder's database with the import on; the Hub is a closed port and is never asked.</summary>
    private static AppFactory ImportingApp(TempFolder folder) =>
        new(folder, new Uri("http://127.0.0.1:9/"), Repo.Path("seeds", "labs.json"), new Dictionary<string, string?> { ["Snapshot:ImportWhenEmpty"] = "true" });

    /// <summary>(runs, snapshots, models, snapshot runs).</summary>
    private (int, int, int, int) Counts() => (
        int.Parse(Scalar("SELECT COUNT(*) FROM Runs"), CultureInfo.InvariantCulture),
        int.Parse(Scalar("SELECT COUNT(*) FROM Snapshots"), CultureInfo.InvariantCulture),
        int.Parse(Scalar("SELECT COUNT(*) FROM Models"), CultureInfo.InvariantCulture),
        int.Parse(Scalar("SELECT COUNT(*) FROM Runs WHERE \"Trigger\" = 'Snapshot'"), CultureInfo.InvariantCulture));

    private bool LabsSynced()
    {
        try
        {
            return Scalar("SELECT COUNT(*) FROM Labs") != "0";
        }
        catch (SqliteException)
        {
            return false; // not created or not migrated yet
        }
    }

    /// <summary>
    /// Whether another connection holds the database's write lock: raw SQLite, no busy timeout, so <c>BEGIN IMMEDIATE</c>
    /// answers <c>SQLITE_BUSY</c> at once; when the lock is free it is let go straight away.
    /// </summary>
    private bool WriteLockHeld()
    {
        if (!File.Exists(_folder.DatabasePath))
        {
            return false;
        }

        var opened = raw.sqlite3_open_v2(_folder.DatabasePath, out var db, raw.SQLITE_OPEN_READWRITE, null);
        using (db)
        {
            if (opened != raw.SQLITE_OK)
            {
                return false;
            }

            var begun = raw.sqlite3_exec(db, "BEGIN IMMEDIATE");
            if (begun == raw.SQLITE_OK)
            {
                raw.sqlite3_exec(db, "ROLLBACK");
                return false;
            }

            return begun == raw.SQLITE_BUSY;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + _limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static DateTime Time(string stored) =>
        DateTime.Parse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private string Scalar(string sql) => Rows(sql, r => Convert.ToString(r.GetValue(0), CultureInfo.InvariantCulture)!).Single();

    private List<T> Rows<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection(_folder.ConnectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
