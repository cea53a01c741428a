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

    /// <summary>The methodology page, at a section: <c>https://…/methodology#downloads</c>.</summary>
    public string Method(string section = "") => BaseUrl + MethodologyPath + (section.Length == 0 ? "" : "#" + section);

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
}
