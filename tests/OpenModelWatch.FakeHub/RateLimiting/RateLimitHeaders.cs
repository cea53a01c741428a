using System.Globalization;

namespace OpenModelWatch.FakeHub.RateLimiting;

/// <summary>The IETF-draft headers the Hub sends on every response.</summary>
internal static class RateLimitHeaders
{
    public const string RateLimit = "RateLimit";
    public const string RateLimitPolicy = "RateLimit-Policy";

    /// <summary><c>"api";r=REMAINING;t=SECONDS_TO_RESET</c>.</summary>
    public static string Remaining(int remaining, int secondsToReset) =>
        string.Create(CultureInfo.InvariantCulture, $"\"api\";r={remaining};t={secondsToReset}");

    /// <summary><c>"fixed window";"api";q=QUOTA;w=WINDOW_SECONDS</c>.</summary>
    public static string Policy(int quota, TimeSpan window) =>
        string.Create(CultureInfo.InvariantCulture, $"\"fixed window\";\"api\";q={quota};w={(int)window.TotalSeconds}");
}
