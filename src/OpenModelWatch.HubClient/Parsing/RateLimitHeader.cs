using System.Globalization;
using System.Net.Http.Headers;

namespace OpenModelWatch.Hub.Parsing;

/// <summary>
/// The IETF-draft <c>RateLimit</c> header the Hub sends on every response, e.g. <c>"api";r=12;t=55</c>:
/// <c>r</c> requests remain in the current window, which resets in <c>t</c> seconds.
/// </summary>
public readonly record struct RateLimitHeader(string Policy, int Remaining, int ResetSeconds)
{
    public const string Name = "RateLimit";

    public static RateLimitHeader? From(HttpResponseHeaders headers) =>
        headers.TryGetValues(Name, out var values) ? Parse(string.Join(',', values)) : null;

    /// <summary>Reads the first item that has both <c>r</c> and <c>t</c>; null when there is none.</summary>
    public static RateLimitHeader? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        foreach (var item in value.Split(','))
        {
            string? policy = null;
            int? remaining = null;
            int? reset = null;
            foreach (var rawPart in item.Split(';'))
            {
                var part = rawPart.Trim();
                if (part.StartsWith('"') && part.EndsWith('"') && part.Length >= 2)
                {
                    policy = part[1..^1];
                }
                else if (TryParameter(part, "r", out var r))
                {
                    remaining = r;
                }
                else if (TryParameter(part, "t", out var t))
                {
                    reset = t;
                }
            }

            if (remaining is { } rem && reset is { } res)
            {
                return new RateLimitHeader(policy ?? "", rem, res);
            }
        }

        return null;
    }

    internal static bool TryParameter(string part, string key, out int value)
    {
        value = 0;
        return part.Length > key.Length + 1
            && part.StartsWith(key, StringComparison.Ordinal)
            && part[key.Length] == '='
            && int.TryParse(part.AsSpan(key.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary><c>RateLimit-Policy: "fixed window";"api";q=500;w=300</c>: quota <c>q</c> per window of <c>w</c> seconds.</summary>
public readonly record struct RateLimitPolicyHeader(int Quota, int WindowSeconds)
{
    public const string Name = "RateLimit-Policy";

    public static RateLimitPolicyHeader? From(HttpResponseHeaders headers) =>
        headers.TryGetValues(Name, out var values) ? Parse(string.Join(',', values)) : null;

    public static RateLimitPolicyHeader? Parse(string? value)
    {
        int? quota = null;
        int? window = null;
        foreach (var rawPart in (value ?? "").Split([';', ','], StringSplitOptions.TrimEntries))
        {
            if (RateLimitHeader.TryParameter(rawPart, "q", out var q))
            {
                quota ??= q;
            }
            else if (RateLimitHeader.TryParameter(rawPart, "w", out var w))
            {
                window ??= w;
            }
        }

        return quota is { } qv && window is { } wv && wv > 0 ? new RateLimitPolicyHeader(qv, wv) : null;
    }
}

/// <summary><c>Retry-After</c> as seconds or an HTTP date (then relative to the given time).</summary>
public static class RetryAfterHeader
{
    public static TimeSpan? From(HttpResponseHeaders headers, DateTimeOffset now) => headers.RetryAfter switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    public static TimeSpan? Parse(string? value, DateTimeOffset now) =>
        RetryConditionHeaderValue.TryParse(value, out var parsed) ? parsed switch
        {
            { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
            { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
            _ => null,
        } : null;
}
