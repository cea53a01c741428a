using System.Text.Json;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Security;

/// <summary>The Hub token and the administrator's secrets, set to marker strings, show up nowhere a run with faults leaves traces.</summary>
public sealed class SecretLeakTests : FakeHubFixture
{
    private const string TokenMarker = "hf_OMWLEAKMARKER0d1e2f3a4b5c";
    private const string WrongPasswordMarker = "WRONGPASSWORDMARKER-7f3e";
    private const string WrongKeyMarker = "WRONGKEYMARKER-91ab";
    private readonly GeneratedCatalog _catalog = new(2500, ["alpha", "beta", "gamma"]) { MalformedEvery = 97 };

    private string LogFolder => Folder.File("logs");

    protected override FakeHubOptions HubOptions => new() { Catalog = _catalog, MaxPageSize = 300 };

    [Fact]
    public async Task TheTokenAndAdminSecretsAppearInNoLogPageApiAnswerExportOrHealthOutput()
    {
        var settings = Admin.Settings(
            ("Hub:Token", TokenMarker),
            ("Logs:Path", LogFolder),
            ("Census:TopN", "500"),
            ("Census:MaxParentLookups", "5"),
            // Everything the frameworks can say, HTTP client and Polly included, goes to the files.
            ("Serilog:MinimumLevel:Default", "Verbose"),
            ("Serilog:MinimumLevel:Override:Microsoft", "Verbose"),
            ("Serilog:MinimumLevel:Override:Microsoft.AspNetCore", "Verbose"),
            ("Serilog:MinimumLevel:Override:System", "Verbose"),
            ("Serilog:MinimumLevel:Override:System.Net.Http.HttpClient", "Verbose"),
            ("Serilog:MinimumLevel:Override:Polly", "Verbose"),
            ("Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore", "Information"));
        await using var app = new AppFactory(Folder, Hub.BaseAddress, Folder.WriteRegistry(("alpha", "US"), ("beta", "CN"), ("gamma", "FR")), settings);
        var client = app.CreateClient();

        // A run through 429, 5xx and a body cut mid-JSON that succeeds, then one that fails on a 500 storm.
        Hub.Faults.TooManyRequests(retryAfterSeconds: 0, times: 1);
        Hub.Faults.Status(503, times: 2);
        Hub.Faults.TruncateCleanly(times: 1);
        Assert.Equal("Succeeded", await RunToTheEndAsync(client));
        Hub.Faults.Status(500, times: FakeHubFaults.Always);
        Assert.Equal("Failed", await RunToTheEndAsync(client));
        Hub.Faults.Clear();
        Assert.Contains(TokenMarker, Hub.Counters.BearerTokens);

        // Wrong secrets, which must not be logged either.
        await client.LogInAsync(WrongPasswordMarker);
        await client.StartRunAsync(WrongKeyMarker);

        var pages = new List<(string Url, string Text)>();
        foreach (var url in await ReadableUrlsAsync(app, client))
        {
            var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
            pages.Add((url, response.Headers + "\n" + response.Content.Headers + "\n" + await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        }

        Assert.Contains(pages, page => page.Url == "/health/ready");
        Assert.Contains(pages, page => page.Url == "/api/v1/runs");
        Assert.Contains(pages, page => page.Url == "/ingestion");
        var logs = Admin.ReadLogs(LogFolder);
        Assert.Contains("Hub request {Url} answered {Status}", logs);
        Assert.Contains("System.Net.Http.HttpClient", logs);
        string[] secrets = [TokenMarker, Admin.Password, Admin.ApiKey, Admin.PasswordHash, Admin.ApiKeyHash, WrongPasswordMarker, WrongKeyMarker];
        foreach (var secret in secrets)
        {
            Assert.False(logs.Contains(secret, StringComparison.Ordinal), $"The log files contain a secret ({secret[..6]}…).");
            foreach (var (url, text) in pages)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{url} shows a secret ({secret[..6]}…).");
            }
        }
    }

    private static async Task<string> RunToTheEndAsync(HttpClient client)
    {
        // The previous run's status is recorded before its runner has let go of the run: a start in
        // between is refused with 409, "a run is already in progress", and is tried again.
        var runId = 0;
        await Admin.EventuallyAsync(async () =>
        {
            var started = await client.StartRunAsync();
            if (started.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                return false;
            }

            runId = JsonDocument.Parse(await started.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("runId").GetInt32();
            return true;
        }, TimeSpan.FromSeconds(30), "a run to start");
        var status = "Running";
        await Admin.EventuallyAsync(async () =>
        {
            var run = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/runs/{runId}", TestContext.Current.CancellationToken)).RootElement;
            status = run.GetProperty("status").GetString()!;
            return status != "Running";
        }, TimeSpan.FromMinutes(2), $"run {runId} to end");
        return status;
    }

    /// <summary>
    /// Every page, API list, export and health endpoint the app maps without route parameters, plus a model's own
    /// pages and the lists as CSV: whatever is there, whoever added it.
    /// </summary>
    private static async Task<List<string>> ReadableUrlsAsync(AppFactory app, HttpClient client)
    {
        var urls = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.Parameters.Count == 0 && AnswersGet(endpoint))
            .Select(endpoint => "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/'))
            .Where(url => !url.StartsWith("/_", StringComparison.Ordinal) && !Path.HasExtension(url))
            .Distinct()
            .ToList();
        var model = JsonDocument.Parse(await client.GetStringAsync("/api/v1/models?limit=1", TestContext.Current.CancellationToken))
            .RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;
        urls.AddRange([$"/models/{model}", $"/api/v1/models/{model}/history", $"/api/v1/models/{model}/family",
            "/api/v1/models?format=csv", "/api/v1/runs?format=csv&limit=100", "/api/v1/countries?format=csv", "/login?returnUrl=%2Fingestion"]);
        return urls;
    }

    private static bool AnswersGet(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is not { Count: > 0 } methods || methods.Contains("GET");
}
