using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Store;

/// <summary>
/// A store of the schema before change-only counts (one snapshot row per model per run), holding the real bundled
/// snapshot's 13 runs, upgraded in place by the app's own start: every answer is byte for byte what a store written
/// by today's code answers, and the runs that never succeeded lose their rows.
/// </summary>
public sealed class StoreUpgradeTests : IDisposable
{
    private const string BeforeChangeOnlyCounts = "20261129225838_LineageRenames";
    private readonly TempFolder _current = new();
    private readonly TempFolder _upgraded = new();

    public void Dispose()
    {
        _current.Dispose();
        _upgraded.Dispose();
    }

    [Fact]
    public async Task AStoreOfTheOldSchemaWithTheBundledSnapshotMigratesWithNoNumberChanged()
    {
        var urls = new List<string>();
        var current = new Dictionary<string, string>();
        await using (var app = App(_current, importSnapshot: true))
        {
            using var http = app.CreateClient();
            var runs = Column(_current, "SELECT Id FROM Runs ORDER BY Id");
            Assert.Equal(13, runs.Count);
            var top = Column(_current, $"SELECT m.HubId FROM Snapshots s JOIN Models m ON m.Id = s.ModelId WHERE s.RunId = {runs[^1]} ORDER BY s.Downloads30d DESC LIMIT 3");
            foreach (var run in new[] { runs[0], runs[6], runs[^1] })
            {
                urls.AddRange([
                    $"/api/v1/models?run={run}&limit=1000", $"/api/v1/models?run={run}&limit=1000&offset=1000&sort=likes",
                    $"/api/v1/models?run={run}&attribution=origin&country=CN", $"/api/v1/labs?run={run}&limit=1000",
                    $"/api/v1/labs?run={run}&attribution=origin&scope=census", $"/api/v1/countries?run={run}", $"/api/v1/countries?run={run}&attribution=origin",
                ]);
            }

            // Counted from the latest run's counts per task and licence, which the upgrade writes at start.
            urls.AddRange([$"/api/v1/models?run={runs[^1]}&task=text-generation", $"/api/v1/models?run={runs[^1]}&license=apache-2.0&scope=census"]);
            urls.AddRange(["/api/v1/history/countries", "/api/v1/history/countries?attribution=origin", .. top.Select(id => $"/api/v1/models/{id}/history")]);
            foreach (var url in urls)
            {
                current[url] = await http.GetStringAsync(url, TestContext.Current.CancellationToken);
            }
        }

        WriteOldSchemaCopy(from: _current.DatabasePath, to: _upgraded.DatabasePath);
        Assert.Equal("163234", Column(_upgraded, "SELECT COUNT(*) FROM Snapshots WHERE RunId <= 13")[0]);
        Assert.Equal("2", Column(_upgraded, "SELECT COUNT(*) FROM Snapshots WHERE RunId = 14")[0]);

        await using (var app = App(_upgraded, importSnapshot: false))
        {
            using var http = app.CreateClient();
            foreach (var url in urls)
            {
                var upgraded = await http.GetStringAsync(url, TestContext.Current.CancellationToken);
                Assert.True(current[url] == upgraded, $"{url} changed with the upgrade: {current[url][..Math.Min(600, current[url].Length)]} became {upgraded[..Math.Min(600, upgraded.Length)]}");
            }
        }

        // The same store, shape for shape: ranges, latest counts on the models, totals, counts per task and licence;
        // the failed run's rows are gone.
        Assert.NotEmpty(Column(_upgraded, "SELECT * FROM RunFacets"));
        foreach (var table in new[] { "Counts", "RunTotals", "RunFacets" })
        {
            Assert.Equal(Column(_current, $"SELECT * FROM {table} ORDER BY 1, 2, 3, 4"), Column(_upgraded, $"SELECT * FROM {table} ORDER BY 1, 2, 3, 4"));
        }

        const string latest = "SELECT Id || ' ' || Listed || ' ' || COALESCE(Downloads30d, '') || ' ' || COALESCE(Likes, '') || ' ' || COALESCE(Country, '') || ' ' || COALESCE(OriginCountry, '') FROM Models ORDER BY Id";
        Assert.Equal(Column(_current, latest), Column(_upgraded, latest));
        Assert.Equal("0", Column(_upgraded, "SELECT COUNT(*) FROM Snapshots WHERE RunId = 14")[0]);
        Assert.Equal(Column(_current, "SELECT COUNT(*) FROM Counts")[0], Column(_upgraded, "SELECT COUNT(*) FROM Counts")[0]);
    }

