using System.Text.Json;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>
/// The real app on a real port (Kestrel, so its request limits apply and a browser can reach it), after two real
/// ingestion runs from the fake Hub: <see cref="ModelCount"/> models, more than one API page, in six namespaces —
/// one of them a registered lab whose namespace and name start with <c>=</c>, one an unregistered uploader whose
/// models start with <c>@</c> (reached through the census) and quantize Qwen's. Every expected value comes from the catalog.
/// </summary>
public class ExportsApp : FakeHubFixture
{
    public const int ModelCount = 1500;

    /// <summary>The lab whose name a spreadsheet would read as a formula.</summary>
    public const string FormulaLabName = "=HYPERLINK(\"http://evil.example\",\"click me\")";
    public const string FormulaNamespace = "=cmd";
    public const string CommunityNamespace = "@evil";

    /// <summary>(namespace, lab id, country); null id: not in the registry.</summary>
    public static readonly (string Namespace, string? Lab, string Country)[] Namespaces =
    [
        ("Qwen", "qwen", "CN"), ("meta-llama", "meta", "US"), ("mistralai", "mistral", "FR"), ("deepseek-ai", "deepseek", "CN"),
        (FormulaNamespace, "formula-lab", "DE"), (CommunityNamespace, null, "XX"),
    ];

    private readonly SwitchableCatalog _catalog;
    private AppFactory? _app;

    public ExportsApp()
        : this(StoreProvider.Sqlite)
    {
    }

    protected ExportsApp(StoreProvider provider)
        : base(provider)
    {
        FirstRun = new RealisticCatalog(Models(seed: 1));
        SecondRun = new RealisticCatalog(Models(seed: 2));
        _catalog = new SwitchableCatalog(FirstRun);
    }

    public RealisticCatalog FirstRun { get; }

    /// <summary>The catalog of the as-of run.</summary>
    public RealisticCatalog SecondRun { get; }

    public AppFactory App => _app ?? throw new InvalidOperationException("Not started.");

    public IServiceProvider Services => App.Services;

    /// <summary>The app's address, <c>http://127.0.0.1:port</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public HttpClient Client { get; private set; } = null!;

    public async Task<int> IngestAsync(IFakeCatalog catalog)
    {
        _catalog.Current = catalog;
        var outcome = await Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);
        return outcome.RunId!.Value;
    }

    public async Task<JsonElement> JsonAsync(string path)
    {
        using var response = await Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    protected override FakeHubOptions HubOptions => new() { Catalog = _catalog, RateLimitQuota = 1_000_000 };

    protected override async ValueTask StartedAsync()
    {
        var registry = Folder.File("labs.json");
        await File.WriteAllTextAsync(registry, RegistryJson());
        _app = Track(new AppFactory(Folder, Hub.BaseAddress, registry, new Dictionary<string, string?>
        {
            // The census reaches the unregistered uploader's models.
            ["Census:TopN"] = "400",
            ["RateLimiting:PermitsPerMinute"] = "1000000",
            ["Security:HttpsRedirection"] = "false",
        }));
        BaseUrl = _app.StartOnKestrel();
        Client = TrackDisposable(new HttpClient { BaseAddress = new Uri(BaseUrl + "/") });
        await IngestAsync(FirstRun);
        await IngestAsync(SecondRun);
    }

    private static string RegistryJson()
    {
        var labs = Namespaces.Where(ns => ns.Lab is not null).Select(ns => new
        {
            id = ns.Lab,
            name = ns.Namespace == FormulaNamespace ? FormulaLabName : ns.Namespace + " lab",
            organization = ns.Namespace == FormulaNamespace ? "@SUM(1+1)" : ns.Namespace + " Inc.",
            country = ns.Country,
            kind = "company",
            namespaces = new[] { ns.Namespace },
            source = "test",
        });
        return JsonSerializer.Serialize(new { version = 1, labs });
    }

    /// <summary>Model i is in namespace i % 6; the formula lab's and the community uploader's names start with formula characters too.</summary>
    private static FakeModel[] Models(int seed) => Enumerable.Range(0, ModelCount).Select(i =>
    {
        var ns = Namespaces[i % Namespaces.Length].Namespace;
        var name = ns switch
        {
            FormulaNamespace => $"=SUM(A{i})",
            CommunityNamespace => $"-{i}+1-GGUF",
            _ => $"model-{i:D4}",
        };
        var downloads = 10_000_000L / (i + 1) * seed + (i * 7919 % 1000);
        return new FakeModel
        {
            Id = $"{ns}/{name}",
            CreatedAt = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i * 5),
            LastModified = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero),
            Downloads = downloads,
            DownloadsAllTime = downloads * 9 + i,
            Likes = (i * 37 + seed * 11) % 5000,
            TrendingScore = (i * 13 + seed) % 300,
            PipelineTag = (i % 3) switch { 0 => "text-generation", 1 => "feature-extraction", _ => "image-text-to-text" },
            LibraryName = "transformers",
            // The community uploader's models are quantizations of Qwen models: derivatives, for origin attribution.
            Tags = ns == CommunityNamespace
                ? ["license:apache-2.0", $"base_model:Qwen/model-{i - 5:D4}", $"base_model:quantized:Qwen/model-{i - 5:D4}"]
                : [i % 4 == 0 ? "license:mit" : "license:apache-2.0"],
            SafetensorsParameters = new Dictionary<string, long> { ["BF16"] = (i % 50 + 1) * 100_000_000L },
        };
    }).ToArray();
}

/// <summary><see cref="ExportsApp"/> on a PostgreSQL database of its own, for the suites that run on both stores.</summary>
public sealed class PostgresExportsApp() : ExportsApp(StoreProvider.PostgreSQL);

/// <summary>
/// The PostgreSQL twin of the exports collection (<c>Files.ExportsCollection</c>), run alone for the same reason: its
/// sweeps would otherwise slow the browser tests of other classes past their timeouts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresExportsCollection : ICollectionFixture<PostgresExportsApp>
{
    public const string Name = "exports on PostgreSQL";
}
