using Microsoft.Extensions.Options;
using OpenModelWatch.Hub.Parsing;

namespace OpenModelWatch.Hub;

/// <summary>
/// Keeps the client inside the Hub's fixed-window quota. Every response updates what is left in the window
/// (<c>RateLimit: "api";r=…;t=…</c>); before each request, <see cref="WaitTurnAsync"/> holds it back when the
/// window is spent, and spreads the last <see cref="HubClientOptions.PacingReserve"/> requests over the rest of the window.
/// </summary>
public sealed class RateLimitPacer(TimeProvider time, IOptions<HubClientOptions> options, HubRequestStats stats)
{
    private readonly Lock _gate = new();
    private int? _remaining;
    private long _resetAtTimestamp;

    public void Observe(RateLimitHeader header)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            _remaining = header.Remaining;
            _resetAtTimestamp = now + (long)(header.ResetSeconds * (double)time.TimestampFrequency);
        }
    }

    /// <summary>How long the next request should wait, given what the Hub last said; zero when it may go now.</summary>
    public TimeSpan NextDelay()
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            var delay = TimeSpan.Zero;
            if (_remaining is { } remaining && now < _resetAtTimestamp)
            {
                var untilReset = time.GetElapsedTime(now, _resetAtTimestamp);
                if (remaining <= 0)
                {
                    // The window is spent: wait for it to reset, plus a second for clock skew (as the official client does).
                    delay = untilReset + TimeSpan.FromSeconds(1);
                }
                else if (remaining <= options.Value.PacingReserve)
                {
                    delay = untilReset / (remaining + 1);
                }
            }

            return delay;
        }
    }

    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        var delay = NextDelay();
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        stats.AddPacingWait();
        await Task.Delay(delay, time, cancellationToken);
    }
}
