using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Security;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Postgres;

/// <summary>
/// The multi-replica layout of docs/deploy.md as real processes on one PostgreSQL database: two web replicas with
/// ingestion off and one <c>ingest</c> command. A run by the ingester appears on both replicas within a few seconds,
/// with identical answers; an administrator's login cookie from one replica is accepted by the other.
/// </summary>
public sealed class ReplicaTests() : FakeHubFixture(StoreProvider.PostgreSQL)
{
    private static readonly TimeSpan _processLimit = TimeSpan.FromMinutes(2);
    private static readonly string[] _namespaces = ["alpha", "beta"];
    private readonly SwitchableCatalog _catalog = new(new GeneratedCatalog(600, _namespaces, seed: 1));

    protected override FakeHubOptions HubOptions => new() { Catalog = _catalog };

    [Fact]
    public async Task ARunOfTheIngesterReachesBothReplicasWithinSecondsAndALoginOnOneWorksOnTheOther()
    {
        var settings = TestSettings.For(Folder, Hub.BaseAddress, Folder.WriteRegistry(("alpha", "US"), ("beta", "CN")));
        settings["Admin:PasswordHash"] = Admin.PasswordHash;
        settings["Admin:ApiKeyHash"] = Admin.ApiKeyHash;
        using var first = await ReplicaAsync(settings);
        using var second = await ReplicaAsync(settings);

        // One run, then a second with other counts: each appears on both replicas, whose caches held the previous one.
        foreach (var expected in new[] { 1, 2 })
        {
            using (var ingest = AppProcess.Start(settings, "ingest"))
            {
                var (code, output, error) = await ingest.WaitAsync(_processLimit);
                Assert.True(code == 0, $"ingest: {code} {output} {error}");
                Assert.Contains($"ingest: run {expected} succeeded", output);
            }

            var clock = Stopwatch.StartNew();
            await Admin.EventuallyAsync(async () => await RunIdAsync(first.Client) == expected && await RunIdAsync(second.Client) == expected,
                TimeSpan.FromSeconds(15), $"run {expected} on both replicas");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"run {expected} took {clock.Elapsed} to reach both replicas");
            foreach (var query in new[] { "/api/v1/models?limit=50&sort=likes", "/api/v1/labs", "/api/v1/countries", "/api/v1/runs" })
            {
                Assert.Equal(await first.Client.GetStringAsync(query, TestContext.Current.CancellationToken),
                    await second.Client.GetStringAsync(query, TestContext.Current.CancellationToken));
            }

            _catalog.Current = new GeneratedCatalog(600, _namespaces, seed: expected + 1);
        }

        // The login cookie issued by the first replica opens the administrator's page on the second: shared keys.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = first.Client.BaseAddress };
        var login = await browser.LogInAsync(Admin.Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(value => value.StartsWith(AdminAccess.CookieName + "=", StringComparison.Ordinal)).Split(';')[0];
        Assert.DoesNotContain("data-testid=\"run-now\"", await second.Client.GetStringAsync("/ingestion", TestContext.Current.CancellationToken));
        using var asAdmin = new HttpRequestMessage(HttpMethod.Get, "/ingestion");
        asAdmin.Headers.Add("Cookie", cookie);
        using var page = await second.Client.SendAsync(asAdmin, TestContext.Current.CancellationToken);
        Assert.Contains("data-testid=\"run-now\"", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        // From the database, not from a folder the two processes happen to share on this one machine.
        Assert.Equal("1", Sql.Scalar(Folder, "SELECT COUNT(*) FROM dataprotectionkeys"));
    }

    private static async Task<int?> RunIdAsync(HttpClient client)
    {
        var answer = await client.GetFromJsonAsync<JsonElement>("/api/v1/models?limit=1", TestContext.Current.CancellationToken);
        return answer.TryGetProperty("runId", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt32() : null;
    }

    /// <summary>A web replica (ingestion off, as every replica) on a free loopback port, once it answers.</summary>
    private static async Task<Replica> ReplicaAsync(Dictionary<string, string> settings)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var process = AppProcess.Start(new Dictionary<string, string>(settings) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var replica = new Replica(process, client);
        try
        {
            await Admin.EventuallyAsync(async () =>
            {
                Assert.False(process.HasExited, "The replica exited at start.");
                try
                {
                    return (await client.GetAsync("/health/live", TestContext.Current.CancellationToken)).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, _processLimit, "the replica to answer");
        }
        catch
        {
            replica.Dispose();
            throw;
        }

        return replica;
    }

    private sealed record Replica(AppProcess Process, HttpClient Client) : IDisposable
    {
        public void Dispose()
        {
            Client.Dispose();
            Process.Dispose();
        }
    }
}
