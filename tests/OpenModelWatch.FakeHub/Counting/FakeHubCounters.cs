using System.Collections.Concurrent;

namespace OpenModelWatch.FakeHub.Counting;

/// <summary>What the fake Hub has served since it started or was last reset; thread-safe.</summary>
public sealed class FakeHubCounters
{
    private readonly ConcurrentDictionary<string, long> _byRoute = new();
    private readonly ConcurrentDictionary<string, bool> _bearerTokens = new();
    private long _requests;
    private long _tooManyRequests;
    private long _bytesWritten;

    /// <summary>Hub requests, whatever their answer (admin requests under <c>/_fake/</c> are not counted).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>429 answers, from the quota or from scripted faults.</summary>
    public long TooManyRequests => Interlocked.Read(ref _tooManyRequests);

    /// <summary>Response body bytes sent.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Requests by route template (e.g. <c>/api/models</c>, <c>/api/models/{namespace}/{name}</c>), or by path when no route matched.</summary>
    public IReadOnlyDictionary<string, long> RequestsByRoute => new Dictionary<string, long>(_byRoute);

    public long RequestsTo(string route) => _byRoute.GetValueOrDefault(route);

    /// <summary>Every distinct <c>Authorization: Bearer</c> token requests carried (to check a client sends its token).</summary>
    public IReadOnlyCollection<string> BearerTokens => [.. _bearerTokens.Keys];

    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _tooManyRequests, 0);
        Interlocked.Exchange(ref _bytesWritten, 0);
        _byRoute.Clear();
        _bearerTokens.Clear();
    }

    internal void RecordRequest(string route)
    {
        Interlocked.Increment(ref _requests);
        _byRoute.AddOrUpdate(route, 1, (_, n) => n + 1);
    }

    internal void RecordAuthorization(string? authorization)
    {
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            _bearerTokens.TryAdd(authorization["Bearer ".Length..], true);
        }
    }

    internal void RecordTooManyRequests() => Interlocked.Increment(ref _tooManyRequests);

    internal void RecordBytes(long bytes) => Interlocked.Add(ref _bytesWritten, bytes);
}
