using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace OpenModelWatch.Web.Security;

/// <summary>
/// Security headers on every response. Framing is this middleware's to decide: forbidden everywhere except under
/// <see cref="SecurityOptions.FramePaths"/> (<c>/embed/</c>), which any site may frame — it replaces what Blazor
/// (<c>frame-ancestors 'self'</c>) and antiforgery (<c>X-Frame-Options: SAMEORIGIN</c>) set on their own. Any other
/// Content-Security-Policy a response already carries is kept, so a feature that needs another policy for its own
/// paths (e.g. an API reference page loading its script) sets it on its responses; only framing is added to it.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, IOptions<SecurityOptions> options)
{
    private static readonly ConditionalWeakTable<ImportMapDefinition, string> _importMapHashes = [];

    public Task InvokeAsync(HttpContext context)
    {
        var framed = IsFramedPath(context.Request.Path, options.Value.FramedPaths);
        var importMap = ImportMapHash(context);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.TryAdd("Referrer-Policy", "strict-origin-when-cross-origin");
            headers.TryAdd("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
            if (framed)
            {
                headers.Remove("X-Frame-Options");
            }
            else
            {
                headers.XFrameOptions = "DENY";
            }

            headers.ContentSecurityPolicy = Merge(headers.ContentSecurityPolicy.ToString(), framed, importMap);
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>
    /// What Blazor Server and MudBlazor need and no more: scripts from this site only, plus the one inline script
    /// Blazor writes (the import map, allowed by its hash); the circuit's WebSocket back to this site; inline styles
    /// (MudBlazor sets style attributes and writes its theme as a style element).
    /// </summary>
    public static string ContentSecurityPolicy(bool framed, string? importMapHash) =>
        "default-src 'self'; " +
        $"script-src 'self'{(importMapHash is null ? "" : $" '{importMapHash}'")}; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        $"frame-ancestors {(framed ? "*" : "'none'")}";

    /// <summary>This policy, unless the response set a policy of its own beyond framing; framing is always this middleware's.</summary>
    public static string Merge(string existing, bool framed, string? importMapHash)
    {
        var directives = existing.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (directives.All(directive => directive.StartsWith("frame-ancestors", StringComparison.OrdinalIgnoreCase)))
        {
            return ContentSecurityPolicy(framed, importMapHash);
        }

        return string.Join("; ", directives.Where(directive => !directive.StartsWith("frame-ancestors", StringComparison.OrdinalIgnoreCase))
            .Append($"frame-ancestors {(framed ? "*" : "'none'")}"));
    }

    public static bool IsFramedPath(PathString path, IReadOnlyList<string> framedPaths) =>
        path.Value is { } value && framedPaths.Any(prefix => value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>The CSP hash of the import map the page of this endpoint writes (<c>&lt;ImportMap /&gt;</c>), if any.</summary>
    private static string? ImportMapHash(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ImportMapDefinition>() is { } importMap
            ? _importMapHashes.GetValue(importMap, map => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(map.ToString()))))
            : null;
}
