using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Flags;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Labs;

/// <summary>
/// The labs feature end to end: its queries and field documentation (<see cref="AddLabs"/>); its API route, chart,
/// embed and table files (<see cref="MapLabs"/>). Its pages are <c>LabsPage.razor</c> and <c>LabPage.razor</c>.
/// </summary>
public static class LabsEndpoints
{
    public static IHostApplicationBuilder AddLabs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LabLeaderboard>();
        builder.Services.AddSingleton<LabHistory>();
        builder.Services.AddSingleton<LabTrends>();
        builder.Services.AddSingleton<LabDetailQuery>();
        builder.Services.AddSingleton<LabCharts>();
        builder.Services.AddSingleton<IViewWarmup>(services => services.GetRequiredService<LabTrends>());
        builder.Services.AddFieldDocs<LabItem>(
            "A lab's totals in the as-of run.",
            ("id", "The lab's id in the registry (seeds/labs.json), or community:NAMESPACE for an unregistered uploader."),
            ("name", "The lab's display name, or the namespace of a community uploader."),
            ("models", "Models of the lab in the run, under the filters."),
            ("share", "The lab's share of the 30-day downloads of every model in view, 0–1."));
        return builder;
    }

    public static IEndpointRouteBuilder MapLabs(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup().MapGet("/labs", (HttpContext context, LabLeaderboard labs, CancellationToken ct) =>
                ApiLists.ListAsync(context, LabLeaderboard.SortFields, parameters => labs.ListAsync(parameters, ct)))
            .Documented<LabItem>("ListLabs", "Labs: each registered lab's models, downloads, likes and share")
            .WithQueryParameters(QueryParameters.List(LabLeaderboard.SortFields), QueryParameters.Community, [AdjustedRoutes.Parameter])
            .WithAdjustedView(AdjustedSharesEndpoints.List(ShareGroup.Lab));

        app.MapChartGroup().MapGet("/top-labs.{format}", (string format, HttpContext context, LabCharts charts, CancellationToken ct) =>
                ChartFiles.AnswerAsync(context, format, links => charts.TopLabsAsync(context.Request.Query, links, ct)))
            .WithSummary("The first labs of the labs list, with its filters and sort, coloured by region (the labs page's chart)")
            .DocumentedChart([TopN, QueryParameters.Sort(LabLeaderboard.SortFields), QueryParameters.Order, .. QueryParameters.Counting, .. QueryParameters.Filters, .. QueryParameters.Community]);
        app.MapEmbedGroup().MapGet("/top-labs", (HttpContext context, LabCharts charts, CancellationToken ct) =>
            EmbedPage.AnswerAsync(context, "top-labs", links => charts.TopLabsAsync(context.Request.Query, links, ct)));

        app.MapChartGroup().MapGet("/labs/{id}/history.{format}", (string id, string format, HttpContext context, LabCharts charts, CancellationToken ct) =>
                ChartFiles.AnswerAsync(context, format, links => charts.LabHistoryAsync(id, context.Request.Query, links, ct), $"Lab {id}"))
            .WithSummary("A lab's totals, share or rank at every run (the lab page's chart)")
            .DocumentedChart([QueryParameters.Metric(LabCharts.LabMetrics), .. QueryParameters.Window, QueryParameters.Compare, .. QueryParameters.Counting, .. QueryParameters.Community]);

        app.MapEmbedGroup().MapGet("/labs/{id}/history", (string id, HttpContext context, LabCharts charts, CancellationToken ct) =>
            EmbedPage.AnswerAsync(context, $"labs/{Uri.EscapeDataString(id)}/history", links => charts.LabHistoryAsync(id, context.Request.Query, links, ct)));

        var exports = app.MapExportGroup();
        exports.MapGet("/labs.{format}", TableAsync)
            .WithSummary("Every lab of the labs list, with its filters and sort")
            .DocumentedTable([.. QueryParameters.Counting, .. QueryParameters.Filters, .. QueryParameters.Community, QueryParameters.Sort(LabLeaderboard.SortFields), QueryParameters.Order, AdjustedRoutes.Parameter])
            .WithAdjustedView(AdjustedSharesEndpoints.Table(ShareGroup.Lab));
        exports.MapGet("/labs/{id}/models.{format}", ModelsTableAsync)
            .WithSummary("Every model of one lab, with the models list's filters and sort")
            .DocumentedTable([.. QueryParameters.Counting, .. QueryParameters.Filters, QueryParameters.Q, QueryParameters.Sort(ModelLeaderboard.SortFields), QueryParameters.Order]);
        exports.MapGet("/history.{format}", AllHistoryTableAsync)
            .WithSummary("Every lab's totals, share and rank at every run of the window (history for analysts: csv, json or parquet), with the labs list's filters")
            .DocumentedTable([.. QueryParameters.Counting, .. QueryParameters.Filters[..3], .. QueryParameters.Community, .. QueryParameters.Window, QueryParameters.Compare]);
        exports.MapGet("/labs/{id}/history.{format}", HistoryTableAsync)
            .WithSummary("A lab's totals and rank at every run of the window: the lab page's run-by-run table")
            .DocumentedTable([.. QueryParameters.Counting, .. QueryParameters.Window, QueryParameters.Compare]);
        return app;
    }

    private static Task<IResult> TableAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, CancellationToken cancellationToken) =>
        TableExport.AnswerAsync(context, format, LabLeaderboard.SortFields, dbFactory, async (db, asOf, p) =>
        {
            var labs = asOf is null ? [] : LabLeaderboard.Sort(await LabLeaderboard.LabsAsync(db, asOf.Id, p, cancellationToken), p.Sort, p.Ascending).ToArray();
            return new Table<LabItem>("labs", FileTexts.Get("Export.Labs.Title"), FilterWords.Of(p, registry, FilterWords.SortLabel(p.Sort ?? Metrics.Downloads30d)),
                [.. TableExport.CountDefinitions, Metrics.Definition(Metrics.Share), FileTexts.Get("Export.CountryDefinition", FileTexts.Translate("Term.Country", Terms.Country))], "labs", labs.Length, ExportFiles.InMemory(labs));
        });

    private static async Task<IResult> ModelsTableAsync(string id, string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, CancellationToken cancellationToken)
    {
        if (registry.ById(id) is null && CommunityLab.NamespaceOf(id) is null)
        {
            return ExportFiles.NotFound($"Lab {id}");
        }

        return await ModelsEndpoints.TableAsync(format, context, dbFactory, registry, id, cancellationToken);
    }

    private static Task<IResult> AllHistoryTableAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, LabCharts charts, CancellationToken cancellationToken) =>
        TableExport.AnswerAsync(context, format, ["none"], dbFactory, async (db, asOf, p) =>
        {
            var (from, to) = ListParametersParser.Days(context.Request.Query);
            var history = await charts.AllLabsAsync(asOf, p, from, to, cancellationToken);
            var window = FilterWords.Range(from, to) ?? FileTexts.Get("Export.LastRuns", RunHistory.MaxRuns);
            var filters = FilterWords.WithComparison($"{FilterWords.Of(p, registry)} · {window}", history.Runs, p.Compare, history.LikeLabs);
            return new Table<LabRunItem>("history", FileTexts.Get("Export.LabsTotalsByRun"), filters,
                [.. TableExport.CountDefinitions, Metrics.Definition(Metrics.Share), Metrics.Definition(Metrics.Rank)], "sources", history.Rows.Count, ExportFiles.InMemory(history.Rows))
            {
                Sources = RunHistory.SourcesOf(history.Runs),
            };
        });

    private static async Task<IResult> HistoryTableAsync(string id, string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, LabCharts charts, CancellationToken cancellationToken)
    {
        if (registry.ById(id) is not { } lab)
        {
            return ExportFiles.NotFound($"Lab {id}");
        }

        return await TableExport.AnswerAsync(context, format, ["none"], dbFactory, async (db, asOf, p) =>
        {
            var (from, to) = ListParametersParser.Days(context.Request.Query);
            var table = await charts.TableAsync(lab.Id, asOf, CountingView.Of(p), p.Compare, from, to, LabDetailQuery.HistoryRuns, cancellationToken);
            var window = FilterWords.Range(from, to) ?? FileTexts.Get("Export.LastRuns", LabDetailQuery.HistoryRuns);
            return new Table<LabHistoryItem>($"lab-{lab.Id}-history", FileTexts.Get("Export.TotalsByRun", lab.Name),
                FilterWords.WithComparison($"{FilterWords.View(p.Attribution, p.Scope)} · {window}", table.Runs, p.Compare, table.LikeLabs),
                [.. TableExport.CountDefinitions, Metrics.Definition(Metrics.Share), Metrics.Definition(Metrics.Rank)], "labs", table.Rows.Count, ExportFiles.InMemory(table.Rows))
            {
                Sources = RunHistory.SourcesOf(table.Runs),
            };
        });
    }

    private static readonly QueryParameter TopN = new("n", $"How many labs the chart ranks, 1 to {LabCharts.MaxTopLabs}.", Microsoft.OpenApi.JsonSchemaType.Integer, Default: "10") { Minimum = 1, Maximum = LabCharts.MaxTopLabs };
}
