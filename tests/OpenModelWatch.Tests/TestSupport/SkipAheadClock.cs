using Microsoft.Extensions.Time.Testing;

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>
/// Simulated time for a client that mostly waits: the clock stands still while the client works, and as soon as a
/// timer of at most <paramref name="maxSkip"/> is set (a pacing wait, a retry delay) the clock jumps to its due time,
/// so hours of waiting pass in milliseconds. Longer timers (the per-attempt and per-request time limits) never make
/// the clock jump; they fire only if the clock reaches them. Meant for one client working in sequence.
/// </summary>
public sealed class SkipAheadClock(DateTimeOffset start, TimeSpan maxSkip) : TimeProvider
{
    private readonly FakeTimeProvider _clock = new(start);
    private readonly Lock _gate = new();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => _clock.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _clock.GetUtcNow();

    public override long GetTimestamp() => _clock.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _clock.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime <= maxSkip)
        {
            // On the thread pool, so the caller has its timer (and awaits it) before it fires.
            var due = _clock.GetUtcNow() + dueTime;
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                lock (_gate)
                {
                    if (_clock.GetUtcNow() < due)
                    {
                        _clock.SetUtcNow(due);
                    }
                }
            }, null);
        }

        return timer;
    }
}
