using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.Localization;
using OpenModelWatch.Web.Localization;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Components.Shared;

/// <summary>
/// The markup of a count, a count that may be unknown, a country and a link, as fragments of the page that shows them
/// rather than as components of their own. A table of 100 rows showed about 700 of these as components (<see
/// cref="Num"/>, <see cref="NumOrUnknown"/>, <see cref="CountryFlag"/>, <c>MudLink</c>), each created, given its
/// parameters and rendered on its own; as fragments they are a few more frames of the table's render. The components
/// render through these, so the markup is the same everywhere.
/// </summary>
public static class Cells
{
    // MudLink's classes at its defaults (primary colour, underlined on hover, body text), so a link looks the same.
    private const string LinkClass = "mud-typography mud-link mud-primary-text mud-link-underline-hover mud-typography-body1";
    private const string InheritLinkClass = "mud-typography mud-link mud-inherit-text mud-link-underline-hover mud-typography-body1";

    /// <summary>A count for people (1.2M) with the exact value in the tooltip.</summary>
    public static RenderFragment Num(long value) => builder => AddNum(builder, value);

    /// <summary>A count that may be unknown: unknown is shown as such ("–", explained in the tooltip), never as 0.</summary>
    public static RenderFragment NumOrUnknown(long? value, IStringLocalizer<Texts> texts) => builder =>
    {
        if (value is { } known)
        {
            AddNum(builder, known);
            return;
        }

        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", "omw-muted");
        builder.AddAttribute(2, "title", texts["Common.UnknownValue"].Value);
        builder.AddContent(3, "–");
        builder.CloseElement();
    };

    /// <summary>A country as flag and code; the flag is decoration (hidden from screen readers), the code is what is read.</summary>
    public static RenderFragment Country(string code, IStringLocalizer<Texts> texts) => builder =>
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", "omw-country");
        builder.AddAttribute(2, "title", code == Regions.UnknownCountry ? texts["Common.UnknownCountry"].Value : PlaceNames.Country(code));
        builder.OpenElement(3, "span");
        builder.AddAttribute(4, "aria-hidden", "true");
        builder.AddAttribute(5, "class", "omw-flag");
        builder.AddContent(6, Format.Flag(code));
        builder.CloseElement();
        builder.AddContent(7, code);
        builder.CloseElement();
    };

    /// <summary>A link as <c>MudLink</c> renders it; <paramref name="inherit"/>: in the text's colour (<c>Color.Inherit</c>).</summary>
    public static RenderFragment Link(string href, string text, string? testId = null, bool inherit = false) => builder =>
    {
        builder.OpenElement(0, "a");
        builder.AddAttribute(1, "href", href);
        builder.AddAttribute(2, "class", inherit ? InheritLinkClass : LinkClass);
        builder.AddAttribute(3, "data-testid", testId);
        builder.AddContent(4, text);
        builder.CloseElement();
    };

    private static void AddNum(RenderTreeBuilder builder, long value)
    {
        builder.OpenElement(10, "span");
        builder.AddAttribute(11, "class", "omw-num");
        builder.AddAttribute(12, "title", Format.Exact(value));
        builder.AddContent(13, Format.Compact(value));
        builder.CloseElement();
    }
}
