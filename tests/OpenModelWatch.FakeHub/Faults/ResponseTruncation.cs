using Microsoft.AspNetCore.Http.Features;

namespace OpenModelWatch.FakeHub.Faults;

/// <summary>Runs the rest of the pipeline into a buffer, then sends only the start of the body.</summary>
internal static class ResponseTruncation
{
    public static async Task RunAsync(HttpContext context, RequestDelegate next, bool abortConnection)
    {
        var realBody = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var buffer = new MemoryStream();
        var bufferedBody = new StreamResponseBodyFeature(buffer, realBody);
        context.Features.Set<IHttpResponseBodyFeature>(bufferedBody);
        try
        {
            await next(context);
            await bufferedBody.CompleteAsync();
        }
        finally
        {
            context.Features.Set(realBody);
        }

        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        await realBody.Writer.WriteAsync(body[..CutPoint(body.Span)], context.RequestAborted);
        await realBody.Writer.FlushAsync(context.RequestAborted);
        if (abortConnection)
        {
            context.Abort();
        }
    }

    // Just after an item's "id": key past the middle, so the body ends inside an object whatever the
    // page holds; a body without items is cut in half (at least one byte goes out).
    private static int CutPoint(ReadOnlySpan<byte> body)
    {
        var middle = body.Length / 2;
        var idKey = "\"id\":"u8;
        var after = body[middle..].IndexOf(idKey);
        if (after >= 0)
        {
            return middle + after + idKey.Length;
        }

        var before = body.IndexOf(idKey);
        return before >= 0 ? before + idKey.Length : Math.Max(1, middle);
    }
}
