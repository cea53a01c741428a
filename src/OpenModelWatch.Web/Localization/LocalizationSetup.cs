using Microsoft.AspNetCore.Localization;
using MudBlazor;

namespace OpenModelWatch.Web.Localization;

/// <summary>
/// Request localization. A page's language is chosen by <c>?lang=</c>, else the <c>omw-lang</c> cookie, else the
/// browser's <c>Accept-Language</c>, else English; <c>?lang=</c> on a page also sets the cookie, so the page's circuit
/// (whose requests carry the cookie, not the address) and later visits keep it. A file (an API answer, a chart, a table,
/// an embed) is chosen by its address only: the same address always gives the same bytes, which the output cache,
/// ETags and a journalist's embed link rely on.
/// </summary>
public static class LocalizationSetup
{
    // The OpenAPI document is a file too: its metric definitions (Reading/Metrics) must not follow a reader's cookie.
    private static readonly string[] _filePrefixes = ["/api", "/charts", "/exports", "/embed", "/openapi"];

    public static WebApplicationBuilder AddLocalizedTexts(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        // MudBlazor's own texts (grid paging, sorting, date pickers) in the reader's language too.
        builder.Services.AddTransient<MudLocalizer, MudTexts>();
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = Languages.Supported.Select(name => Languages.Culture(name)!).ToList();
            options.DefaultRequestCulture = new RequestCulture(Languages.Default);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider { QueryStringKey = Languages.QueryKey, UIQueryStringKey = Languages.QueryKey },
                new CustomRequestCultureProvider(context => Task.FromResult(IsFile(context.Request.Path)
                    ? new ProviderCultureResult(Languages.Default)
                    : null)),
                new CookieRequestCultureProvider { CookieName = Languages.CookieName },
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return builder;
    }

    /// <summary>The request's culture, then the cookie a page's <c>?lang=</c> sets.</summary>
    public static WebApplication UseLocalizedTexts(this WebApplication app)
    {
        app.UseRequestLocalization();
        app.Use(async (context, next) =>
        {
            var asked = context.Request.Query[Languages.QueryKey].ToString();
            if (HttpMethods.IsGet(context.Request.Method) && !IsFile(context.Request.Path) && Languages.Culture(asked) is { } culture
                && context.Request.Cookies[Languages.CookieName] != CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)))
            {
                context.Response.Cookies.Append(Languages.CookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), SameSite = SameSiteMode.Lax, IsEssential = true, Path = "/" });
            }

            await next(context);
        });
        return app;
    }

    /// <summary>An answer that is a file: its language comes from its address only.</summary>
    public static bool IsFile(PathString path) =>
        _filePrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
}
