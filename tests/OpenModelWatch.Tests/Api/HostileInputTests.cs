using System.Net;
using System.Text;
using System.Text.Json;
using OpenModelWatch.Tests.Files;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Api;

/// <summary>Bad input on any export or API parameter is a 400 problem naming the parameter; nothing answers 5xx. On both stores.</summary>
public abstract class HostileInputTests(ExportsApp app)
{
    [Collection(ExportsCollection.Name)]
    public sealed class OnSqlite(ExportsApp app) : HostileInputTests(app);

    [Collection(PostgresExportsCollection.Name)]
    public sealed class OnPostgres(PostgresExportsApp app) : HostileInputTests(app);

    /// <summary>One address of every endpoint that takes parameters.</summary>
    public static readonly string[] Endpoints =
    [
        "/api/v1/models", "/api/v1/labs", "/api/v1/countries", "/api/v1/runs", "/api/v1/models/Qwen/model-0000/history",
        "/api/v1/history/countries", "/api/v1/derivatives/labs", "/api/v1/derivatives/countries", "/api/v1/derivatives/base-models",
        "/api/v1/derivatives/months",
        "/charts/region-share.png", "/charts/top-models.svg", "/charts/country-comparison.csv", "/charts/labs/qwen/history.json",
        "/charts/models/Qwen/model-0000/history.png",
        "/exports/models.csv", "/exports/labs.json", "/exports/countries.csv", "/exports/regions.csv", "/exports/labs/qwen/models.csv",
        "/exports/labs/qwen/history.json", "/exports/models/Qwen/model-0000/history.csv", "/exports/runs.csv",
        "/embed/region-share", "/embed/top-models", "/embed/country-comparison", "/embed/labs/qwen/history", "/embed/models/Qwen/model-0000/history",
    ];

