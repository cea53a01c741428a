using System.ComponentModel.DataAnnotations;

namespace OpenModelWatch.Web.Security;

/// <summary>The <c>RateLimiting</c> configuration section: per client address, in fixed one-minute windows.</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Paths limited when none are configured: the API, the table exports, the rendered charts and their embeds.</summary>
    public static readonly IReadOnlyList<string> DefaultPaths = ["/api/", "/exports/", "/charts/", "/embed/"];

    /// <summary>Requests a client may make per minute to the limited paths; more get 429 with <c>Retry-After</c>.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerMinute { get; set; } = 120;

    /// <summary>Wrong passwords or API keys a client may send per minute; then even the right one waits.</summary>
    [Range(1, 1000)]
    public int FailedSecretsPerMinute { get; set; } = 5;

    /// <summary>Path prefixes that are limited (empty: <see cref="DefaultPaths"/>); pages and health checks are not.</summary>
    public string[] Paths { get; set; } = [];

    public IReadOnlyList<string> LimitedPaths => Paths.Length == 0 ? DefaultPaths : Paths;
}
