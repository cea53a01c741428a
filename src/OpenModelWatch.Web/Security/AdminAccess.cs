using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;

namespace OpenModelWatch.Web.Security;

/// <summary>
/// Who may change anything: the administrator, by a cookie session from <c>/login</c> (the dashboard) or by the
/// <c>X-Api-Key</c> header (automation). Reading stays public. The API accepts only the key, never the cookie, so no
/// other site can make a logged-in browser start a run.
/// </summary>
public static partial class AdminAccess
{
    public const string Role = "admin";

    /// <summary>The dashboard's admin actions (the Run now button): a cookie session.</summary>
    public const string Policy = "Admin";

    /// <summary>The API's admin endpoints: the <c>X-Api-Key</c> header only.</summary>
    public const string ApiPolicy = "AdminApi";

    public const string CookieName = "omw.admin";
    private const string PasswordStampClaim = "omw:password-stamp";

    public static IHostApplicationBuilder AddAdminAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section)
            .ValidateDataAnnotations()
            .Validate(admin => !admin.LoginEnabled || SecretHash.IsWellFormed(admin.PasswordHash!),
                "Admin:PasswordHash is not a hash made by the hash-secret command (its value is not shown).")
            .Validate(admin => !admin.ApiKeyEnabled || SecretHash.IsWellFormed(admin.ApiKeyHash!),
                "Admin:ApiKeyHash is not a hash made by the hash-secret command (its value is not shown).")
            .ValidateOnStart();
        builder.Services.AddSingleton<AdminSecrets>();
        builder.Services.AddSingleton<FailedSecretAttempts>();

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/login";
                cookie.LogoutPath = "/logout";
                cookie.AccessDeniedPath = "/login";
                cookie.Events.OnRedirectToLogin = context => IsApi(context.Request)
                    ? WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Administrator required", "Log in as the administrator.")
                    : RedirectAsync(context);
                cookie.Events.OnRedirectToAccessDenied = context => IsApi(context.Request)
                    ? WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "Only the administrator may do that.")
                    : RedirectAsync(context);
                cookie.Events.OnValidatePrincipal = RejectStaleSessionsAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null);
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<AdminOptions>>((cookie, admin) => cookie.ExpireTimeSpan = admin.Value.SessionLifetime);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireRole(Role))
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyHandler.SchemeName).RequireRole(Role));
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, LoggedAuthorizationResults>();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>The principal of a session; it carries a stamp of the password hash it was opened with.</summary>
    public static ClaimsPrincipal SessionFor(AdminOptions admin) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, Role), new Claim(PasswordStampClaim, PasswordStamp(admin))],
        CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>Says at start, in one line, whether administration is on and how; with both hashes unset nobody can change anything.</summary>
    public static void LogAdministration(ILogger logger, AdminOptions admin)
    {
        if (!admin.LoginEnabled && !admin.ApiKeyEnabled)
        {
            LogAdministrationOff(logger);
        }
        else
        {
            LogAdministrationOn(logger, admin.LoginEnabled ? "on" : "off (Admin:PasswordHash is not set)", admin.ApiKeyEnabled ? "on" : "off (Admin:ApiKeyHash is not set)");
        }
    }

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    public static Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }

    /// <summary>A session opened before the password changed (or before administration was turned off) ends.</summary>
    private static async Task RejectStaleSessionsAsync(CookieValidatePrincipalContext context)
    {
        var admin = context.HttpContext.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value;
        if (!admin.LoginEnabled || context.Principal?.FindFirst(PasswordStampClaim)?.Value != PasswordStamp(admin))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static string PasswordStamp(AdminOptions admin) =>
        Convert.ToHexString(SecretHash.Digest(admin.PasswordHash?.Trim() ?? ""))[..16];

    private static Task RedirectAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Administration is off: Admin:PasswordHash and Admin:ApiKeyHash are not set, so nobody can start a run from the web (make a hash with the hash-secret command)")]
    private static partial void LogAdministrationOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Administration: login {Login}, API key {ApiKey}")]
    private static partial void LogAdministrationOn(ILogger logger, string login, string apiKey);
}

/// <summary>Logs every refused attempt at an administrator's endpoint, then answers as ASP.NET Core does (401, 403 or a redirect to the login).</summary>
public sealed partial class LoggedAuthorizationResults(ILogger<LoggedAuthorizationResults> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged || authorizeResult.Forbidden)
        {
            LogRefused(ClientAddress.Of(context), context.Request.Method, context.Request.Path,
                context.User.Identity?.IsAuthenticated == true ? "forbidden" : "not authenticated as the administrator");
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path} from {Client}: {Reason}")]
    private partial void LogRefused(string client, string method, PathString path, string reason);
}
