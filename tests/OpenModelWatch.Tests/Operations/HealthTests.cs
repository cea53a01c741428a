using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Operations;

/// <summary><c>/health/live</c>, <c>/health/ready</c>, and the same on the Ingestion page and the banner.</summary>
public sealed class HealthTests : FakeHubFixture
{
    private string _registry = null!;

    protected override FakeHubOptions HubOptions => new() { Catalog = new GeneratedCatalog(60, ["alpha", "beta"]) };

    protected override ValueTask StartedAsync()
    {
        _registry = Folder.WriteRegistry(("alpha", "US"), ("beta", "CN"));
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task ReadyIsDegradedUntilALiveRunSucceedsAndSnapshotImportsDoNotCount()
    {
        await using var app = new AppFactory(Folder, Hub.BaseAddress, _registry, new Dictionary<string, string?> { ["Ingestion:Interval"] = "06:00:00" });
        var client = app.CreateClient();

        var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", (await live.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("status").GetString());

        // An imported snapshot run, finished just now, is not a live run.
        Execute("INSERT INTO Runs (StartedAt, FinishedAt, Status, Trigger, Host, Models, Namespaces, Requests, Retries, Throttled, Bytes, Rejected, Duplicates, CensusModels, ParentLookups, LineageCycles, MissingParents) " +
            $"VALUES ('{Now()}', '{Now()}', 'Succeeded', 'Snapshot', 'test', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)");
        var before = await ReadyAsync(client, HttpStatusCode.OK);
        Assert.Equal("Degraded", before.GetProperty("status").GetString());
        Assert.Equal(("Healthy", "Healthy"), (Check(before, "store").GetProperty("status").GetString(), Check(before, "migrations").GetProperty("status").GetString()));
        Assert.Equal("No live ingestion run has succeeded yet; the numbers shown are the bundled snapshot's, if any.",
            Check(before, "ingestion").GetProperty("description").GetString());

        var outcome = await app.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Command, TestContext.Current.CancellationToken);
        Assert.True(outcome.Succeeded, outcome.Error);

        var after = await ReadyAsync(client, HttpStatusCode.OK);
        Assert.Equal("Healthy", after.GetProperty("status").GetString());
        var ingestion = Check(after, "ingestion");
        Assert.Equal(outcome.RunId, ingestion.GetProperty("data").GetProperty("lastSuccessRunId").GetInt32());
        Assert.Equal(12 * 3600, ingestion.GetProperty("data").GetProperty("maxAgeSeconds").GetInt32());
    }

    [Fact]
    public async Task ALastLiveRunOlderThanTwiceTheIntervalIsDegradedWithItsAgeOnThePagesToo()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero));
        await using var factory = new AppFactory(Folder, Hub.BaseAddress, _registry, new Dictionary<string, string?> { ["Ingestion:Interval"] = "01:00:00" });
        await using var app = factory.WithWebHostBuilder(host => host.ConfigureServices(services => services.AddSingleton<TimeProvider>(time)));
        var client = app.CreateClient();
        var outcome = await app.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Schedule, TestContext.Current.CancellationToken);
        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.DoesNotContain("data-testid=\"health-line\"", await client.GetStringAsync("/", TestContext.Current.CancellationToken));

        time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(30));

        var ready = await ReadyAsync(client, HttpStatusCode.OK);
        Assert.Equal("Degraded", ready.GetProperty("status").GetString());
        var ingestion = Check(ready, "ingestion");
        var description = $"The last live run (#{outcome.RunId}) finished 150 min ago, more than twice Ingestion:Interval (60 min): the data is stale.";
        Assert.Equal(description, ingestion.GetProperty("description").GetString());
        Assert.Equal(9000, ingestion.GetProperty("data").GetProperty("ageSeconds").GetInt32());

        // The pages cache the report for a few seconds: let that pass on the same clock, then both say the same.
        time.Advance(TimeSpan.FromMinutes(1));
        var overview = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("data-testid=\"health-line\"", overview);
        var ingestionPage = await client.GetStringAsync("/ingestion", TestContext.Current.CancellationToken);
        Assert.Contains("data-testid=\"health-status\"", ingestionPage);
        Assert.Contains(">Degraded</", ingestionPage);
        var later = $"The last live run (#{outcome.RunId}) finished 151 min ago, more than twice Ingestion:Interval (60 min): the data is stale.";
        Assert.Contains(later, overview);
        Assert.Contains(later, ingestionPage);
    }

    [Fact]
    public async Task AMigrationNotAppliedMakesReadyUnhealthyWith503()
    {
        await using var app = new AppFactory(Folder, Hub.BaseAddress, _registry);
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", TestContext.Current.CancellationToken)).StatusCode);

        Execute("DELETE FROM __EFMigrationsHistory");

        var ready = await ReadyAsync(client, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Unhealthy", ready.GetProperty("status").GetString());
        Assert.Contains(" migration(s) not applied: ", Check(ready, "migrations").GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", TestContext.Current.CancellationToken)).StatusCode);
    }

    private static async Task<JsonElement> ReadyAsync(HttpClient client, HttpStatusCode expected)
    {
        var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(expected, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    private static JsonElement Check(JsonElement report, string name) =>
        report.GetProperty("checks").EnumerateArray().Single(check => check.GetProperty("name").GetString() == name);

    // As EF Core's SQLite provider writes a DateTime.
    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(Folder.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
