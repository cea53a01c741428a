using System.Net;
using System.Text.Json;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Runs;

/// <summary>
/// The web host and an <c>ingest</c> process on the same database start runs at once: exactly one runs, the other
/// says why (two <c>ingest</c> processes: <c>IngestProcessTests</c>).
/// </summary>
public sealed class HostAndIngestTests : FakeHubFixture
{
    private static readonly TimeSpan _processLimit = TimeSpan.FromMinutes(2);
    private string _registry = null!;

    protected override FakeHubOptions HubOptions => new() { Catalog = new GeneratedCatalog(3000, ["alpha", "beta"]), MaxPageSize = 100 };

    protected override ValueTask StartedAsync()
    {
        _registry = Folder.WriteRegistry(("alpha", "US"), ("beta", "CN"));
        // 30 pages at 200 ms: a run lasts about six seconds, well past the other side's start.
        Hub.Faults.Slow(TimeSpan.FromMilliseconds(200), times: FakeHubFaults.Always);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task AnIngestStartedWhileTheHostRunsSaysWhyAndExits3()
    {
        // The host's run is held (5 s a page) until the ingest process has been turned away, then let go: a process
        // starting on a loaded machine (the whole suite on 2 cores) takes longer than a six-second run.
        Hub.Faults.Clear();
        Hub.Faults.Slow(TimeSpan.FromSeconds(5), times: FakeHubFaults.Always);
        await using var app = new AppFactory(Folder, Hub.BaseAddress, _registry, Admin.Settings());
        var client = app.CreateClient();
        var started = await client.StartRunAsync();
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        using var ingest = AppProcess.Start(IngestSettings(), "ingest");
        var (code, _, error) = await ingest.WaitAsync(_processLimit);
        Hub.Faults.Clear();

        Assert.Equal(3, code);
        Assert.Matches($"^ingest: not started: Another run is in progress on this database: run 1, started .* by .* pid {Environment.ProcessId}\\.$", error.Trim());
        await Admin.EventuallyAsync(async () => Scalar("SELECT Status FROM Runs WHERE Id = 1") != "Running", _processLimit, "the host's run to end");
        Assert.Equal("Succeeded", Scalar("SELECT Status FROM Runs WHERE Id = 1"));
        Assert.Equal("1", Scalar("SELECT COUNT(*) FROM Runs"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/runs/1", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task ARunNowWhileAnIngestRunsGets409NamingTheIngestProcess()
    {
        await using var app = new AppFactory(Folder, Hub.BaseAddress, _registry, Admin.Settings());
        var client = app.CreateClient();
        await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        using var ingest = AppProcess.Start(IngestSettings(), "ingest");
        await Admin.EventuallyAsync(() => Task.FromResult(Hub.Counters.Requests >= 2), _processLimit, "the ingest to be fetching");

        var refused = await client.StartRunAsync();

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var detail = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("detail").GetString();
        Assert.Matches($"^Another run is in progress on this database: run 1, started .* by .* pid {ingest.Id}\\.$", detail);
        var (code, output, _) = await ingest.WaitAsync(_processLimit);
        Assert.Equal(0, code);
        Assert.Contains("ingest: run 1 succeeded", output);
        Assert.Equal("1", Scalar("SELECT COUNT(*) FROM Runs"));
    }

    private Dictionary<string, string> IngestSettings() => new()
    {
        ["ConnectionStrings:OpenModelWatch"] = Folder.ConnectionString,
        ["Hub:BaseUrl"] = Hub.BaseAddress.AbsoluteUri,
        ["Hub:BaseDelay"] = "00:00:00.010",
        ["Hub:MaxDelay"] = "00:00:00.050",
        ["Labs:RegistryPath"] = _registry,
        ["Logs:Path"] = "",
        ["Snapshot:ImportWhenEmpty"] = "false",
        ["Snapshot:ImportHistory"] = "false",
        ["Census:TopN"] = "0",
    };

    private string? Scalar(string sql) => Sql.Scalar(Folder.ConnectionString, sql);
}
