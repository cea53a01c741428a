using System.Text.Json;
using OpenModelWatch.FakeHub.HubStats;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Import;

namespace OpenModelWatch.Tests.Import;

/// <summary>
/// Generated files of the real schema from two eras (November 2024, without <c>downloadsAllTime</c>; March 2025, with
/// it), a model renamed between them, a merge of two parents, lineage from tags only, a licence only in the card, a
/// row with no 30-day count: imported in one command, they round-trip to exactly the API's numbers.
/// </summary>
public sealed class EraRoundTripTests : IDisposable
{
    private static readonly DateTime _created = new(2024, 9, 1, 8, 30, 0, DateTimeKind.Utc);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static HubStatsRow Row(string id, long? downloads, long? allTime, long likes, double trending) => new(id)
    {
        Downloads = downloads,
        DownloadsAllTime = allTime,
        Likes = likes,
        TrendingScore = trending,
        CreatedAt = _created,
        LastModified = _created.AddDays(10),
        PipelineTag = "text-generation",
        LibraryName = "transformers",
        Tags = ["transformers", "safetensors", "license:apache-2.0", "region:us"],
        CardData = """{"license": "apache-2.0"}""",
    };

    private static readonly HubStatsRow[] _november =
    [
        Row("Qwen/Qwen-Base", 1_000_000, null, 500, 30) with { SafetensorsTotal = 7_615_616_512 },
        Row("Qwen/old-name", 50_000, null, 10, 1),
        Row("meta-llama/Llama-Base", 2_000_000, null, 900, 40) with { Tags = ["license:llama3.1"], CardData = """{"license": "llama3.1"}""" },
        Row("community/merged", 3_000, null, 2, 0) with { Relation = "merge", Parents = ["Qwen/Qwen-Base", "meta-llama/Llama-Base"],
            Tags = ["base_model:Qwen/Qwen-Base", "base_model:meta-llama/Llama-Base", "license:apache-2.0"] },
        Row("community/tag-only", 700, null, 1, 0) with { Tags = ["base_model:adapter:meta-llama/Llama-Base", "peft"], CardData = """{"library_name": "peft", "license": "MIT"}""" },
        Row("community/no-downloads", null, null, 1, 0),
    ];

    private static readonly HubStatsRow[] _march =
    [
        Row("Qwen/Qwen-Base", 1_200_000, 9_000_000, 520, 12) with { SafetensorsTotal = 7_615_616_512 },
        Row("Qwen/new-name", 55_000, 400_000, 11, 2),
        Row("meta-llama/Llama-Base", 1_900_000, 20_000_000, 910, 35) with { Tags = ["license:llama3.1"] },
        Row("community/merged", 3_500, 10_000, 3, 0) with { Relation = "merge", Parents = ["Qwen/Qwen-Base", "meta-llama/Llama-Base"], Tags = [] },
        Row("community/tag-only", 800, 5_000, 1, 0) with { Tags = ["base_model:adapter:meta-llama/Llama-Base"], CardData = """{"license": "mit"}""" },
        Row("community/new", 100, 100, 0, 0) with { Tags = null, CardData = null, PipelineTag = null, LibraryName = null },
    ];

