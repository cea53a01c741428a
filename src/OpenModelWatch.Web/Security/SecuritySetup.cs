using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OpenModelWatch.Hub;

namespace OpenModelWatch.Web.Security;

/// <summary>
/// Protection of a public service: administrator access (cookie login, API key), rate limits per client on the API
/// and exports, security headers, request size limits, HTTPS outside Development, and checks that keep secrets well formed.
/// </summary>
public static partial class SecuritySetup
{
    public static IHostApplicationBuilder AddSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<Security.SecurityOptions>().BindConfiguration(Security.SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<Security.RateLimitingOptions>().BindConfiguration(Security.RateLimitingOptions.Section)
            .ValidateDataAnnotations()
            .Validate(limits => limits.LimitedPaths.All(path => path.StartsWith('/')), "RateLimiting:Paths must each start with '/'.")
            .ValidateOnStart();
        builder.Services.AddOptions<HubClientOptions>()
            .Validate(hub => string.IsNullOrEmpty(hub.Token) || hub.Token.Trim().All(c => c is > ' ' and < (char)127),
                "Hub:Token must be printable ASCII without spaces (its value is not shown).")
            .Validate(hub => string.IsNullOrEmpty(hub.BaseUrl.UserInfo),
                "Hub:BaseUrl must not carry credentials (they would show in run errors); put a token in Hub:Token.");
        builder.AddAdminAccess();

        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<Security.SecurityOptions>>((kestrel, security) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            // The request line keeps Kestrel's 8 KiB, raised by the API (Api/ApiSetup.cs) so that an over-long query gets a 400 naming it.
            try
            {
                kestrel.Limits.MaxRequestBodySize = security.Value.MaxRequestBodyBytes;
            }
            catch (Exception exception) when (exception is OptionsValidationException or InvalidOperationException)
            {
                // The server is built with the app, before the start-up checks: they report the bad value, with its key.
            }
        });
        builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<Security.RateLimitingOptions>>((limiter, limits) => ConfigureLimiter(limiter, limits.Value));
        return builder;
    }

    /// <summary>Middleware in order: HTTPS, routing, headers, body limit, rate limits, authentication, authorization.</summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        var security = app.Services.GetRequiredService<IOptions<Security.SecurityOptions>>().Value;
        if (!app.Environment.IsDevelopment() && security.HttpsRedirection)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseRouting();
        app.UseMiddleware<Security.SecurityHeaders>();
        app.UseMiddleware<Security.RequestBodyLimit>();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        AdminAccess.LogAdministration(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Security.AdminAccess).FullName!),
            app.Services.GetRequiredService<IOptions<Security.AdminOptions>>().Value);
        return app;
    }

    public static IEndpointRouteBuilder MapSecurity(this IEndpointRouteBuilder app) => Security.LoginEndpoints.MapLogin(app);

    private static void ConfigureLimiter(RateLimiterOptions limiter, Security.RateLimitingOptions limits)
    {
        var paths = limits.LimitedPaths;
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            paths.Any(prefix => context.Request.Path.Value?.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) == true)
                ? RateLimitPartition.GetFixedWindowLimiter("client:" + Security.ClientAddress.Of(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.PermitsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("unlimited"));
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = (rejected, _) =>
        {
            var context = rejected.HttpContext;
            var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            LogRateLimited(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SecuritySetup).FullName!),
                Security.ClientAddress.Of(context), context.Request.Method, context.Request.Path, seconds);
            return new ValueTask(Security.AdminAccess.WriteProblemAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
                $"This client may make {limits.PermitsPerMinute} requests a minute here; try again in {seconds} s."));
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rate limited {Client}: {Method} {Path}; retry after {Seconds} s")]
    private static partial void LogRateLimited(ILogger logger, string client, string method, PathString path, int seconds);
}