    public static readonly TheoryData<string, string> BadInputs = new()
    {
        { "limit=-1", "limit" },
        { "limit=1000000000", "limit" },
        { "limit=abc", "limit" },
        { "offset=-5", "offset" },
        { "country=ZZ", "country" },
        { "country=CN&country=%3Cscript%3E", "country" },
        { "region=Atlantis", "region" },
        { "sort=junk%27%3B%20DROP%20TABLE%20Models", "sort" },
        { "order=sideways", "order" },
        { "attribution=ORIGIN", "attribution" },
        { "scope=everything", "scope" },
        { "createdFrom=2025-02-30", "createdFrom" },
        { "createdFrom=2025-06-01&createdTo=2025-01-01", "createdFrom" },
        { "minParameters=7B", "minParameters" },
        { "run=0", "run" },
        { "run=999999", "run" },
        { "q=Qwen%00", "q" },
        { "license=mit%00", "license" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadParametersAre400ProblemsNamingThemOnEveryEndpoint(string query, string parameter)
    {
        foreach (var endpoint in Endpoints)
        {
            // run= pins files (charts, exports, embeds); the API answers from the as-of run and does not read it.
            if (parameter == "run" && endpoint.StartsWith("/api/", StringComparison.Ordinal))
            {
                continue;
            }

            await AssertProblemAsync($"{endpoint}?{query}", parameter);
        }
    }

    [Theory]
    [InlineData("/charts/region-share.png?metric=stars", "metric")]
    [InlineData("/charts/labs/qwen/history.svg?metric=trendingScore", "metric")]
    [InlineData("/api/v1/history/countries?metric=share", "metric")]
    [InlineData("/charts/region-share.png?from=2026-13-01", "from")]
    [InlineData("/charts/region-share.png?from=yesterday", "from")]
    [InlineData("/charts/region-share.png?from=2026-05-02&to=2026-05-01", "from")]
    [InlineData("/api/v1/models/Qwen/model-0000/history?to=2026-02-31", "to")]
    [InlineData("/charts/region-share.png?width=100000", "width")]
    [InlineData("/charts/region-share.png?height=-1", "height")]
    [InlineData("/charts/region-share.png?scale=3", "scale")]
    [InlineData("/charts/top-models.png?n=1000", "n")]
    [InlineData("/charts/region-share.gif", "format")]
    [InlineData("/exports/models.xlsx", "format")]
    [InlineData("/api/v1/models?format=xml", "format")]
    [InlineData("/api/v1/history/countries?group=continent", "group")]
    [InlineData("/charts/country-comparison.png?a=Atlantis", "a")]
    [InlineData("/charts/country-comparison.png?b=QQ", "b")]
    [InlineData("/exports/models.csv?metadata=some", "metadata")]
    [InlineData("/api/v1/models?limit=5&limit=6", "limit")]
    public async Task BadChartAndExportParametersAreNamed(string address, string parameter) => await AssertProblemAsync(address, parameter);

    /// <summary>A NUL in a path (PostgreSQL refuses one in a parameter): Kestrel refuses the request (400) before the app, so it reaches neither store.</summary>
    [Theory]
    [InlineData("/api/v1/models/Qwen/model-0000%00/history")]
    [InlineData("/exports/models/Qwen/model-0000%00/history.csv")]
    [InlineData("/charts/models/Qwen%00/model-0000/history.png")]
    [InlineData("/embed/models/Qwen/model-0000%00/history")]
    [InlineData("/exports/labs/qwen%00/models.csv")]
    [InlineData("/exports/labs/qwen%00/history.json")]
    [InlineData("/charts/labs/qwen%00/history.svg")]
    [InlineData("/embed/labs/qwen%00/history")]
    public async Task ANulInAPathIsRefusedBeforeTheApp(string address)
    {
        using var response = await app.Client.GetAsync(address, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ATenKilobyteQueryStringIsA400ProblemNotA414()
    {
        // Through Kestrel itself (a real port), whose request line limit would otherwise answer a bare 414.
        foreach (var endpoint in new[] { "/api/v1/models", "/exports/models.csv", "/charts/region-share.png", "/embed/region-share" })
        {
            await AssertProblemAsync($"{endpoint}?q={new string('a', 10 * 1024)}", "q");
            await AssertProblemAsync($"{endpoint}?{string.Join("&", Enumerable.Range(0, 1000).Select(i => $"country={i % 10}X"))}", "country");
        }

        // Beyond the raised request line limit (32 KiB) Kestrel answers before the app: still not a 5xx.
        using var huge = await app.Client.GetAsync($"/api/v1/models?q={new string('a', 40 * 1024)}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, huge.StatusCode);
    }

    [Fact]
    public async Task AGeneratedSweepOfHostileParametersNeverAnswers5xx()
    {
        var random = new Random(20261124);
        var names = new[]
        {
            "limit", "offset", "country", "region", "lab", "task", "license", "q", "sort", "order", "attribution", "scope", "community",
            "minParameters", "maxParameters", "createdFrom", "createdTo", "format", "metric", "from", "to", "run", "width", "height",
            "scale", "n", "a", "b", "group", "metadata", "page", "size", "junk",
        };
        var values = new[]
        {
            "", "0", "-1", "1", "2", "10", "999999999999", "2147483648", "-2147483649", "1e9", "0x10", "NaN", "Infinity", "null", "true",
            "CN", "cn", "US", "XX", "ZZ", "China", "Community", "Unknown", "Europe", "qwen", "community:@evil", "formula-lab", "=cmd",
            "downloads30d", "likes", "share", "rank", "trendingScore", "parameters", "createdAt", "asc", "desc", "origin", "uploader",
            "census", "all", "include", "csv", "json", "region", "block", "none", "2025-01-01", "2026-12-31", "9999-12-31", "0001-01-01",
            "2025-02-30", "'; DROP TABLE Models; --", "<script>alert(1)</script>", "%00", "\u0000", "..%2F..%2Fetc%2Fpasswd", "../../etc/passwd",
            "=HYPERLINK(\"http://x\")", "@SUM(1)", "+1", "\t", "\r\n", "😀", "ü", new string('x', 300), new string('9', 40), "%", "_", "\\",
        };
        var checkedRequests = 0;
        var failures = new List<string>();
        for (var i = 0; i < 1200; i++)
        {
            var endpoint = Endpoints[random.Next(Endpoints.Length)];
            var pairs = Enumerable.Range(0, random.Next(0, 6))
                .Select(_ => $"{Uri.EscapeDataString(names[random.Next(names.Length)])}={Uri.EscapeDataString(values[random.Next(values.Length)])}");
            var address = $"{endpoint}?{string.Join("&", pairs)}";
            using var response = await app.Client.GetAsync(address, TestContext.Current.CancellationToken);
            checkedRequests++;
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                failures.Add($"{status} {address}");
            }
            else if (status == 400)
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !problem.TryGetProperty("parameter", out _))
                {
                    failures.Add($"400 without a named parameter: {address}");
                }
            }
            else if (status != 200 && status != 404)
            {
                failures.Add($"{status} {address}");
            }
        }

        Assert.Equal(1200, checkedRequests);
        Assert.Empty(failures);
    }

    private async Task AssertProblemAsync(string address, string parameter)
    {
        using var response = await app.Client.GetAsync(address, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{Shorten(address)}: {(int)response.StatusCode} {Shorten(body)}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        Assert.Contains(parameter, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.False(response.Headers.ETag is not null, "A problem carries no validators.");
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : new StringBuilder(text).ToString();
}
