using System.Net;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Files;

/// <summary>Embeds any site may frame, with the as-of time and a link back; the methodology every file links to.</summary>
[Collection(ExportsCollection.Name)]
public sealed class EmbedAndMethodTests(ExportsApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/embed/region-share?attribution=origin", "/charts/region-share.png?attribution=origin", "/?attribution=origin")]
    [InlineData("/embed/top-models?country=CN&sort=likes", "/charts/top-models.png?country=CN&amp;sort=likes", "/models?country=CN&amp;sort=likes")]
    [InlineData("/embed/country-comparison?a=FR&b=US", "/charts/country-comparison.png?a=FR&amp;b=US", "/countries?a=FR&amp;b=US")]
    [InlineData("/embed/labs/qwen/history?metric=share", "/charts/labs/qwen/history.png?metric=share", "/labs/qwen")]
    [InlineData("/embed/models/Qwen/model-0000/history", "/charts/models/Qwen/model-0000/history.png", "/models/Qwen/model-0000")]
    public async Task EmbedsShowOneChartWithItsAsOfTimeAndALinkBackAndMayBeFramed(string embed, string image, string page)
    {
        using var response = await app.Client.GetAsync(embed, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(html.Contains($"src=\"{image}\"", StringComparison.Ordinal), html);
        Assert.Contains(image + (image.Contains('?', StringComparison.Ordinal) ? "&amp;" : "?") + "scale=2 2x", html, StringComparison.Ordinal);
        Assert.Matches(@"data-testid=""embed-as-of"">As of \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(run 2\)<", html);
        Assert.Contains($"href=\"{app.BaseUrl}{page}", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        // Any site may frame it: no X-Frame-Options, frame-ancestors *.
        Assert.False(response.Headers.Contains("X-Frame-Options"));
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors *", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);

        // The image it shows is there.
        using var picture = await app.Client.GetAsync(System.Net.WebUtility.HtmlDecode(image), Ct);
        Assert.Equal("image/png", picture.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheRestOfTheAppMayNotBeFramed()
    {
        foreach (var path in new[] { "/models", "/methodology", "/charts/region-share.svg", "/exports/models.csv", "/api/v1/models" })
        {
            using var response = await app.Client.GetAsync(path, Ct);
            var policy = response.Headers.TryGetValues("Content-Security-Policy", out var values) ? string.Join(";", values) : "";
            Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var frame) && frame.Single() == "DENY" || policy.Contains("frame-ancestors 'none'", StringComparison.Ordinal),
                $"{path} may be framed");
            Assert.DoesNotContain("frame-ancestors *", policy, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheMethodologyPageSaysHowTheNumbersAreMade()
    {
        var html = await app.Client.GetStringAsync("/methodology", Ct);
        foreach (var section in new[] { "downloads", "labs", "attribution", "denominators", "schedule", "exports" })
        {
            Assert.Contains($"id=\"{section}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("config.json", html, StringComparison.Ordinal);
        Assert.Contains("seeds/labs.json", html, StringComparison.Ordinal);
        Assert.Contains("scope=census", html, StringComparison.Ordinal);
        Assert.Contains("attribution=origin", html, StringComparison.Ordinal);
        // The registry's labs, with their sources.
        Assert.Contains("=HYPERLINK(&quot;http://evil.example&quot;,&quot;click me&quot;)", html, StringComparison.Ordinal);

        // Linked from the navigation, with the API reference.
        var page = await app.Client.GetStringAsync("/models", Ct);
        Assert.Contains("href=\"/methodology\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/docs\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApiReferenceMayRunItsOwnScriptOnly()
    {
        using var response = await app.Client.GetAsync("/docs/", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self' 'unsafe-inline'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn", await response.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
    }
}
