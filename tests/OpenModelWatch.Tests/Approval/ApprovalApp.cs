using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Approval;

/// <summary>
/// <see cref="ExportsApp"/>'s store made deterministic, for the approved-answer tests: the same fake Hub catalogs
/// (<see cref="ExportsApp.FirstRun"/>, <see cref="ExportsApp.SecondRun"/>) and the same lab registry, ingested by the
/// real app on Kestrel, with two differences that make every answer the same from one test run to the next:
/// <list type="bullet">
/// <item>the app's <see cref="TimeProvider"/> is a <see cref="FixedClock"/>, set to <see cref="FirstRunAt"/> for the
/// first run and to <see cref="SecondRunAt"/> for the second (so run times, <c>asOf</c>, <c>Last-Modified</c> and file
/// names are fixed; timers and timestamps stay on the system clock, so nothing waits forever);</item>
/// <item><c>Exports:PublicUrl</c> is <see cref="PublicUrl"/>, so the absolute links in files and embeds do not carry
/// the random Kestrel port.</item>
/// </list>
/// </summary>
public class ApprovalApp : FakeHubFixture
{
    public const string PublicUrl = "https://openmodelwatch.example.org";

    public static readonly DateTimeOffset FirstRunAt = new(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset SecondRunAt = new(2026, 3, 8, 6, 0, 0, TimeSpan.Zero);

    private readonly FixedClock _clock = new(FirstRunAt);
    private readonly RealisticCatalog _firstRun;
    private readonly RealisticCatalog _secondRun;
    private readonly SwitchableCatalog _catalog;
    private WebApplicationFactory<Program>? _app;

    public ApprovalApp()
        : this(StoreProvider.Sqlite)
    {
    }

    protected ApprovalApp(StoreProvider provider)
        : base(provider)
    {
        // ExportsApp's constructor only builds its catalogs (and an empty temporary folder, removed at once).
        var exports = new ExportsApp();
        (_firstRun, _secondRun) = (exports.FirstRun, exports.SecondRun);
        exports.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _catalog = new SwitchableCatalog(_firstRun);
    }

    public HttpClient Client { get; private set; } = null!;

    protected override FakeHubOptions HubOptions => new() { Catalog = _catalog, RateLimitQuota = 1_000_000 };

    protected override async ValueTask StartedAsync()
    {
        var registry = Folder.File("labs.json");
        await File.WriteAllTextAsync(registry, RegistryJson());
        var factory = Track(new AppFactory(Folder, Hub.BaseAddress, registry, new Dictionary<string, string?>
        {
            // As ExportsApp: the census reaches the unregistered uploader's models.
            ["Census:TopN"] = "400",
            ["RateLimiting:PermitsPerMinute"] = "1000000",
            ["Security:HttpsRedirection"] = "false",
            ["Exports:PublicUrl"] = PublicUrl,
        }));
        _app = Track(factory.WithWebHostBuilder(host => host.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock))));
        _app.UseKestrel(0);
        _app.StartServer();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Client = TrackDisposable(new HttpClient { BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/") });
        await IngestAsync(_firstRun, FirstRunAt);
        await IngestAsync(_secondRun, SecondRunAt);
    }

    private async Task IngestAsync(IFakeCatalog catalog, DateTimeOffset at)
    {
        _catalog.Current = catalog;
        _clock.Now = at;
        var outcome = await _app!.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);
    }

    /// <summary>ExportsApp's registry, written the same way.</summary>
    private static string RegistryJson()
    {
        var labs = ExportsApp.Namespaces.Where(ns => ns.Lab is not null).Select(ns => new
        {
            id = ns.Lab,
            name = ns.Namespace == ExportsApp.FormulaNamespace ? ExportsApp.FormulaLabName : ns.Namespace + " lab",
            organization = ns.Namespace == ExportsApp.FormulaNamespace ? "@SUM(1+1)" : ns.Namespace + " Inc.",
            country = ns.Country,
            kind = "company",
            namespaces = new[] { ns.Namespace },
            source = "test",
        });
        return JsonSerializer.Serialize(new { version = 1, labs });
    }

    /// <summary>A wall clock that reads what it is set to; timers and timestamps are the system's.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

/// <summary><see cref="ApprovalApp"/> on a PostgreSQL database of its own: the same store, so the same approved answers.</summary>
public sealed class PostgresApprovalApp() : ApprovalApp(StoreProvider.PostgreSQL);
