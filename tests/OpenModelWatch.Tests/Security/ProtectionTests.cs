using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Security;

/// <summary>Rate limits per client, security headers, request size limits, HTTPS and forwarded headers.</summary>
public sealed partial class ProtectionTests : FakeHubFixture
{
    private string _registry = null!;

    protected override FakeHubOptions HubOptions => new() { Catalog = new GeneratedCatalog(60, ["alpha", "beta"]) };

    protected override ValueTask StartedAsync()
    {
        _registry = Folder.WriteRegistry(("alpha", "US"), ("beta", "CN"));
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task TheApiAndExportsAreRateLimitedPerClientWith429AndRetryAfterButPagesAreNot()
    {
        await using var app = App(("RateLimiting:PermitsPerMinute", "5"));
        var client = app.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/countries", TestContext.Current.CancellationToken)).StatusCode);
        }

        var limited = await client.GetAsync("/api/v1/labs", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal("application/problem+json", limited.ContentType()?.MediaType);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/exports/anything.csv", TestContext.Current.CancellationToken)).StatusCode);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login", TestContext.Current.CancellationToken)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", TestContext.Current.CancellationToken)).StatusCode);
        }
    }

    [Fact]
    public async Task BehindATrustedProxyEachForwardedClientHasItsOwnLimit()
    {
        // On a real port, so the proxy (this test, on loopback) has an address to be trusted by.
        await using var app = App(("RateLimiting:PermitsPerMinute", "2"), ("ForwardedHeaders:Enabled", "true"));
        using var client = new HttpClient { BaseAddress = new Uri(app.StartOnKestrel() + "/") };

        async Task<HttpStatusCode> AsAsync(string clientAddress)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/countries");
            request.Headers.Add("X-Forwarded-For", clientAddress);
            return (await client.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await AsAsync("203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, await AsAsync("203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await AsAsync("203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, await AsAsync("198.51.100.20"));
    }

    [Fact]
    public async Task EveryResponseCarriesTheSecurityHeadersAndThePagesScriptIsAllowedByItsHash()
    {
        await using var app = App();
        var client = app.CreateClient();

        foreach (var path in new[] { "/", "/ingestion", "/api/v1/runs", "/login", "/health/ready", "/no-such-page" })
        {
            var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
            Assert.Equal("DENY", Header(response, "X-Frame-Options"));
            var policy = Header(response, "Content-Security-Policy");
            Assert.StartsWith("default-src 'self'; script-src 'self'", policy);
            Assert.EndsWith("frame-ancestors 'none'", policy);
            Assert.Contains("object-src 'none'", policy);
        }

        // The one inline script Blazor writes, the import map, is allowed by its exact hash, and nothing else inline is.
        var page = await client.GetAsync("/", TestContext.Current.CancellationToken);
        var importMap = ImportMap().Match(await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Groups[1].Value;
        Assert.NotEmpty(importMap);
        var hash = "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(importMap)));
        Assert.Contains($"script-src 'self' '{hash}';", Header(page, "Content-Security-Policy"));
        Assert.DoesNotContain("unsafe-inline';", Header(page, "Content-Security-Policy").Split("style-src")[0]);
    }

    [Fact]
    public async Task OnlyEmbedPathsMayBeFramedAndByAnySite()
    {
        await using var app = App();
        var client = app.CreateClient();

        var embed = await client.GetAsync("/embed/countries", TestContext.Current.CancellationToken);
        Assert.EndsWith("frame-ancestors *", Header(embed, "Content-Security-Policy"));
        Assert.False(embed.Headers.Contains("X-Frame-Options"));
        Assert.EndsWith("frame-ancestors 'none'", Header(await client.GetAsync("/embedded", TestContext.Current.CancellationToken), "Content-Security-Policy"));

        await using var configured = App(("Security:FramePaths:0", "/widgets/"));
        var widget = await configured.CreateClient().GetAsync("/widgets/x", TestContext.Current.CancellationToken);
        Assert.EndsWith("frame-ancestors *", Header(widget, "Content-Security-Policy"));
    }

    [Fact]
    public async Task ARequestBodyOverTheLimitGets413()
    {
        await using var app = App(("Security:MaxRequestBodyBytes", "4096"));
        var client = app.CreateClient();

        var tooLarge = await client.PostAsync("/login", new ByteArrayContent(new byte[5000]), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        var small = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = "x" }), TestContext.Current.CancellationToken);
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, small.StatusCode);
    }

    [Fact]
    public async Task OutsideDevelopmentHttpIsRedirectedToHttpsAndHttpsGetsHsts()
    {
        await using var app = App(("https_port", "443"));
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://omw.example") });

        var plain = await client.GetAsync("/api/v1/runs", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.Equal("https://omw.example/api/v1/runs", plain.Headers.Location?.AbsoluteUri);

        var secure = await client.GetAsync("https://omw.example/api/v1/runs", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal("max-age=31536000", Header(secure, "Strict-Transport-Security"));
    }

    private AppFactory App(params (string Key, string? Value)[] settings) =>
        new(Folder, Hub.BaseAddress, _registry, settings.ToDictionary(s => s.Key, s => s.Value));

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri} has no {name} header.");

    [GeneratedRegex("<script type=\"importmap\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ImportMap();
}
