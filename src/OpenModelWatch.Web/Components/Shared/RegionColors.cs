using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Components.Shared;

/// <summary>
/// One colour per region, the same in every chart, card and legend: the Okabe–Ito palette, which stays apart for
/// readers with red–green (protanopia, deuteranopia) and blue–yellow (tritanopia) colour blindness, where the earlier
/// red #e53935 and green #43a047 looked alike. Colour is never the only cue: every dot and bar has its region's name
/// beside it, in a legend, or in its label.
/// </summary>
public static class RegionColors
{
    public static string Of(string region) => region switch
    {
        Regions.China => "#d55e00",
        Regions.Us => "#0072b2",
        Regions.Europe => "#e69f00",
        Regions.Other => "#009e73",
        _ => "#999999",
    };
}
