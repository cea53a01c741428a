using System.Globalization;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Reading;

/// <summary>A view's filters, attribution, scope and order in words, for the subtitle of a chart and the head of a table.</summary>
public static class FilterWords
{
    /// <summary><c>Country CN · task text-generation · by uploader · all tracked models · sorted by likes, highest first</c>.</summary>
    public static string Of(ListParameters p, LabRegistry registry, string? sortLabel = null)
    {
        var parts = new List<string>();
        if (p.Countries.Count > 0)
        {
            parts.Add((p.Countries.Count == 1 ? "country " : "countries ") + string.Join(", ", p.Countries));
        }

        if (p.Region is { } region)
        {
            parts.Add($"region {region}");
        }

        if (p.Lab is { } lab)
        {
            parts.Add(CommunityLab.NamespaceOf(lab) is { } ns
                ? $"community uploader {ns}"
                : registry.ById(lab) is { } entry ? $"lab {entry.Name} ({lab})" : $"lab {lab}");
        }

        if (p.Task is { } task)
        {
            parts.Add($"task {task}");
        }

        if (p.License is { } license)
        {
            parts.Add($"licence {license}");
        }

        if (p.Q is { } q)
        {
            parts.Add($"id contains \"{q}\"");
        }

        if (p.MinParameters is { } min)
        {
            parts.Add($"at least {Format.Compact(min)} parameters");
        }

        if (p.MaxParameters is { } max)
        {
            parts.Add($"at most {Format.Compact(max)} parameters");
        }

        if (p.CreatedFrom is { } from)
        {
            parts.Add($"created from {Date(from)}");
        }

        if (p.CreatedTo is { } to)
        {
            parts.Add($"created up to {Date(to)}");
        }

        if (parts.Count == 0)
        {
            parts.Add("no filter");
        }

        parts.Add(View(p.Attribution, p.Scope));
        if (p.IncludeCommunity)
        {
            parts.Add("community uploaders listed");
        }

        if (sortLabel is not null)
        {
            parts.Add($"sorted by {sortLabel}, {(p.Ascending ? "lowest" : "highest")} first");
        }

        return string.Join(" · ", parts);
    }

    /// <summary><c>by uploader · all tracked models</c>: how a view counts (see the methodology's attribution and denominators).</summary>
    public static string View(Attribution attribution, Scope scope) =>
        (attribution == Attribution.Origin ? "by origin (derivatives count for their base model's lab)" : "by uploader")
        + " · " + (scope == Scope.Census ? "Hub's top models only (census)" : "all tracked models");

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary><c>runs from 2026-08-01 to 2026-08-22</c>, or nothing when the range is open.</summary>
    public static string? Range(DateOnly? from, DateOnly? to) => (from, to) switch
    {
        (null, null) => null,
        ({ } f, null) => $"runs from {Date(f)}",
        (null, { } t) => $"runs up to {Date(t)}",
        ({ } f, { } t) => $"runs from {Date(f)} to {Date(t)}",
    };

    /// <summary>The label of a models sort field in a sentence: <c>30-day downloads</c>.</summary>
    public static string SortLabel(string sort) => sort switch
    {
        "parameters" => "size (parameters)",
        "createdAt" => "creation date",
        _ => Metrics.Label(sort).ToLowerInvariant(),
    };

    /// <summary>A chart's subtitle with the runs it spans: <c>… · last 30 runs</c>, <c>… · every run (4)</c> or the day range.</summary>
    public static string Window(string subtitle, DateOnly? from, DateOnly? to, int runs, int recent) =>
        subtitle + " · " + (Range(from, to) ?? (runs < recent ? $"every run ({runs.ToString(CultureInfo.InvariantCulture)})" : $"last {recent.ToString(CultureInfo.InvariantCulture)} runs"));

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
            return $"compared like with like ({named}): shares of the {labs.ToString(CultureInfo.InvariantCulture)} registered labs present in every run, unregistered uploaders left out; compare=all for each run's own totals";
        }

        return compare == Compare.All && sources.Count > 1
            ? $"each run's own totals ({named}; compare=all): the sources cover different models, so a share can move with the source"
            : null;
    }

    /// <summary>A subtitle with the comparison words appended when there are any.</summary>
    public static string WithComparison(string subtitle, IReadOnlyCollection<HistoryRun> runs, Compare compare, int? likeLabs) =>
        Comparison(runs, compare, likeLabs) is { } words ? subtitle + " · " + words : subtitle;
}
