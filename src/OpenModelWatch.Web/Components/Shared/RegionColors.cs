using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Components.Shared;

/// <summary>One colour per region, the same in every chart, card and legend (readable in light and dark themes).</summary>
public static class RegionColors
{
    public static string Of(string region) => region switch
    {
        Regions.China => "#e53935",
        Regions.Us => "#1e88e5",
        Regions.Europe => "#fdd835",
        Regions.Other => "#43a047",
        _ => "#9e9e9e",
    };
}
