using Microsoft.EntityFrameworkCore;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Ingestion;

/// <summary>
/// A whole-Hub run finds the store's models in memory (<see cref="StoredModelMap"/>) and writes a record without a query
/// when its model is stored with the same metadata. The map may only save work: a record whose metadata changed is
/// written as without it, on both stores.
/// </summary>
public abstract class StoredModelMapTests(StoreProvider provider) : FakeHubFixture(provider)
{
    public sealed class OnSqlite() : StoredModelMapTests(StoreProvider.Sqlite);

    public sealed class OnPostgres() : StoredModelMapTests(StoreProvider.PostgreSQL);

    private static readonly string[] _namespaces = ["alpha", "beta", "comm1"];
    private static readonly Dictionary<string, string?> _wholeHub = new() { ["Census:TopN"] = null };
    private const int Models = 1_800;
    private const string FoundInMemory = "openmodelwatch.ingestion.records.found_in_memory";

    private readonly SwitchableCatalog _catalog = new(new GeneratedCatalog(Models, _namespaces, seed: 5));

    protected override FakeHubOptions HubOptions => new() { Catalog = _catalog };

    [Fact]
    public async Task MetadataChangedBetweenRunsIsWrittenAndChangedBackIsWrittenAgain()
    {
        var host = await StartIngestionHostAsync([("alpha", "US"), ("beta", "CN")], _wholeHub);
        using var recorded = new Operations.MetricsTests.RecordedMeasurements(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var first = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);
        Assert.True(first.Succeeded, first.Error);
        var day0 = await MetadataAsync(host);
        Assert.Equal(Models, day0.Count);
        // An empty store: the map has room for 1,024 models (it never grows), the census's first 1,024 by downloads,
        // inserted first; of those, alpha's and beta's are found in memory when their namespaces list them again.
        var firstInserted = _catalog.List(null, ModelSort.Downloads).Take(1_024).Count(record => record.Model.Author is "alpha" or "beta");
        Assert.InRange(firstInserted, 600, 800);
        Assert.Equal([firstInserted], recorded.Values(FoundInMemory));

        // Every 9th model of the listing (200 of 1,800) changes task, library, creation time and size on day 1.
        var original = _catalog.Current;
        _catalog.Current = new EditedCatalog(original, every: 9);
        var second = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(second.Succeeded, second.Error);
        var day1 = await MetadataAsync(host);
        var edited = day1.Where(pair => pair.Value != day0[pair.Key]).Select(pair => pair.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(200, edited.Count);
        Assert.All(edited, id => Assert.Equal(("edited-task", "edited-library", EditedCatalog.Created, 123_456_789L),
            (day1[id].Task, day1[id].Library, day1[id].CreatedAt, day1[id].Parameters)));
        Assert.Equal(Models, await ListedAsync(host, second.RunId!.Value));
        // The census's 1,600 unchanged records and the namespaces' 1,200 (the 200 edited ones learnt when written).
        Assert.Equal([firstInserted, 2_800], recorded.Values(FoundInMemory));

        // Day 2 serves day 0's records again: the map learnt day 1's metadata, so the 200 are written back.
        _catalog.Current = original;
        var third = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(third.Succeeded, third.Error);
        Assert.Equal(day0, await MetadataAsync(host));
        Assert.Equal([firstInserted, 2_800, 2_800], recorded.Values(FoundInMemory));
        await using var db = await host.DbAsync();
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == third.RunId, TestContext.Current.CancellationToken);
        Assert.Equal((Models, Models, 0), (run.Models, run.CensusModels, run.Duplicates));
    }

    [Fact]
    public async Task ADuplicateAndANamespacesModelAlreadyInTheCensusAreToldApartWithTheMap()
    {
        var host = await StartIngestionHostAsync([("alpha", "US"), ("beta", "CN")], _wholeHub);
        var first = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);
        Assert.True(first.Succeeded, first.Error);

