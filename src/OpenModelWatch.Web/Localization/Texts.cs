using System.Globalization;
using System.Resources;

namespace OpenModelWatch.Web.Localization;

/// <summary>
/// The one resource every user-facing text comes from: <c>Texts.resx</c> (English, the fallback) and
/// <c>Texts.es.resx</c> (Spanish). Adding a language is translating one file, <c>Texts.{culture}.resx</c>, and naming
/// the culture in <see cref="Languages.Supported"/>. Components read it through <c>IStringLocalizer&lt;Texts&gt;</c>;
/// static helpers shared by pages and files (<c>Reading/Format</c>, <c>Terms</c>, <c>FilterWords</c>) through
/// <see cref="Get"/>, the same resource in the same request or circuit culture.
/// </summary>
public sealed class Texts
{
    // The name IStringLocalizer<Texts> reads too (the root namespace and the file's folder).
    private static readonly ResourceManager _resources = new(typeof(Texts).FullName!, typeof(Texts).Assembly);

    /// <summary>The text of <paramref name="key"/> in the current UI culture, English where it is not translated; the key itself where it is missing, as a localizer does.</summary>
    public static string Get(string key) => _resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    /// <summary>The text of <paramref name="key"/> with its <c>{0}</c>, <c>{1}</c> filled in the current culture.</summary>
    public static string Format(string key, params object?[] arguments) => string.Format(CultureInfo.CurrentCulture, Get(key), arguments);
}
