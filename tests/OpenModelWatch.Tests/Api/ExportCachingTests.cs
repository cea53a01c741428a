using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Api;

/// <summary>
/// Exports and API answers are cached per as-of run and address, carry <c>ETag</c> and <c>Last-Modified</c>, answer
/// 304 to a client that has them, and are replaced as soon as a new run succeeds. Its own app: it ingests a third run.
/// On both stores.
/// </summary>
public abstract class ExportCachingTests(ExportsApp app)
{
    public sealed class OnSqlite(ExportsApp app) : ExportCachingTests(app), IClassFixture<ExportsApp>;

    public sealed class OnPostgres(PostgresExportsApp app) : ExportCachingTests(app), IClassFixture<PostgresExportsApp>;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnswersAreCachedPerRunRevalidatedAndReplacedWhenARunSucceeds()
    {
        var addresses = new[] { "/api/v1/countries?sort=likes", "/exports/models.csv?country=CN", "/charts/region-share.png?scale=2", "/embed/top-models?n=5" };
        var before = new Dictionary<string, (EntityTagHeaderValue ETag, string Body)>();
        foreach (var address in addresses)
        {
            using var first = await app.Client.GetAsync(address, Ct);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Null(first.Headers.Age);
            var etag = first.Headers.ETag!;
            Assert.StartsWith("\"2-", etag.Tag, StringComparison.Ordinal); // the as-of run, then the address
            Assert.Equal(AsOf(await app.JsonAsync("/api/v1/runs?limit=1")), first.Content.Headers.LastModified);
            Assert.Equal("public, no-cache", first.Headers.CacheControl?.ToString());

            // The same address again: from the cache (Age), the same bytes and validators.
            using var second = await app.Client.GetAsync(address, Ct);
            Assert.NotNull(second.Headers.Age);
            Assert.Equal(etag, second.Headers.ETag);
            var body = await first.Content.ReadAsStringAsync(Ct);
            Assert.Equal(body, await second.Content.ReadAsStringAsync(Ct));

            // A client that has it: 304, no body.
            using var conditional = new HttpRequestMessage(HttpMethod.Get, address);
            conditional.Headers.IfNoneMatch.Add(etag);
            using var notModified = await app.Client.SendAsync(conditional, Ct);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Ct));
            using var since = new HttpRequestMessage(HttpMethod.Get, address);
            since.Headers.IfModifiedSince = first.Content.Headers.LastModified;
            using var notModifiedSince = await app.Client.SendAsync(since, Ct);
            Assert.Equal(HttpStatusCode.NotModified, notModifiedSince.StatusCode);
            before[address] = (etag, body);
        }

        // Another address is another entry, and another tag.
        using (var other = await app.Client.GetAsync("/api/v1/countries?sort=models", Ct))
        {
            Assert.Null(other.Headers.Age);
            Assert.NotEqual(before["/api/v1/countries?sort=likes"].ETag, other.Headers.ETag);
        }

        // A third run succeeds: every answer is computed again, from it, with new validators.
        var run = await app.IngestAsync(app.FirstRun);
        Assert.Equal(3, run);
        foreach (var address in addresses)
        {
            using var conditional = new HttpRequestMessage(HttpMethod.Get, address);
            conditional.Headers.IfNoneMatch.Add(before[address].ETag);
            using var fresh = await app.Client.SendAsync(conditional, Ct);
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            Assert.Null(fresh.Headers.Age);
            Assert.StartsWith("\"3-", fresh.Headers.ETag!.Tag, StringComparison.Ordinal);
        }

        var countries = await app.JsonAsync("/api/v1/countries?sort=likes");
        Assert.Equal(3, countries.GetProperty("runId").GetInt32());
        Assert.NotEqual(before["/api/v1/countries?sort=likes"].Body, countries.GetRawText());
    }

    [Fact]
    public async Task TheRunsListIsNeverServedStale()
    {
        using var first = await app.Client.GetAsync("/api/v1/runs", Ct);
        using var second = await app.Client.GetAsync("/api/v1/runs", Ct);
        Assert.Null(second.Headers.Age);
        Assert.Null(second.Headers.ETag);
    }

    [Fact]
    public async Task ProblemsAreNeitherCachedNorValidated()
    {
        using var first = await app.Client.GetAsync("/api/v1/models?limit=-1", Ct);
        using var second = await app.Client.GetAsync("/api/v1/models?limit=-1", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Null(second.Headers.Age);
        Assert.Null(second.Headers.ETag);
        Assert.Null(second.Content.Headers.LastModified);

        // A cached answer for one spelling is not served for another the parser refuses.
        using var origin = await app.Client.GetAsync("/api/v1/countries?attribution=origin", Ct);
        Assert.Equal(HttpStatusCode.OK, origin.StatusCode);
        using var shouting = await app.Client.GetAsync("/api/v1/countries?attribution=ORIGIN", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, shouting.StatusCode);
    }

    private static DateTimeOffset AsOf(JsonElement runs)
    {
        var at = runs.GetProperty("asOf").GetDateTimeOffset();
        return at.AddTicks(-(at.Ticks % TimeSpan.TicksPerSecond));
    }
}
