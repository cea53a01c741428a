namespace OpenModelWatch.Web.Reading;

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
