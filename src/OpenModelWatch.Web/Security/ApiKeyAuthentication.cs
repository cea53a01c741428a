using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OpenModelWatch.Web.Security;

/// <summary>
/// The <c>X-Api-Key</c> header, for automation. Only the endpoints that ask for <see cref="AdminAccess.ApiPolicy"/>
/// read it, so a key sent to a public page is never checked (nor is the slow hash computed). A wrong key is logged
/// (never the key) and counted; past the limit the client gets 429 with <c>Retry-After</c>.
/// </summary>
public sealed partial class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AdminSecrets secrets,
    FailedSecretAttempts attempts) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    private const string BlockedItem = "OpenModelWatch.ApiKeyBlockedFor";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var client = ClientAddress.Of(Context);
        if (!secrets.Options.ApiKeyEnabled)
        {
            LogRefused(Logger, client, Request.Method, Request.Path, "API keys are off (Admin:ApiKeyHash is not set)");
            return Task.FromResult(AuthenticateResult.Fail("API keys are off."));
        }

        if (attempts.IsBlocked(client, out var retryAfter))
        {
            Context.Items[BlockedItem] = retryAfter;
            LogRefused(Logger, client, Request.Method, Request.Path, "too many wrong secrets; rate limited");
            return Task.FromResult(AuthenticateResult.Fail("Too many wrong secrets."));
        }

        if (!secrets.IsApiKey(values.ToString()))
        {
            attempts.RecordFailure(client);
            LogRefused(Logger, client, Request.Method, Request.Path, "wrong API key");
            return Task.FromResult(AuthenticateResult.Fail("Wrong API key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key"), new Claim(ClaimTypes.Role, AdminAccess.Role)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[BlockedItem] is TimeSpan retryAfter)
        {
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return AdminAccess.WriteProblemAsync(Context, StatusCodes.Status429TooManyRequests, "Too many wrong secrets",
                "This client sent too many wrong API keys or passwords; try again after Retry-After seconds.");
        }

        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        return AdminAccess.WriteProblemAsync(Context, StatusCodes.Status401Unauthorized, "Administrator API key required",
            $"Send the administrator's key in the {HeaderName} header.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AdminAccess.WriteProblemAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "This key may not do that.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an API key from {Client} for {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string client, string method, PathString path, string reason);
}
