using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenModelWatch.Web.Localization;

namespace OpenModelWatch.Web.Security;

/// <summary>
/// <c>/login</c> and <c>/logout</c>: a small server-rendered form (no circuit needed to set a cookie), protected by
/// an antiforgery token, with wrong passwords logged and limited per client like wrong API keys.
/// </summary>
public static partial class LoginEndpoints
{
    public const string DefaultReturnUrl = "/ingestion";

    public static IEndpointRouteBuilder MapLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (string? returnUrl, AdminSecrets secrets) =>
            Page(StatusCodes.Status200OK, returnUrl, secrets.Options.LoginEnabled, error: null));

        app.MapPost("/login", async ([FromForm] string? password, [FromForm] string? returnUrl, HttpContext context,
            AdminSecrets secrets, FailedSecretAttempts attempts, ILogger<LoginPage> logger) =>
        {
            var client = ClientAddress.Of(context);
            if (!secrets.Options.LoginEnabled)
            {
                LogLogin(logger, client, "refused: login is off (Admin:PasswordHash is not set)");
                return Page(StatusCodes.Status403Forbidden, returnUrl, enabled: false, error: null);
            }

            if (attempts.IsBlocked(client, out var retryAfter))
            {
                LogLogin(logger, client, "refused: too many wrong secrets; rate limited");
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Page(StatusCodes.Status429TooManyRequests, returnUrl, enabled: true,
                    error: Texts.Format("Login.Error.TooMany", Math.Ceiling(retryAfter.TotalSeconds)));
            }

            if (!secrets.IsPassword(password ?? ""))
            {
                attempts.RecordFailure(client);
                LogLogin(logger, client, "refused: wrong password");
                return Page(StatusCodes.Status401Unauthorized, returnUrl, enabled: true, error: Texts.Get("Login.Error.Wrong"));
            }

            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AdminAccess.SessionFor(secrets.Options));
            LogLogin(logger, client, "administrator logged in");
            return Results.LocalRedirect(SafeReturnUrl(returnUrl));
        });

        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/");
        });
        return app;
    }

    /// <summary>Only a path of this site: a login link must not become a way to send someone elsewhere.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl)
            ? url
            : DefaultReturnUrl;

    private static RazorComponentResult<LoginPage> Page(int status, string? returnUrl, bool enabled, string? error) =>
        new(new Dictionary<string, object?>
        {
            [nameof(LoginPage.ReturnUrl)] = SafeReturnUrl(returnUrl),
            [nameof(LoginPage.Enabled)] = enabled,
            [nameof(LoginPage.Error)] = error,
        })
        { StatusCode = status };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login from {Client}: {Outcome}")]
    private static partial void LogLogin(ILogger logger, string client, string outcome);
}
