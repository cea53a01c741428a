using Microsoft.AspNetCore.Http.Features;

namespace OpenModelWatch.FakeHub.Counting;

/// <summary>Counts each request by route, the bytes of its body and 429 answers. Runs after routing, first of the Hub's middleware.</summary>
internal sealed class CountingMiddleware(RequestDelegate next, FakeHubCounters counters)
{
    public async Task InvokeAsync(HttpContext context)
    {
        counters.RecordRequest((context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "/");
        counters.RecordAuthorization(context.Request.Headers.Authorization.ToString());

        var realBody = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var counting = new CountingStream(realBody.Stream);
        var countedBody = new StreamResponseBodyFeature(counting, realBody);
        context.Features.Set<IHttpResponseBodyFeature>(countedBody);
        try
        {
            await next(context);
            if (!context.RequestAborted.IsCancellationRequested)
            {
                await countedBody.CompleteAsync();
            }
        }
        finally
        {
            context.Features.Set(realBody);
            counters.RecordBytes(counting.BytesWritten);
            if (context.Response.StatusCode == StatusCodes.Status429TooManyRequests)
            {
                counters.RecordTooManyRequests();
            }
        }
    }
}