    private static AppFactory App(TempFolder folder, bool importSnapshot) =>
        new(folder, new Uri("http://127.0.0.1:9/"), Repo.Path("seeds", "labs.json"),
            new Dictionary<string, string?> { ["Snapshot:ImportWhenEmpty"] = importSnapshot ? "true" : "false" });

    /// <summary>
    /// The store as the code before change-only counts kept it: the schema of the migration before, every run's
    /// snapshots as rows (from the current store's <c>Snapshots</c> view), the models' columns of that time, and a
    /// failed run that left two rows behind.
    /// </summary>
    private static void WriteOldSchemaCopy(string from, string to)
    {
        var options = new DbContextOptionsBuilder<OpenModelWatchDb>().UseSqlite($"Data Source={to}").Options;
        using (var db = new OpenModelWatchDb(options))
        {
            db.GetService<IMigrator>().Migrate(BeforeChangeOnlyCounts);
        }

        using var connection = new SqliteConnection($"Data Source={to}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            ATTACH DATABASE '{from}' AS source;
            BEGIN;
            INSERT INTO Labs SELECT * FROM source.Labs;
            INSERT INTO Models (Id, HubId, Namespace, LabId, Task, Library, License, CreatedAt, Parameters, BaseModel, Relation, Parents, OriginId, OriginLabId, FirstSeenRunId, LastSeenRunId)
            SELECT Id, HubId, Namespace, LabId, Task, Library, License, CreatedAt, Parameters, BaseModel, Relation, Parents, OriginId, OriginLabId, FirstSeenRunId, LastSeenRunId FROM source.Models;
            INSERT INTO Runs (Id, StartedAt, FinishedAt, Status, "Trigger", Host, Models, Namespaces, Requests, Retries, Throttled, Bytes, Rejected, Duplicates, CensusModels, ParentLookups, LineageCycles, MissingParents, RejectedReasons, Error)
            SELECT Id, StartedAt, FinishedAt, Status, "Trigger", Host, Models, Namespaces, Requests, Retries, Throttled, Bytes, Rejected, Duplicates, CensusModels, ParentLookups, LineageCycles, MissingParents, RejectedReasons, Error FROM source.Runs;
            INSERT INTO LineageLookups SELECT * FROM source.LineageLookups;
            INSERT INTO Snapshots (RunId, ModelId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus)
            SELECT RunId, ModelId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus FROM source.Snapshots;
            INSERT INTO Runs (Id, StartedAt, FinishedAt, Status, "Trigger", Host, Models, Namespaces, Requests, Retries, Throttled, Bytes, Rejected, Duplicates, CensusModels, ParentLookups, LineageCycles, MissingParents, Error)
            VALUES (14, '2026-08-30 00:00:00', '2026-08-30 00:01:00', 'Failed', 'Manual', 'test', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'killed');
            INSERT INTO Snapshots (RunId, ModelId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus)
            SELECT 14, ModelId, Downloads30d + 1, NULL, Likes, NULL, 0 FROM source.Snapshots WHERE RunId = 13 LIMIT 2;
            COMMIT;
            DETACH DATABASE source;
            """;
        command.ExecuteNonQuery();
    }

    private static List<string> Column(TempFolder folder, string sql)
    {
        using var connection = new SqliteConnection(folder.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(string.Join('|', values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
        }

        return rows;
    }
}
