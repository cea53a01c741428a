using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Hosting;

/// <summary>
/// The app as a real process: what cannot work stops it at once with exit code 2 and one line naming the key or the
/// line; a Hub that cannot be reached at all does not stop it.
/// </summary>
public sealed class StartupTests : IDisposable
{
    private static readonly TimeSpan _processLimit = TimeSpan.FromMinutes(2);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ADatabaseFolderThatCannotBeCreatedStopsTheHostWithOneLine()
    {
        File.WriteAllText(_folder.File("a-file"), "");
        var database = Path.Combine(_folder.File("a-file"), "data", "omw.db");

        var line = await FailingStartAsync(("ConnectionStrings:OpenModelWatch", $"Data Source={database}"));

        Assert.StartsWith($"OpenModelWatch cannot start: The database folder {Path.GetDirectoryName(database)} (ConnectionStrings:OpenModelWatch) cannot be created or written: ", line);
    }

    [Fact]
    public async Task AnUnwritableDatabaseFolderStopsTheHostWithOneLine()
    {
        // Root may write anywhere a permission allows nothing; no one may create a file in /proc.
        string folder;
        if (Environment.IsPrivilegedProcess || OperatingSystem.IsWindows())
        {
            folder = "/proc/self";
        }
        else
        {
            folder = Directory.CreateDirectory(_folder.File("read-only")).FullName;
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        var line = await FailingStartAsync(("ConnectionStrings:OpenModelWatch", $"Data Source={Path.Combine(folder, "omw.db")}"));

        Assert.StartsWith($"OpenModelWatch cannot start: The database folder {folder} (ConnectionStrings:OpenModelWatch) cannot be created or written: ", line);
    }

    [Fact]
    public async Task ABadRegistryStopsTheHostNamingTheLine()
    {
        var registry = _folder.File("bad-labs.json");
        File.WriteAllText(registry, """
            { "version": 1, "labs": [
            { "id": "alpha", "name": "Alpha", "organization": "Alpha Inc.", "country": "US", "kind": "company", "namespaces": ["alpha"], "source": "test" },
            { "id": "beta", "name": "Beta", "organization": "Beta Inc.", "country": "CN", "kind": "company", "namespaces": ["beta", "Alpha"], "source": "test" }
            ] }
            """);

        var line = await FailingStartAsync(("Labs:RegistryPath", registry));

        Assert.StartsWith($"OpenModelWatch cannot start: Lab registry {registry}, line 3: duplicate namespace \"Alpha\"", line);
    }

    [Theory]
    [InlineData("Hub:PageSize", "5000", "Hub:PageSize: The field PageSize must be between 1 and 1000.")]
    [InlineData("Ingestion:Interval", "00:00:05", "Ingestion:Interval: The field Interval must be between 00:01:00 and 30.00:00:00.")]
    [InlineData("Ingestion:Interval", "soon", "Ingestion:Interval")]
    [InlineData("Census:TopN", "lots", "Census:TopN: 'lots' is neither 'all' (every public model, the default) nor a number of models from 0 to 10,000,000.")]
    [InlineData("RateLimiting:PermitsPerMinute", "0", "RateLimiting:PermitsPerMinute: The field PermitsPerMinute must be between 1 and 1000000.")]
    [InlineData("Security:MaxRequestBodyBytes", "10", "Security:MaxRequestBodyBytes: The field MaxRequestBodyBytes must be between 1024 and 104857600.")]
    [InlineData("Admin:PasswordHash", "not-a-hash", "Admin:PasswordHash is not a hash made by the hash-secret command (its value is not shown).")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "proxy.example", "ForwardedHeaders:KnownProxies must be IP addresses")]
    [InlineData("Hub:Token", "hf_a token with spaces", "Hub:Token must be printable ASCII without spaces (its value is not shown).")]
    public async Task AnInvalidOptionStopsTheHostWithOneLineNamingTheKey(string key, string value, string expected)
    {
        var line = await FailingStartAsync((key, value));

        Assert.StartsWith("OpenModelWatch cannot start: ", line);
        Assert.Contains(expected, line);
        if (key.StartsWith("Hub:Token", StringComparison.Ordinal) || key.StartsWith("Admin:", StringComparison.Ordinal))
        {
            Assert.DoesNotContain(value, line);
        }
    }

