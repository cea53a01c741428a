namespace OpenModelWatch.Hub;

/// <summary>A Hub request that failed for good: every attempt used, or the time budget spent.</summary>
public sealed class HubRequestException(string message, Uri url, int? lastStatus, Exception? inner = null)
    : Exception(message, inner)
{
    public Uri Url { get; } = url;

    /// <summary>The HTTP status of the last answer, or null when no answer came (timeouts, refused connections).</summary>
    public int? LastStatus { get; } = lastStatus;
}
