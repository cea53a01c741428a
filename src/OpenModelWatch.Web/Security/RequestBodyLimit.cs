using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace OpenModelWatch.Web.Security;

/// <summary>
/// Refuses request bodies larger than <see cref="SecurityOptions.MaxRequestBodyBytes"/> with 413, whatever the server
/// (Kestrel enforces the same limit while reading; this also covers a declared length and other servers).
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, IOptions<SecurityOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return context.Request.ContentLength > limit
            ? AdminAccess.WriteProblemAsync(context, StatusCodes.Status413PayloadTooLarge, "Request too large", $"Request bodies are limited to {limit} bytes.")
            : next(context);
    }
}
