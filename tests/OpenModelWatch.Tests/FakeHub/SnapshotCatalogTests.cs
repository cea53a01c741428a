using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.Snapshot;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.FakeHub;

/// <summary>The fake Hub replaying the bundled real snapshot, checked against the gz file read independently.</summary>
public class SnapshotCatalogTests
{
    private static readonly Lazy<SnapshotCatalog> _catalog = new(() => new SnapshotCatalog());

    private static SnapshotCatalog Catalog => _catalog.Value;

    [Fact]
    public void ItHoldsEveryLiveModelOfTheFileInItsOrderAndNoRemovedOne()
    {
        Assert.Equal(SnapshotFile.LiveModels.Select(m => m.Id), Catalog.Models.Select(m => m.Id));
        Assert.Equal(SnapshotFile.Models.Where(m => m.Removed).Select(m => m.Id), Catalog.RemovedIds);
        Assert.Equal(15_156, Catalog.Models.Count);
        Assert.Equal(748, Catalog.RemovedIds.Count);
        Assert.All(Catalog.RemovedIds.Take(50), id => Assert.Null(Catalog.Find(id)));
        Assert.Equal(
            SnapshotFile.LiveModels.Select(m => m.Author).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
            Catalog.Authors.Count);
    }

    [Fact]
    public async Task TheHubWideListByDownloadsIsEveryLiveModelMostDownloadedFirstInLinkedPages()
    {
        await using var hub = await FakeHubKit.StartAsync(Catalog, quota: 100);
        using var http = new HttpClient();

        var pages = await FakeHubKit.ReadAllPagesAsync(http, new Uri(hub.BaseAddress, "api/models?sort=downloads&limit=1000&expand=downloads&expand=likes"));

        var served = pages.SelectMany(p => p.Items).Select(i => (Id: i.Id()!, Downloads: i.GetProperty("downloads").GetInt64(), Likes: i.GetProperty("likes").GetInt64())).ToList();
        var expected = SnapshotFile.LiveModels.OrderByDescending(m => m.Downloads).Select(m => (m.Id, m.Downloads, m.Likes)).ToList();
        Assert.Equal(16, pages.Count);
        Assert.Equal(expected.Select(e => e.Downloads), served.Select(s => s.Downloads));
        Assert.Equal(expected.ToHashSet(), served.ToHashSet());
        Assert.Equal(("sentence-transformers/all-MiniLM-L6-v2", 257_229_302L), (served[0].Id, served[0].Downloads));
        Assert.Equal(16, hub.Counters.RequestsTo("/api/models"));
    }

    [Fact]
    public async Task AnAuthorsListingIsTheirLiveModelsInTheFilesOrderAcrossPages()
    {
        await using var hub = await FakeHubKit.StartAsync(Catalog, maxPageSize: 100);
        using var http = new HttpClient();

        var pages = await FakeHubKit.ReadAllPagesAsync(http, new Uri(hub.BaseAddress, "api/models?author=MRADERMACHER&expand=downloads"));

        var expected = SnapshotFile.LiveModels.Where(m => m.Author == "mradermacher").Select(m => m.Id).ToList();
        Assert.Equal(514, expected.Count);
        Assert.Equal([100, 100, 100, 100, 100, 14], pages.Select(p => p.Items.Count));
        Assert.Equal(expected, pages.SelectMany(p => p.Items).Select(i => i.Id()));
    }

