using System.Text.Json;
using OpenModelWatch.Hub;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Reading;

/// <summary>
/// The real app on a store of four runs from two sources, written through the real writer (as the bundled datasets
/// are): two monthly runs of a curated list (<see cref="RunSource.OsirMonthly"/>, January and February 2025) whose list
/// grows (Mistral joins in February), then two of this install's own runs (<see cref="RunSource.HubApi"/>, March 2026)
/// that also see DeepSeek and a community uploader. Qwen (600) and Meta (400) have the same 30-day downloads in all
/// four runs, so any move of their shares is only a change of what the runs cover.
/// </summary>
public sealed class SourcesApp : IAsyncLifetime
{
    public static readonly DateTime January = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime February = new(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime March1 = new(2026, 3, 1, 6, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime March8 = new(2026, 3, 8, 6, 0, 0, DateTimeKind.Utc);

    /// <summary>Each run: its time, source and the models it lists with their 30-day downloads (likes: a tenth).</summary>
    public static readonly (DateTime At, RunSource Source, (string Id, long Downloads)[] Models)[] Runs =
    [
        (January, RunSource.OsirMonthly, [("Qwen/q-1", 600), ("meta-llama/m-1", 400)]),
        (February, RunSource.OsirMonthly, [("Qwen/q-1", 600), ("meta-llama/m-1", 400), ("mistralai/x-1", 100)]),
        (March1, RunSource.HubApi, [("Qwen/q-1", 600), ("meta-llama/m-1", 400), ("mistralai/x-1", 100), ("deepseek-ai/d-1", 2000), ("someone/c-1", 1000)]),
        (March8, RunSource.HubApi, [("Qwen/q-1", 600), ("meta-llama/m-1", 400), ("mistralai/x-1", 100), ("deepseek-ai/d-1", 2000), ("someone/c-1", 1000)]),
    ];

    private readonly TempFolder _folder = new();
    private AppFactory? _app;

    public HttpClient Client { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public IServiceProvider Services => _app!.Services;

    public async ValueTask InitializeAsync()
    {
        var registry = _folder.File("labs.json");
        await File.WriteAllTextAsync(registry, JsonSerializer.Serialize(new
        {
            version = 1,
            labs = new[]
            {
                Lab("qwen", "Qwen", "Alibaba", "CN", "Qwen"),
                Lab("meta", "Meta Llama", "Meta", "US", "meta-llama"),
                Lab("mistral", "Mistral AI", "Mistral AI", "FR", "mistralai"),
                Lab("deepseek", "DeepSeek", "DeepSeek", "CN", "deepseek-ai"),
            },
        }));
        _app = new AppFactory(_folder, new Uri("http://127.0.0.1:9/"), registry);
        BaseUrl = _app.StartOnKestrel();
        Client = new HttpClient { BaseAddress = new Uri(BaseUrl + "/") };
        await WriteRunsAsync(_app.Services);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _folder.Dispose();
    }

    public async Task<JsonElement> JsonAsync(string path)
    {
        using var response = await Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
    }

    private static object Lab(string id, string name, string organization, string country, string ns) =>
        new { id, name, organization, country, kind = "company", namespaces = new[] { ns }, source = "https://huggingface.co/" + ns };

    private static async Task WriteRunsAsync(IServiceProvider services)
    {
        var registry = services.GetRequiredService<LabRegistry>();
        await using var writer = SnapshotWriter.Open(services.GetRequiredService<StoreConnection>(), registry);
        var runs = new List<IngestionRun>();
        foreach (var (at, source, models) in Runs)
        {
            var run = new IngestionRun { StartedAt = at, FinishedAt = at, Status = RunStatus.Succeeded, Trigger = source == RunSource.HubApi ? RunTrigger.Command : RunTrigger.Snapshot, Source = source, Host = "test", Models = models.Length };
            writer.StartRun(await writer.AddRunAsync(run, CancellationToken.None));
            foreach (var (id, downloads) in models)
            {
                writer.Write(new HubModel { Id = id, Downloads = HubCount.Of(downloads), Likes = HubCount.Of(downloads / 10) });
            }

            runs.Add(run);
        }

        foreach (var run in runs)
        {
            writer.ResolveOrigins(registry, services.GetRequiredService<LineageFixes>(), run.Id);
            await writer.PublishAsync(run, CancellationToken.None);
        }

        writer.CommitBatch();
    }
}
