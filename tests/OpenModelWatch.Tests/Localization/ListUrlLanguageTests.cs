using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Tests.Localization;

/// <summary>A page's address keeps its language, so a copied or shared link opens in the language it was read in.</summary>
public sealed class ListUrlLanguageTests
{
    private static readonly string[] _sorts = ["downloads30d", "likes"];

    [Fact]
    public void AViewOpenedWithLangKeepsIt()
    {
        using var culture = new CultureScope("es");
        var uri = "http://localhost/models?country=CN&lang=es&sort=likes";
        var parameters = ListUrl.Parse(uri, _sorts, "downloads30d");

        Assert.Equal("http://localhost/models?country=CN&sort=likes&lang=es", ListUrl.ToUri(uri, parameters with { Offset = 0 }, "downloads30d"));
        // The API's address does not carry it: the API answers the same in every language.
        Assert.Equal("/api/v1/models?country=CN&sort=likes&limit=25", ListUrl.ToApiUri("/api/v1/models", parameters, "downloads30d"));
    }

    [Fact]
    public void EnglishWithoutLangStaysAsItWas()
    {
        using var culture = new CultureScope("en");
        var uri = "http://localhost/models?country=CN";
        var parameters = ListUrl.Parse(uri, _sorts, "downloads30d");

        Assert.Equal("http://localhost/models?country=CN", ListUrl.ToUri(uri, parameters, "downloads30d"));
        Assert.Equal(uri, ListUrl.WithLanguage(uri));
        Assert.Equal("http://localhost/models?country=CN&lang=en", ListUrl.ToUri(uri + "&lang=en", parameters, "downloads30d"));
    }

    [Fact]
    public void SpanishChosenByCookieIsWrittenIntoTheLink()
    {
        using var culture = new CultureScope("es");
        var uri = "http://localhost/models?country=CN";
        var parameters = ListUrl.Parse(uri, _sorts, "downloads30d");

        Assert.Equal("http://localhost/models?country=CN&lang=es", ListUrl.ToUri(uri, parameters, "downloads30d"));
        Assert.Equal("http://localhost/models?country=CN&lang=es", ListUrl.WithLanguage(uri));
        Assert.Equal("http://localhost/models?lang=en", ListUrl.WithLanguage("http://localhost/models?lang=en"));
        Assert.Contains(new KeyValuePair<string, string?>("lang", "es"), ListUrl.ToPairs(parameters, "downloads30d"));
    }
}
