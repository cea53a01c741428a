using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenModelWatch.Web.Exports;
using OpenModelWatch.Web.Ingestion;

// In the root namespace, like Program.cs and Startup.cs, which call it.
namespace OpenModelWatch.Web;

/// <summary>
/// Exports for journalists and analysts: charts as PNG/SVG and their data (<c>/charts</c>), every grid as CSV/JSON
/// (<c>/exports</c>), one-chart embeds (<c>/embed</c>), the OpenAPI document and its reference (<c>/docs</c>), output
/// caching per as-of run with <c>ETag</c>/<c>Last-Modified</c>, and 400 problems for hostile query strings.
/// </summary>
public static class ExportsSetup
{
    public static IHostApplicationBuilder AddExports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ExportsOptions>().BindConfiguration(ExportsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ChartQueries>();
        builder.Services.AddSingleton<HistoryQueries>();
        builder.Services.AddSingleton<CurrentRun>();
        builder.Services.AddSingleton<IRunSucceededListener>(services => services.GetRequiredService<CurrentRun>());
        builder.Services.AddOutputCache(options =>
        {
            // Model ids are looked up as written: /models/Qwen/… and /models/qwen/… are different answers.
            options.UseCaseSensitivePaths = true;
            options.AddBasePolicy(new AsOfRunCachePolicy());
        });
        builder.Services.AddApiDocumentation();
        // A query string of a few kB must reach the app and get a 400 naming the parameter, not Kestrel's bare 414.
        builder.Services.Configure<KestrelServerOptions>(options =>
            options.Limits.MaxRequestLineSize = Math.Max(options.Limits.MaxRequestLineSize, QueryLengthGuard.RequestLineLimit));
        return builder;
    }

    public static WebApplication MapExports(this WebApplication app)
    {
        app.UseMiddleware<QueryLengthGuard>();
        app.UseMiddleware<ConditionalRequests>();
        app.UseOutputCache();
        app.MapCharts();
        app.MapTableExports();
        app.MapEmbeds();
        app.MapApiDocumentation();
        return app;
    }
}
