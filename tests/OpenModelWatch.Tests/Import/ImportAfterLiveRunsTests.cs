using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.HubStats;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Import;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Operations;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Import;

/// <summary>
/// Importing last year after live runs: a day a live run covers is refused; an earlier day is recorded after the live
/// run yet answers exactly its file's numbers, the live run stays the as-of run with its metadata, first and last seen
/// go by the runs' days (not their ids), and the schedule and the freshness check still count the live run only.
/// </summary>
public sealed class ImportAfterLiveRunsTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private FakeHubServer _hub = null!;
    private AppFactory _app = null!;

    private static readonly Dictionary<string, long> _live = new() { ["Qwen/steady"] = 100_000, ["Qwen/mover"] = 200_000, ["meta-llama/llama"] = 300_000 };
    private static readonly Dictionary<string, long> _lastYear = new() { ["Qwen/steady"] = 40_000, ["meta-llama/llama"] = 900_000, ["meta-llama/deleted"] = 60_000 };

    public async ValueTask InitializeAsync()
    {
        var catalog = new RealisticCatalog(_live.Select(pair => LineageModels.Model(pair.Key, pair.Value, []) with { Likes = 5, DownloadsAllTime = pair.Value * 2 }).ToArray());
        _hub = await FakeHubServer.StartAsync(new FakeHubOptions { Catalog = catalog });
        _app = new AppFactory(_folder, _hub.BaseAddress, _folder.WriteRegistry(("Qwen", "CN"), ("meta-llama", "US")),
            new Dictionary<string, string?> { ["Census:TopN"] = "100" });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _hub.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task AnEarlierDayImportedAfterALiveRunIsExactAndLeavesTheLiveRunInCharge()
    {
        var outcome = await _app.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);
        var live = outcome.RunId!.Value;
        var liveTask = ImportKit.Scalar(_folder, "SELECT Task FROM Models WHERE HubId = 'Qwen/steady'");
        var liveDay = DateTime.Parse(ImportKit.Scalar(_folder, $"SELECT FinishedAt FROM Runs WHERE Id = {live}")!, System.Globalization.CultureInfo.InvariantCulture).Date;

        // The live run's own day: refused, naming the file and the run; nothing recorded.
        var sameDay = _folder.File($"{liveDay:yyyy-MM-dd}.parquet");
        await HubStatsFileWriter.WriteAsync(sameDay, Rows(_lastYear), HubStatsColumns.Current);
        var (refused, _, error) = await ImportKit.ImportAsync(_app, null, sameDay);
        Assert.Equal(ImportStatus.Refused, refused.Status);
        Assert.Contains($"import: {sameDay}: refused: its time {liveDay:yyyy-MM-dd} 00:00 UTC falls on {liveDay:yyyy-MM-dd}, a day the live run {live} (finished ", error);
        Assert.Equal("1", ImportKit.Scalar(_folder, "SELECT COUNT(*) FROM Runs"));

        // Last year: recorded after the live run, answered exactly; the live run stays the as-of run.
        var lastYear = _folder.File("2025-06-01.parquet");
        await HubStatsFileWriter.WriteAsync(lastYear, Rows(_lastYear), HubStatsColumns.Current);
        var (imported, importOutput, importError) = await ImportKit.ImportAsync(_app, null, lastYear);
        Assert.True(imported.Status == ImportStatus.Imported, importError);
        var import = Assert.Single(imported.RunIds);
        Assert.True(import > live);

        // Once recorded, the models are given back to the live run: they carry its counts again (its grid reads them),
        // and the import is marked backfilled.
        Assert.Contains($"import: the files are earlier than run {live}, the newest: the dashboard's latest counts are that run's again (", importOutput);
        Assert.Equal($"{live} {import}", ImportKit.Scalar(_folder,
            "SELECT (SELECT MAX(Id) FROM Runs WHERE Status = 'Succeeded' AND NOT Backfilled) || ' ' || (SELECT group_concat(Id) FROM Runs WHERE Backfilled)"));
        Assert.Equal("Qwen/mover 200000 1|Qwen/steady 100000 1|meta-llama/deleted  0|meta-llama/llama 300000 1", ImportKit.Scalar(_folder,
            "SELECT group_concat(HubId || ' ' || COALESCE(Downloads30d, '') || ' ' || Listed, '|') FROM (SELECT * FROM Models ORDER BY HubId)"));

        using var http = _app.CreateClient();
        Assert.Equal(Expected(_live), await ModelsAsync(http, "/api/v1/models?limit=100", live));
        Assert.Equal(Expected(_lastYear), await ModelsAsync(http, $"/api/v1/models?limit=100&run={import}", import));
        Assert.Equal(Expected(_lastYear.Where(p => p.Key.StartsWith("meta-llama/", StringComparison.Ordinal)).ToDictionary()),
            await ModelsAsync(http, $"/api/v1/models?limit=100&country=US&run={import}", import));
        var history = await ImportKit.GetAsync(http, "/api/v1/models/Qwen/steady/history?limit=100");
        Assert.Equal($"{live}:100000 {import}:40000", string.Join(' ', history.GetProperty("items").EnumerateArray()
            .Select(item => $"{item.GetProperty("runId").GetInt32()}:{item.GetProperty("downloads30d").GetInt64()}")));

        // The older file does not overwrite the newer metadata the live run stored.
        Assert.Equal(liveTask, ImportKit.Scalar(_folder, "SELECT Task FROM Models WHERE HubId = 'Qwen/steady'"));
        Assert.Equal("image-to-text", ImportKit.Scalar(_folder, "SELECT Task FROM Models WHERE HubId = 'meta-llama/deleted'"));

        // First and last seen by day: the earlier import becomes first seen and never last seen where the live run saw
        // the model; a model only the import has is first and last seen there.
        Assert.Equal($"Qwen/mover {live} {live}|Qwen/steady {import} {live}|meta-llama/deleted {import} {import}|meta-llama/llama {import} {live}",
            ImportKit.Scalar(_folder, "SELECT group_concat(HubId || ' ' || FirstSeenRunId || ' ' || LastSeenRunId, '|') FROM (SELECT * FROM Models ORDER BY HubId)"));

        // The schedule and the freshness check count the live run, not the import recorded after it.
        var worker = _app.Services.GetServices<IHostedService>().OfType<IngestionWorker>().Single();
        var started = DateTime.Parse(ImportKit.Scalar(_folder, $"SELECT StartedAt FROM Runs WHERE Id = {live}")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(started + _app.Services.GetRequiredService<IOptions<IngestionOptions>>().Value.Interval, await worker.NextDueAsync(CancellationToken.None));
        var freshness = await ActivatorUtilities.CreateInstance<FreshnessHealthCheck>(_app.Services).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, freshness.Status);
        Assert.StartsWith($"The last live run (#{live}) finished", freshness.Description);
    }

    private static IEnumerable<HubStatsRow> Rows(Dictionary<string, long> day) => day.Select(pair => new HubStatsRow(pair.Key)
    {
        Downloads = pair.Value,
        DownloadsAllTime = pair.Value * 2,
        Likes = 5,
        TrendingScore = 0,
        PipelineTag = "image-to-text",
        Tags = ["license:mit"],
    });

    private static List<string> Expected(Dictionary<string, long> day) =>
        [.. day.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value} {p.Value * 2}")];

    private static async Task<List<string>> ModelsAsync(HttpClient http, string url, int runId)
    {
        var answer = await ImportKit.GetAsync(http, url);
        Assert.Equal(runId, answer.GetProperty("runId").GetInt32());
        return [.. answer.GetProperty("items").EnumerateArray().Select(item =>
            $"{item.GetProperty("id").GetString()} {item.GetProperty("downloads30d").GetInt64()} {item.GetProperty("downloadsAllTime").GetInt64()}")];
    }
}
