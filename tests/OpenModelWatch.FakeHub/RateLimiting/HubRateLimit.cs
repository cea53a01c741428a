namespace OpenModelWatch.FakeHub.RateLimiting;

/// <summary>One fixed window for the whole server, like the Hub's per-user API bucket.</summary>
internal sealed class HubRateLimit(int quota, TimeSpan window, TimeProvider time)
{
    private readonly Lock _lock = new();
    private DateTimeOffset _windowStart = time.GetUtcNow();
    private int _used;

    public int Quota => quota;

    public TimeSpan Window => window;

    /// <summary>Counts a request if the window has room for it.</summary>
    public RateLimitDecision Acquire()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (now >= _windowStart + window)
            {
                // Windows stay aligned to the first one, however long the server sat idle.
                _windowStart += window * Math.Floor((now - _windowStart) / window);
                _used = 0;
            }

            var secondsToReset = (int)Math.Ceiling((_windowStart + window - now).TotalSeconds);
            if (_used >= quota)
            {
                return new RateLimitDecision(false, 0, secondsToReset);
            }

            _used++;
            return new RateLimitDecision(true, quota - _used, secondsToReset);
        }
    }

    /// <summary>Starts a fresh window now.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _windowStart = time.GetUtcNow();
            _used = 0;
        }
    }
}

internal readonly record struct RateLimitDecision(bool Allowed, int Remaining, int SecondsToReset);
