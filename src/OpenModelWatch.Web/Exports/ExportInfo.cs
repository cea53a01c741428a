using System.Globalization;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Snapshot;

namespace OpenModelWatch.Web.Exports;

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
    public string AsOfLine => AsOf is { } run
        ? $"As of {Format.Time(run.At)} (run {run.Id.ToString(CultureInfo.InvariantCulture)}{(run.IsSnapshot ? ", bundled snapshot" : "")})"
        : "No successful run yet";

    /// <summary>The CC BY 4.0 credit, for numbers from the bundled snapshot only.</summary>
    public string? Credit => AsOf?.IsSnapshot == true ? BundledSnapshot.Credit : null;

    /// <summary>The as-of time as ISO 8601 UTC, for machines.</summary>
    public string? AsOfIso => AsOf?.At.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}

/// <summary>One-line definitions of the metrics, from the dashboard's own glossary so every page and file says the same.</summary>
public static class Metrics
{
    public const string Downloads30d = "downloads30d";
    public const string DownloadsAllTime = "downloadsAllTime";
    public const string Likes = "likes";
    public const string TrendingScore = "trendingScore";
    public const string Share = "share";
    public const string Rank = "rank";
    public const string Parameters = "parameters";

    public static string Label(string metric) => metric switch
    {
        Downloads30d => "30-day downloads",
        DownloadsAllTime => "All-time downloads",
        Likes => "Likes",
        TrendingScore => "Trending score",
        Share => "Share of 30-day downloads",
        Rank => "Rank by 30-day downloads",
        Parameters => "Parameters",
        _ => metric,
    };

    public static string Definition(string metric) => metric switch
    {
        Downloads30d => "30-day downloads: " + Terms.Downloads30d,
        DownloadsAllTime => "All-time downloads: " + Terms.DownloadsAllTime,
        Likes => "Likes: " + Terms.Likes,
        TrendingScore => "Trending score: " + Terms.Trending,
        Share => "Share: " + Terms.Share,
        Rank => "Rank: the lab's place among all labs of the run by 30-day downloads (1 = most downloaded).",
        Parameters => "Parameters: the model's size, the total parameter count its safetensors weights declare on the Hub.",
        _ => metric,
    };
}