    [Fact]
    public async Task WhenTheHubCannotBeReachedTheDashboardStartsSaysSoAndKeepsRetryingOnSchedule()
    {
        var port = FreePort();
        var settings = Settings(
            ("Hub:BaseUrl", "http://nonexistent.invalid"),
            ("Hub:MaxAttempts", "2"),
            ("Ingestion:Enabled", "true"),
            ("Ingestion:Interval", "00:01:00"),
            ("Ingestion:RetryAfterFailure", "00:00:10"),
            ("urls", $"http://127.0.0.1:{port}"));
        using var app = AppProcess.Start(settings);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var failed = await FailedRunsAsync(http, atLeast: 1);
        Assert.Contains("nonexistent.invalid", failed[0].GetProperty("error").GetString());
        var overview = await http.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("data-testid=\"last-run-failed\"", overview);
        Assert.Contains("nonexistent.invalid", overview);
        var ready = JsonDocument.Parse(await http.GetStringAsync("/health/ready", TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("Degraded", ready.GetProperty("status").GetString());

        // The retry comes on schedule (Ingestion:RetryAfterFailure), not at once and not never.
        var retried = await FailedRunsAsync(http, atLeast: 2);
        var gap = retried[0].GetProperty("startedAt").GetDateTime() - retried[1].GetProperty("startedAt").GetDateTime();
        Assert.InRange(gap, TimeSpan.FromSeconds(9.5), TimeSpan.FromSeconds(30));
        Assert.False(app.HasExited);
    }

    private async Task<string> FailingStartAsync(params (string Key, string Value)[] settings)
    {
        using var app = AppProcess.Start(Settings(settings));
        var (code, output, error) = await app.WaitAsync(_processLimit);
        Assert.True(code == 2, $"exit code {code}; stdout: {output}; stderr: {error}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        foreach (var (_, value) in settings.Where(setting => setting.Key is "Hub:Token" or "Admin:PasswordHash"))
        {
            Assert.DoesNotContain(value, output);
        }

        return line;
    }

    private Dictionary<string, string> Settings(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string>
        {
            ["ConnectionStrings:OpenModelWatch"] = _folder.ConnectionString,
            ["Labs:RegistryPath"] = File.Exists(_folder.File("labs.json")) ? _folder.File("labs.json") : _folder.WriteRegistry(("alpha", "US")),
            ["Hub:BaseDelay"] = "00:00:00.010",
            ["Hub:MaxDelay"] = "00:00:00.050",
            ["Ingestion:Enabled"] = "false",
            ["Census:TopN"] = "0",
            ["Snapshot:ImportWhenEmpty"] = "false",
            ["Snapshot:ImportHistory"] = "false",
            ["Logs:Path"] = "",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }

    /// <summary>The failed runs, newest first, once there are at least <paramref name="atLeast"/>.</summary>
    private static async Task<List<JsonElement>> FailedRunsAsync(HttpClient http, int atLeast)
    {
        var failed = new List<JsonElement>();
        await Admin.EventuallyAsync(async () =>
        {
            try
            {
                var runs = JsonDocument.Parse(await http.GetStringAsync("/api/v1/runs", TestContext.Current.CancellationToken)).RootElement;
                failed = [.. runs.GetProperty("items").EnumerateArray().Where(run => run.GetProperty("status").GetString() == "Failed")];
                return failed.Count >= atLeast;
            }
            catch (HttpRequestException)
            {
                return false; // not listening yet
            }
        }, _processLimit, $"{atLeast} failed run(s)");
        return failed;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
