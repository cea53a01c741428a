using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Derivatives;

/// <summary>
/// Adoption through derivatives, end to end: the query (<see cref="AddDerivatives"/>) and its API routes
/// (<see cref="MapDerivatives"/>), always by origin: whose base models the Hub's quantizations and finetunes build
/// on. Its page is <c>DerivativesPage.razor</c>; the family tree of a model page is <c>FamilyTreePanel.razor</c>.
/// </summary>
public static class DerivativesEndpoints
{
    /// <summary>The most months the release chart shows (the newest), on the page and in its files.</summary>
    public const int ReleaseMonths = 24;

    public const string ReleaseDefinition =
        "Release activity: the models the registered labs of each region uploaded in a month (by creation date, UTC), their own quantizations and finetunes included; only models still on the Hub at the run are counted.";

    public const string MonthDefinition =
        "New derivatives per month: the derivatives created in a month (UTC) by the region of their origin lab, as shares of the month's new derivatives; only derivatives still on the Hub at the run are counted.";

    public static IHostApplicationBuilder AddDerivatives(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DerivativesQuery>();
        builder.Services.AddSingleton<ReleaseCharts>();
        builder.Services.AddSingleton<DerivativeMonthCharts>();
        builder.Services.AddFieldDocs<BaseModelItem>(null,
            ("id", "The base model's Hub id."),
            ("derivatives", "Models in the run that name it as their first parent."),
            ("downloads30d", "The 30-day downloads of those derivatives."));
        builder.Services.AddFieldDocs<ReleaseMonthItem>(
            "Models registered labs uploaded in one month (by creation date, UTC), by the lab's region.",
            ("month", "The creation month, yyyy-MM (UTC)."),
            ("region", "The uploading lab's region."),
            ("models", "Models of the region's registered labs created that month and still on the Hub at the run."),
            ("originals", "Of those, models that declare no parent (not a quantization, finetune, adapter or merge)."),
            ("share", "The region's share of the month's models from registered labs, 0–1."));
        builder.Services.AddFieldDocs<FamilyTree>(null,
            ("id", "The model's Hub id."),
            ("origin", "The raw root of its lineage: the last first parent followed (declared, or a curated fix); null on a loop."),
            ("originLab", "The lab it counts for by origin: the registered link of its lineage closest to the root, the model itself included; null (Unknown) when none is registered or the lineage loops."));
        builder.Services.AddFieldDocs<FamilyMember>(null,
            ("id", "The Hub id of a relative."),
            ("relation", "How the model above derives from this one, or this one from the model: finetune, quantized, adapter or merge (mirror or derived for a curated fix)."),
            ("fix", "The evidence URL when this link comes from the curated lineage fixes (seeds/lineage.json), not the Hub's base_model: tags; else null."));
        return builder;
    }

