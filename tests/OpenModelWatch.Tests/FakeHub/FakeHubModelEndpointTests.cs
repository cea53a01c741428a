using System.Net;
using OpenModelWatch.FakeHub.Catalogs;

namespace OpenModelWatch.Tests.FakeHub;

public class FakeHubModelEndpointTests
{
    [Fact]
    public async Task AModelComesBackAsTheListingShowsIt()
    {
        var catalog = new GeneratedCatalog(30, ["a", "b"]);
        await using var hub = await FakeHubKit.StartAsync(catalog);
        using var http = new HttpClient();

        using var model = await http.GetAsync(hub, "api/models/b/gen-model-0000005");
        using var listing = await http.GetAsync(hub, "api/models?author=b&limit=3");
        using var expanded = await http.GetAsync(hub, "api/models/b/gen-model-0000005?expand=downloadsAllTime");

        Assert.Equal(HttpStatusCode.OK, model.StatusCode);
        Assert.Equal((await FakeHubKit.ReadJsonAsync(listing))[2].GetRawText(), await model.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var json = await FakeHubKit.ReadJsonAsync(expanded);
        Assert.Equal(["_id", "downloadsAllTime", "id"], json.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(catalog.ModelAt(5).DownloadsAllTime, json.GetProperty("downloadsAllTime").GetInt64());
    }

    [Fact]
    public async Task LookupIgnoresCaseAndAnswersWithTheCanonicalId()
    {
        await using var hub = await FakeHubKit.StartAsync(new RealisticCatalog());
        using var http = new HttpClient();

        using var response = await http.GetAsync(hub, "api/models/microsoft/Phi-4");

        Assert.Equal("microsoft/phi-4", (await FakeHubKit.ReadJsonAsync(response)).Id());
    }

    [Theory]
    [InlineData("api/models/solo/gen-model-0000099")]
    [InlineData("api/models/solo/gen-model-01")]
    [InlineData("api/models/other/gen-model-0000001")]
    [InlineData("api/models/nobody/nothing")]
    public async Task AMissingModelIs404RepositoryNotFound(string path)
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(10, ["solo"]));
        using var http = new HttpClient();

        using var response = await http.GetAsync(hub, path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"error":"Repository not found"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task APrivateModelIsNeitherFoundNorListed()
    {
        var catalog = new RealisticCatalog();
        await using var hub = await FakeHubKit.StartAsync(catalog);
        using var http = new HttpClient();
        const string id = "Qwen/Qwen3-Omni-Internal-Preview";

        using var model = await http.GetAsync(hub, "api/models/" + id);
        using var listing = await http.GetAsync(hub, "api/models?author=Qwen&expand=downloads");

        Assert.True(catalog.Find(id)?.Private);
        Assert.Equal(HttpStatusCode.NotFound, model.StatusCode);
        Assert.DoesNotContain(id, (await FakeHubKit.ReadJsonAsync(listing)).EnumerateArray().Select(i => i.Id()));
    }
}
