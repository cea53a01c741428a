using Microsoft.Data.Sqlite;
using OpenModelWatch.Hub;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Store;

/// <summary>
/// A run's final work (origins, count ranges, latest counts, totals) goes slice by slice of model ids so it can show
/// progress and stop between slices. Slices must not change a single stored value: the same three days written with
/// slices of 3 models and in one slice leave identical stores, and progress adds up to the run's models. Day 1 changes
/// every model, so on SQLite its publishing drops the count indexes of Models and builds them again: they must come
/// back exactly as the schema defines them, with every entry (integrity check); days 2 and 3 move them row by row.
/// </summary>
public sealed class RunSlicesTests
{
    // Day 1: a base model, a chain of derivatives (ft → quant of ft), an adapter of a model of no registered lab, loners.
    private static readonly (string Id, long Downloads, string? Parent)[] _day1 =
    [
        ("Qwen/base", 900, null), ("Qwen/base-instruct", 800, "Qwen/base"), ("someone/ft", 700, "Qwen/base-instruct"),
        ("someone/ft-GGUF", 600, "someone/ft"), ("meta-llama/llama", 500, null), ("other/adapter", 400, "meta-llama/llama"),
        ("loner/a", 300, null), ("loner/b", 200, null), ("loner/c", 100, null), ("nobody/orphan", 50, "gone/parent"),
    ];

    // Day 2: counts move for some, one model is gone, one is new (and a derivative of a day-1 model).
    private static readonly (string Id, long Downloads, string? Parent)[] _day2 =
    [
        ("Qwen/base", 950, null), ("Qwen/base-instruct", 800, "Qwen/base"), ("someone/ft", 720, "Qwen/base-instruct"),
        ("someone/ft-GGUF", 600, "someone/ft"), ("meta-llama/llama", 500, null), ("other/adapter", 410, "meta-llama/llama"),
        ("loner/a", 300, null), ("loner/c", 100, null), ("nobody/orphan", 50, "gone/parent"), ("new/merge", 30, "someone/ft"),
    ];

    // Day 3: the gone model is back, another leaves.
    private static readonly (string Id, long Downloads, string? Parent)[] _day3 =
    [
        ("Qwen/base", 950, null), ("Qwen/base-instruct", 810, "Qwen/base"), ("someone/ft", 720, "Qwen/base-instruct"),
        ("someone/ft-GGUF", 600, "someone/ft"), ("meta-llama/llama", 520, null), ("loner/a", 300, null), ("loner/b", 210, null),
        ("loner/c", 100, null), ("nobody/orphan", 50, "gone/parent"), ("new/merge", 35, "someone/ft"),
    ];

    [Fact]
    public async Task SlicesOfThreeModelsStoreExactlyWhatOneSliceStores()
    {
        using var folder = new TempFolder();
        var (whole, wholeProgress, freshIndexes) = await RecordAsync(folder, "whole.db", SnapshotWriter.DefaultSliceSize);
        var (sliced, slicedProgress, _) = await RecordAsync(folder, "sliced.db", sliceSize: 3);

        Assert.Equal(whole, sliced);
        Assert.Equal(15, freshIndexes.Count);
        Assert.Equal(freshIndexes, whole.Where(row => row.StartsWith("Index ", StringComparison.Ordinal)));
        Assert.Contains("Integrity ok", whole);
        // Each phase was told the run's models, in one step or in slices of three (10 models: 3 + 3 + 3 + 1).
        Assert.Equal("origins 10 publish 10 | origins 10 publish 10 | origins 10 publish 10", wholeProgress);
        Assert.Equal("origins 3+3+3+1 publish 3+3+3+1 | origins 3+3+3+1 publish 3+3+3+1 | origins 3+3+3+1 publish 3+3+3+1", slicedProgress);
        // And the stores hold what the days said: the day-2 gone model closed its range, came back on day 3.
        Assert.Contains("Counts loner/b 1 2 200|Counts loner/b 3 - 210", string.Join("|", whole));
        Assert.Contains("Models someone/ft-GGUF origin Qwen/base lab-qwen CN", whole);
        Assert.Contains("Models other/adapter listed 0 - - - 0 1 2", whole);
    }

