using System.Globalization;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Files;

/// <summary>
/// What travels with every chart and table file so an editor can trust it and a reader can reproduce it: what it is,
/// the run it comes from, its filters in words, the source, the definitions of its numbers, the method, the credit
/// each run source's licence asks for, and a permalink pinned to its run.
/// </summary>
/// <param name="Sources">The sources of the runs the file's numbers come from (a history may cross several); null for the as-of run's.</param>
public sealed record ExportInfo(
    string Title,
    AsOfRun? AsOf,
    string Filters,
    IReadOnlyList<string> Definitions,
    string Method,
    string Permalink,
    IReadOnlyList<RunSource>? Sources = null)
{
    /// <summary>The source line in English (<see cref="SourceText"/> is the file's language).</summary>
    public const string Source = "Source: Hugging Face Hub download counts, via OpenModelWatch";

    /// <summary>The source line of every file, in the file's language.</summary>
    public static string SourceText => FileTexts.Get("File.Source");

    /// <summary>The as-of line of every file: <c>As of 2026-08-22 20:00 UTC (run 13)</c>, <c>Datos a 22 ago 2026, 20:00 UTC (ejecución 13)</c>.</summary>
    public string AsOfText => AsOf is { } run
        ? FileTexts.Get("File.AsOf", Format.Time(run.At), run.Id.ToString(CultureInfo.InvariantCulture), Kind(run.Source))
        : FileTexts.Get("File.NoRun");

    /// <summary>The sources of the file's numbers, each once, in source order: the as-of run's unless a history names its runs'.</summary>
    public IReadOnlyList<RunSource> DataSources => Sources ?? (AsOf is { } asOf ? [asOf.Source] : []);

    /// <summary>The credits the sources' licences ask for (the bundled datasets, imported files); null for this install's own runs only.</summary>
    public string? Credit => Credits.Count == 0 ? null : string.Join(" ", Credits);

    /// <summary>The same credits one by one (a chart footer writes each on its own line).</summary>
    public IReadOnlyList<string> Credits => [.. DataSources.Distinct().Select(FileTexts.Credit).OfType<string>()];

    /// <summary>A file's information, with its method link at a section of the methodology and its permalink.</summary>
    public static ExportInfo For(string title, AsOfRun? asOf, string filters, IReadOnlyList<string> definitions, ExportLinks links, string section, IReadOnlyList<RunSource>? sources = null) =>
        new(title, asOf, filters, definitions, links.Method(section), links.Permalink(asOf), sources);

    /// <summary>One line per source of the file's numbers: <c>osir-monthly: A curated list of organisations' …</c>.</summary>
    public IEnumerable<string> SourceLines => DataSources.Select(source => $"{source.Key()}: {FileTexts.Coverage(source)}");

    private static string Kind(RunSource source) => source == RunSource.HubApi ? "" : FileTexts.Get("File.Kind." + source);

    /// <summary>The as-of time as ISO 8601 UTC, for machines.</summary>
    public string? AsOfIso => AsOf?.At.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
