namespace OpenModelWatch.Web.Files;

/// <summary>The paths of the API and the files, and which answers depend only on the as-of run (so can be cached per run).</summary>
public static class ExportPaths
{
    public const string Api = "/api/v1";
    public const string Charts = "/charts";
    public const string Exports = "/exports";

    /// <summary>
    /// One-chart pages made to be framed by any site: the only paths whose answers allow framing
    /// (<c>Content-Security-Policy: frame-ancestors *</c>). Security headers that deny framing must skip them.
    /// </summary>
    public const string Embed = "/embed";

    public static bool IsEmbed(PathString path) => path.StartsWithSegments(Embed, StringComparison.OrdinalIgnoreCase);

    /// <summary>Paths whose query parameters this feature (and the API) read, so a hostile query string is answered with a 400.</summary>
    public static bool TakesParameters(PathString path) =>
        path.StartsWithSegments(Api, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(Charts, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(Exports, StringComparison.OrdinalIgnoreCase) || IsEmbed(path);

    /// <summary>
    /// Reads whose answer depends only on the as-of run and the address: everything of <see cref="TakesParameters"/>
    /// but the runs list, which changes with every run, failed or running ones included.
    /// </summary>
    public static bool DependsOnAsOfRun(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && TakesParameters(request.Path)
        && !request.Path.StartsWithSegments(Api + "/runs", StringComparison.OrdinalIgnoreCase)
        && !(request.Path.Value ?? "").StartsWith(Exports + "/runs.", StringComparison.OrdinalIgnoreCase);
}
