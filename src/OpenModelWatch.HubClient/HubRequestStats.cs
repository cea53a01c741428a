namespace OpenModelWatch.Hub;

/// <summary>
/// Running totals of what the client sent and got, across every attempt. Read a <see cref="Snapshot"/> before and
/// after a run and subtract to get the run's own numbers.
/// </summary>
public sealed class HubRequestStats
{
    private long _requests;
    private long _retries;
    private long _throttled;
    private long _bytes;
    private long _pacingWaits;

    public void AddRequest() => Interlocked.Increment(ref _requests);

    public void AddRetry() => Interlocked.Increment(ref _retries);

    public void AddThrottled() => Interlocked.Increment(ref _throttled);

    public void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);

    public void AddPacingWait() => Interlocked.Increment(ref _pacingWaits);

    public HubRequestCounts Snapshot() => new(
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _retries),
        Interlocked.Read(ref _throttled),
        Interlocked.Read(ref _bytes),
        Interlocked.Read(ref _pacingWaits));
}

/// <param name="Requests">HTTP requests sent, each attempt counted.</param>
/// <param name="Retries">Attempts that repeated a failed one.</param>
/// <param name="Throttled"><c>429</c> responses received.</param>
/// <param name="Bytes">Response body bytes received.</param>
/// <param name="PacingWaits">Times the client held a request back to stay inside the rate limit.</param>
public readonly record struct HubRequestCounts(long Requests, long Retries, long Throttled, long Bytes, long PacingWaits)
{
    public static HubRequestCounts operator -(HubRequestCounts after, HubRequestCounts before) => new(
        after.Requests - before.Requests,
        after.Retries - before.Retries,
        after.Throttled - before.Throttled,
        after.Bytes - before.Bytes,
        after.PacingWaits - before.PacingWaits);
}
