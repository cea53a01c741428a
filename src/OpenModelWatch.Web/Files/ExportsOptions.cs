namespace OpenModelWatch.Web.Files;

/// <summary>The <c>Exports</c> configuration section.</summary>
public sealed class ExportsOptions
{
    public const string Section = "Exports";

    /// <summary>
    /// The public address of the app (<c>https://openmodelwatch.example.org</c>), written into every export's method
    /// line, permalink and embed snippet; empty to use the address each request came to (fine without a proxy).
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Output caching of exports and API answers per as-of run; off only to measure the uncached cost.</summary>
    public bool Cache { get; set; } = true;
}
