using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Countries;

/// <summary>A region's totals: the sum of its countries' items, so it always agrees with <c>/api/v1/countries</c>.</summary>
public sealed record RegionItem(string Region, int Countries, int Labs, int Models, long Downloads30d, long? DownloadsAllTime, long Likes, double Share)
{
    /// <summary>One item per region of <see cref="AttributionRegions.Regions"/>, in that order, zeros included.</summary>
    public static IReadOnlyList<RegionItem> RollUp(IEnumerable<CountryItem> countries, Attribution attribution)
    {
        var byRegion = countries.ToLookup(c => c.Region);
        return attribution.Regions().Select(region => Of(region, byRegion[region].ToArray())).ToArray();
    }

    /// <summary>The sum of some countries' items under one name (a region, or a single country); an empty sum is zeros.</summary>
    public static RegionItem Of(string name, IReadOnlyCollection<CountryItem> items) => new(
        name,
        items.Count(c => c.Country != Regions.UnknownCountry),
        items.Sum(c => c.Labs),
        items.Sum(c => c.Models),
        items.Sum(c => c.Downloads30d),
        items.Count == 0 || items.Any(c => c.DownloadsAllTime is not null) ? items.Sum(c => c.DownloadsAllTime ?? 0) : null,
        items.Sum(c => c.Likes),
        items.Sum(c => c.Share));
}
