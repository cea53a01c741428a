using System.Globalization;

namespace OpenModelWatch.Web.Localization;

/// <summary>The languages of the dashboard, and the names of the address parameter and cookie that choose one.</summary>
public static class Languages
{
    /// <summary>The address parameter: <c>?lang=es</c>. Pages and files alike; a shared link keeps it.</summary>
    public const string QueryKey = "lang";

    /// <summary>The cookie that remembers a reader's choice for the pages (files read only the address).</summary>
    public const string CookieName = "omw-lang";

    /// <summary>English: the fallback when nothing chooses a language, and the language of a text not yet translated.</summary>
    public const string Default = "en";

    /// <summary>Every language with a <c>Texts.{name}.resx</c> (English's is <c>Texts.resx</c>), in the switch's order.</summary>
    public static readonly IReadOnlyList<string> Supported = ["en", "es"];

    public static bool IsSupported(string? name) =>
        name is not null && Supported.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The culture of a supported language name, or null for any other value.</summary>
    public static CultureInfo? Culture(string? name) =>
        IsSupported(name) ? CultureInfo.GetCultureInfo(name!.ToLowerInvariant()) : null;

    /// <summary>The language of the current request or circuit (its UI culture's two-letter name when supported).</summary>
    public static string Current =>
        IsSupported(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName) ? CultureInfo.CurrentUICulture.TwoLetterISOLanguageName : Default;
}