    [Fact]
    public async Task TwoErasRoundTripToExactlyTheApisNumbers()
    {
        var november = _folder.File("2024-11-01.parquet");
        Directory.CreateDirectory(_folder.File("models/2025-03-01"));
        var march = _folder.File("models/2025-03-01/models.parquet");
        await HubStatsFileWriter.WriteAsync(november, _november, HubStatsColumns.Late2024, rowGroupSize: 4);
        await HubStatsFileWriter.WriteAsync(march, _march, HubStatsColumns.Current | HubStatsColumns.Gated);

        await using var app = ImportKit.App(_folder);
        // Named newest first: imported in time order.
        var (result, output, error) = await ImportKit.ImportAsync(app, null, march, november);
        Assert.True(result.Status == ImportStatus.Imported, error);
        Assert.Equal([1, 2], result.RunIds);
        Assert.Contains("6 rows in 2 row group(s); time 2024-11-01 00:00:00 UTC, from the date in the file name 2024-11-01.parquet; not in this file, so unknown: downloadsAllTime", output);
        Assert.Contains("6 rows in 1 row group(s); time 2025-03-01 00:00:00 UTC, from the date in the folder name 2025-03-01", output);
        Assert.Equal("1|null downloads: 1|0", ImportKit.Scalar(_folder, "SELECT Rejected || '|' || RejectedReasons || '|' || UnknownFields FROM Runs WHERE Id = 1"));

        using var http = app.CreateClient();
        // As of March: every count as written; the licence from the tags, else from the card; lineage from baseModels, else from tags.
        Assert.Equal(
            [
                "meta-llama/Llama-Base 1900000 20000000 910 35 llama3.1 null null null meta-llama/Llama-Base",
                "Qwen/Qwen-Base 1200000 9000000 520 12 apache-2.0 7615616512 null null Qwen/Qwen-Base",
                "Qwen/new-name 55000 400000 11 2 apache-2.0 null null null Qwen/new-name",
                "community/merged 3500 10000 3 0 apache-2.0 null Qwen/Qwen-Base merge Qwen/Qwen-Base",
                "community/tag-only 800 5000 1 0 mit null meta-llama/Llama-Base adapter meta-llama/Llama-Base",
                "community/new 100 100 0 0 null null null null community/new",
            ],
            await ModelsAsync(http, "/api/v1/models?limit=100", expectedRun: 2, asOf: "2025-03-01T00:00:00Z"));

        // As of November (pinned): no all-time count in that era's file: unknown (null), never 0; the rejected row absent.
        Assert.Equal(
            [
                "meta-llama/Llama-Base 2000000 null 900 40 llama3.1 null null null meta-llama/Llama-Base",
                "Qwen/Qwen-Base 1000000 null 500 30 apache-2.0 7615616512 null null Qwen/Qwen-Base",
                "Qwen/old-name 50000 null 10 1 apache-2.0 null null null Qwen/old-name",
                "community/merged 3000 null 2 0 apache-2.0 null Qwen/Qwen-Base merge Qwen/Qwen-Base",
                "community/tag-only 700 null 1 0 mit null meta-llama/Llama-Base adapter meta-llama/Llama-Base",
            ],
            await ModelsAsync(http, "/api/v1/models?limit=100&run=1", expectedRun: 1, asOf: "2024-11-01T00:00:00Z"));

        // Histories: newest first; the renamed model is two models, each in its own file's run.
        Assert.Equal("2:1200000:9000000 1:1000000:null", await HistoryAsync(http, "Qwen/Qwen-Base"));
        Assert.Equal("1:50000:null", await HistoryAsync(http, "Qwen/old-name"));
        Assert.Equal("2:55000:400000", await HistoryAsync(http, "Qwen/new-name"));
        Assert.Equal("2:3500:10000 1:3000:null", await HistoryAsync(http, "community/merged"));

        // Both parents of the merge, as declared; origins attribute the derivatives to the first parent's lab.
        Assert.Equal("merge:Qwen/Qwen-Base merge:meta-llama/Llama-Base", ImportKit.Scalar(_folder, "SELECT Parents FROM Models WHERE HubId = 'community/merged'"));
        Assert.Equal(["lab-meta-llama 2 1900800", "lab-qwen 3 1258500"], await LabsAsync(http, "/api/v1/labs?attribution=origin"));
        Assert.Equal(["lab-meta-llama 1 1900000", "lab-qwen 2 1255000"], await LabsAsync(http, "/api/v1/labs"));
        Assert.Equal(["lab-meta-llama 2 2000700", "lab-qwen 3 1053000"], await LabsAsync(http, "/api/v1/labs?attribution=origin&run=1"));
        // The file is the whole Hub: every model is in the census, so the census scope is everything.
        Assert.Equal(await LabsAsync(http, "/api/v1/labs?attribution=origin"), await LabsAsync(http, "/api/v1/labs?attribution=origin&scope=census"));
        Assert.Equal("6|6|0|1", ImportKit.Scalar(_folder, "SELECT Models || '|' || CensusModels || '|' || Rejected || '|' || Removed FROM Runs WHERE Id = 2"));
    }

    private static async Task<List<string>> ModelsAsync(HttpClient http, string url, int expectedRun, string asOf)
    {
        var answer = await ImportKit.GetAsync(http, url);
        Assert.Equal(expectedRun, answer.GetProperty("runId").GetInt32());
        Assert.Equal(asOf, answer.GetProperty("asOf").GetString());
        return answer.GetProperty("items").EnumerateArray().Select(item => string.Join(' ',
            item.GetProperty("id").GetString(), ImportKit.Number(item, "downloads30d"), ImportKit.Number(item, "downloadsAllTime"),
            ImportKit.Number(item, "likes"), ImportKit.Number(item, "trendingScore"), Text(item, "license"), ImportKit.Number(item, "parameters"),
            Text(item, "baseModel"), Text(item, "relation"), Text(item, "origin"))).ToList();
    }

    private static async Task<string> HistoryAsync(HttpClient http, string id)
    {
        var answer = await ImportKit.GetAsync(http, $"/api/v1/models/{id}/history?limit=100");
        return string.Join(' ', answer.GetProperty("items").EnumerateArray().Select(item =>
            $"{item.GetProperty("runId").GetInt32()}:{ImportKit.Number(item, "downloads30d")}:{ImportKit.Number(item, "downloadsAllTime")}"));
    }

    private static async Task<List<string>> LabsAsync(HttpClient http, string url)
    {
        var answer = await ImportKit.GetAsync(http, url);
        return answer.GetProperty("items").EnumerateArray()
            .Select(item => $"{item.GetProperty("id").GetString()} {item.GetProperty("models").GetInt32()} {item.GetProperty("downloads30d").GetInt64()}")
            .Order(StringComparer.Ordinal).ToList();
    }

    private static string Text(JsonElement item, string name) => item.GetProperty(name).GetString() ?? "null";
}
