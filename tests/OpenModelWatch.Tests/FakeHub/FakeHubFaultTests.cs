using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Faults;

namespace OpenModelWatch.Tests.FakeHub;

public class FakeHubFaultTests
{
    [Fact]
    public async Task AScripted503TwiceIsFollowedByA200()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(10, ["solo"]));
        using var http = new HttpClient();
        hub.Faults.Status(503, times: 2);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.GetAsync(hub, "api/models?author=solo");
            statuses.Add(response.StatusCode);
            Assert.StartsWith("\"api\";r=", response.Header("RateLimit"));
        }

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], statuses);
        Assert.Empty(hub.Faults.Pending);
    }

    [Fact]
    public async Task A429FaultCarriesTheHubsHeaderOrLikeTheCdnOnlyRetryAfter()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(10, ["solo"]));
        using var http = new HttpClient();
        hub.Faults.TooManyRequests(retryAfterSeconds: 7, withRateLimitHeader: true);
        hub.Faults.TooManyRequests(retryAfterSeconds: 9, withRateLimitHeader: false);

        using var fromHub = await http.GetAsync(hub, "api/models?author=solo");
        using var fromCdn = await http.GetAsync(hub, "api/models?author=solo");

        Assert.Equal(HttpStatusCode.TooManyRequests, fromHub.StatusCode);
        Assert.Equal("\"api\";r=0;t=7", fromHub.Header("RateLimit"));
        Assert.Equal(TimeSpan.FromSeconds(7), fromHub.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, fromCdn.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(9), fromCdn.Headers.RetryAfter?.Delta);
        Assert.False(fromCdn.Headers.Contains("RateLimit"));
        Assert.False(fromCdn.Headers.Contains("RateLimit-Policy"));
        Assert.Equal(2, hub.Counters.TooManyRequests);
    }

    [Fact]
    public async Task ASlowFaultHoldsBackTheFirstByte()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(10, ["solo"]));
        using var http = new HttpClient();
        hub.Faults.Slow(TimeSpan.FromMilliseconds(400));

        var clock = Stopwatch.StartNew();
        using var slow = await http.GetAsync(hub, "api/models?author=solo", HttpCompletionOption.ResponseHeadersRead);
        var waited = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, slow.StatusCode);
        Assert.True(waited >= TimeSpan.FromMilliseconds(380), $"answered after {waited.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task TruncateSendsPartOfAPageThenDropsTheConnection()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(3_000, ["solo"]));
        using var http = new HttpClient();
        hub.Faults.Truncate();

        using var truncated = await http.GetAsync(hub, "api/models?author=solo", HttpCompletionOption.ResponseHeadersRead);
        var status = truncated.StatusCode;
        var reading = await Assert.ThrowsAsync<HttpRequestException>(() => truncated.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var after = await http.GetAsync(hub, "api/models?author=solo");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.IsAssignableFrom<IOException>(reading.InnerException);
        Assert.True(hub.Counters.BytesWritten > 1_000);
        Assert.Equal(1_000, (await FakeHubKit.ReadJsonAsync(after)).GetArrayLength());
    }

    [Fact]
    public async Task TruncateCleanlyEndsTheResponseNormallyWithInvalidJson()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(3_000, ["solo"]));
        using var http = new HttpClient();
        hub.Faults.TruncateCleanly();

        using var truncated = await http.GetAsync(hub, "api/models?author=solo&expand=downloads");
        var body = await truncated.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, truncated.StatusCode);
        Assert.StartsWith("[{\"_id\":", body);
        Assert.EndsWith("\"id\":", body);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task ALinkLoopPointsBackToTheFirstPageAsTheClientAskedForIt()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(5_000, ["solo", "small"]));
        using var http = new HttpClient();
        var firstPage = new Uri(hub.BaseAddress, "api/models?author=solo&expand=downloads");
        using var first = await http.GetAsync(firstPage, TestContext.Current.CancellationToken);
        hub.Faults.LinkLoop();

        // A one-page listing has no next link to bend: the loop waits for a page that has one.
        using var onePage = await http.GetAsync(hub, "api/models?author=small&search=gen-model-00000");
        using var looping = await http.GetAsync(FakeHubKit.NextLink(first)!, TestContext.Current.CancellationToken);
        using var afterwards = await http.GetAsync(FakeHubKit.NextLink(first)!, TestContext.Current.CancellationToken);

        Assert.Null(FakeHubKit.NextLink(onePage));
        Assert.Equal(firstPage, FakeHubKit.NextLink(looping));
        Assert.NotEqual(firstPage, FakeHubKit.NextLink(afterwards));
        Assert.Empty(hub.Faults.Pending);
    }

    [Fact]
    public async Task AFaultHitsOnlyItsPathPrefixAndAlwaysNeverRunsOut()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(10, ["solo"]));
        using var http = new HttpClient();
        hub.Faults.Status(502, FakeHubFaults.Always, pathPrefix: "/api/models/");

        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "api/models?author=solo", "api/models/solo/gen-model-0000001", "api/models/solo/gen-model-0000001", "api/models?author=solo", "api/models/solo/gen-model-0000001" })
        {
            using var response = await http.GetAsync(hub, path);
            statuses.Add(response.StatusCode);
        }

        hub.Faults.Clear();
        using var cleared = await http.GetAsync(hub, "api/models/solo/gen-model-0000001");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.BadGateway, HttpStatusCode.BadGateway, HttpStatusCode.OK, HttpStatusCode.BadGateway], statuses);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
    }

    [Fact]
    public async Task TheAdminEndpointsDriveTheFakeFromAnotherProcess()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(10, ["solo"]), quota: 50);
        using var http = new HttpClient();
        var ct = TestContext.Current.CancellationToken;
        const string faults = """[{"kind":"Status","statusCode":502},{"kind":"tooManyRequests","retryAfterSeconds":3,"withRateLimitHeader":false}]""";

        using var scripted = await http.PostAsync(new Uri(hub.BaseAddress, "_fake/faults"), new StringContent(faults, Encoding.UTF8, "application/json"), ct);
        using var badScript = await http.PostAsync(new Uri(hub.BaseAddress, "_fake/faults"), new StringContent("""{"kind":"Status","statusCode":200}""", Encoding.UTF8, "application/json"), ct);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.GetAsync(hub, "api/models?author=solo");
            statuses.Add(response.StatusCode);
        }

        using var counters = await http.GetAsync(hub, "_fake/counters");
        using var reset = await http.PostAsync(new Uri(hub.BaseAddress, "_fake/reset"), null, ct);
        using var afterReset = await http.GetAsync(hub, "api/models?author=solo");

        Assert.Equal(2, (await FakeHubKit.ReadJsonAsync(scripted)).GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, badScript.StatusCode);
        Assert.Equal([HttpStatusCode.BadGateway, HttpStatusCode.TooManyRequests, HttpStatusCode.OK], statuses);
        var counted = await FakeHubKit.ReadJsonAsync(counters);
        Assert.Equal(3, counted.GetProperty("requests").GetInt64());
        Assert.Equal(1, counted.GetProperty("tooManyRequests").GetInt64());
        Assert.Equal(3, counted.GetProperty("requestsByRoute").GetProperty("/api/models").GetInt64());
        Assert.True(counted.GetProperty("bytesWritten").GetInt64() > 0);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal("\"api\";r=49;t=300", afterReset.Header("RateLimit"));
        Assert.Equal(1, hub.Counters.Requests);
    }
}
