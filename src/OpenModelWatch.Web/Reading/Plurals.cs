using Microsoft.Extensions.Localization;

namespace OpenModelWatch.Web.Reading;

/// <summary>
/// Texts with a count: the key <c>X.One</c> for exactly one, <c>X.Other</c> otherwise (English and Spanish both have
/// only these two forms). The count is the text's <c>{0}</c>, written as <see cref="Format.Exact(long)"/>; more
/// arguments follow as <c>{1}</c>, <c>{2}</c>.
/// </summary>
public static class Plurals
{
    public const string One = ".One";
    public const string Other = ".Other";

    public static string Plural(this IStringLocalizer localizer, string key, long count, params object[] more) =>
        localizer[KeyFor(key, count), [Format.Exact(count), .. more]];

    /// <summary>The key of a count's form: <c>X.One</c> for exactly one, else <c>X.Other</c>.</summary>
    public static string KeyFor(string key, long count) => key + (count == 1 ? One : Other);
}