    [Fact]
    public void SlicesCoverEveryModelIdOnce()
    {
        using var folder = new TempFolder();
        using var connection = new SqliteConnection(folder.ConnectionString);
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE Listings (RunId INTEGER, ModelId INTEGER, PRIMARY KEY (RunId, ModelId));
                INSERT INTO Listings VALUES (1, 5), (1, 9), (1, 12), (1, 40), (1, 41), (2, 7);
                """;
            create.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        Assert.Equal(
            [new RunSlice(long.MinValue, 9, 2), new RunSlice(9, 40, 2), new RunSlice(40, long.MaxValue, 1)],
            RunSlices.Of(connection, transaction, 1, 2));
        Assert.Equal([new RunSlice(long.MinValue, long.MaxValue, 5)], RunSlices.Of(connection, transaction, 1, 50_000));
        Assert.Equal([new RunSlice(long.MinValue, long.MaxValue, 0)], RunSlices.Of(connection, transaction, 3, 2));
    }

    /// <summary>The three days recorded through the writer; the store's rows as text, and the progress each phase was told.</summary>
    private static async Task<(List<string> Rows, string Progress, List<string> FreshIndexes)> RecordAsync(TempFolder folder, string file, int sliceSize)
    {
        var path = folder.File(file);
        var registryPath = folder.WriteRegistry(("Qwen", "CN"), ("meta-llama", "US"));
        await using var app = new AppFactory(folder, new Uri("http://127.0.0.1:9"), registryPath,
            new Dictionary<string, string?> { ["ConnectionStrings:OpenModelWatch"] = $"Data Source={path}", ["Ingestion:Enabled"] = "false" });
        _ = app.Services;
        var registry = app.Services.GetRequiredService<LabRegistry>();
        var fixes = app.Services.GetRequiredService<LineageFixes>();
        var progress = new List<string>();
        var freshIndexes = Dump(path).Where(row => row.StartsWith("Index ", StringComparison.Ordinal)).ToList();
        var day = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var models in new[] { _day1, _day2, _day3 })
        {
            await using var writer = SnapshotWriter.Open(app.Services.GetRequiredService<StoreConnection>(), registry);
            writer.SliceSize = sliceSize;
            day = day.AddDays(1);
            var run = new IngestionRun { StartedAt = day, Status = RunStatus.Running, Trigger = RunTrigger.Manual, Host = "test" };
            var runId = await writer.AddRunAsync(run, CancellationToken.None);
            writer.CommitBatch();
            writer.StartRun(runId);
            foreach (var (id, downloads, parent) in models)
            {
                writer.Write(new HubModel
                {
                    Id = id,
                    Downloads = HubCount.Of(downloads),
                    Likes = HubCount.Of(downloads / 100),
                    DownloadsAllTime = HubCount.Of(downloads * 10),
                    Tags = parent is null ? ["license:mit"] : ["license:mit", "base_model:" + parent, "base_model:finetune:" + parent],
                }, inCensus: true);
            }

            writer.CommitBatch();
            var origins = new List<long>();
            writer.ResolveOrigins(registry, fixes, runId, origins.Add);
            run.Models = writer.Written;
            run.FinishedAt = day;
            run.Status = RunStatus.Succeeded;
            var published = new List<long>();
            await writer.CompleteRunAsync(run, CancellationToken.None, published.Add);
            progress.Add($"origins {string.Join("+", origins)} publish {string.Join("+", published)}");
        }

        return (Dump(path), string.Join(" | ", progress), freshIndexes);
    }

    private static List<string> Dump(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        var rows = new List<string>();
        void Read(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(string.Join(" ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "-" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
            }
        }

        Read("""
            SELECT 'Models', HubId, 'origin', OriginId, OriginLabId, OriginCountry FROM Models ORDER BY HubId
            """);
        Read("SELECT 'Models', HubId, 'listed', Listed, Downloads30d, DownloadsAllTime, Likes, InCensus, FirstSeenRunId, LastSeenRunId FROM Models ORDER BY HubId");
        Read("SELECT 'Counts', m.HubId, c.FromRunId, c.ToRunId, c.Downloads30d FROM Counts c JOIN Models m ON m.Id = c.ModelId ORDER BY m.HubId, c.FromRunId");
        Read("SELECT 'Totals', RunId, Attribution, Scope, LabId, Models, Downloads30d, DownloadsAllTime, Likes FROM RunTotals ORDER BY RunId, Attribution, Scope, LabId");
        Read("SELECT 'Runs', Id, Status, Changed, Removed FROM Runs ORDER BY Id");
        Read("SELECT 'Listings', COUNT(*) FROM Listings");
        Read("SELECT 'Index', name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Models' ORDER BY name");
        Read("SELECT 'Integrity', integrity_check FROM pragma_integrity_check");
        return rows;
    }
}
