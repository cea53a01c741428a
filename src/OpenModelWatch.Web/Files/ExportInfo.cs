using System.Globalization;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Files;

/// <summary>
/// What travels with every chart and table file so an editor can trust it and a reader can reproduce it: what it is,
/// the run it comes from, its filters in words, the source, the definitions of its numbers, the method, the credit
/// a bundled-snapshot run needs, and a permalink pinned to its run.
/// </summary>
public sealed record ExportInfo(
    string Title,
    AsOfRun? AsOf,
    string Filters,
    IReadOnlyList<string> Definitions,
    string Method,
    string Permalink)
{
    public const string Source = "Source: Hugging Face Hub download counts, via OpenModelWatch";

    /// <summary>The as-of line of every file: <c>As of 2026-08-22 20:00 UTC (run 13)</c>.</summary>
    public string AsOfText => AsOf is { } run
        ? $"As of {Format.Time(run.At)} (run {run.Id.ToString(CultureInfo.InvariantCulture)}{(run.IsSnapshot ? ", bundled snapshot" : "")})"
        : "No successful run yet";

    /// <summary>The CC BY 4.0 credit, for numbers from the bundled snapshot only.</summary>
    public string? Credit => AsOf?.IsSnapshot == true ? SnapshotCredit.Text : null;

    /// <summary>A file's information, with its method link at a section of the methodology and its permalink.</summary>
    public static ExportInfo For(string title, AsOfRun? asOf, string filters, IReadOnlyList<string> definitions, ExportLinks links, string section) =>
        new(title, asOf, filters, definitions, links.Method(section), links.Permalink(asOf));

    /// <summary>The as-of time as ISO 8601 UTC, for machines.</summary>
    public string? AsOfIso => AsOf?.At.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
