using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

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
        builder.Services.AddSingleton<SeedStory>();
        builder.Services.AddSingleton<SeedStoryCharts>();
        builder.Services.AddSingleton<IViewWarmup>(services => services.GetRequiredService<SeedStory>());
        builder.Services.AddFieldDocs<SeedStoryItem>(
            "One month of the seed story: a run of the bundled monthly history (source OsirMonthly), oldest data November 2024. See /methodology#seed-story.",
            ("at", "The month's crawl time (UTC): the run's as-of time."),
            ("source", "The run's source: OsirMonthly (the bundled monthly history, OSIR-LMTS by BAAI, MIT)."),
            ("organisations", "Namespaces the month's list has models of (the list grows month by month)."),
            ("qwenDownloads30d", "30-day downloads of the registry lab alibaba-qwen's models (the Qwen namespace)."),
            ("llamaDownloads30d", "30-day downloads of the meta-llama namespace's models (Meta's own Llama repositories)."),
            ("leader", "Qwen, Llama or tie: the side with more 30-day downloads that month."),
            ("qwenTopModel", "Qwen's most downloaded model that month."),
            ("qwenTopModelDownloads30d", "Its 30-day downloads."),
            ("llamaTopModel", "Llama's most downloaded model that month."),
            ("llamaTopModelDownloads30d", "Its 30-day downloads."),
            ("oneModelLead", "True when the leader's largest model has more than half of the leader's 30-day downloads: a lead of one model, not counted as a lead of the lab."),
            ("deepSeekModels", "Models of the deepseek-ai namespace the month lists (0 before the list has it)."),
            ("chinaShare", "China's share of the 30-day downloads of every model the month lists, 0–1 (the whole list, which grows)."),
            ("usShare", "The US's share of the same, 0–1."),
            ("panelOrganisations", "Organisations of the first month that this month still lists: the like-with-like panel."),
            ("panelChinaShare", "China's share of the panel's 30-day downloads, 0–1."),
            ("panelUsShare", "The US's share of the panel's 30-day downloads, 0–1."));
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

        // The seed story: its months as a list, its two charts and their embeds, its table.
        app.MapApiGroup().MapGet("/seed-story", (HttpContext context, SeedStory story, CancellationToken ct) =>
                ApiLists.ListAsync(context, ["at"], async parameters =>
                {
                    var data = await story.GetAsync(parameters.Run, ct);
                    return ApiLists.Page(data.AsOf, parameters, data.Months, month => month.RunId);
                }))
            .Documented<SeedStoryItem>("SeedStory", "The seed story month by month (the bundled monthly history): Qwen vs Llama with one-model leads marked, DeepSeek's models, China's and the US's shares; newest month first")
            .WithQueryParameters([.. QueryParameters.Paging, QueryParameters.Order, QueryParameters.Format, QueryParameters.Run]);
        foreach (var (chart, summary) in new[]
        {
            (SeedStoryCharts.QwenVsLlamaChart, "Qwen vs Llama month by month, each also without its largest model (the seed story)"),
            (SeedStoryCharts.ChinaUsShareChart, "China's and the US's share month by month, like with like and over each month's list (the seed story)"),
        })
        {
            app.MapChartGroup().MapGet($"/{chart}.{{format}}", (string format, HttpContext context, SeedStoryCharts charts, CancellationToken ct) =>
                    ChartFiles.AnswerAsync(context, format, links => Build(charts, chart, context.Request.Query, links, ct)))
                .WithSummary(summary)
                .DocumentedChart([.. QueryParameters.Window]);
            app.MapEmbedGroup().MapGet($"/{chart}", (HttpContext context, SeedStoryCharts charts, CancellationToken ct) =>
                EmbedPage.AnswerAsync(context, chart, links => Build(charts, chart, context.Request.Query, links, ct)));
        }

        app.MapExportGroup().MapGet("/seed-story.{format}", (string format, HttpContext context, SeedStory story, IDbContextFactory<OpenModelWatchDb> dbFactory, CancellationToken ct) =>
                TableExport.AnswerAsync(context, format, ["none"], dbFactory, async (_, asOf, _) =>
                {
                    var data = asOf is null ? SeedStoryData.Empty(null) : await story.ForAsync(asOf, ct);
                    return new Table<SeedStoryItem>("seed-story", FileTexts.Get("SeedStory.Table.Title"), SeedStoryCharts.Filters(data),
                        [Metrics.Definition(Metrics.Downloads30d), SeedStoryCharts.QwenAndLlamaText, SeedStoryCharts.RulesText, .. data.Sentences],
                        "seed-story", data.Months.Count, ExportFiles.InMemory(data.Months)) { Sources = [RunSource.OsirMonthly] };
                }))
            .WithSummary("The seed story's months, with its rules and its sentences in the file's information")
            .DocumentedTable([]);
        return app;
    }

    private static Task<Chart?> Build(SeedStoryCharts charts, string chart, IQueryCollection query, ExportLinks links, CancellationToken ct) =>
        chart == SeedStoryCharts.QwenVsLlamaChart ? charts.QwenVsLlamaAsync(query, links, ct) : charts.ChinaUsShareAsync(query, links, ct);
}
