using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenModelWatch.Tests.Files;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Api;

/// <summary>
/// The OpenAPI document against the running API: every endpoint listed, every parameter and field described, every
/// documented field present in the answers (and nothing undocumented), every documented parameter accepted when
/// valid and refused with a 400 naming it when not. On both stores.
/// </summary>
public abstract class ApiContractTests(ExportsApp app)
{
    [Collection(ExportsCollection.Name)]
    public sealed class OnSqlite(ExportsApp app) : ApiContractTests(app);

    [Collection(PostgresExportsCollection.Name)]
    public sealed class OnPostgres(PostgresExportsApp app) : ApiContractTests(app);

    [Fact]
    public async Task TheOpenApiDocumentListsEveryEndpoint()
    {
        var document = await app.JsonAsync("/openapi/v1.json");
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet(StringComparer.Ordinal);

        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText is { } text && (text.StartsWith("/api/", StringComparison.Ordinal) || text.StartsWith("/charts/", StringComparison.Ordinal) || text.StartsWith("/exports/", StringComparison.Ordinal)))
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => $"{method} {Normalize(endpoint.RoutePattern.RawText!)}"))
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(mapped);
        Assert.Empty(mapped.Except(documented));
        foreach (var path in new[] { "GET /api/v1/models", "GET /api/v1/labs", "GET /api/v1/countries", "GET /api/v1/runs", "GET /api/v1/models/{namespace}/{name}/history", "GET /api/v1/history/countries", "GET /charts/region-share.{format}", "GET /exports/models.{format}" })
        {
            Assert.Contains(path, documented);
        }

        // The browsable reference, linked from the navigation, serves its page and its script from this site.
        Assert.Contains("<title>OpenModelWatch API</title>", await app.Client.GetStringAsync("/docs/", TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using var script = await app.Client.GetAsync("/docs/scalar.js", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task EveryParameterAndEveryFieldIsDescribed()
    {
        var document = await app.JsonAsync("/openapi/v1.json");
        var missing = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (!operation.Value.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
                {
                    missing.Add($"{operation.Name} {path.Name}: summary");
                }

                foreach (var parameter in operation.Value.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : default)
                {
                    if (!parameter.TryGetProperty("description", out var description) || string.IsNullOrWhiteSpace(description.GetString()))
                    {
                        missing.Add($"{operation.Name} {path.Name}: parameter {parameter.GetProperty("name").GetString()}");
                    }
                }
            }
        }

        foreach (var schema in document.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            foreach (var property in schema.Value.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : default)
            {
                if (!property.Value.TryGetProperty("description", out var description) || string.IsNullOrWhiteSpace(description.GetString())
                    || description.GetString()!.StartsWith("The " + property.Name + " of the item", StringComparison.Ordinal))
                {
                    missing.Add($"{schema.Name}.{property.Name}");
                }
            }
        }

        Assert.Empty(missing);
    }

    public static readonly TheoryData<string> Lists = new()
    {
        "/api/v1/models", "/api/v1/labs", "/api/v1/countries", "/api/v1/runs", "/api/v1/models/Qwen/model-0000/history",
        "/api/v1/history/countries", "/api/v1/derivatives/labs", "/api/v1/derivatives/countries", "/api/v1/derivatives/base-models", "/api/v1/derivatives/months",
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task AnswersHaveExactlyTheDocumentedFields(string path)
    {
        var document = await app.JsonAsync("/openapi/v1.json");
        var template = document.GetProperty("paths").EnumerateObject()
            .Single(p => Matches(p.Name, path)).Value.GetProperty("get");
        var schema = Resolve(document, template.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var envelope = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        var itemSchema = Resolve(document, Resolve(document, schema.GetProperty("properties").GetProperty("items")).GetProperty("items"));
        var fields = itemSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();

        var answer = await app.JsonAsync(path);
        Assert.Equal(envelope, answer.EnumerateObject().Select(p => p.Name).ToHashSet());
        var items = answer.GetProperty("items").EnumerateArray().ToArray();
        Assert.NotEmpty(items);
        Assert.All(items, item => Assert.Equal(fields, item.EnumerateObject().Select(p => p.Name).ToHashSet()));
    }

    [Fact]
    public async Task EveryDocumentedQueryParameterIsAcceptedWhenValidAndNamedWhenNot()
    {
        var document = await app.JsonAsync("/openapi/v1.json");
        var checkedParameters = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            if (!path.Value.TryGetProperty("get", out var operation) || !operation.TryGetProperty("parameters", out var parameters))
            {
                continue;
            }

            var address = Concrete(path.Name);
            foreach (var parameter in parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query"))
            {
                var name = parameter.GetProperty("name").GetString()!;
                var schema = parameter.GetProperty("schema");
                var (valid, invalid) = Samples(name, schema);
                using (var ok = await app.Client.GetAsync(With(address, name, valid), TestContext.Current.CancellationToken))
                {
                    Assert.True(ok.StatusCode == HttpStatusCode.OK, $"{address} {name}={valid}: {(int)ok.StatusCode} {await ok.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
                }

                if (invalid is null)
                {
                    continue;
                }

                using var bad = await app.Client.GetAsync(With(address, name, invalid), TestContext.Current.CancellationToken);
                Assert.True(bad.StatusCode == HttpStatusCode.BadRequest, $"{address} {name}={invalid}: {(int)bad.StatusCode}");
                Assert.Equal(name, (await bad.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("parameter").GetString());
                checkedParameters++;
            }
        }

        Assert.True(checkedParameters > 100, $"only {checkedParameters} parameters checked");
    }

    [Fact]
    public async Task ListsPinnedWithRunAnswerFromThatRunAndRefuseARunThatDidNotSucceed()
    {
        var pinned = await app.JsonAsync("/api/v1/models?run=1&q=Qwen/model-0006");
        Assert.Equal(1, pinned.GetProperty("runId").GetInt32());
        Assert.Equal(app.FirstRun.Find("Qwen/model-0006")!.Downloads, pinned.GetProperty("items")[0].GetProperty("downloads30d").GetInt64());
        var latest = await app.JsonAsync("/api/v1/models?q=Qwen/model-0006");
        Assert.Equal(2, latest.GetProperty("runId").GetInt32());
        Assert.Equal(app.SecondRun.Find("Qwen/model-0006")!.Downloads, latest.GetProperty("items")[0].GetProperty("downloads30d").GetInt64());
        var labs = await app.JsonAsync("/api/v1/labs?run=1");
        Assert.Equal(1, labs.GetProperty("runId").GetInt32());
        var history = await app.JsonAsync("/api/v1/models/Qwen/model-0006/history?run=1");
        Assert.Equal(1, history.GetProperty("total").GetInt32());

        using var refused = await app.Client.GetAsync("/api/v1/countries?run=999", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("run", problem.GetProperty("parameter").GetString());
        Assert.Equal("run: 999 is not a succeeded run (see /api/v1/runs).", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task EveryListSaysHowMuchOfItsRunItsWayOfCountingCovers()
    {
        // By origin, the community uploader's quantizations reach Qwen: everything is attributed.
        var byOrigin = await app.JsonAsync("/api/v1/countries?attribution=origin");
        Assert.Equal(1.0, byOrigin.GetProperty("coverage").GetDouble());

        // By uploader, the community uploader's downloads have no known country: coverage is the rest, whatever the filters.
        var countries = await app.JsonAsync("/api/v1/countries");
        var items = countries.GetProperty("items").EnumerateArray().ToArray();
        var known = items.Where(item => item.GetProperty("country").GetString() != "XX").Sum(item => item.GetProperty("downloads30d").GetInt64());
        var total = items.Sum(item => item.GetProperty("downloads30d").GetInt64());
        Assert.True(known < total);
        var expected = (double)known / total;
        Assert.Equal(expected, countries.GetProperty("coverage").GetDouble());
        foreach (var path in new[] { "/api/v1/models?country=CN", "/api/v1/labs?community=include", "/api/v1/history/countries?group=region" })
        {
            Assert.Equal(expected, (await app.JsonAsync(path)).GetProperty("coverage").GetDouble());
        }

        // Pinned to the first run, it is that run's coverage.
        var first = await app.JsonAsync("/api/v1/countries?run=1");
        var firstItems = first.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(
            (double)firstItems.Where(item => item.GetProperty("country").GetString() != "XX").Sum(item => item.GetProperty("downloads30d").GetInt64())
                / firstItems.Sum(item => item.GetProperty("downloads30d").GetInt64()),
            first.GetProperty("coverage").GetDouble());
    }

    [Fact]
    public async Task ModelHistoryHasOnePointPerSucceededRun()
    {
        var history = await app.JsonAsync("/api/v1/models/Qwen/model-0006/history?order=asc");
        var points = history.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(2, history.GetProperty("total").GetInt32());
        foreach (var (point, catalog) in points.Zip(new[] { app.FirstRun, app.SecondRun }))
        {
            var model = catalog.Find("Qwen/model-0006")!;
            Assert.Equal(model.Downloads, point.GetProperty("downloads30d").GetInt64());
            Assert.Equal(model.DownloadsAllTime, point.GetProperty("downloadsAllTime").GetInt64());
            Assert.Equal(model.Likes, point.GetProperty("likes").GetInt64());
            Assert.True(point.TryGetProperty("at", out _));
        }

        Assert.True(points[0].GetProperty("at").GetDateTime() < points[1].GetProperty("at").GetDateTime());
        var newestFirst = await app.JsonAsync("/api/v1/models/Qwen/model-0006/history");
        Assert.Equal(2, newestFirst.GetProperty("items")[0].GetProperty("runId").GetInt32());
    }

    [Fact]
    public async Task CountryHistoryHasOnePointPerRunAndCountry()
    {
        var history = await app.JsonAsync("/api/v1/history/countries?metric=downloads30d&order=asc&limit=1000");
        var items = history.GetProperty("items").EnumerateArray().ToArray();
        foreach (var (catalog, run) in new[] { (app.FirstRun, 1), (app.SecondRun, 2) })
        {
            foreach (var country in new[] { "CN", "US", "FR", "DE" })
            {
                var namespaces = ExportsApp.Namespaces.Where(ns => ns.Country == country).Select(ns => ns.Namespace);
                var point = items.Single(i => i.GetProperty("runId").GetInt32() == run && i.GetProperty("country").GetString() == country);
                Assert.Equal(catalog.Sum(namespaces).Valid.Downloads, point.GetProperty("downloads30d").GetInt64());
                Assert.Equal(point.GetProperty("downloads30d").GetInt64(), point.GetProperty("value").GetInt64());
            }

            var shares = items.Where(i => i.GetProperty("runId").GetInt32() == run).Sum(i => i.GetProperty("share").GetDouble());
            Assert.Equal(1, shares, 9);
        }

        var likes = await app.JsonAsync("/api/v1/history/countries?metric=likes&country=CN&limit=1000");
        Assert.All(likes.GetProperty("items").EnumerateArray(), i => Assert.Equal(i.GetProperty("likes").GetInt64(), i.GetProperty("value").GetInt64()));
        Assert.Equal(2, likes.GetProperty("total").GetInt32());
    }

    /// <summary>A route as the document writes it: <c>/api/v1/runs/{id}</c> for <c>/api/v1/runs/{id:int}</c>.</summary>
    private static string Normalize(string pattern) => "/" + System.Text.RegularExpressions.Regex.Replace(pattern.TrimStart('/'), @"\{([^}:?]+)[^}]*\}", "{$1}");

    private static bool Matches(string template, string path) =>
        System.Text.RegularExpressions.Regex.IsMatch(path, "^" + System.Text.RegularExpressions.Regex.Replace(template, @"\{[^}]+\}", "[^/]+") + "$");

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        return schema;
    }

    /// <summary>An address of the template that exists in the fixture's store.</summary>
    private static string Concrete(string template) => template
        .Replace("/runs/{id}", "/runs/1", StringComparison.Ordinal)
        .Replace("{namespace}", "Qwen", StringComparison.Ordinal)
        .Replace("{name}", "model-0000", StringComparison.Ordinal)
        .Replace("{id}", "qwen", StringComparison.Ordinal)
        .Replace("{key}", "China", StringComparison.Ordinal)
        .Replace("{format}", template.StartsWith("/charts", StringComparison.Ordinal) ? "svg" : "csv", StringComparison.Ordinal);

    private static string With(string address, string name, string value) => $"{address}?{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}";

    /// <summary>A value the parameter accepts, and one it must refuse (null when any text is acceptable).</summary>
    private static (string Valid, string? Invalid) Samples(string name, JsonElement schema)
    {
        if (schema.TryGetProperty("items", out var items))
        {
            schema = items;
        }

        var type = schema.TryGetProperty("type", out var t) ? t.ValueKind == JsonValueKind.Array ? t[0].GetString() : t.GetString() : "string";
        if (schema.TryGetProperty("enum", out var values))
        {
            return (values[values.GetArrayLength() - 1].GetString()!, "no-such-" + name);
        }

        if (name == "country")
        {
            return ("CN", "ZZ");
        }

        if (type == "integer")
        {
            var minimum = schema.TryGetProperty("minimum", out var min) ? int.Parse(min.ToString(), CultureInfo.InvariantCulture) : 0;
            var valid = name == "run" ? "2" : name == "limit" ? "5" : minimum.ToString(CultureInfo.InvariantCulture);
            return (valid, name == "offset" || name.EndsWith("Parameters", StringComparison.Ordinal) ? "-1" : (minimum - 1).ToString(CultureInfo.InvariantCulture));
        }

        if (schema.TryGetProperty("format", out var format) && format.GetString() == "date")
        {
            return ("2025-01-01", "2025-13-45");
        }

        return name switch
        {
            "lab" => ("qwen", null),
            "a" or "b" => ("China", "Atlantis"),
            _ => ("text", null),
        };
    }
}
