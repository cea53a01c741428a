using System.Text.Json.Serialization;

namespace OpenModelWatch.FakeHub.Faults;

[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>Answer with <see cref="FaultSpec.StatusCode"/> and a JSON error body.</summary>
    Status,

    /// <summary>
    /// A 429 with <c>Retry-After</c>; with <see cref="FaultSpec.WithRateLimitHeader"/>, also
    /// <c>RateLimit: "api";r=0;t=retryAfter</c>, otherwise no RateLimit headers at all, like the CDN.
    /// </summary>
    TooManyRequests,

    /// <summary>Wait <see cref="FaultSpec.DelayMilliseconds"/> before the first byte, then answer normally.</summary>
    Slow,

    /// <summary>Send the first part of a 200 body, cut inside an item, then abort the connection.</summary>
    Truncate,

    /// <summary>Send the first part of a 200 body, cut inside an item, and end the response normally.</summary>
    TruncateCleanly,

    /// <summary>
    /// Make a list page's next link point back to the first page (the request's URL without its
    /// cursor) instead of advancing. Only list requests that have a next page take it.
    /// </summary>
    LinkLoop,
}

/// <summary>
/// A fault for the next <see cref="Times"/> requests whose path starts with <see cref="PathPrefix"/>.
/// This is also the JSON that <c>POST /_fake/faults</c> takes (camelCase, the kind as a string):
/// <c>{"kind":"Status","statusCode":503,"times":2}</c>.
/// </summary>
public sealed record FaultSpec
{
    public required FaultKind Kind { get; init; }

    /// <summary>How many matching requests get the fault; <see cref="FakeHubFaults.Always"/> for a storm.</summary>
    public int Times { get; init; } = 1;

    public string PathPrefix { get; init; } = FakeHubFaults.AnyApiPath;

    /// <summary>For <see cref="FaultKind.Status"/>: 408, 500, 502, 503, 504…</summary>
    public int StatusCode { get; init; }

    /// <summary>For <see cref="FaultKind.TooManyRequests"/>.</summary>
    public int RetryAfterSeconds { get; init; }

    /// <summary>For <see cref="FaultKind.TooManyRequests"/>.</summary>
    public bool WithRateLimitHeader { get; init; } = true;

    /// <summary>For <see cref="FaultKind.Slow"/>.</summary>
    public int DelayMilliseconds { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Times, 1, nameof(Times));
        if (!PathPrefix.StartsWith('/'))
        {
            throw new ArgumentException("PathPrefix must start with '/'.", nameof(PathPrefix));
        }

        switch (Kind)
        {
            case FaultKind.Status:
                ArgumentOutOfRangeException.ThrowIfLessThan(StatusCode, 400, nameof(StatusCode));
                ArgumentOutOfRangeException.ThrowIfGreaterThan(StatusCode, 599, nameof(StatusCode));
                break;
            case FaultKind.TooManyRequests:
                ArgumentOutOfRangeException.ThrowIfNegative(RetryAfterSeconds, nameof(RetryAfterSeconds));
                break;
            case FaultKind.Slow:
                ArgumentOutOfRangeException.ThrowIfNegative(DelayMilliseconds, nameof(DelayMilliseconds));
                break;
        }
    }

    internal bool Matches(PathString path) =>
        path.Value is { } value
        && value.StartsWith(PathPrefix, StringComparison.OrdinalIgnoreCase);
}
