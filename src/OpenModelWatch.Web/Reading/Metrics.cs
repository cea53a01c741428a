using OpenModelWatch.Web.Localization;

namespace OpenModelWatch.Web.Reading;

/// <summary>One-line definitions of the metrics, from the dashboard's own glossary so every page and file says the same (texts <c>Metric.*</c> and <c>Term.*</c>).</summary>
public static class Metrics
{
    public const string Downloads30d = "downloads30d";
    public const string DownloadsAllTime = "downloadsAllTime";
    public const string Likes = "likes";
    public const string TrendingScore = "trendingScore";
    public const string Share = "share";
    public const string Rank = "rank";
    public const string Parameters = "parameters";

    /// <summary>A metric's name in the reader's language: "30-day downloads" (es: "Descargas en 30 días"); an unknown one as it is.</summary>
    public static string Label(string metric) => Known(metric) ? Texts.Get("Metric.Label." + metric) : metric;

    /// <summary>"30-day downloads: The Hub's …": the metric and its term's explanation, in the reader's language.</summary>
    public static string Definition(string metric) => metric switch
    {
        Downloads30d => Label(metric) + ": " + Texts.Get("Term.Downloads30d"),
        DownloadsAllTime => Label(metric) + ": " + Texts.Get("Term.DownloadsAllTime"),
        Likes => Label(metric) + ": " + Texts.Get("Term.Likes"),
        TrendingScore => Label(metric) + ": " + Texts.Get("Term.Trending"),
        Share => Texts.Get("Metric.Definition.share") + ": " + Texts.Get("Term.Share"),
        Rank or Parameters => Texts.Get("Metric.Definition." + metric),
        _ => metric,
    };

    private static bool Known(string metric) => metric is Downloads30d or DownloadsAllTime or Likes or TrendingScore or Share or Rank or Parameters;
}
