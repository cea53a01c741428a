using System.Net;
using System.Text.Json;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Api;

/// <summary><c>/api/v1</c> of the real app, after a real ingestion from the fake Hub, on both stores.</summary>
public abstract class ReadApiTests(StoreProvider provider) : FakeHubFixture(provider)
{
    public sealed class OnSqlite() : ReadApiTests(StoreProvider.Sqlite);

    public sealed class OnPostgres() : ReadApiTests(StoreProvider.PostgreSQL);

    private static readonly string[] _namespaces = ["alpha", "beta", "gamma", "delta"];
    private readonly GeneratedCatalog _catalog = new(1200, _namespaces);
    private AppFactory _app = null!;
    private HttpClient _client = null!;

    protected override FakeHubOptions HubOptions => new() { Catalog = _catalog };

    protected override async ValueTask StartedAsync()
    {
        // delta is not registered: a run walks the registry's namespaces, so its models are not read.
        var registry = Folder.WriteRegistry(("alpha", "US"), ("beta", "CN"), ("gamma", "FR"));
        _app = Track(new AppFactory(Folder, Hub.BaseAddress, registry));
        _client = TrackDisposable(_app.CreateClient());
        var outcome = await _app.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);
    }

    [Fact]
    public async Task CountriesSumExactlyWhatTheHubServedPerCountry()
    {
        var body = await GetAsync("/api/v1/countries");

        Assert.Equal(3, body.GetProperty("total").GetInt32());
        Assert.Equal(1, body.GetProperty("runId").GetInt32());
        var items = body.GetProperty("items").EnumerateArray().ToDictionary(item => item.GetProperty("country").GetString()!);
        Assert.Equal(_catalog.Sum(["alpha"]).Valid.Downloads, items["US"].GetProperty("downloads30d").GetInt64());
        Assert.Equal(_catalog.Sum(["beta"]).Valid.Likes, items["CN"].GetProperty("likes").GetInt64());
        Assert.Equal(_catalog.Sum(["gamma"]).Valid.DownloadsAllTime, items["FR"].GetProperty("downloadsAllTime").GetInt64());
        Assert.False(items.ContainsKey("XX"));
        Assert.Equal("Europe", items["FR"].GetProperty("region").GetString());
        Assert.Equal((double)_catalog.Sum(["beta"]).Valid.Downloads / _catalog.Sum(["alpha", "beta", "gamma"]).Valid.Downloads, items["CN"].GetProperty("share").GetDouble(), 12);
    }

    [Fact]
    public async Task ModelsArePagedAndSortedAndFilteredByCountry()
    {
        var page = await GetAsync("/api/v1/models?country=cn&limit=7&offset=7&sort=likes");

        Assert.Equal(300, page.GetProperty("total").GetInt32());
        var items = page.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(7, items.Length);
        Assert.All(items, item => Assert.Equal("CN", item.GetProperty("country").GetString()));
        Assert.All(items, item => Assert.Equal("beta", item.GetProperty("namespace").GetString()));
        var likes = items.Select(item => item.GetProperty("likes").GetInt64()).ToArray();
        Assert.Equal(likes.OrderDescending(), likes);
        var expectedLikes = Enumerable.Range(0, _catalog.ModelCount).Select(_catalog.ModelAt)
            .Where(model => model.Id.StartsWith("beta/", StringComparison.Ordinal))
            .OrderByDescending(model => model.Likes).ThenBy(model => model.Id, StringComparer.Ordinal)
            .Skip(7).Take(7).Select(model => model.Likes);
        Assert.Equal(expectedLikes, likes);
    }

    [Fact]
    public async Task LabsCarryTheirCountryAndRegion()
    {
        var labs = (await GetAsync("/api/v1/labs?region=China")).GetProperty("items").EnumerateArray().ToArray();

        var lab = Assert.Single(labs);
        Assert.Equal("lab-beta", lab.GetProperty("id").GetString());
        Assert.Equal(300, lab.GetProperty("models").GetInt32());
        Assert.Equal(_catalog.Sum(["beta"]).Valid.Downloads, lab.GetProperty("downloads30d").GetInt64());
    }

    [Fact]
    public async Task RunsListTheRunWithItsNumbers()
    {
        var run = (await GetAsync("/api/v1/runs")).GetProperty("items")[0];

        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal("Manual", run.GetProperty("trigger").GetString());
        Assert.Equal(900, run.GetProperty("models").GetInt32());
        // Three pages, plus a look-up for each parent in the unregistered delta namespace (generated lineage).
        var lookups = run.GetProperty("parentLookups").GetInt32();
        Assert.Equal(Hub.Counters.RequestsTo("/api/models/{namespace}/{name}"), lookups);
        Assert.True(lookups > 0);
        Assert.Equal(3 + lookups, run.GetProperty("requests").GetInt64());
    }

    [Theory]
    [InlineData("/api/v1/models?limit=-1", "limit")]
    [InlineData("/api/v1/models?limit=1000000000", "limit")]
    [InlineData("/api/v1/models?limit=abc", "limit")]
    [InlineData("/api/v1/models?offset=-5", "offset")]
    [InlineData("/api/v1/models?country=ZZ", "country")]
    [InlineData("/api/v1/countries?region=Mars", "region")]
    [InlineData("/api/v1/labs?sort=name", "sort")]
    [InlineData("/api/v1/models?attribution=everyone", "attribution")]
    [InlineData("/api/v1/models?order=sideways", "order")]
    [InlineData("/api/v1/runs?limit=5&limit=6", "limit")]
    public async Task BadParametersGetA400ProblemNamingTheParameter(string url, string parameter)
    {
        using var response = await _client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        Assert.StartsWith(parameter + ": ", problem.GetProperty("detail").GetString());
    }

    private async Task<JsonElement> GetAsync(string url)
    {
        using var response = await _client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }
}
