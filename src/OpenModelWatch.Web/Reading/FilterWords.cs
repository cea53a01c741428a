using System.Globalization;
using OpenModelWatch.Web.Localization;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Reading;

/// <summary>A view's filters, attribution, scope and order in words, for the subtitle of a chart and the head of a table, in the reader's language (texts <c>Filter.*</c>).</summary>
public static class FilterWords
{
    /// <summary><c>Country CN · task text-generation · by uploader · all tracked models · sorted by likes, highest first</c>.</summary>
    public static string Of(ListParameters p, LabRegistry registry, string? sortLabel = null)
    {
        var parts = new List<string>();
        if (p.Countries.Count > 0)
        {
            parts.Add(Texts.Format(p.Countries.Count == 1 ? "Filter.Country" : "Filter.Countries", string.Join(", ", p.Countries)));
        }

        if (p.Region is { } region)
        {
            parts.Add(Texts.Format("Filter.Region", PlaceNames.Region(region)));
        }

        if (p.Lab is { } lab)
        {
            parts.Add(CommunityLab.NamespaceOf(lab) is { } ns
                ? Texts.Format("Filter.CommunityUploader", ns)
                : registry.ById(lab) is { } entry ? Texts.Format("Filter.LabNamed", entry.Name, lab) : Texts.Format("Filter.Lab", lab));
        }

        if (p.Task is { } task)
        {
            parts.Add(Texts.Format("Filter.Task", task));
        }

        if (p.License is { } license)
        {
            parts.Add(Texts.Format("Filter.License", license));
        }

        if (p.Q is { } q)
        {
            parts.Add(Texts.Format("Filter.Q", q));
        }

        if (p.MinParameters is { } min)
        {
            parts.Add(Texts.Format("Filter.MinParameters", Format.Compact(min)));
        }

        if (p.MaxParameters is { } max)
        {
            parts.Add(Texts.Format("Filter.MaxParameters", Format.Compact(max)));
        }

        if (p.CreatedFrom is { } from)
        {
            parts.Add(Texts.Format("Filter.CreatedFrom", Date(from)));
        }

        if (p.CreatedTo is { } to)
        {
            parts.Add(Texts.Format("Filter.CreatedTo", Date(to)));
        }

        if (parts.Count == 0)
        {
            parts.Add(Texts.Get("Filter.None"));
        }

        parts.Add(View(p.Attribution, p.Scope));
        if (p.IncludeCommunity)
        {
            parts.Add(Texts.Get("Filter.CommunityListed"));
        }

        if (sortLabel is not null)
        {
            parts.Add(Texts.Format(p.Ascending ? "Filter.SortedAscending" : "Filter.SortedDescending", sortLabel));
        }

        return string.Join(" · ", parts);
    }

    /// <summary><c>by uploader · all tracked models</c>: how a view counts (see the methodology's attribution and denominators).</summary>
    public static string View(Attribution attribution, Scope scope) =>
        Texts.Get(attribution == Attribution.Origin ? "Filter.ByOrigin" : "Filter.ByUploader")
        + " · " + Texts.Get(scope == Scope.Census ? "Filter.Census" : "Filter.AllTracked");

    /// <summary>A day as the pages write it: 2026-08-01 (es: 1 ago 2026).</summary>
    public static string Date(DateOnly date) => Format.Date(date.ToDateTime(TimeOnly.MinValue));

    /// <summary><c>runs from 2026-08-01 to 2026-08-22</c>, or nothing when the range is open.</summary>
    public static string? Range(DateOnly? from, DateOnly? to) => (from, to) switch
    {
        (null, null) => null,
        ({ } f, null) => Texts.Format("Filter.RunsFrom", Date(f)),
        (null, { } t) => Texts.Format("Filter.RunsUpTo", Date(t)),
        ({ } f, { } t) => Texts.Format("Filter.RunsBetween", Date(f), Date(t)),
    };

    /// <summary>The label of a models sort field in a sentence: <c>30-day downloads</c>.</summary>
    public static string SortLabel(string sort) => sort switch
    {
        "parameters" => Texts.Get("Filter.Sort.parameters"),
        "createdAt" => Texts.Get("Filter.Sort.createdAt"),
        _ => Metrics.Label(sort).ToLowerInvariant(),
    };

    /// <summary>A chart's subtitle with the runs it spans: <c>… · last 30 runs</c>, <c>… · every run (4)</c> or the day range.</summary>
    public static string Window(string subtitle, DateOnly? from, DateOnly? to, int runs, int recent) =>
        subtitle + " · " + (Range(from, to) ?? (runs < recent ? Texts.Format("Filter.EveryRun", runs.ToString(CultureInfo.InvariantCulture)) : Texts.Format("Filter.LastRuns", recent.ToString(CultureInfo.InvariantCulture))));

    /// <summary>
    /// How a history compares its runs, in words, when it matters: across sources (or within a curated list that grows),
    /// like with like over <paramref name="likeLabs"/> labs, or each run's own totals with <c>compare=all</c>; null for
    /// a history of one source of stable coverage, whose runs are alike already.
    /// </summary>
    public static string? Comparison(IReadOnlyCollection<HistoryRun> runs, Compare compare, int? likeLabs)
    {
        var sources = RunHistory.SourcesOf(runs);
        var named = string.Join(", ", sources.Select(source => source.ShortName()));
        if (likeLabs is { } labs)
        {
            return Texts.Format("Filter.LikeWithLike", named, labs.ToString(CultureInfo.InvariantCulture));
        }

        return compare == Compare.All && sources.Count > 1
            ? Texts.Format("Filter.OwnTotals", named)
            : null;
    }

    /// <summary>A subtitle with the comparison words appended when there are any.</summary>
    public static string WithComparison(string subtitle, IReadOnlyCollection<HistoryRun> runs, Compare compare, int? likeLabs) =>
        Comparison(runs, compare, likeLabs) is { } words ? subtitle + " · " + words : subtitle;
}
