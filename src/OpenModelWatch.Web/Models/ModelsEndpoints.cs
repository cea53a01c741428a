using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Models;

/// <summary>
/// The models feature end to end: its queries and its field documentation (<see cref="AddModels"/>); its API
/// routes, charts, embeds and table files (<see cref="MapModels"/>). Its pages are <c>ModelsPage.razor</c> and
/// <c>ModelPage.razor</c>.
/// </summary>
public static class ModelsEndpoints
{
    public static IHostApplicationBuilder AddModels(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ModelNameIndex>();
        builder.Services.AddSingleton<ModelLeaderboard>();
        builder.Services.AddSingleton<ModelDetailQuery>();
        builder.Services.AddSingleton<ModelCharts>();
        builder.Services.AddSingleton<ModelFacets>();
        builder.Services.AddSingleton<IViewWarmup>(services => services.GetRequiredService<ModelFacets>());
        builder.Services.AddSingleton<IViewWarmup>(services => services.GetRequiredService<ModelNameIndex>());
        builder.Services.AddFieldDocs<ModelItem>(
            "A model in the as-of run, with its counts and the lab, country and region it counts for.",
            ("id", "The model's Hub id, namespace/name."),
            ("lab", "The id of the lab the model counts for under the requested attribution; null when that lab is unknown."),
            ("share", Terms.Share));
        builder.Services.AddFieldDocs<ModelHistoryItem>("A model's counts at one succeeded run.");
        return builder;
    }

    public static IEndpointRouteBuilder MapModels(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();
        api.MapGet("/models", (HttpContext context, ModelLeaderboard models, CancellationToken ct) =>
                ApiLists.ListAsync(context, ModelLeaderboard.SortFields, parameters => models.ListAsync(parameters, ct)))
            .Documented<ModelItem>("ListModels", "Models: every tracked model with its counts and the lab, country and region it counts for")
            .WithQueryParameters(QueryParameters.List(ModelLeaderboard.SortFields), [QueryParameters.Q]);

        // History: one point per succeeded run, from the same per-run totals as the charts
        api.MapGet("/models/{namespace}/{name}/history", HistoryAsync)
            .Documented<ModelHistoryItem>("ModelHistory", "A model's counts at every succeeded run that saw it, newest first (order=asc for oldest first)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithQueryParameters(QueryParameters.Window, QueryParameters.Paging, [QueryParameters.Format, QueryParameters.Run]);

        var charts = app.MapChartGroup();
        charts.MapGet("/top-models.{format}", (string format, HttpContext context, ModelCharts charts, CancellationToken ct) =>
                ChartFiles.AnswerAsync(context, format, links => charts.TopModelsAsync(context.Request.Query, links, ct)))
            .WithSummary("The first models of the models list, with its filters and sort, coloured by region (the models page's chart)")
            .DocumentedChart([TopN, QueryParameters.Sort(ModelLeaderboard.SortFields), QueryParameters.Order, .. QueryParameters.Counting, .. QueryParameters.Filters, QueryParameters.Q]);
        charts.MapGet("/models/{namespace}/{name}/history.{format}", (string @namespace, string name, string format, HttpContext context, ModelCharts charts, CancellationToken ct) =>
                ChartFiles.AnswerAsync(context, format, links => charts.ModelHistoryAsync($"{@namespace}/{name}", context.Request.Query, links, ct), $"Model {@namespace}/{name}"))
            .WithSummary("A model's counts at every run that saw it (the model page's chart)")
            .DocumentedChart([QueryParameters.Metric(ModelCharts.ModelMetrics), .. QueryParameters.Window]);

        var embeds = app.MapEmbedGroup();
        embeds.MapGet("/top-models", (HttpContext context, ModelCharts charts, CancellationToken ct) =>
            EmbedPage.AnswerAsync(context, "top-models", links => charts.TopModelsAsync(context.Request.Query, links, ct)));
        embeds.MapGet("/models/{namespace}/{name}/history", (string @namespace, string name, HttpContext context, ModelCharts charts, CancellationToken ct) =>
            EmbedPage.AnswerAsync(context, $"models/{Uri.EscapeDataString(@namespace)}/{Uri.EscapeDataString(name)}/history",
                links => charts.ModelHistoryAsync($"{@namespace}/{name}", context.Request.Query, links, ct)));

        var exports = app.MapExportGroup();
        exports.MapGet("/models.{format}", (string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, CancellationToken ct) =>
                TableAsync(format, context, dbFactory, registry, lab: null, ct))
            .WithSummary("Every model of the models list, with its filters and sort")
            .DocumentedTable([.. QueryParameters.Counting, .. QueryParameters.Filters, QueryParameters.Q, QueryParameters.Sort(ModelLeaderboard.SortFields), QueryParameters.Order]);
        exports.MapGet("/models/{namespace}/{name}/history.{format}", HistoryTableAsync)
            .WithSummary("A model's counts at every succeeded run that saw it")
            .DocumentedTable(QueryParameters.Window);
        return app;
    }

    /// <summary><c>n</c>: how many models the top-models chart ranks.</summary>
    private static readonly QueryParameter TopN = new("n", $"How many models the chart ranks, 1 to {ModelCharts.MaxTopModels}.", Microsoft.OpenApi.JsonSchemaType.Integer, Default: "10") { Minimum = 1, Maximum = ModelCharts.MaxTopModels };

    /// <summary>The models list as a file, or one lab's models (<paramref name="lab"/>) with the list's filters and sort.</summary>
    public static Task<IResult> TableAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, string? lab, CancellationToken cancellationToken) =>
        TableExport.AnswerAsync(context, format, ModelLeaderboard.SortFields, dbFactory, async (db, asOf, p) =>
        {
            p = lab is null ? p : p with { Lab = lab };
            var total = asOf is null ? 0 : await ModelLeaderboard.Rows(db, asOf.Id, p, count: true).CountAsync(cancellationToken);
            var title = lab is null ? FileTexts.Get("Export.Models.Title") : FileTexts.Get("Export.Models.OfLab", registry.ById(lab)?.Name ?? lab);
            var definitions = TableExport.CountDefinitions.Append(Metrics.Definition(Metrics.TrendingScore)).Append(FileTexts.Get("Export.CountryDefinition", FileTexts.Translate("Term.Country", Terms.Country))).Append(FileTexts.Get("Chart.RegionDefinition", FileTexts.Translate("Term.Region", Terms.Region))).ToArray();
            return new Table<ModelItem>(lab is null ? "models" : $"lab-{lab.Replace(':', '-')}-models", title, FilterWords.Of(p, registry, FilterWords.SortLabel(p.Sort ?? Metrics.Downloads30d)),
                definitions, "attribution", total, asOf is null ? ExportFiles.InMemory(Array.Empty<ModelItem>()) : token => StreamModels(dbFactory, asOf, p, token));
        });

