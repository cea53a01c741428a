using System.Globalization;
using OpenModelWatch.FakeHub.Endpoints;
using OpenModelWatch.FakeHub.RateLimiting;

namespace OpenModelWatch.FakeHub.Faults;

/// <summary>Applies the scripted fault a request matches, if any. Runs after the rate limit has set its headers.</summary>
internal sealed class FaultMiddleware(RequestDelegate next, FakeHubFaults faults)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var fault = faults.TakeFor(context.Request.Path);
        switch (fault?.Kind)
        {
            case null:
                await next(context);
                break;
            case FaultKind.Status:
                await HubResponses.WriteErrorAsync(context, fault.StatusCode, $"Scripted fault: {fault.StatusCode}.");
                break;
            case FaultKind.TooManyRequests:
                await TooManyRequestsAsync(context, fault);
                break;
            case FaultKind.Slow:
                await SlowAsync(context, fault);
                break;
            case FaultKind.Truncate or FaultKind.TruncateCleanly:
                await ResponseTruncation.RunAsync(context, next, abortConnection: fault.Kind == FaultKind.Truncate);
                break;
        }
    }

    private static async Task TooManyRequestsAsync(HttpContext context, FaultSpec fault)
    {
        var headers = context.Response.Headers;
        headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        if (fault.WithRateLimitHeader)
        {
            headers[RateLimitHeaders.RateLimit] = RateLimitHeaders.Remaining(0, fault.RetryAfterSeconds);
        }
        else
        {
            headers.Remove(RateLimitHeaders.RateLimit);
            headers.Remove(RateLimitHeaders.RateLimitPolicy);
        }

        await HubResponses.WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "Scripted fault: too many requests.");
    }

    private async Task SlowAsync(HttpContext context, FaultSpec fault)
    {
        try
        {
            await Task.Delay(fault.DelayMilliseconds, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up waiting: the point of the fault. Nothing left to answer.
            return;
        }

        await next(context);
    }
}
