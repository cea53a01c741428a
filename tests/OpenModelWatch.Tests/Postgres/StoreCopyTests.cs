using System.Text.Json;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Postgres;

/// <summary>
/// Moving an install: the bundled August 2026 snapshot imported into SQLite by the real app, copied into an empty
/// PostgreSQL database by <c>copy-to-postgres</c> (<see cref="StoreCopy"/>), then the app on each store: every API
/// answer below is the same, byte for byte. A second copy into the now full database is refused and changes nothing.
/// </summary>
public sealed class StoreCopyTests : IDisposable
{
    private readonly TempFolder _sqlite = new();
    private readonly TempFolder _postgres = new(StoreProvider.PostgreSQL);

    public void Dispose()
    {
        _sqlite.Dispose();
        _postgres.Dispose();
    }

    [Fact]
    public async Task TheCopyOfTheBundledSnapshotAnswersEveryApiQueryByteForByteAsTheSqliteStore()
    {
        var noHub = new Uri("http://127.0.0.1:9/");
        var registry = Repo.Path("seeds", "labs.json");
        await using var onSqlite = new AppFactory(_sqlite, noHub, registry, new Dictionary<string, string?> { ["Snapshot:ImportWhenEmpty"] = "true" });
        using var sqliteClient = onSqlite.CreateClient();

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await StoreCopy.RunAsync(_sqlite.Store, _postgres.ConnectionString, output, error, TestContext.Current.CancellationToken));
        Assert.Equal("", error.ToString());
        Assert.Contains("copy-to-postgres: runs: 13 rows copied, identical (13 rows, sum 163,234).", output.ToString());
        Assert.Contains("copy-to-postgres: models: 15,632 rows copied, identical", output.ToString());

        await using var onPostgres = new AppFactory(_postgres, noHub, registry);
        using var postgresClient = onPostgres.CreateClient();
        string[] queries =
        [
            "/api/v1/runs", "/api/v1/models?limit=100", "/api/v1/models?sort=likes&limit=50&offset=50", "/api/v1/models?q=QWEN&limit=100",
            "/api/v1/models?country=cn&sort=createdAt&limit=100", "/api/v1/models?run=3&limit=100", "/api/v1/labs?limit=200",
            "/api/v1/labs?attribution=origin&limit=200", "/api/v1/countries", "/api/v1/history/countries", "/api/v1/concentration",
            "/api/v1/derivatives/labs", "/api/v1/releases/months", "/exports/models.csv?limit=500", "/exports/history.csv",
        ];
        // The most downloaded model's history and family tree.
        var top = (await sqliteClient.GetFromJsonAsync<JsonElement>("/api/v1/models?limit=1", TestContext.Current.CancellationToken))
            .GetProperty("items")[0].GetProperty("id").GetString();
        queries = [.. queries, $"/api/v1/models/{top}/history", $"/api/v1/models/{top}/family"];
        foreach (var query in queries)
        {
            using var fromSqlite = await sqliteClient.GetAsync(query, TestContext.Current.CancellationToken);
            using var fromPostgres = await postgresClient.GetAsync(query, TestContext.Current.CancellationToken);
            Assert.True(fromSqlite.IsSuccessStatusCode, $"{query} on SQLite: {(int)fromSqlite.StatusCode}");
            Assert.True(fromPostgres.IsSuccessStatusCode, $"{query} on PostgreSQL: {(int)fromPostgres.StatusCode}");
            var expected = await fromSqlite.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            var actual = await fromPostgres.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{query} differs:\nSQLite:     {Head(expected)}\nPostgreSQL: {Head(actual)}");
        }

        var again = new StringWriter();
        Assert.Equal(2, await StoreCopy.RunAsync(_sqlite.Store, _postgres.ConnectionString, TextWriter.Null, again, TestContext.Current.CancellationToken));
        Assert.Contains("is not empty; copy into a new, empty database.", again.ToString());
        Assert.Equal("13", Sql.Scalar(_postgres, "SELECT COUNT(*) FROM runs"));
    }

    private static string Head(byte[] body) => System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 400)));
}
