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
            // WCAG AA (4.5:1) for secondary text on the page and on striped rows: MudBlazor's 54% black is 4.45:1 on the background.
            TextSecondary = "rgba(0,0,0,0.64)",
            // White on MudBlazor's #00c853 is 2.2:1; this green is 5.1:1 with white and 4.9:1 on white.
            Success = "#2e7d32",
            Warning = "#b45309",
            // Falls (the red of a negative change) at 4.5:1 or more on white and striped rows; MudBlazor's #f44336 is 3.7:1.
            Error = "#c62828",
            Info = "#0b6fb8",
        },
        PaletteDark = new PaletteDark
        {
            // 4.9:1 on the striped rows of a dark table (MudBlazor's #8c9eff was 4.3:1).
            Primary = "#9aa9ff",
            AppbarBackground = "#1a1a27",
            TableStriped = "rgba(255,255,255,0.035)",
            TableHover = "rgba(255,255,255,0.08)",
            // MudBlazor's 50% white is 4.25:1 on its dark surface; 72% is 7:1.
            TextSecondary = "rgba(255,255,255,0.72)",
            // Dark text on the light primary of filled buttons (white on it is 2.2:1); rises and falls at 4.5:1 or more on dark rows.
            PrimaryContrastText = "#1a1a27",
            Success = "#2ecc8f",
            SuccessContrastText = "#1a1a27",
            Error = "#ff8a80",
            ErrorContrastText = "#1a1a27",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Roboto", "Helvetica Neue", "Arial", "DejaVu Sans", "sans-serif"] },
        },
    };
}
