using System.Net;
using OpenModelWatch.Hub.Parsing;

namespace OpenModelWatch.Hub;

/// <summary>
/// Sits under the resilience pipeline, so it sees every attempt: counts it, feeds the <c>RateLimit</c> header to
/// the pacer, and buffers the body so a connection cut mid-body fails inside the pipeline, where it is retried.
/// </summary>
internal sealed class HubAttemptHandler(RateLimitPacer pacer, HubRequestStats stats) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        stats.AddRequest();
        var call = HubCall.Current;
        call?.Attempted();
        var response = await base.SendAsync(request, cancellationToken);
        call?.Answered((int)response.StatusCode);
        if (RateLimitHeader.From(response.Headers) is { } rateLimit)
        {
            pacer.Observe(rateLimit);
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            stats.AddThrottled();
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        stats.AddBytes(response.Content.Headers.ContentLength ?? 0);
        return response;
    }
}

/// <summary>What happened to one logical request across its attempts, for the error message when it fails.</summary>
internal sealed class HubCall
{
    private static readonly AsyncLocal<HubCall?> _current = new();

    public static HubCall? Current => _current.Value;

    public int Attempts { get; private set; }

    public int? LastStatus { get; private set; }

    public Uri? Url { get; private init; }

    public static HubCall Begin(Uri url) => _current.Value = new HubCall { Url = url };

    public void Attempted() => Attempts++;

    public void Answered(int status) => LastStatus = status;
}
