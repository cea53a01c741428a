using System.Globalization;
using System.Text.Json;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Snapshot;

/// <summary>
/// The bundled monthly history imported by the real app at start, checked against the gz file read independently
/// (<see cref="MonthlyHistoryFile"/>): the store with plain SQL, the answers through the API.
/// </summary>
public sealed class MonthlyHistoryImportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task AFreshInstallImportsTheMonthlyHistoryWithExactlyItsRowsThenTheSnapshotInTimeOrder()
    {
        await using var app = App(snapshot: true, history: true);
        using var http = app.CreateClient();

        var times = MonthlyHistoryFile.Times;
        Assert.Equal(11, times.Count);
        Assert.Equal(new DateTime(2024, 11, 14, 0, 0, 0, DateTimeKind.Utc), times[0]);
        Assert.Equal(new DateTime(2025, 9, 7, 0, 0, 0, DateTimeKind.Utc), times[^1]);
        var runs = Runs();
        Assert.Equal(11 + 13, runs.Count);

        // Ids in time order: the monthly history first, then the August 2026 snapshot.
        Assert.Equal(runs.OrderBy(run => run.Finished).Select(run => run.Id), runs.Select(run => run.Id));
        var monthly = runs.Take(11).ToArray();
        Assert.All(monthly, run => Assert.Equal(("Succeeded", "Snapshot", "OsirMonthly", run.Finished), (run.Status, run.Trigger, run.Source, run.Started)));
        Assert.Equal(times, monthly.Select(run => run.Finished));
        Assert.Equal(times.Select(t => "osir-lmts:" + t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)), monthly.Select(run => run.Key));
        Assert.All(runs.Skip(11), run => Assert.Equal("RadarSnapshot", run.Source));

        // Per month: the file's row count = the run's Models = its snapshots in the store = the API's run item.
        var perMonth = MonthlyHistoryFile.Rows.GroupBy(r => r.At).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([3613, 3846, 5444, 5578, 5671, 5868, 6542, 6687, 6876, 7196, 9058], times.Select(t => perMonth[t]));
        Assert.Equal(times.Select(t => perMonth[t]), monthly.Select(run => run.Models));
        var stored = Sql.Rows(_folder.ConnectionString, "SELECT RunId, COUNT(*) FROM Snapshots GROUP BY RunId ORDER BY RunId").Take(11).ToArray();
        Assert.Equal(monthly.Select(run => $"{run.Id}|{run.Models}"), stored);
        using (var answer = JsonDocument.Parse(await http.GetStringAsync("/api/v1/runs?order=asc&limit=11", TestContext.Current.CancellationToken)))
        {
            var items = answer.RootElement.GetProperty("items").EnumerateArray().ToArray();
            Assert.Equal(monthly.Select(run => (run.Id, run.Models, "Snapshot")), items.Select(i => (i.GetProperty("id").GetInt32(), i.GetProperty("models").GetInt32(), i.GetProperty("trigger").GetString()!)));
        }

        // Every row: the same model, time, 30-day downloads and likes as the file.
        var expectedRows = MonthlyHistoryFile.Rows.Select(r => $"{r.At:yyyy-MM-dd}|{r.Id}|{r.Downloads30d}|{r.Likes}").Order(StringComparer.Ordinal).ToList();
        var storedRows = Sql.Rows(_folder.ConnectionString, $"""
            SELECT substr(r.FinishedAt, 1, 10), m.HubId, s.Downloads30d, s.Likes FROM Snapshots s JOIN Runs r ON r.Id = s.RunId JOIN Models m ON m.Id = s.ModelId
            WHERE r.Source = 'OsirMonthly'
            """).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(66_379, expectedRows.Count);
        Assert.Equal(expectedRows, storedRows);

        // The API's countries of a monthly run add up to the file's month, to the download.
        var november = monthly[0];
        using (var answer = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/countries?run={november.Id}", TestContext.Current.CancellationToken)))
        {
            var sum = answer.RootElement.GetProperty("items").EnumerateArray().Sum(i => i.GetProperty("downloads30d").GetInt64());
            Assert.Equal(MonthlyHistoryFile.Rows.Where(r => r.At == times[0]).Sum(r => r.Downloads30d), sum);
            Assert.Equal(1.0, answer.RootElement.GetProperty("coverage").GetDouble()); // every namespace of the file is registered
        }

        // A model both datasets have keeps the snapshot's metadata (the history has none).
        Assert.Equal(["text-generation|Qwen/Qwen3-8B-Base"], Sql.Rows(_folder.ConnectionString, "SELECT Task, BaseModel FROM Models WHERE HubId = 'Qwen/Qwen3-8B'"));
    }

    [Fact]
    public async Task ASecondStartImportsNothing()
    {
        await using (var first = App(snapshot: true, history: true))
        {
            _ = first.Services;
        }

        var afterFirst = Sql.Rows(_folder.ConnectionString, "SELECT COUNT(*), (SELECT COUNT(*) FROM Snapshots), (SELECT COUNT(*) FROM Models) FROM Runs");
        await using (var second = App(snapshot: true, history: true))
        {
            _ = second.Services;
        }

        Assert.Equal(["24|229613|" + Sql.Scalar(_folder.ConnectionString, "SELECT COUNT(*) FROM Models")], afterFirst);
        Assert.Equal(afterFirst, Sql.Rows(_folder.ConnectionString, "SELECT COUNT(*), (SELECT COUNT(*) FROM Snapshots), (SELECT COUNT(*) FROM Models) FROM Runs"));
    }

    [Fact]
    public async Task AnInstallWithTheSnapshotGetsTheMonthlyHistoryAtItsNextStartWithNothingElseChanged()
    {
        await using (var before = App(snapshot: true, history: false))
        {
            _ = before.Services;
        }

        const string SnapshotRows = "SELECT s.RunId, m.HubId, s.Downloads30d, s.Likes, s.TrendingScore FROM Snapshots s JOIN Models m ON m.Id = s.ModelId WHERE s.RunId <= 13 ORDER BY 1, 2";
        const string Totals = "SELECT * FROM RunTotals WHERE RunId <= 13 ORDER BY RunId, Attribution, Scope, LabId";
        var snapshotRows = Sql.Rows(_folder.ConnectionString, SnapshotRows);
        var totals = Sql.Rows(_folder.ConnectionString, Totals);
        Assert.Equal(163_234, snapshotRows.Count);

        await using var app = App(snapshot: true, history: true);
        using var http = app.CreateClient();

        // The eleven months are recorded after the snapshot (ids 14–24) though they are earlier in time.
        var runs = Runs();
        Assert.Equal(24, runs.Count);
        Assert.All(runs.Take(13), run => Assert.Equal("RadarSnapshot", run.Source));
        Assert.Equal(MonthlyHistoryFile.Times, runs.Skip(13).Select(run => run.Finished));
        Assert.All(runs.Skip(13), run => Assert.Equal("OsirMonthly", run.Source));

        // Every month exactly as the file has it, and the snapshot's runs exactly as they were.
        var expectedRows = MonthlyHistoryFile.Rows.Select(r => $"{r.At:yyyy-MM-dd}|{r.Id}|{r.Downloads30d}|{r.Likes}").Order(StringComparer.Ordinal).ToList();
        var storedRows = Sql.Rows(_folder.ConnectionString, """
            SELECT substr(r.FinishedAt, 1, 10), m.HubId, s.Downloads30d, s.Likes FROM Snapshots s JOIN Runs r ON r.Id = s.RunId JOIN Models m ON m.Id = s.ModelId
            WHERE r.Source = 'OsirMonthly'
            """).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedRows, storedRows);
        Assert.Equal(snapshotRows, Sql.Rows(_folder.ConnectionString, SnapshotRows));
        Assert.Equal(totals, Sql.Rows(_folder.ConnectionString, Totals));

        // The as-of run is still the newest in time (the snapshot's last), and its numbers through the API are the file's.
        using (var answer = JsonDocument.Parse(await http.GetStringAsync("/api/v1/countries", TestContext.Current.CancellationToken)))
        {
            Assert.Equal(13, answer.RootElement.GetProperty("runId").GetInt32());
        }

        var lastTime = SnapshotFile.Times[^1];
        using (var answer = JsonDocument.Parse(await http.GetStringAsync("/api/v1/models?sort=downloads30d&limit=1", TestContext.Current.CancellationToken)))
        {
            var top = SnapshotFile.History.Where(h => h.At == lastTime).OrderByDescending(h => h.Downloads30d).ThenBy(h => h.Id, StringComparer.Ordinal).First();
            var item = answer.RootElement.GetProperty("items")[0];
            Assert.Equal((top.Id, top.Downloads30d), (item.GetProperty("id").GetString(), item.GetProperty("downloads30d").GetInt64()));
        }

        // A model both datasets have keeps the snapshot's metadata and lineage; a monthly run's numbers answer exactly.
        Assert.Equal(["text-generation|Qwen/Qwen3-8B-Base"], Sql.Rows(_folder.ConnectionString, "SELECT Task, BaseModel FROM Models WHERE HubId = 'Qwen/Qwen3-8B'"));
        using (var answer = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/countries?run={runs[13].Id}", TestContext.Current.CancellationToken)))
        {
            var sum = answer.RootElement.GetProperty("items").EnumerateArray().Sum(i => i.GetProperty("downloads30d").GetInt64());
            Assert.Equal(MonthlyHistoryFile.Rows.Where(r => r.At == MonthlyHistoryFile.Times[0]).Sum(r => r.Downloads30d), sum);
        }
    }

    private AppFactory App(bool snapshot, bool history) =>
        new(_folder, new Uri("http://127.0.0.1:9/"), Repo.Path("seeds", "labs.json"), new Dictionary<string, string?>
        {
            ["Snapshot:ImportWhenEmpty"] = snapshot ? "true" : "false",
            ["Snapshot:ImportHistory"] = history ? "true" : "false",
        });

    private List<(int Id, DateTime Started, DateTime Finished, string Status, string Trigger, string Source, string? Key, int Models)> Runs() =>
        [.. Sql.Rows(_folder.ConnectionString, "SELECT Id, StartedAt, FinishedAt, Status, \"Trigger\", Source, SourceKey, Models FROM Runs ORDER BY Id")
            .Select(row => row.Split('|'))
            .Select(c => (int.Parse(c[0], CultureInfo.InvariantCulture), Time(c[1]), Time(c[2]), c[3], c[4], c[5], c[6] == "null" ? null : c[6], int.Parse(c[7], CultureInfo.InvariantCulture)))];

    private static DateTime Time(string stored) =>
        DateTime.Parse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
