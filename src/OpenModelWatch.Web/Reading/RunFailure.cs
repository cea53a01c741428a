using System.Text.RegularExpressions;
using OpenModelWatch.Web.Localization;

namespace OpenModelWatch.Web.Reading;

/// <summary>
/// A failed run's recorded error in one short clause for a banner: what went wrong, never the Hub request itself (its
/// address carries every <c>expand</c> parameter and runs to hundreds of characters). The full error stays on the
/// Ingestion page and in <c>GET /api/v1/runs</c>.
/// </summary>
public static partial class RunFailure
{
    /// <summary>
    /// "The Hub could not be reached (DNS lookup of huggingface.co failed)", "The Hub answered 500 Internal Server Error
    /// (5 attempts)"; an error that is not a Hub request is returned with any address cut down to its host.
    /// </summary>
    public static string Summary(string? error)
    {
        if (string.IsNullOrWhiteSpace(error))
        {
            return Texts.Get("Banner.Failure.NoReason");
        }

        var text = error.Trim().TrimEnd('.');
        var request = HubRequest().Match(text);
        if (!request.Success)
        {
            return Address().Replace(text, match => Uri.TryCreate(match.Value, UriKind.Absolute, out var uri) ? uri.Host : match.Value);
        }

        var host = Uri.TryCreate(request.Groups["url"].Value, UriKind.Absolute, out var url) ? url.Host : Texts.Get("Banner.Failure.TheHub");
        var attempts = int.Parse(request.Groups["attempts"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var tries = Texts.Format(attempts == 1 ? "Banner.Failure.Attempts.One" : "Banner.Failure.Attempts.Other", attempts);
        var reason = request.Groups["reason"].Success ? request.Groups["reason"].Value : "";
        var status = request.Groups["status"].Value.Trim();

        if (reason.Length == 0)
        {
            return status.StartsWith("429", StringComparison.Ordinal)
                ? Texts.Format("Banner.Failure.RateLimit", tries)
                : Texts.Format("Banner.Failure.Answered", status, tries);
        }

        if (reason.Contains("Name or service not known", StringComparison.OrdinalIgnoreCase)
            || reason.Contains("No such host is known", StringComparison.OrdinalIgnoreCase)
            || reason.Contains("name resolution", StringComparison.OrdinalIgnoreCase)
            || reason.Contains("nodename nor servname", StringComparison.OrdinalIgnoreCase)
            || reason.Contains("Resource temporarily unavailable", StringComparison.OrdinalIgnoreCase))
        {
            return Texts.Format("Banner.Failure.Dns", host);
        }

        if (reason.Contains("Connection refused", StringComparison.OrdinalIgnoreCase))
        {
            return Texts.Format("Banner.Failure.Refused", host);
        }

        if (reason == "timed out")
        {
            return Texts.Format("Banner.Failure.TimedOut", host, tries);
        }

        if (reason.Contains("SSL", StringComparison.Ordinal))
        {
            return Texts.Format("Banner.Failure.Tls", host);
        }

        if (reason.StartsWith("the body was not valid JSON", StringComparison.Ordinal))
        {
            return Texts.Format("Banner.Failure.Json", tries);
        }

        return Texts.Format("Banner.Failure.Unreachable", Address().Replace(reason, match => Uri.TryCreate(match.Value, UriKind.Absolute, out var uri) ? uri.Host : match.Value));
    }

    // HubClient's wording: "GET {url} failed after {n} attempts[: {reason}]; last status {status}".
    [GeneratedRegex(@"^GET (?<url>\S+) failed after (?<attempts>\d+) attempts?(?:: (?<reason>.*?))?; last status (?<status>.*)$", RegexOptions.Singleline)]
    private static partial Regex HubRequest();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Address();
}
