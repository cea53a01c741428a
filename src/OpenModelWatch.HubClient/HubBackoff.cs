namespace OpenModelWatch.Hub;

/// <summary>Exponential backoff with jitter: attempt n waits between half and all of min(max, base·2ⁿ⁻¹).</summary>
internal static class HubBackoff
{
    public static TimeSpan Delay(int retry, HubClientOptions options)
    {
        var exponent = Math.Min(Math.Max(retry, 1) - 1, 30);
        var ceiling = Math.Min(options.MaxDelay.TotalMilliseconds, options.BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }
}
