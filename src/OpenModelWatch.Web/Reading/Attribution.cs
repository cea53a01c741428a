namespace OpenModelWatch.Web.Reading;

/// <summary>Which lab a model counts for: its uploader's, or its origin lab (the registered lab closest to the root of its lineage).</summary>
public enum Attribution
{
    Uploader,
    Origin,
}

/// <summary>Which models a view counts, and so the denominator of its shares.</summary>
public enum Scope
{
    /// <summary>Every model of the run: the registered labs' namespaces plus the Hub's top N.</summary>
    All,

    /// <summary>Only the Hub's top <c>Census:TopN</c> by 30-day downloads: shares of the whole Hub's head.</summary>
    Census,
}

public static class AttributionRegions
{
    private static readonly string[] _byUploader =
        [Registry.Regions.China, Registry.Regions.Us, Registry.Regions.Europe, Registry.Regions.Other, Registry.Regions.Community];

    /// <summary>
    /// The regions a view shows, in order. By uploader, a model of no registered lab counts for its own namespace:
    /// Community; by origin, a model whose root lab is not known is Unknown.
    /// </summary>
    public static IReadOnlyList<string> Regions(this Attribution attribution) =>
        attribution == Attribution.Uploader ? _byUploader : Registry.Regions.All;

    /// <summary>A row's region: with uploader attribution, a model of no registered lab is Community, not Unknown.</summary>
    public static string RegionOf(this Attribution attribution, string? country) =>
        country is null && attribution == Attribution.Uploader ? Registry.Regions.Community : Registry.Regions.Of(country);
}
