using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Api;

/// <summary>
/// The plumbing every feature's API routes, charts, table files and embeds share: problem details, the OpenAPI
/// document and its reference (<c>/docs</c>), output caching per as-of run with <c>ETag</c>/<c>Last-Modified</c>, and
/// 400 problems for hostile query strings. The routes themselves are the features' (e.g. <c>Models/ModelsEndpoints.cs</c>).
/// </summary>
public static class ApiSetup
{
    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemTexts.Translate);
        builder.Services.AddSingleton<CurrentRun>();
        builder.Services.AddSingleton<IRunSucceededListener>(services => services.GetRequiredService<CurrentRun>());
        builder.Services.AddOutputCache(options =>
        {
            // Model ids are looked up as written: /models/Qwen/… and /models/qwen/… are different answers.
            options.UseCaseSensitivePaths = true;
            options.AddBasePolicy(new AsOfRunCachePolicy());
        });
        builder.Services.AddApiDocumentation();
        builder.Services.AddFieldDocs<Files.BarItem>(null, ("value", "The bar's length: the value the models are ranked by."));
        builder.Services.AddFieldDocs<Files.SeriesPoint>(null, ("value", "The series' value at the run; null when it has none."));
        // A query string of a few kB must reach the app and get a 400 naming the parameter, not Kestrel's bare 414.
        builder.Services.Configure<KestrelServerOptions>(options =>
            options.Limits.MaxRequestLineSize = Math.Max(options.Limits.MaxRequestLineSize, QueryLengthGuard.RequestLineLimit));
        return builder;
    }

    /// <summary>A 400 for an over-long query string or an unknown language, then <c>ETag</c>/<c>304</c>, then the output cache per as-of run.</summary>
    public static WebApplication UseApiCaching(this WebApplication app)
    {
        app.UseMiddleware<QueryLengthGuard>();
        app.UseMiddleware<LanguageGuard>();
        app.UseMiddleware<ConditionalRequests>();
        app.UseOutputCache();
        return app;
    }
}
