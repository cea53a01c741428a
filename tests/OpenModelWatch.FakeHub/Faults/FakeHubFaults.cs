namespace OpenModelWatch.FakeHub.Faults;

/// <summary>
/// Scripted faults, thread-safe. Each request takes the first scripted fault whose path prefix it
/// matches, in the order they were added, and uses up one of its times (a link loop is taken only by
/// a list page that has a next link).
/// </summary>
public sealed class FakeHubFaults
{
    /// <summary>For <c>times</c>: the fault never runs out (a storm) until <see cref="Clear"/>.</summary>
    public const int Always = int.MaxValue;

    public const string AnyApiPath = "/api/";

    private readonly Lock _lock = new();
    private readonly List<(FaultSpec Fault, int Remaining)> _script = [];

    /// <summary>The faults still to come, with the times each has left.</summary>
    public IReadOnlyList<FaultSpec> Pending
    {
        get
        {
            lock (_lock)
            {
                return [.. _script.Select(s => s.Fault with { Times = s.Remaining })];
            }
        }
    }

    public void Add(FaultSpec fault)
    {
        fault.Validate();
        lock (_lock)
        {
            _script.Add((fault, fault.Times));
        }
    }

    /// <summary>Answer with an error status, e.g. 503, 500, 502, 504 or 408.</summary>
    public void Status(int statusCode, int times = 1, string pathPrefix = AnyApiPath) =>
        Add(new FaultSpec { Kind = FaultKind.Status, StatusCode = statusCode, Times = times, PathPrefix = pathPrefix });

    /// <summary>A 429 with <c>Retry-After</c>, and with or without the Hub's RateLimit header (the CDN sends none).</summary>
    public void TooManyRequests(int retryAfterSeconds, bool withRateLimitHeader = true, int times = 1, string pathPrefix = AnyApiPath) =>
        Add(new FaultSpec
        {
            Kind = FaultKind.TooManyRequests,
            RetryAfterSeconds = retryAfterSeconds,
            WithRateLimitHeader = withRateLimitHeader,
            Times = times,
            PathPrefix = pathPrefix,
        });

    /// <summary>Delay before the first byte.</summary>
    public void Slow(TimeSpan delay, int times = 1, string pathPrefix = AnyApiPath) =>
        Add(new FaultSpec { Kind = FaultKind.Slow, DelayMilliseconds = (int)delay.TotalMilliseconds, Times = times, PathPrefix = pathPrefix });

    /// <summary>A 200 whose body stops inside an item, then a dropped connection.</summary>
    public void Truncate(int times = 1, string pathPrefix = AnyApiPath) =>
        Add(new FaultSpec { Kind = FaultKind.Truncate, Times = times, PathPrefix = pathPrefix });

    /// <summary>A 200 whose body stops inside an item but ends normally: invalid JSON, no network error.</summary>
    public void TruncateCleanly(int times = 1, string pathPrefix = AnyApiPath) =>
        Add(new FaultSpec { Kind = FaultKind.TruncateCleanly, Times = times, PathPrefix = pathPrefix });

    /// <summary>List pages whose next link leads back to the first page.</summary>
    public void LinkLoop(int times = 1) =>
        Add(new FaultSpec { Kind = FaultKind.LinkLoop, Times = times, PathPrefix = Endpoints.ModelsEndpoints.ListRoute });

    public void Clear()
    {
        lock (_lock)
        {
            _script.Clear();
        }
    }

    /// <summary>The fault for a request, used up by one; link loops are left to <see cref="TakeLinkLoop"/>.</summary>
    internal FaultSpec? TakeFor(PathString path) => Take(f => f.Kind != FaultKind.LinkLoop && f.Matches(path));

    /// <summary>Asked by a list page that has a next link, so a loop is never spent on a page without one.</summary>
    internal bool TakeLinkLoop(PathString path) => Take(f => f.Kind == FaultKind.LinkLoop && f.Matches(path)) is not null;

    private FaultSpec? Take(Predicate<FaultSpec> applies)
    {
        lock (_lock)
        {
            var index = _script.FindIndex(s => applies(s.Fault));
            if (index < 0)
            {
                return null;
            }

            var (fault, remaining) = _script[index];
            if (remaining == Always)
            {
                return fault;
            }

            if (remaining == 1)
            {
                _script.RemoveAt(index);
            }
            else
            {
                _script[index] = (fault, remaining - 1);
            }

            return fault;
        }
    }
}
