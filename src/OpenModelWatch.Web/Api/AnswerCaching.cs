using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Api;

/// <summary>
/// Output caching of exports and API answers: one entry per as-of run and address (path and every query parameter),
/// tagged so that a new run evicts them all (<see cref="CurrentRun"/>). Only successful answers are kept.
/// </summary>
public sealed class AsOfRunCachePolicy : IOutputCachePolicy
{
    public const string RunItem = "omw.asOfRun";

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    public async ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var enabled = http.RequestServices.GetRequiredService<IOptions<ExportsOptions>>().Value.Cache;
        if (!enabled || !ExportPaths.DependsOnAsOfRun(http.Request) || http.Request.Headers.ContainsKey(HeaderNames.Authorization))
        {
            context.EnableOutputCaching = false;
            return;
        }

        var run = await ConditionalRequests.AsOfRunAsync(http, cancellationToken);
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.VaryByValues["asOfRun"] = run?.Id.ToString(CultureInfo.InvariantCulture) ?? "none";
        context.Tags.Add(CurrentRun.CacheTag);
        context.ResponseExpirationTimeSpan = Lifetime;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.ContainsKey(HeaderNames.SetCookie))
        {
            context.AllowCacheStorage = false;
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// <c>ETag</c> and <c>Last-Modified</c> on answers that depend only on the as-of run, and <c>304 Not Modified</c> to a
/// client that already has it. The tag is the run and a hash of the address (and of this build, whose output may
/// differ); <c>Last-Modified</c> is the as-of time. <c>Cache-Control: public, no-cache</c>: proxies may keep a copy
/// but ask again each time, so a new run shows at once.
/// </summary>
public sealed class ConditionalRequests(RequestDelegate next)
{
    private static readonly string _build = typeof(ConditionalRequests).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    public async Task InvokeAsync(HttpContext context)
    {
        if (!ExportPaths.DependsOnAsOfRun(context.Request) || await AsOfRunAsync(context, context.RequestAborted) is not { } run)
        {
            await next(context);
            return;
        }

        var etag = new EntityTagHeaderValue($"\"{run.Id.ToString(CultureInfo.InvariantCulture)}-{Hash(context.Request)}\"");
        var lastModified = new DateTimeOffset(DateTime.SpecifyKind(run.At, DateTimeKind.Utc)).AddTicks(-(run.At.Ticks % TimeSpan.TicksPerSecond));
        var headers = context.Response.GetTypedHeaders();
        if (NotModified(context.Request, etag, lastModified))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            headers.ETag = etag;
            headers.LastModified = lastModified;
            context.Response.Headers.CacheControl = "public, no-cache";
            return;
        }

        headers.ETag = etag;
        headers.LastModified = lastModified;
        context.Response.Headers.CacheControl = "public, no-cache";
        context.Response.OnStarting(() =>
        {
            // A 400 or a 404 is not this run's representation of the address: no validators on it.
            if (context.Response.StatusCode != StatusCodes.Status200OK)
            {
                context.Response.Headers.Remove(HeaderNames.ETag);
                context.Response.Headers.Remove(HeaderNames.LastModified);
                context.Response.Headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        await next(context);
    }

    /// <summary>The as-of run of this request, read once and shared by the cache policy and the validators.</summary>
    public static async ValueTask<AsOfRun?> AsOfRunAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Items.TryGetValue(AsOfRunCachePolicy.RunItem, out var item))
        {
            return item as AsOfRun;
        }

        var run = await context.RequestServices.GetRequiredService<CurrentRun>().GetAsync(cancellationToken);
        context.Items[AsOfRunCachePolicy.RunItem] = run;
        return run;
    }

    private static bool NotModified(HttpRequest request, EntityTagHeaderValue etag, DateTimeOffset lastModified)
    {
        var headers = request.GetTypedHeaders();
        if (headers.IfNoneMatch is { Count: > 0 } candidates)
        {
            return candidates.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(etag, useStrongComparison: false));
        }

        return headers.IfModifiedSince is { } since && lastModified <= since;
    }

    /// <summary>
    /// The build, the path and the query as the output cache keys it (query names in any case and order, values as given),
    /// so one cache entry has one tag.
    /// </summary>
    private static string Hash(HttpRequest request)
    {
        var query = string.Join("&", request.Query
            .OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase)
            .Select(pair => pair.Key.ToUpperInvariant() + "=" + string.Join(",", pair.Value.Select(value => Uri.EscapeDataString(value ?? "")))));
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{_build}\n{request.Path.Value}\n{query}"));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 9));
    }
}
