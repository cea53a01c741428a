using OpenModelWatch.Web.Localization;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Reading;

/// <summary>
/// What each <see cref="RunSource"/> is, in the words every page, API answer and file uses: a stable machine value
/// (<c>source</c> in the API, CSV and Parquet), a short name for chart annotations, what it covers, and the credit its
/// licence asks for wherever its numbers are shown.
/// </summary>
public static class RunSources
{
    /// <summary>Every source, in the order they are described.</summary>
    public static readonly IReadOnlyList<RunSource> All = Enum.GetValues<RunSource>();

    /// <summary>The stable machine value: <c>hub-api</c>, <c>hub-stats</c>, <c>radar-snapshot</c>, <c>osir-monthly</c>.</summary>
    public static string Key(this RunSource source) => source switch
    {
        RunSource.HubStats => "hub-stats",
        RunSource.RadarSnapshot => "radar-snapshot",
        RunSource.OsirMonthly => "osir-monthly",
        _ => "hub-api",
    };

    /// <summary>The source of a machine value (<see cref="Key"/>).</summary>
    public static RunSource OfKey(string key) => All.First(source => source.Key() == key);

    /// <summary>The short name a chart writes at each change of source.</summary>
    public static string ShortName(this RunSource source) => source switch
    {
        RunSource.HubStats => "hub-stats",
        RunSource.RadarSnapshot => "HF//RADAR",
        RunSource.OsirMonthly => "OSIR monthly",
        _ => "Hub API",
    };

    /// <summary>What a run of this source covers, in one sentence, in the reader's language.</summary>
    public static string Coverage(this RunSource source) => InReadersLanguage("Source.Coverage." + source, source switch
    {
        RunSource.HubStats => "The whole Hub: every public model of a hub-stats daily Parquet file (cfahlgren1/hub-stats).",
        RunSource.RadarSnapshot => "A curated slice: the Hub's trending and top models of August 2026 plus the tracked labs' models HF//RADAR picked up; not a census, no all-time downloads.",
        RunSource.OsirMonthly => "A curated list of organisations' own namespaces (19 in November 2024, 65 by September 2025; BAAI OSIR-LMTS monthly crawls); not a census, no all-time downloads.",
        _ => "This install's own runs against the Hub API: the census (the top models by downloads, or the whole Hub) plus every registered lab's namespace.",
    })!;

    /// <summary>The credit its licence asks for, in the reader's language; null for this install's own runs.</summary>
    public static string? Credit(this RunSource source) => InReadersLanguage("Source.Credit." + source, source switch
    {
        RunSource.HubStats => "Imported daily file: hub-stats (cfahlgren1), Apache-2.0; numbers are the Hugging Face Hub's.",
        RunSource.RadarSnapshot => "Bundled snapshot: Radar HuggingFace Dataset by 686f6c61 (HF//RADAR), CC BY 4.0; numbers are the Hugging Face Hub's.",
        RunSource.OsirMonthly => "Monthly history: OSIR-LMTS by BAAI (brucecui0120), MIT; numbers are the Hugging Face Hub's.",
        _ => null,
    });

    /// <summary>
    /// Whether the set of labs a source covers changes from run to run by design (a curated list that grows), so even
    /// a series within it compares like with like only over the labs present in every run.
    /// </summary>
    public static bool ListChangesByDesign(this RunSource source) => source == RunSource.OsirMonthly;

    /// <summary>The credits of some sources, in their order, each once; null when none asks for one.</summary>
    public static string? Credits(IEnumerable<RunSource> sources)
    {
        var credits = CreditList(sources);
        return credits.Count == 0 ? null : string.Join(" ", credits);
    }

    /// <summary>The credits of some sources, in their order, each once.</summary>
    public static IReadOnlyList<string> CreditList(IEnumerable<RunSource> sources) => [.. sources.Distinct().Select(Credit).OfType<string>()];

    /// <summary>What a view's as-of line says about a run that is not this install's own: which dataset, and what it lacks.</summary>
    public static string? Describe(this RunSource source) => InReadersLanguage("Source.Describe." + source, source switch
    {
        RunSource.RadarSnapshot => "These numbers come from the bundled August 2026 snapshot, not from a live run: a curated slice of the Hub, not a census, without all-time downloads.",
        RunSource.OsirMonthly => "These numbers come from the bundled monthly history (November 2024 – September 2025), not from a live run: the tracked organisations' own models only, with 30-day downloads and likes and nothing else.",
        RunSource.HubStats => "These numbers come from an imported hub-stats file (the whole Hub that day), not from a live run of this install.",
        _ => null,
    });

    /// <summary>
    /// A source's sentence in the reader's language: the English one here (what the API documents and tests pin), or its
    /// translation from <c>Texts</c> (key <paramref name="key"/>) when the reader's language is another and has it.
    /// </summary>
    private static string? InReadersLanguage(string key, string? english)
    {
        if (english is null || Languages.Current == Languages.Default)
        {
            return english;
        }

        var text = Texts.Get(key);
        return text == key ? english : text;
    }
}

/// <summary>
/// How a share over time compares runs (<c>compare=</c>): <see cref="Like"/> (the default) compares like with like
/// when the window crosses sources; <see cref="All"/> takes each run's own totals as they are.
/// </summary>
public enum Compare
{
    /// <summary>
    /// Within one source of stable coverage, each run's own totals; across sources (or within a curated list that
    /// grows), shares over the registered labs present in every run of the window, unregistered uploaders left out.
    /// </summary>
    Like,

    /// <summary>Each run's own totals, whatever its source covers: a change of source can move a share.</summary>
    All,
}