    public static IEndpointRouteBuilder MapDerivatives(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();
        api.MapGet("/derivatives/labs", (HttpContext context, DerivativesQuery derivatives, CancellationToken ct) =>
                ApiLists.ListAsync(context, DerivativesQuery.GroupSortFields, parameters => derivatives.GroupsAsync(parameters, byCountry: false, ct), Attribution.Origin))
            .Documented<DerivativeGroup>("DerivativesByLab", "Derivatives (finetunes, quantizations, adapters, merges) by the lab of their origin")
            .WithQueryParameters(QueryParameters.List(DerivativesQuery.GroupSortFields));
        app.MapExportGroup().MapGet("/derivatives.{format}", (string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, DerivativesQuery derivatives, CancellationToken ct) =>
                TableExport.AnswerAsync(context, format, DerivativesQuery.GroupSortFields, dbFactory, async (db, asOf, p) =>
                {
                    // Every lab of the page's table (its order), not only the first page of it.
                    var groups = await derivatives.GroupsAsync(p with { Limit = ListParameters.MaxLimit, Offset = 0 }, byCountry: false, ct);
                    return new Table<DerivativeGroup>("derivatives", FileTexts.Get("Export.Derivatives.Title"), FileTexts.Get("Export.Derivatives.Filters"),
                        ["Derivative: " + Terms.Derivative, Metrics.Definition(Metrics.Downloads30d)], "attribution", groups.Total, ExportFiles.InMemory(groups.Items));
                }))
            .WithSummary("Derivatives (finetunes, quantizations, adapters, merges) by the lab of their origin: the derivatives page's table")
            .DocumentedTable([QueryParameters.Sort(DerivativesQuery.GroupSortFields), QueryParameters.Order]);
        api.MapGet("/derivatives/countries", (HttpContext context, DerivativesQuery derivatives, CancellationToken ct) =>
                ApiLists.ListAsync(context, DerivativesQuery.GroupSortFields, parameters => derivatives.GroupsAsync(parameters, byCountry: true, ct), Attribution.Origin))
            .Documented<DerivativeGroup>("DerivativesByCountry", "Derivatives by the country of their origin lab")
            .WithQueryParameters(QueryParameters.List(DerivativesQuery.GroupSortFields));
        api.MapGet("/derivatives/base-models", (HttpContext context, DerivativesQuery derivatives, CancellationToken ct) =>
                ApiLists.ListAsync(context, DerivativesQuery.BaseSortFields, parameters => derivatives.BaseModelsAsync(parameters, ct), Attribution.Origin))
            .Documented<BaseModelItem>("DerivativeBaseModels", "Base models ranked by their direct derivatives in the run")
            .WithQueryParameters(QueryParameters.List(DerivativesQuery.BaseSortFields));
        api.MapGet("/derivatives/months", (HttpContext context, DerivativesQuery derivatives, CancellationToken ct) =>
                ApiLists.ListAsync(context, ["month"], parameters => derivatives.MonthsAsync(parameters, ct), Attribution.Origin))
            .Documented<MonthItem>("DerivativeMonths", "New derivatives by creation month and origin region")
            .WithQueryParameters(QueryParameters.List(["month"]));
        // New derivatives per month as files: the derivatives page's chart beside the release chart, and its embed.
        app.MapChartGroup().MapGet("/derivatives.{format}", (string format, HttpContext context, DerivativeMonthCharts charts, CancellationToken ct) =>
                ChartFiles.AnswerAsync(context, format, links => charts.ChartAsync(context.Request.Query, links, ct)))
            .WithSummary($"New derivatives per month (the last {ReleaseMonths}) by the region of their origin, as shares of each month (the derivatives page's chart)")
            .DocumentedChart([.. QueryParameters.Filters]);
        app.MapEmbedGroup().MapGet("/derivatives", (HttpContext context, DerivativeMonthCharts charts, CancellationToken ct) =>
            EmbedPage.AnswerAsync(context, "derivatives", links => charts.ChartAsync(context.Request.Query, links, ct)));
        api.MapGet("/releases/months", (HttpContext context, DerivativesQuery derivatives, CancellationToken ct) =>
                ApiLists.ListAsync(context, ["month"], parameters => derivatives.ReleasesAsync(parameters, ct)))
            .Documented<ReleaseMonthItem>("ReleaseMonths", "Release activity: models registered labs uploaded, by creation month and the lab's region")
            .WithQueryParameters(QueryParameters.List(["month"]));

        // Release activity as files: the derivatives page's release chart, its embed and its table (the page's sort is accepted and has no effect).
        IEnumerable<QueryParameter> releaseView = [QueryParameters.Counting[1], .. QueryParameters.Filters];
        app.MapChartGroup().MapGet("/releases.{format}", (string format, HttpContext context, ReleaseCharts charts, CancellationToken ct) =>
                ChartFiles.AnswerAsync(context, format, links => charts.ChartAsync(context.Request.Query, links, ct)))
            .WithSummary($"Release activity: new models from registered labs per month (the last {ReleaseMonths}), stacked by region (the derivatives page's release chart)")
            .DocumentedChart(releaseView);
        app.MapEmbedGroup().MapGet("/releases", (HttpContext context, ReleaseCharts charts, CancellationToken ct) =>
            EmbedPage.AnswerAsync(context, "releases", links => charts.ChartAsync(context.Request.Query, links, ct)));
        app.MapExportGroup().MapGet("/releases.{format}", (string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, DerivativesQuery derivatives, LabRegistry registry, CancellationToken ct) =>
                TableExport.AnswerAsync(context, format, DerivativesQuery.BaseSortFields, dbFactory, async (_, asOf, p) =>
                {
                    var rows = asOf is null ? [] : (await derivatives.ReleasesAsync(Whole(p, asOf), ct)).Items;
                    return new Table<ReleaseMonthItem>("releases", FileTexts.Get("Export.Releases.Title"),
                        FilterWords.Of(p with { Attribution = Attribution.Uploader }, registry), [FileTexts.Translate("Export.Releases.Definition", ReleaseDefinition)], "releases", rows.Count, ExportFiles.InMemory(rows));
                }))
            .WithSummary("Release activity: every month and region, with models, originals and shares")
            .DocumentedTable(releaseView);
        api.MapGet("/models/{namespace}/{name}/family", async (string @namespace, string name, DerivativesQuery derivatives, CancellationToken ct) =>
                await derivatives.FamilyAsync($"{@namespace}/{name}", children: 20, ct) is { } family
                    ? Results.Ok(family)
                    : ApiLists.ModelNotFound($"{@namespace}/{name}"))
            .WithName("ModelFamily")
            .WithSummary("A model's chain of parents up to its root, and its most downloaded children")
            .Produces<FamilyTree>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>Every month of a view, pinned to its run: the release chart and table read the whole list.</summary>
    public static ListParameters Whole(ListParameters parameters, AsOfRun asOf) =>
        parameters with { Limit = ListParameters.MaxLimit, Offset = 0, Run = asOf.Id };
}

/// <summary>The release chart of the derivatives page as a file: the newest months, one column each, stacked by region.</summary>
public sealed class ReleaseCharts(IDbContextFactory<OpenModelWatchDb> dbFactory, DerivativesQuery derivatives, LabRegistry registry)
{
    public async Task<Chart?> ChartAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, ["models"], DerivativesQuery.BaseSortFields);
        var asOf = await PinnedRun.ResolveAsync(dbFactory, p.Run, cancellationToken);
        var items = asOf is null ? [] : (await derivatives.ReleasesAsync(DerivativesEndpoints.Whole(p.Parameters, asOf), cancellationToken)).Items;
        var months = Months(items.Select(item => item.Month));
        var series = Attribution.Uploader.Regions().Where(region => items.Any(item => item.Region == region))
            .Select(region => new ColumnSeries(region,
                months.Select(month => (double)items.Where(item => item.Month == month && item.Region == region).Sum(item => item.Models)).ToArray(),
                RegionColors.Of(region),
                FileTexts.Region(region)))
            .ToArray();
        var filters = FilterWords.Of(p.Parameters with { Attribution = Attribution.Uploader }, registry) + " · " + FileTexts.Get("Chart.Releases.LastMonths", DerivativesEndpoints.ReleaseMonths);
        var info = ExportInfo.For(FileTexts.Get("Chart.Releases.Title"), asOf, filters, [FileTexts.Translate("Export.Releases.Definition", DerivativesEndpoints.ReleaseDefinition)], links, "releases");
        var page = "/derivatives" + QueryString.Create(ListUrl.ToPairs(p.Parameters with { Sort = DerivativesPage.DefaultSort }, DerivativesPage.DefaultSort)).Value;
        return new Chart("releases", info, new ColumnBody(months, series, FileTexts.Get("Chart.Releases.MonthAxis"), FileTexts.Get("Chart.Releases.ValueAxis"), ValueFormat.Count), page);
    }

    /// <summary>Every month (yyyy-MM) from the first with a release to the last, gaps included, the newest <see cref="DerivativesEndpoints.ReleaseMonths"/> at most.</summary>
    public static string[] Months(IEnumerable<string> withReleases)
    {
        var known = withReleases.Select(month => DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (known.Length == 0)
        {
            return [];
        }

        var last = known.Max();
        var first = new[] { known.Min(), last.AddMonths(1 - DerivativesEndpoints.ReleaseMonths) }.Max();
        var months = new List<string>();
        for (var month = first; month <= last; month = month.AddMonths(1))
        {
            months.Add(month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
        }

        return [.. months];
    }
}

/// <summary>
/// The derivatives page's chart of new derivatives per month as a file: the newest months, one column each, stacked by
/// the origin's region as shares of the month (each column adds up to 100%, as on the page).
/// </summary>
public sealed class DerivativeMonthCharts(IDbContextFactory<OpenModelWatchDb> dbFactory, DerivativesQuery derivatives, LabRegistry registry)
{
    public async Task<Chart?> ChartAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, ["share"], DerivativesQuery.BaseSortFields);
        var asOf = await PinnedRun.ResolveAsync(dbFactory, p.Run, cancellationToken);
        var items = asOf is null ? [] : (await derivatives.MonthsAsync(DerivativesEndpoints.Whole(p.Parameters, asOf), cancellationToken)).Items;
        var months = ReleaseCharts.Months(items.Select(item => item.Month));
        var series = Attribution.Origin.Regions().Where(region => items.Any(item => item.Region == region))
            .Select(region => new ColumnSeries(region,
                months.Select(month => items.Where(item => item.Month == month && item.Region == region).Sum(item => item.Share) * 100).ToArray(),
                RegionColors.Of(region),
                FileTexts.Region(region)))
            .ToArray();
        var filters = FilterWords.Of(p.Parameters with { Attribution = Attribution.Origin }, registry) + " · " + FileTexts.Get("Chart.Releases.LastMonths", DerivativesEndpoints.ReleaseMonths);
        var info = ExportInfo.For(FileTexts.Get("Chart.DerivativeMonths.Title"), asOf, filters,
            [FileTexts.Translate("Chart.DerivativeMonths.Definition", DerivativesEndpoints.MonthDefinition)], links, "attribution");
        var page = "/derivatives" + QueryString.Create(ListUrl.ToPairs(p.Parameters with { Sort = DerivativesPage.DefaultSort }, DerivativesPage.DefaultSort)).Value;
        return new Chart("derivatives", info, new ColumnBody(months, series, FileTexts.Get("Chart.Releases.MonthAxis"), FileTexts.Get("Chart.DerivativeMonths.ValueAxis"), ValueFormat.Percent), page);
    }
}