        // The second run's census lists every 100th model twice (18 duplicates), all found in the map.
        _catalog.Current = new EditedCatalog(_catalog.Current, every: 0, duplicateEvery: 100);
        var second = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(second.Succeeded, second.Error);
        await using var db = await host.DbAsync();
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == second.RunId, TestContext.Current.CancellationToken);
        Assert.Equal((Models, Models, 18), (run.Models, run.CensusModels, run.Duplicates));
        Assert.Equal(Models, await ListedAsync(host, second.RunId!.Value));
    }

    private static async Task<int> ListedAsync(IngestionHost host, int runId)
    {
        await using var db = await host.DbAsync();
        return await db.Snapshots.CountAsync(s => s.RunId == runId, TestContext.Current.CancellationToken);
    }

    private static async Task<Dictionary<string, Metadata>> MetadataAsync(IngestionHost host)
    {
        await using var db = await host.DbAsync();
        return await db.Models.AsNoTracking()
            .Select(m => new { m.HubId, Row = new Metadata(m.Task, m.Library, m.License, m.CreatedAt, m.Parameters, m.BaseModel) })
            .ToDictionaryAsync(m => m.HubId, m => m.Row, StringComparer.Ordinal, TestContext.Current.CancellationToken);
    }

    private sealed record Metadata(string? Task, string? Library, string? License, DateTime? CreatedAt, long? Parameters, string? BaseModel);

    /// <summary>The same catalog with every <c>every</c>-th listed model's metadata edited, and every <c>duplicateEvery</c>-th listed twice.</summary>
    private sealed class EditedCatalog(IFakeCatalog inner, int every, int duplicateEvery = 0) : IFakeCatalog
    {
        public static readonly DateTime Created = new(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc);

        public IReadOnlyList<string> Authors => inner.Authors;

        public IReadOnlyList<CatalogRecord> List(string? author, ModelSort sort)
        {
            var listed = new List<CatalogRecord>();
            foreach (var record in inner.List(author, sort))
            {
                var edited = every > 0 && IndexOf(record.Model.Id) % every == 0
                    ? record with { Model = Edit(record.Model) }
                    : record;
                listed.Add(edited);
                if (author is null && duplicateEvery > 0 && IndexOf(record.Model.Id) % duplicateEvery == 0)
                {
                    listed.Add(edited);
                }
            }

            return listed;
        }

        private static FakeModel Edit(FakeModel model) => model with
        {
            PipelineTag = "edited-task",
            LibraryName = "edited-library",
            CreatedAt = new DateTimeOffset(Created),
            SafetensorsParameters = null,
            SafetensorsTotal = 123_456_789,
        };

        // The catalog number at the end of a generated id (namespace/prefix0001234).
        private static int IndexOf(string id) => int.Parse(id[^7..], System.Globalization.CultureInfo.InvariantCulture);

        public FakeModel? Find(string id) => inner.Find(id);

        public CatalogTotals Sum(IEnumerable<string> authors) => inner.Sum(authors);

        public CatalogTotals Sum() => inner.Sum();

        public IReadOnlyList<MalformedRecord> MalformedIn(string author) => inner.MalformedIn(author);
    }
}

/// <summary>The map alone: found only with the same fingerprint, every model kept as it grows, values hashed by kind.</summary>
public sealed class StoredModelMapUnitTests
{
    [Fact]
    public void AModelIsFoundOnlyWithItsFingerprintAndTheMapNeverGrows()
    {
        var map = StoredModelMap.Empty(100_000);
        for (var id = 1; id < 100_000; id++)
        {
            map.Set($"ns/model-{id}", id, (ulong)id * 7919);
        }

        Assert.Equal(99_999, map.Count);
        Assert.Equal(Enumerable.Range(1, 99_999), Enumerable.Range(1, 99_999).Select(id => map.Find($"ns/model-{id}", (ulong)id * 7919) ?? -1));
        Assert.Null(map.Find("ns/model-5", 5 * 7919 + 1));
        Assert.Null(map.Find("ns/model-100001", 100_001 * 7919));
        Assert.Null(map.Find("NS/model-5", 5 * 7919));

        // The same Hub id stored again (its metadata changed): the new fingerprint is the one found.
        map.Set("ns/model-5", 5, 42);
        Assert.Equal((99_999, (int?)5, (int?)null), (map.Count, map.Find("ns/model-5", 42), map.Find("ns/model-5", 5 * 7919)));

        // Past its room (ids from 100,000 on): left out, not found.
        map.Set("ns/model-100000", 100_000, 1);
        Assert.Equal((99_999, (int?)null), (map.Count, map.Find("ns/model-100000", 1)));
        var small = StoredModelMap.Empty(1_000);
        for (var id = 1; id <= 2_000; id++)
        {
            small.Set($"ns/model-{id}", id, 7);
        }

        // Room for ids below 1,024 (the least it plans): 1,023 models, 1,333 slots at most 77% full.
        Assert.Equal((1_023, (int?)1_023, (int?)null), (small.Count, small.Find("ns/model-1023", 7), small.Find("ns/model-1024", 7)));
    }

