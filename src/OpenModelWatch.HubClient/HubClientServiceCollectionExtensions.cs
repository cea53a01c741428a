using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenModelWatch.Hub.Parsing;
using Polly;

namespace OpenModelWatch.Hub;

public static partial class HubClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HubClient"/> as a typed client. The pipeline, outermost first: a total time budget per
    /// request; retries of 408, 429, 5xx, network errors and timeouts (429 waits what <c>RateLimit</c> or
    /// <c>Retry-After</c> says, the rest back off exponentially with jitter); a time limit per attempt.
    /// Options come from <see cref="HubClientOptions"/>, bound by the caller.
    /// </summary>
    public static IHttpClientBuilder AddHubClient(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HubRequestStats>();
        services.TryAddSingleton<RateLimitPacer>();
        services.TryAddTransient<HubAttemptHandler>();

        var builder = services.AddHttpClient<HubClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<HubClientOptions>>().Value;
            http.Timeout = Timeout.InfiniteTimeSpan;
            http.DefaultRequestHeaders.UserAgent.ParseAdd(HubClient.UserAgent());
            http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (!string.IsNullOrWhiteSpace(options.Token))
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token.Trim());
            }
        });

        builder.AddResilienceHandler("hub", static (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<HubClientOptions>>().Value;
            var stats = context.ServiceProvider.GetRequiredService<HubRequestStats>();
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HubClient).FullName!);

            pipeline.AddTimeout(options.RequestBudget);
            if (options.MaxAttempts > 1)
            {
                pipeline.AddRetry(RetryOptions(options, stats, time, logger));
            }

            pipeline.AddTimeout(options.AttemptTimeout);
        });

        builder.AddHttpMessageHandler<HubAttemptHandler>();
        return builder;
    }

    private static HttpRetryStrategyOptions RetryOptions(HubClientOptions options, HubRequestStats stats, TimeProvider time, ILogger logger) =>
        new()
        {
            MaxRetryAttempts = options.MaxAttempts - 1,
            ShouldRetryAfterHeader = false,
            DelayGenerator = arguments => ValueTask.FromResult<TimeSpan?>(
                ThrottledDelay(arguments.Outcome.Result, time) ?? HubBackoff.Delay(arguments.AttemptNumber + 1, options)),
            OnRetry = arguments =>
            {
                stats.AddRetry();
                var status = arguments.Outcome.Result is { } result ? ((int)result.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : arguments.Outcome.Exception?.GetType().Name ?? "?";
                LogRetry(logger, arguments.Outcome.Result?.RequestMessage?.RequestUri ?? HubCall.Current?.Url, status, arguments.AttemptNumber + 2, arguments.RetryDelay);
                return ValueTask.CompletedTask;
            },
        };

    /// <summary>
    /// How long a <c>429</c> asks to wait: the reset time of a spent <c>RateLimit</c> window plus one second, else
    /// <c>Retry-After</c> plus one second (as the official client does); null for anything else, so backoff applies.
    /// </summary>
    internal static TimeSpan? ThrottledDelay(HttpResponseMessage? response, TimeProvider time)
    {
        if (response?.StatusCode != HttpStatusCode.TooManyRequests)
        {
            return null;
        }

        if (RateLimitHeader.From(response.Headers) is { Remaining: <= 0 } rateLimit)
        {
            return TimeSpan.FromSeconds(rateLimit.ResetSeconds + 1);
        }

        return RetryAfterHeader.From(response.Headers, time.GetUtcNow()) is { } retryAfter
            ? retryAfter + TimeSpan.FromSeconds(1)
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub request {Url} answered {Status}; attempt {Attempt} follows in {Delay}")]
    private static partial void LogRetry(ILogger logger, Uri? url, string status, int attempt, TimeSpan delay);
}
