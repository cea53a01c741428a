using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
namespace OpenModelWatch.Web.Overview;

/// <summary>
/// The overview end to end: its queries (<see cref="AddOverview"/>), its chart and embed (<see cref="MapOverview"/>).
/// Its page is <c>OverviewPage.razor</c>; its numbers are the countries', labs' and models' own lists.
/// </summary>
public static class OverviewEndpoints
{
    public static IHostApplicationBuilder AddOverview(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OverviewHeadlines>();
        builder.Services.AddSingleton<OverviewQuery>();
        builder.Services.AddSingleton<OverviewCharts>();
        builder.Services.AddSingleton<IViewWarmup>(services => services.GetRequiredService<OverviewQuery>());
        return builder;
    }

    public static IEndpointRouteBuilder MapOverview(this IEndpointRouteBuilder app)
    {
        app.MapChartGroup().MapGet("/region-share.{format}", (string format, HttpContext context, OverviewCharts charts, CancellationToken ct) =>
                ChartFiles.AnswerAsync(context, format, links => charts.RegionShareAsync(context.Request.Query, links, ct)))
            .WithSummary("Each region's share of a metric at every run (the overview's chart)")
            .DocumentedChart([QueryParameters.Metric(OverviewCharts.ShareMetrics), .. QueryParameters.Window, QueryParameters.Compare, .. QueryParameters.Counting]);
        app.MapEmbedGroup().MapGet("/region-share", (HttpContext context, OverviewCharts charts, CancellationToken ct) =>
            EmbedPage.AnswerAsync(context, "region-share", links => charts.RegionShareAsync(context.Request.Query, links, ct)));
        return app;
    }
}
