using System.Net;
using Microsoft.Extensions.Time.Testing;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;

namespace OpenModelWatch.Tests.FakeHub;

public class FakeHubRateLimitTests
{
    [Fact]
    public async Task EveryResponseCarriesRateLimitHeadersWithRemainingCountingDown()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(10, ["solo"]), quota: 10);
        using var http = new HttpClient();

        using var ok = await http.GetAsync(hub, "api/models?author=solo");
        using var notFound = await http.GetAsync(hub, "api/models/solo/missing");
        using var badRequest = await http.GetAsync(hub, "api/models?limit=zero");

        Assert.Equal(
            [(HttpStatusCode.OK, 9), (HttpStatusCode.NotFound, 8), (HttpStatusCode.BadRequest, 7)],
            new[] { ok, notFound, badRequest }.Select(r => (r.StatusCode, Remaining(r))));
        Assert.All(new[] { ok, notFound, badRequest }, r => Assert.Equal("\"fixed window\";\"api\";q=10;w=300", r.Header("RateLimit-Policy")));
        Assert.Matches("^\"api\";r=9;t=(300|299)$", ok.Header("RateLimit"));
    }

    [Fact]
    public async Task ASpentQuotaGives429WithRetryAfterUntilTheWindowTurns()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));
        await using var hub = await FakeHubServer.StartAsync(
            new FakeHubOptions { Catalog = new GeneratedCatalog(10, ["solo"]), RateLimitQuota = 3, RateLimitWindow = TimeSpan.FromMinutes(1), TimeProvider = time },
            TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await http.GetAsync(hub, "api/models?author=solo");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        time.Advance(TimeSpan.FromSeconds(20));
        using var refused = await http.GetAsync(hub, "api/models?author=solo");
        time.Advance(TimeSpan.FromSeconds(40));
        using var nextWindow = await http.GetAsync(hub, "api/models?author=solo");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("\"api\";r=0;t=40", refused.Header("RateLimit"));
        Assert.Equal("\"fixed window\";\"api\";q=3;w=60", refused.Header("RateLimit-Policy"));
        Assert.Equal(TimeSpan.FromSeconds(40), refused.Headers.RetryAfter?.Delta);
        Assert.True((await FakeHubKit.ReadJsonAsync(refused)).TryGetProperty("error", out _));
        Assert.Equal(1, hub.Counters.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, nextWindow.StatusCode);
        Assert.Equal("\"api\";r=2;t=60", nextWindow.Header("RateLimit"));
    }

    private static int Remaining(HttpResponseMessage response) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(response.Header("RateLimit"), @"r=(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
}
