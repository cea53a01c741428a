using MudBlazor;

namespace OpenModelWatch.Web.Components.Layout;

/// <summary>The dashboard's light and dark palettes; the font falls back to the system's sans-serif (no web fonts are fetched).</summary>
public static class DashboardTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            AppbarBackground = "#283593",
            Background = "#f5f6fa",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9eff",
            AppbarBackground = "#1a1a27",
            TableStriped = "rgba(255,255,255,0.035)",
            TableHover = "rgba(255,255,255,0.08)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Roboto", "Helvetica Neue", "Arial", "DejaVu Sans", "sans-serif"] },
        },
    };
}
