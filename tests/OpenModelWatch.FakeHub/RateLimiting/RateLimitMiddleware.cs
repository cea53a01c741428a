using System.Globalization;
using OpenModelWatch.FakeHub.Endpoints;

namespace OpenModelWatch.FakeHub.RateLimiting;

/// <summary>Puts the rate-limit headers on every response and answers 429 once the window's quota is spent.</summary>
internal sealed class RateLimitMiddleware(RequestDelegate next, HubRateLimit rateLimit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var decision = rateLimit.Acquire();
        var headers = context.Response.Headers;
        headers[RateLimitHeaders.RateLimit] = RateLimitHeaders.Remaining(decision.Remaining, decision.SecondsToReset);
        headers[RateLimitHeaders.RateLimitPolicy] = RateLimitHeaders.Policy(rateLimit.Quota, rateLimit.Window);
        if (decision.Allowed)
        {
            await next(context);
            return;
        }

        headers.RetryAfter = decision.SecondsToReset.ToString(CultureInfo.InvariantCulture);
        await HubResponses.WriteErrorAsync(
            context,
            StatusCodes.Status429TooManyRequests,
            $"You have exceeded the rate limit of {rateLimit.Quota} requests per {(int)rateLimit.Window.TotalSeconds} seconds.");
    }
}
