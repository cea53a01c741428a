using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Files;

/// <summary>The absolute links a file carries, built from <c>Exports:PublicUrl</c> or the request's own address.</summary>
public sealed record ExportLinks(string BaseUrl, string Path, QueryString Query)
{
    public const string MethodologyPath = "/methodology";

    public static ExportLinks For(HttpRequest request, ExportsOptions options) => new(
        options.PublicUrl is { } url ? url.AbsoluteUri.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}",
        request.Path.Value ?? "/",
        request.QueryString);

    /// <summary>
    /// The methodology page, at a section: <c>https://…/methodology#downloads</c>; in the file's language when it is not
    /// English (<c>/methodology?lang=es#downloads</c>), so a reader of a Spanish chart reads the method in Spanish.
    /// </summary>
    public string Method(string section = "") => BaseUrl + InLanguage(MethodologyPath) + (section.Length == 0 ? "" : "#" + section);

    /// <summary>This very address, pinned to its run (<c>run=13</c>): it gives the same file for as long as the run is kept.</summary>
    public string Permalink(AsOfRun? run)
    {
        var pairs = QueryHelpers.ParseQuery(Query.Value)
            .Where(pair => !string.Equals(pair.Key, "run", StringComparison.OrdinalIgnoreCase))
            .SelectMany(pair => pair.Value.Select(value => new KeyValuePair<string, StringValues>(pair.Key, value)))
            .ToList();
        if (run is not null)
        {
            pairs.Add(new("run", run.Id.ToString(CultureInfo.InvariantCulture)));
        }

        return BaseUrl + Path + QueryString.Create(pairs).Value;
    }

    /// <summary>A path of the app, absolute.</summary>
    public string Absolute(string path) => BaseUrl + path;

    /// <summary>
    /// A page's path (with or without a query and a fragment) in the file's language: <c>lang=</c> of the current culture
    /// added when it is not English, so a link from a Spanish file opens the page in Spanish; English links are unchanged.
    /// </summary>
    public static string InLanguage(string path)
    {
        if (!FileTexts.Translated)
        {
            return path;
        }

        var hash = path.IndexOf('#', StringComparison.Ordinal);
        var (target, fragment) = hash < 0 ? (path, "") : (path[..hash], path[hash..]);
        var question = target.IndexOf('?', StringComparison.Ordinal);
        // A page path that already keeps its language (ListUrl writes it) is left as it is.
        return question >= 0 && QueryHelpers.ParseQuery(target[question..]).ContainsKey(Localization.Languages.QueryKey)
            ? path
            : QueryHelpers.AddQueryString(target, Localization.Languages.QueryKey, Localization.Languages.Current) + fragment;
    }
}