    private static async Task<IResult> HistoryAsync(string @namespace, string name, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, CancellationToken ct)
    {
        try
        {
            var parameters = ListParametersParser.Parse(context.Request.Query, ["at"], "at");
            var csv = ApiLists.IsCsv(context.Request.Query);
            var (from, to) = ListParametersParser.Days(context.Request.Query);
            var asOf = await PinnedRun.ResolveAsync(dbFactory, parameters.Run, ct);
            if (await ModelHistory.ItemsAsync(dbFactory, $"{@namespace}/{name}", asOf, from, to, ct) is not { } points)
            {
                return ApiLists.ModelNotFound($"{@namespace}/{name}");
            }

            return await ApiLists.AnswerAsync(context, ApiLists.Page(asOf, parameters, points, point => point.RunId), parameters, csv);
        }
        catch (ParameterException exception)
        {
            return exception.ToProblem();
        }
    }

    private static async Task<IResult> HistoryTableAsync(string @namespace, string name, string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, CancellationToken cancellationToken)
    {
        var hubId = $"{@namespace}/{name}";
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Models.AnyAsync(m => m.HubId == hubId, cancellationToken))
            {
                return ExportFiles.NotFound($"Model {hubId}");
            }
        }

        return await TableExport.AnswerAsync(context, format, ["none"], dbFactory, async (db, asOf, p) =>
        {
            var (from, to) = ListParametersParser.Days(context.Request.Query);
            var rows = await ModelHistory.ItemsAsync(dbFactory, hubId, asOf, from, to, cancellationToken) ?? [];
            return new Table<ModelHistoryItem>($"{@namespace}-{name}-history", FileTexts.Get("Export.CountsByRun", hubId), FilterWords.Range(from, to) ?? FileTexts.Get("Export.EverySucceededRun"),
                [.. TableExport.CountDefinitions, Metrics.Definition(Metrics.TrendingScore)], "downloads", rows.Count, ExportFiles.InMemory(rows))
            {
                Sources = rows.Select(row => RunSources.OfKey(row.Source)).Distinct().ToArray(),
            };
        });
    }

    private static async IAsyncEnumerable<ModelItem> StreamModels(IDbContextFactory<OpenModelWatchDb> dbFactory, AsOfRun asOf, ListParameters p, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = ModelLeaderboard.Sort(ModelLeaderboard.Rows(db, asOf.Id, p), p.Sort, p.Ascending).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return ModelLeaderboard.ToItem(row);
        }
    }
}
