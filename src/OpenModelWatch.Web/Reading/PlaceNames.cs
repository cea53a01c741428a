using OpenModelWatch.Web.Localization;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Reading;

/// <summary>
/// Regions and countries by name in the reader's language (Europe / Europa, United States / Estados Unidos), for pages
/// and charts. Only what people read is translated: the codes (<c>CN</c>, <c>US</c>, <c>XX</c>) and the region values
/// of the API, the files' columns and the addresses (<c>region=Europe</c>) never are.
/// </summary>
public static class PlaceNames
{
    /// <summary>A region's name: China, US, Europe, Other, Unknown, Community (es: China, Estados Unidos, Europa, Otros, Desconocido, Comunidad).</summary>
    public static string Region(string region) => Named("Place.Region." + region, region);

    /// <summary>A country's name from its ISO 3166-1 alpha-2 code (XX: unknown); a code without a name is returned as it is.</summary>
    public static string Country(string code) =>
        Named("Place.Country." + (code == Regions.UnknownCountry ? "XX" : code), code);

    private static string Named(string key, string fallback) => Texts.Get(key) is var text && text != key ? text : fallback;
}
