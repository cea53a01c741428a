using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Flags;
using OpenModelWatch.Web.Localization;
using OpenModelWatch.Web.Operations;
using OpenModelWatch.Web.Security;

namespace OpenModelWatch.Web.Hosting;

/// <summary>
/// The one place that orders the middleware every request meets. Each feature's own middleware is defined in its
/// folder; why they run in this order is said here.
/// </summary>
public static class Pipeline
{
    public static WebApplication UsePipeline(this WebApplication app)
    {
        // 1. Operations first: a proxy's forwarded headers (the client address everything after sees), errors that
        //    show nothing internal, and one log event per request, whatever happens later.
        app.UseOperations();

        // 2. Security: HTTPS, routing, security headers, request size limits, rate limits, authentication and
        //    authorization, before any answer is made or served from a cache.
        app.UseSecurity();

        // 3. The language: before the caches, so a cached file is one language's (files take it from the address only,
        //    pages also from the cookie and Accept-Language; Localization/LocalizationSetup says why).
        app.UseLocalizedTexts();

        // 4. The API and the files: a 400 for an over-long query string, then ETag/304 and the output cache per
        //    as-of run. After rate limits and authorization, so that cached answers are limited and protected too.
        app.UseApiCaching();

        // 5. adjusted= on the API and the files: a list of groups answers its adjusted view, any other address a 400.
        //    After the caches, so an adjusted answer is cached per address and run like the raw one.
        app.UseAdjustedRoutes();

        // 6. The API reference page's own content security policy, and antiforgery for the dashboard's forms.
        app.UseApiReferencePolicy();
        app.UseAntiforgery();
        return app;
    }
}
