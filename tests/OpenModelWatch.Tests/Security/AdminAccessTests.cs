using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Security;

namespace OpenModelWatch.Tests.Security;

/// <summary>Reading is public; starting a run needs the administrator: the API key for the API, a cookie login for the dashboard.</summary>
public sealed class AdminAccessTests : FakeHubFixture
{
    private string _registry = null!;

    private string LogFolder => Folder.File("logs");

    protected override FakeHubOptions HubOptions => new() { Catalog = new GeneratedCatalog(2500, ["alpha", "beta", "gamma"]), MaxPageSize = 300 };

    protected override ValueTask StartedAsync()
    {
        _registry = Folder.WriteRegistry(("alpha", "US"), ("beta", "CN"), ("gamma", "FR"));
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task AnAnonymousStartIsRefusedWith401AndTheAttemptIsLogged()
    {
        await using var app = App(Admin.Settings());
        var client = app.CreateClient();

        var response = await client.StartRunAsync(key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("ApiKey header=\"X-Api-Key\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.ContentType()?.MediaType);
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/v1/runs", TestContext.Current.CancellationToken)).GetProperty("total").GetInt32());
        Assert.Equal(0, Hub.Counters.Requests);
        var logs = Admin.ReadLogs(LogFolder);
        Assert.Contains("\"Path\":\"/api/v1/runs\"", logs);
        Assert.Contains("\"Reason\":\"not authenticated as the administrator\"", logs);
    }

    [Fact]
    public async Task WithTheKeyARunStartsInTheBackgroundAndASecondStartGets409WithTheReason()
    {
        // Nine pages at 300 ms: the run lasts about three seconds, the answer must not wait for it.
        Hub.Faults.Slow(TimeSpan.FromMilliseconds(300), times: FakeHubFaults.Always);
        await using var app = App(Admin.Settings());
        var client = app.CreateClient();

        var started = await client.StartRunAsync();
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var body = await started.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var runId = body.GetProperty("runId").GetInt32();
        Assert.Equal($"/api/v1/runs/{runId}", started.Headers.Location?.OriginalString);
        Assert.Equal("Running", (await RunAsync(client, runId)).GetProperty("status").GetString());

        var second = await client.StartRunAsync();
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.StartsWith($"Another run is in progress on this database: run {runId}, started ", problem.GetProperty("detail").GetString());

        await Admin.EventuallyAsync(async () => (await RunAsync(client, runId)).GetProperty("status").GetString() != "Running", TimeSpan.FromMinutes(1), "the run to end");
        var run = await RunAsync(client, runId);
        Assert.Equal(("Succeeded", "Manual", 2500), (run.GetProperty("status").GetString(), run.GetProperty("trigger").GetString(), run.GetProperty("models").GetInt32()));
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>("/api/v1/runs", TestContext.Current.CancellationToken)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AWrongKeyIsRefusedThenRateLimitedWithRetryAfterEvenForTheRightKey()
    {
        await using var app = App(Admin.Settings(("RateLimiting:FailedSecretsPerMinute", "3")));
        var client = app.CreateClient();

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.StartRunAsync("not-the-key-" + attempt)).StatusCode);
        }

        var limited = await client.StartRunAsync("not-the-key-4");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.StartRunAsync(Admin.ApiKey)).StatusCode);
        Assert.Equal(0, Hub.Counters.Requests);
        var logs = Admin.ReadLogs(LogFolder);
        Assert.Contains("\"Reason\":\"wrong API key\"", logs);
        Assert.Contains("\"Reason\":\"too many wrong secrets; rate limited\"", logs);
        Assert.DoesNotContain("not-the-key", logs);
    }

    [Fact]
    public async Task TheDashboardLoginOpensASessionOnlyForTheRightPasswordAndTheApiStillWantsTheKey()
    {
        await using var app = App(Admin.Settings());
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var anonymousPage = await client.GetStringAsync("/ingestion", TestContext.Current.CancellationToken);
        Assert.Contains("data-testid=\"login-link\"", anonymousPage);
        Assert.DoesNotContain("data-testid=\"run-now\"", anonymousPage);

        var wrong = await client.LogInAsync("not the password at all");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Wrong password.", await wrong.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        // A reader whose language is Spanish (its cookie) is told so in Spanish.
        client.DefaultRequestHeaders.Add("Cookie", "omw-lang=c%3Des%7Cuic%3Des");
        var wrongInSpanish = await client.LogInAsync("not the password at all");
        Assert.Contains("Contraseña incorrecta.", System.Net.WebUtility.HtmlDecode(await wrongInSpanish.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        client.DefaultRequestHeaders.Remove("Cookie");

        var right = await client.LogInAsync(Admin.Password, returnUrl: "https://elsewhere.example/phish");
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/ingestion", right.Headers.Location?.OriginalString);
        var cookie = Assert.Single(right.Headers.GetValues("Set-Cookie"), value => value.StartsWith(AdminAccess.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var adminPage = await client.GetStringAsync("/ingestion", TestContext.Current.CancellationToken);
        Assert.Contains("data-testid=\"run-now\"", adminPage);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.StartRunAsync(key: null)).StatusCode);

        var logs = Admin.ReadLogs(LogFolder);
        Assert.Contains("\"Outcome\":\"refused: wrong password\"", logs);
        Assert.Contains("\"Outcome\":\"administrator logged in\"", logs);
        Assert.DoesNotContain("not the password at all", logs);
        Assert.DoesNotContain(Admin.Password, logs);
    }

    [Theory]
    [InlineData("/ingestion?page=2", "/ingestion?page=2")]
    [InlineData("/", "/")]
    [InlineData("https://elsewhere.example/", "/ingestion")]
    [InlineData("//elsewhere.example/", "/ingestion")]
    [InlineData("/\\elsewhere.example/", "/ingestion")]
    [InlineData("/\t/elsewhere.example/", "/ingestion")]
    [InlineData("", "/ingestion")]
    [InlineData(null, "/ingestion")]
    public void TheLoginOnlyReturnsToAPathOfThisSite(string? returnUrl, string expected) =>
        Assert.Equal(expected, LoginEndpoints.SafeReturnUrl(returnUrl));

    [Fact]
    public async Task WithoutHashesAdministrationIsOffSaysSoAtStartAndNothingUnlocksIt()
    {
        await using var app = App(new Dictionary<string, string?>());
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.StartRunAsync(Admin.ApiKey)).StatusCode);
        Assert.Contains("data-testid=\"login-off\"", await client.GetStringAsync("/login", TestContext.Current.CancellationToken));
        var login = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = Admin.Password }), TestContext.Current.CancellationToken);
        Assert.NotEqual(HttpStatusCode.OK, login.StatusCode);
        Assert.False(login.Headers.Contains("Set-Cookie") && login.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(AdminAccess.CookieName, StringComparison.Ordinal)));

        var logs = Admin.ReadLogs(LogFolder);
        Assert.Contains("Administration is off: Admin:PasswordHash and Admin:ApiKeyHash are not set", logs);
        Assert.Contains("\"Reason\":\"API keys are off (Admin:ApiKeyHash is not set)\"", logs);
        Assert.Equal(0, Hub.Counters.Requests);
    }

    [Fact]
    public async Task HashSecretPrintsOnlyAHashThatVerifiesAndRefusesAShortSecret()
    {
        var settings = new Dictionary<string, string> { ["Logs:Path"] = "" };
        using (var hashing = AppProcess.StartWithInput(settings, Admin.Password + "\n", "hash-secret"))
        {
            var (code, output, error) = await hashing.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(0, code);
            var hash = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.True(SecretHash.IsWellFormed(hash));
            Assert.True(SecretHash.Verify(hash, Admin.Password));
            Assert.False(SecretHash.Verify(hash, Admin.Password + "!"));
            Assert.DoesNotContain(Admin.Password, output + error);
        }

        using var refusing = AppProcess.StartWithInput(settings, "short\n", "hash-secret");
        var (refusedCode, refusedOutput, refusedError) = await refusing.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(2, refusedCode);
        Assert.Empty(refusedOutput);
        Assert.Equal("hash-secret: the secret must be at least 12 characters; it has 5.", refusedError.Trim());
    }

    private AppFactory App(Dictionary<string, string?> settings)
    {
        settings["Logs:Path"] = LogFolder;
        return new AppFactory(Folder, Hub.BaseAddress, _registry, settings);
    }

    private static async Task<JsonElement> RunAsync(HttpClient client, int id) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{id}", TestContext.Current.CancellationToken);
}
