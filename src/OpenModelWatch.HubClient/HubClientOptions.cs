using System.ComponentModel.DataAnnotations;

namespace OpenModelWatch.Hub;

/// <summary>The <c>Hub</c> configuration section.</summary>
public sealed class HubClientOptions
{
    public const string Section = "Hub";

    /// <summary>The Hub, a mirror, or a local fake Hub.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://huggingface.co");

    /// <summary>Optional token for higher rate limits. A secret: never logged, shown or exported.</summary>
    public string? Token { get; set; }

    /// <summary>Models asked for per page; the Hub may return fewer.</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 1000;

    /// <summary>Attempts per request, the first included, before a request fails.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>First backoff delay after a <c>408</c>, <c>5xx</c> or timeout; doubles each retry, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of one backoff delay (the official Python client uses 8 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Time limit of one attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Total time one request may take across all its attempts and waits (a rate-limit window is 5 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RequestBudget { get; set; } = TimeSpan.FromMinutes(12);

    /// <summary>
    /// Requests kept in hand before pacing starts: while fewer remain in a window, requests are spread evenly over the
    /// rest of it so a run that fits the quota never meets a <c>429</c>.
    /// </summary>
    [Range(0, 10000)]
    public int PacingReserve { get; set; } = 25;
}
