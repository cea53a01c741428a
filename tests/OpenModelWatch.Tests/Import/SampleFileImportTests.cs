using System.Globalization;
using System.Security.Cryptography;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Import;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;
using Parquet.Serialization;

namespace OpenModelWatch.Tests.Import;

/// <summary>
/// The real 4,167-row hub-stats slice (../shared/data/hub-stats-sample) imported by the app, checked against the same
/// file read independently: Parquet.Net's row deserialiser (not the importer's column reader) and the file's bytes.
/// </summary>
public sealed class SampleFileImportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task TheRealSampleImportsEveryRowWithTheFilesOwnNumbersLineageAndCredit()
    {
        var file = await SampleAsync();
        Assert.Equal(4167, file.Count);
        var newest = file.Max(row => row.LastModified)!.Value;
        Assert.Equal(new DateTime(2026, 5, 20, 18, 24, 8, DateTimeKind.Utc), newest);

        await using var app = ImportKit.App(_folder);
        var (result, output, error) = await ImportKit.ImportAsync(app, null, ImportKit.SamplePath);
        Assert.True(result.Status == ImportStatus.Imported, error);
        var runId = Assert.Single(result.RunIds);
        Assert.Contains("4,167 rows in 1 row group(s); time 2026-05-20 18:24:08 UTC, from the newest lastModified in the file", output);
        Assert.Contains($"import: run {runId} succeeded", output);

        var key = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(ImportKit.SamplePath)));
        Assert.Equal($"2026-05-20 18:24:08|2026-05-20 18:24:08|Succeeded|Import|HubStats|{key}|4167|4167|0|19|non-numeric trendingScore: 19",
            ImportKit.Scalar(_folder, $"SELECT StartedAt || '|' || FinishedAt || '|' || Status || '|' || \"Trigger\" || '|' || Source || '|' || SourceKey || '|' || Models || '|' || CensusModels || '|' || Rejected || '|' || UnknownFields || '|' || UnknownFieldReasons FROM Runs WHERE Id = {runId}"));

        // Every row, exactly: 30-day and all-time downloads, likes, and the trending score where it is a whole number
        // (19 rows have a fraction, which a live listing would not send either: unknown, as the live client reads it).
        var expected = file.Select(row => string.Join('|', row.Id, row.Downloads, row.DownloadsAllTime, row.Likes,
            row.Trending is { } t && t == Math.Floor(t) ? ((long)t).ToString(CultureInfo.InvariantCulture) : "null", 1)).Order(StringComparer.Ordinal).ToList();
        var stored = ImportKit.Rows(_folder, $"SELECT m.HubId, s.Downloads30d, s.DownloadsAllTime, s.Likes, s.TrendingScore, s.InCensus FROM Snapshots s JOIN Models m ON m.Id = s.ModelId WHERE s.RunId = {runId}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, stored);
        Assert.Equal(19, file.Count(row => row.Trending is { } t && t != Math.Floor(t)));

        using var http = app.CreateClient();
        var top = await ImportKit.GetAsync(http, "/api/v1/models?limit=3");
        Assert.Equal(runId, top.GetProperty("runId").GetInt32());
        Assert.Equal("2026-05-20T18:24:08Z", top.GetProperty("asOf").GetString());
        Assert.Equal(4167, top.GetProperty("total").GetInt32());
        Assert.Equal(
            file.OrderByDescending(row => row.Downloads).ThenBy(row => row.Id, StringComparer.Ordinal).Take(3).Select(row => $"{row.Id} {row.Downloads} {row.DownloadsAllTime} {row.Likes}"),
            top.GetProperty("items").EnumerateArray().Select(item => $"{item.GetProperty("id").GetString()} {ImportKit.Number(item, "downloads30d")} {ImportKit.Number(item, "downloadsAllTime")} {ImportKit.Number(item, "likes")}"));
        Assert.Equal(file.Sum(row => row.Downloads), long.Parse(ImportKit.Scalar(_folder,
            $"SELECT SUM(Downloads30d) FROM RunTotals WHERE RunId = {runId} AND Attribution = 'Uploader' AND Scope = 'Census'")!, CultureInfo.InvariantCulture));

        // A fractional trending score is unknown in the API: null, not 0.
        var fractional = file.Where(row => row.Trending is { } t && t != Math.Floor(t)).OrderBy(row => row.Id, StringComparer.Ordinal).First();
        var history = await ImportKit.GetAsync(http, $"/api/v1/models/{fractional.Id}/history");
        var point = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal($"{runId} Import {fractional.Downloads} null", $"{point.GetProperty("runId").GetInt32()} {point.GetProperty("trigger").GetString()} {ImportKit.Number(point, "downloads30d")} {ImportKit.Number(point, "trendingScore")}");

        // Lineage from baseModels: a merge of several parents, all stored in the file's order with their relation; the
        // family tree walks up from the first one.
        var merge = file.Where(row => row.Relation == "merge" && row.Parents.Count >= 3).OrderBy(row => row.Id, StringComparer.Ordinal).First();
        Assert.Equal($"{merge.Parents[0]}|merge|{string.Join(' ', merge.Parents.Select(parent => "merge:" + parent))}",
            ImportKit.Scalar(_folder, $"SELECT BaseModel || '|' || Relation || '|' || Parents FROM Models WHERE HubId = '{merge.Id}'"));
        var family = await ImportKit.GetAsync(http, $"/api/v1/models/{merge.Id}/family");
        Assert.Contains($"{merge.Parents[0]} merge",
            family.GetProperty("parents").EnumerateArray().Select(parent => $"{parent.GetProperty("id").GetString()} {parent.GetProperty("relation").GetString()}"));
        Assert.Equal(file.Count(row => row.Parents.Count > 0), int.Parse(ImportKit.Scalar(_folder, "SELECT COUNT(*) FROM Models WHERE BaseModel IS NOT NULL")!, CultureInfo.InvariantCulture));

        // The credit travels with the numbers: in every export of this run.
        var csv = await http.GetStringAsync("/exports/models.csv", TestContext.Current.CancellationToken);
        Assert.Contains(RunSource.HubStats.Credit()!, csv);
        Assert.Contains("hub-stats (cfahlgren1), Apache-2.0", RunSource.HubStats.Credit()!);
    }

    private sealed record SampleRow(string Id, long Downloads, long? DownloadsAllTime, long? Likes, double? Trending, DateTime? LastModified, string? Relation, IReadOnlyList<string> Parents);

    /// <summary>The sample read whole by Parquet.Net's untyped row deserialiser: another reader than the importer's.</summary>
    private static async Task<List<SampleRow>> SampleAsync()
    {
        await using var stream = File.OpenRead(ImportKit.SamplePath);
        var table = await ParquetSerializer.DeserializeUntypedAsync(stream, cancellationToken: TestContext.Current.CancellationToken);
        return table.Data.Select(row =>
        {
            var baseModels = row.TryGetValue("baseModels", out var cell) ? cell as IDictionary<string, object> : null;
            var parents = baseModels?["models"] is System.Collections.IEnumerable models
                ? models.Cast<IDictionary<string, object>>().Select(model => (string)model["id"]).ToArray()
                : [];
            return new SampleRow((string)row["id"]!, (long)row["downloads"]!, (long?)row["downloadsAllTime"], (long?)row["likes"],
                (double?)row["trendingScore"], row["lastModified"] is DateTime at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null,
                baseModels?["relation"] as string, parents);
        }).ToList();
    }
}