    [Fact]
    public void ValuesAreHashedWithTheirBoundsAndATimeAsTheTextSqliteStores()
    {
        var at = new DateTime(2025, 1, 2, 3, 4, 5, 600, DateTimeKind.Utc);
        Assert.Equal(Hash("a/b", at), Hash("a/b", "2025-01-02 03:04:05.6"));
        Assert.Equal(Hash("a/b", 5L), Hash("a/b", 5));
        Assert.NotEqual(Hash("a/b", DBNull.Value), Hash("a/b", ""));
        Assert.NotEqual(Hash("a/b", "x", "y"), Hash("a/b", "xy", ""));
        Assert.NotEqual(Hash("a/b", "x", DBNull.Value), Hash("a/b", DBNull.Value, "x"));
        Assert.NotEqual(Hash("a/b", "x"), Hash("a/c", "x"));
    }

    [Fact]
    public void SqliteBuildsTheSameCanonicalTextAsTheWriterFromItsValues()
    {
        // The writer hashes the values it binds; a whole-Hub run's load hashes the text SQLite builds from the stored row.
        object[][] rows =
        [
            ["ns", "lab", "CN", "text-generation", "transformers", "apache-2.0", new DateTime(2025, 1, 2, 3, 4, 5, 600, DateTimeKind.Utc), 7_000_000_000L, "base/model", "finetune", "finetune:base/model"],
            ["ns", DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value],
            ["ns", "", "", "ünïcødé 模型", "", "mit", new DateTime(2024, 12, 31, 23, 59, 59, DateTimeKind.Utc), 0L, "", "", ""],
            ["ns", "lab", "US", "task", "lib", "other", new DateTime(2025, 6, 1, 0, 0, 0, 123, DateTimeKind.Utc), -1L, "a/b", "merge", "merge:a/b merge:c/d"],
        ];
        string[] columns = ["Namespace", "LabId", "Country", "Task", "Library", "License", "CreatedAt", "Parameters", "BaseModel", "Relation", "Parents"];
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TABLE Models (Id INTEGER PRIMARY KEY, HubId TEXT, {string.Join(", ", columns.Select(c => c + (c == "Parameters" ? " INTEGER" : " TEXT")))})";
        command.ExecuteNonQuery();
        command.CommandText = $"INSERT INTO Models VALUES (@id, @hubId, {string.Join(", ", columns.Select(c => "@" + c))})";
        for (var row = 0; row < rows.Length; row++)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("@id", row + 1);
            command.Parameters.AddWithValue("@hubId", $"ns/model-{row}");
            for (var column = 0; column < columns.Length; column++)
            {
                command.Parameters.AddWithValue("@" + columns[column], rows[row][column]);
            }

            command.ExecuteNonQuery();
        }

        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*), MAX(Id) FROM Models";
        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT Id, HubId, {StoredModelMap.Fingerprint.CanonicalSql(columns)} FROM Models";
        var map = StoredModelMap.Load(count, select);

        Assert.Equal(4, map.Count);
        Assert.Equal([1, 2, 3, 4], Enumerable.Range(0, rows.Length).Select(row => map.Find($"ns/model-{row}", Hash($"ns/model-{row}", rows[row])) ?? -1));
        Assert.Null(map.Find("ns/model-1", Hash("ns/model-1", rows[0])));
    }

    private static ulong Hash(string hubId, params object[] values)
    {
        var fingerprint = new StoredModelMap.Fingerprint();
        fingerprint.Start(hubId);
        foreach (var value in values)
        {
            fingerprint.Add(value);
        }

        return fingerprint.Hash();
    }
}