    [Fact]
    public async Task AModelIsServedWithTheFilesFieldsAndARemovedOneIsNotFound()
    {
        await using var hub = await FakeHubKit.StartAsync(Catalog);
        using var http = new HttpClient();
        var file = SnapshotFile.Models.Single(m => m.Id == "Qwen/Qwen3-0.6B").Json;
        var removed = SnapshotFile.Models.First(m => m.Removed).Id;

        using var response = await http.GetAsync(hub, "api/models/Qwen/Qwen3-0.6B?expand=downloads&expand=likes&expand=trendingScore&expand=createdAt&expand=lastModified&expand=pipeline_tag&expand=library_name&expand=tags&expand=safetensors&expand=gated");
        using var gone = await http.GetAsync(hub, $"api/models/{removed}");
        using var unknown = await http.GetAsync(hub, "api/models/Qwen/Qwen9-Imaginary");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var model = await FakeHubKit.ReadJsonAsync(response);
        Assert.Equal(25_235_903, model.GetProperty("downloads").GetInt64());
        foreach (var field in new[] { "downloads", "likes", "trendingScore" })
        {
            Assert.Equal(file.GetProperty(field).GetInt64(), model.GetProperty(field).GetInt64());
        }

        foreach (var field in new[] { "createdAt", "lastModified", "pipeline_tag", "library_name" })
        {
            Assert.Equal(file.GetProperty(field).GetString(), model.GetProperty(field).GetString());
        }

        Assert.Equal(Strings(file.GetProperty("tags")), Strings(model.GetProperty("tags")));
        Assert.Equal(file.GetProperty("parameters").GetInt64(), model.GetProperty("safetensors").GetProperty("total").GetInt64());
        Assert.False(model.GetProperty("gated").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task LineageComesFromTheBaseModelTagsAndChildrenAreCountedInTheFile()
    {
        await using var hub = await FakeHubKit.StartAsync(Catalog);
        using var http = new HttpClient();
        var quantizedChildren = SnapshotFile.LiveModels.Count(m => Strings(m.Json.GetProperty("tags")).Contains("base_model:quantized:Qwen/Qwen3.8-27B"));

        using var parent = await http.GetAsync(hub, "api/models/Qwen/Qwen3.8-27B?expand=childrenModelCount&expand=baseModels");
        using var child = await http.GetAsync(hub, "api/models/unsloth/Qwen3.8-27B-GGUF?expand=baseModels");

        var parentJson = await FakeHubKit.ReadJsonAsync(parent);
        Assert.Equal(quantizedChildren, parentJson.GetProperty("childrenModelCount").GetProperty("quantized").GetInt32());
        Assert.False(parentJson.TryGetProperty("baseModels", out _));
        var lineage = (await FakeHubKit.ReadJsonAsync(child)).GetProperty("baseModels");
        Assert.Equal("quantized", lineage.GetProperty("relation").GetString());
        Assert.Equal("Qwen/Qwen3.8-27B", lineage.GetProperty("models")[0].GetProperty("id").GetString());
        Assert.Equal(parentJson.GetProperty("_id").GetString(), lineage.GetProperty("models")[0].GetProperty("_id").GetString());
    }

    [Fact]
    public async Task DownloadsAllTimeIsLeftOutUnlessEstimatesAreAskedFor()
    {
        var estimated = new SnapshotCatalog(allTime: AllTimeDownloads.Estimated);
        await using var omitting = await FakeHubKit.StartAsync(Catalog);
        await using var estimating = await FakeHubKit.StartAsync(estimated);
        using var http = new HttpClient();
        const string query = "api/models?author=Qwen&expand=downloads&expand=downloadsAllTime";

        using var withoutAllTime = await http.GetAsync(omitting, query);
        using var withEstimates = await http.GetAsync(estimating, query);

        var omitted = (await FakeHubKit.ReadJsonAsync(withoutAllTime)).EnumerateArray().ToList();
        var estimates = (await FakeHubKit.ReadJsonAsync(withEstimates)).EnumerateArray().ToList();
        Assert.Equal(35, omitted.Count);
        Assert.All(omitted, item => Assert.False(item.TryGetProperty("downloadsAllTime", out _)));
        Assert.All(omitted, item => Assert.True(item.TryGetProperty("downloads", out _)));
        Assert.All(estimates, item => Assert.True(item.GetProperty("downloadsAllTime").GetInt64() >= item.GetProperty("downloads").GetInt64()));
        Assert.Equal(0, Catalog.Sum(["Qwen"]).Valid.DownloadsAllTime);
    }

    [Fact]
    public async Task RateLimitHeadersAndScriptedFaultsApplyAsForEveryCatalog()
    {
        await using var hub = await FakeHubKit.StartAsync(Catalog, quota: 10);
        using var http = new HttpClient();
        hub.Faults.Status(503);
        hub.Faults.TooManyRequests(retryAfterSeconds: 3);

        using var unavailable = await http.GetAsync(hub, "api/models?sort=downloads&limit=5");
        using var throttled = await http.GetAsync(hub, "api/models?sort=downloads&limit=5");
        using var ok = await http.GetAsync(hub, "api/models?sort=downloads&limit=5");

        Assert.Equal(
            [HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests, HttpStatusCode.OK],
            new[] { unavailable, throttled, ok }.Select(r => r.StatusCode));
        Assert.Equal("\"api\";r=0;t=3", throttled.Header("RateLimit"));
        Assert.Matches("^\"api\";r=7;t=\\d+$", ok.Header("RateLimit"));
        Assert.Equal("\"fixed window\";\"api\";q=10;w=300", ok.Header("RateLimit-Policy"));
        Assert.NotNull(FakeHubKit.NextLink(ok));
    }

    [Fact]
    public async Task TheAppIngestsTheReplayExactlyThroughFaults()
    {
        var catalog = new SnapshotCatalog(allTime: AllTimeDownloads.Estimated);
        await using var fixture = await FakeHubFixture.StartAsync(new FakeHubOptions { Catalog = catalog, MaxPageSize = 200 });
        var host = await fixture.StartIngestionHostAsync([("Qwen", "CN"), ("meta-llama", "US"), ("deepseek-ai", "CN")]);
        fixture.Hub.Faults.Status(503);
        fixture.Hub.Faults.TooManyRequests(retryAfterSeconds: 0);

        var outcome = await host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Empty(fixture.Hub.Faults.Pending);
        await using var db = await host.DbAsync();
        var stored = db.Snapshots.Where(s => s.RunId == outcome.RunId)
            .Select(s => new { s.Model!.HubId, s.Downloads30d, s.Likes }).AsEnumerable()
            .ToDictionary(s => s.HubId, s => (s.Downloads30d, s.Likes), StringComparer.Ordinal);
        var file = SnapshotFile.LiveModels.ToDictionary(m => m.Id, m => (m.Downloads, m.Likes), StringComparer.Ordinal);

        // Whatever the run reads besides the registry's namespaces (a Hub-wide census), every number is the file's.
        Assert.All(stored, p => Assert.Equal(file[p.Key], p.Value));
        string[] labs = ["Qwen", "meta-llama", "deepseek-ai"];
        var labModels = SnapshotFile.LiveModels.Where(m => labs.Contains(m.Author)).Select(m => m.Id).ToList();
        Assert.Equal(50, labModels.Count);
        Assert.All(labModels, id => Assert.True(stored.ContainsKey(id), id));
    }

    [Fact]
    public async Task TheRunnableFakeReplaysTheSnapshotWithCatalogSnapshot()
    {
        var parts = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var configuration = parts[Array.LastIndexOf(parts, "bin") + 1];
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Repo.Path("tests", "OpenModelWatch.FakeHub", "bin", configuration, "net10.0", "OpenModelWatch.FakeHub.dll"), "--catalog", "snapshot", "--port", "0" })
        {
            start.ArgumentList.Add(arg);
        }

        using var fake = Process.Start(start)!;
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            limit.CancelAfter(TimeSpan.FromMinutes(1));
            var listening = await fake.StandardOutput.ReadLineAsync(limit.Token);
            var summary = await fake.StandardOutput.ReadLineAsync(limit.Token);
            Assert.StartsWith("Fake Hub listening on http://127.0.0.1:", listening);
            Assert.Contains("15,156 models by 6,546 authors", summary);

            using var http = new HttpClient { BaseAddress = new Uri(listening!["Fake Hub listening on ".Length..]) };
            var model = JsonDocument.Parse(await http.GetStringAsync("api/models/Qwen/Qwen3-0.6B?expand=downloads", limit.Token)).RootElement;
            Assert.Equal(25_235_903, model.GetProperty("downloads").GetInt64());
        }
        finally
        {
            fake.Kill();
            await fake.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
