using System.Text.Json;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Hub;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Store;

/// <summary>
/// History recorded after the fact: a live run, then a day of last year (an imported file), then another live run.
/// Runs are numbered in the order they were recorded, not in the order of their days; every run must still answer
/// exactly its own numbers, the as-of run stays the newest live one, and a model's history reads in the order of days.
/// On both stores.
/// </summary>
public abstract class OutOfTimeOrderTests(StoreProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : OutOfTimeOrderTests(StoreProvider.Sqlite);

    public sealed class OnPostgres() : OutOfTimeOrderTests(StoreProvider.PostgreSQL);

    private static readonly DateTime _lastYear = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempFolder _folder = new(provider);
    private FakeHubServer _hub = null!;
    private AppFactory _app = null!;
    private SwitchableCatalog _catalog = null!;

    private static readonly Dictionary<string, long> _liveDay1 = new() { ["Qwen/steady"] = 100_000, ["Qwen/mover"] = 200_000, ["meta-llama/llama"] = 300_000 };
    private static readonly Dictionary<string, long> _liveDay2 = new() { ["Qwen/steady"] = 100_000, ["Qwen/mover"] = 250_000, ["meta-llama/llama"] = 300_000, ["Qwen/new"] = 7_000 };

    /// <summary>Last year: steady had other numbers, mover did not exist yet, and a model since deleted was listed.</summary>
    private static readonly Dictionary<string, long> _lastYearDay = new() { ["Qwen/steady"] = 40_000, ["meta-llama/llama"] = 900_000, ["meta-llama/deleted"] = 60_000 };

    /// <summary>A week later last year: steady moved, llama did not, the deleted model was gone.</summary>
    private static readonly Dictionary<string, long> _lastYearWeekLater = new() { ["Qwen/steady"] = 45_000, ["meta-llama/llama"] = 900_000 };

    public async ValueTask InitializeAsync()
    {
        _catalog = new SwitchableCatalog(Day(_liveDay1));
        _hub = await FakeHubServer.StartAsync(new FakeHubOptions { Catalog = _catalog });
        _app = new AppFactory(_folder, _hub.BaseAddress, _folder.WriteRegistry(("Qwen", "CN"), ("meta-llama", "US")),
            new Dictionary<string, string?> { ["Census:TopN"] = "100" });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _hub.DisposeAsync();
        _folder.Dispose();
    }

    private static RealisticCatalog Day(Dictionary<string, long> day) =>
        new(day.Select(pair => LineageModels.Model(pair.Key, pair.Value, []) with { Likes = 5, DownloadsAllTime = pair.Value * 2 }).ToArray());

    [Fact]
    public async Task AnEarlierDayRecordedLaterAnswersExactlyAndLeavesTheLatestRunInCharge()
    {
        var ct = TestContext.Current.CancellationToken;
        var live1 = await LiveRunAsync(_liveDay1);
        var (imported, weekLater) = await RecordLastYearAsync(ct);
        Assert.True(imported > live1);
        Assert.Equal(imported + 1, weekLater);

        // The earlier days recorded, the models are given back to the as-of run: they carry its counts (so its grid
        // reads them, not its ranges), the earlier days are marked backfilled, and its counts per task and licence stay.
        Assert.Equal($"{live1}", Scalar("SELECT MAX(Id) FROM Runs WHERE Status = 'Succeeded' AND NOT Backfilled"));
        Assert.Equal($"{imported} {weekLater}", Scalar("SELECT MIN(Id) || ' ' || MAX(Id) FROM Runs WHERE Backfilled"));
        Assert.Equal(["200000 listed", "100000 listed", "300000 listed", "- not listed"],
            new[] { "Qwen/mover", "Qwen/steady", "meta-llama/llama", "meta-llama/deleted" }.Select(id => Scalar(
                $"SELECT COALESCE(CAST(Downloads30d AS TEXT), '-') || CASE WHEN Listed THEN ' listed' ELSE ' not listed' END FROM Models WHERE HubId = '{id}'")));
        Assert.Equal($"{live1} {live1}", Scalar("SELECT MIN(RunId) || ' ' || MAX(RunId) FROM RunFacets"));
        Assert.Equal("0", Scalar("SELECT COUNT(*) FROM Counts WHERE ToRunId <= FromRunId"));

        using var http = _app.CreateClient();
        await AssertModelsAsync(http, "/api/v1/models?limit=100", live1, _liveDay1);
        await AssertModelsAsync(http, $"/api/v1/models?limit=100&run={imported}", imported, _lastYearDay);
        await AssertModelsAsync(http, $"/api/v1/models?limit=100&run={weekLater}", weekLater, _lastYearWeekLater);
        // Filtered views go through the rows, not the totals: the as-of run's, not the last recorded.
        await AssertModelsAsync(http, "/api/v1/models?limit=100&country=CN", live1, _liveDay1.Where(p => p.Key.StartsWith("Qwen/", StringComparison.Ordinal)).ToDictionary());
        await AssertModelsAsync(http, $"/api/v1/models?limit=100&country=US&run={imported}", imported, _lastYearDay.Where(p => p.Key.StartsWith("meta-llama/", StringComparison.Ordinal)).ToDictionary());

        // A model's history in the order of days (newest first): last year last, though it was recorded second.
        Assert.Equal($"{live1}:100000 {weekLater}:45000 {imported}:40000", await HistoryAsync(http, "Qwen/steady"));

        // The next live run is numbered right after the earlier days, where the ranges opened for the as-of run start.
        var live2 = await LiveRunAsync(_liveDay2);
        Assert.Equal(weekLater + 1, live2);
        await AssertModelsAsync(http, "/api/v1/models?limit=100", live2, _liveDay2);
        await AssertModelsAsync(http, $"/api/v1/models?limit=100&run={imported}", imported, _lastYearDay);
        await AssertModelsAsync(http, $"/api/v1/models?limit=100&run={live1}", live1, _liveDay1);
        await AssertModelsAsync(http, $"/api/v1/models?limit=100&run={weekLater}", weekLater, _lastYearWeekLater);
        Assert.Equal($"{live2}:100000 {live1}:100000 {weekLater}:45000 {imported}:40000", await HistoryAsync(http, "Qwen/steady"));
        Assert.Equal($"{live2}:300000 {live1}:300000 {weekLater}:900000 {imported}:900000", await HistoryAsync(http, "meta-llama/llama"));
        Assert.Equal($"{live2}:250000 {live1}:200000", await HistoryAsync(http, "Qwen/mover"));
        Assert.Equal($"{live2}", Scalar("SELECT MAX(Id) FROM Runs WHERE Status = 'Succeeded' AND NOT Backfilled"));
        Assert.Equal("0", Scalar("SELECT COUNT(*) FROM Counts WHERE ToRunId <= FromRunId"));

        // Each run's stored totals are the sums of its own rows.
        foreach (var (run, day) in new[] { (live1, _liveDay1), (imported, _lastYearDay), (weekLater, _lastYearWeekLater), (live2, _liveDay2) })
        {
            foreach (var (lab, prefix) in new[] { ("lab-qwen", "Qwen/"), ("lab-meta-llama", "meta-llama/") })
            {
                var expected = day.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
                Assert.Equal($"{expected.Length} {expected.Sum(p => p.Value)}",
                    Scalar($"SELECT Models || ' ' || Downloads30d FROM RunTotals WHERE RunId = {run} AND Attribution = 'Uploader' AND Scope = 'All' AND LabId = '{lab}'"));
            }
        }

        if (_folder.Provider == StoreProvider.Sqlite)
        {
            Assert.Equal("ok", Scalar("PRAGMA integrity_check"));
        }
    }

    private async Task<int> LiveRunAsync(Dictionary<string, long> day)
    {
        _catalog.Current = Day(day);
        var outcome = await _app.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);
        return outcome.RunId!.Value;
    }

    /// <summary>
    /// Records last year's two days the way the imports do: one succeeded run at each file's time, published in time
    /// order, then the models given back to the as-of run, all in one batch.
    /// </summary>
    private async Task<(int Day, int WeekLater)> RecordLastYearAsync(CancellationToken ct)
    {
        var registry = _app.Services.GetRequiredService<LabRegistry>();
        await using var writer = SnapshotWriter.Open(_app.Services.GetRequiredService<StoreConnection>(), registry);
        var ids = new List<int>();
        foreach (var (at, day) in new[] { (_lastYear, _lastYearDay), (_lastYear.AddDays(7), _lastYearWeekLater) })
        {
            var run = new IngestionRun
            {
                StartedAt = at,
                FinishedAt = at,
                Status = RunStatus.Succeeded,
                Trigger = RunTrigger.Import,
                Source = RunSource.HubStats,
                Host = "test",
                Models = day.Count,
            };
            var runId = await writer.AddRunAsync(run, ct);
            writer.StartRun(runId);
            foreach (var (id, downloads) in day)
            {
                writer.Write(new HubModel
                {
                    Id = id,
                    Downloads = HubCount.Of(downloads),
                    Likes = HubCount.Of(5),
                    DownloadsAllTime = HubCount.Of(downloads * 2),
                }, inCensus: true);
            }

            writer.ResolveOrigins(registry, _app.Services.GetRequiredService<LineageFixes>(), runId);
            await writer.PublishAsync(run, ct);
            ids.Add(runId);
        }

        Assert.Equal(ids[0] - 1, writer.CarryAsOfRun(cancellationToken: ct));
        writer.CommitBatch();
        return (ids[0], ids[1]);
    }

    private static async Task AssertModelsAsync(HttpClient http, string url, int runId, Dictionary<string, long> expected)
    {
        var answer = await http.GetFromJsonAsync<JsonElement>(url, TestContext.Current.CancellationToken);
        Assert.Equal(runId, answer.GetProperty("runId").GetInt32());
        Assert.Equal(expected.Count, answer.GetProperty("total").GetInt32());
        Assert.Equal(
            expected.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value} {p.Value * 2}"),
            answer.GetProperty("items").EnumerateArray().Select(item =>
                $"{item.GetProperty("id").GetString()} {item.GetProperty("downloads30d").GetInt64()} {item.GetProperty("downloadsAllTime").GetInt64()}"));
    }

    private static async Task<string> HistoryAsync(HttpClient http, string id)
    {
        var answer = await http.GetFromJsonAsync<JsonElement>($"/api/v1/models/{id}/history?limit=100", TestContext.Current.CancellationToken);
        return string.Join(' ', answer.GetProperty("items").EnumerateArray().Select(item =>
            $"{item.GetProperty("runId").GetInt32()}:{item.GetProperty("downloads30d").GetInt64()}"));
    }

    private string? Scalar(string sql) => Sql.Scalar(_folder, sql);
}
