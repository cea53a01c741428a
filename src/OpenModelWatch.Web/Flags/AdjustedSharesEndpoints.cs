using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Flags;

/// <summary>The adjusted view's API route, table files, chart and embed (<see cref="AdjustedShares"/>).</summary>
public static class AdjustedSharesEndpoints
{
    public const string Definition =
        "Adjusted: the group's 30-day downloads with the excess of its models flagged at this run by the inflated-count rule left out (excess = downloads − the model's usual level, the median at its other runs); the adjusted share divides by the view's downloads less all the excess. The raw figures are the Hub's, unchanged.";

    private static readonly QueryParameter _by = new("by", "What to group by: region, country or lab.", Values: ["region", "country", "lab"], Default: "region");

    public static IServiceCollection AddAdjustedShares(this IServiceCollection services)
    {
        services.AddSingleton<AdjustedShares>();
        services.AddSingleton<AdjustedCharts>();
        services.AddFieldDocs<AdjustedShareItem>(
            "A group's 30-day downloads and share at the run, raw and with the flagged models' excess left out, side by side.",
            ("key", "The group: a region, a country code (XX unknown) or a lab id (none: models of no registered lab)."),
            ("region", "The group's region."),
            ("downloads30d", "The group's 30-day downloads, as the Hub served them."),
            ("share", "Its share of the view's 30-day downloads, raw, 0–1."),
            ("flaggedModels", "Its models flagged at this run by the inflated-count rule (/api/v1/flags)."),
            ("excess", "Their downloads above their usual level, summed."),
            ("adjustedDownloads30d", "downloads30d − excess."),
            ("adjustedShare", "adjustedDownloads30d ÷ (the view's downloads − the view's excess), 0–1."));
        return services;
    }

    public static IEndpointRouteBuilder MapAdjustedShares(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup().MapGet("/adjusted-shares", (Func<HttpContext, Task<IResult>>)(context => ListAsync(context, null)))
            .Documented<AdjustedShareItem>("AdjustedShares",
                "Shares with inflated counts left out: each group's raw 30-day downloads and share beside the same without the excess of the models flagged at the run")
            .WithQueryParameters([_by], QueryParameters.List(AdjustedShares.SortFields))
            .WithAdjustedView();

        app.MapExportGroup().MapGet("/adjusted-shares.{format}", (string format, HttpContext context) => TableAsync(context, format, null))
            .WithSummary("The adjusted view as a table: raw and adjusted downloads and shares per group")
            .DocumentedTable([_by, .. QueryParameters.Counting, .. QueryParameters.Filters, QueryParameters.Sort(AdjustedShares.SortFields), QueryParameters.Order])
            .WithAdjustedView();

        app.MapChartGroup().MapGet("/adjusted-shares.{format}", (string format, HttpContext context, AdjustedCharts charts, CancellationToken ct) =>
                ChartFiles.AnswerAsync(context, format, links => charts.ChartAsync(context.Request.Query, links, ct)))
            .WithSummary($"The adjusted view as a chart: each group's 30-day downloads as one column, the flagged models' excess stacked on what is left (the first {AdjustedCharts.DefaultColumns} groups by adjusted downloads, n= up to {AdjustedCharts.MaxColumns})")
            .DocumentedChart([_by, AdjustedCharts.ColumnsParameter, .. QueryParameters.Counting, .. QueryParameters.Filters])
            .WithAdjustedView();
        app.MapEmbedGroup().MapGet("/adjusted-shares", (HttpContext context, AdjustedCharts charts, CancellationToken ct) =>
                EmbedPage.AnswerAsync(context, "adjusted-shares", links => charts.ChartAsync(context.Request.Query, links, ct)))
            .WithAdjustedView();
        return app;
    }

    /// <summary><c>by</c>: region (the default), country or lab.</summary>
    public static ShareGroup By(IQueryCollection query) => ListParametersParser.Single(query, "by") switch
    {
        null or "region" => ShareGroup.Region,
        "country" => ShareGroup.Country,
        "lab" => ShareGroup.Lab,
        var other => throw new ParameterException("by", $"\"{ExportFiles.Short(other)}\" is not a grouping (region, country or lab)."),
    };

    /// <summary>How a list of groups answers <c>adjusted=true</c>: the adjusted view of those groups.</summary>
    public static Func<HttpContext, Task<IResult>> List(ShareGroup by) => context => ListAsync(context, by);

    /// <summary>How a table file of groups answers <c>adjusted=true</c>: the adjusted view's table of those groups, in the address's format.</summary>
    public static Func<HttpContext, Task<IResult>> Table(ShareGroup by) => context => TableAsync(context, context.Request.RouteValues["format"] as string ?? "", by);

    /// <summary>The adjusted view as an API list, grouped by <paramref name="by"/> or, when null, by the address's <c>by=</c>.</summary>
    public static async Task<IResult> ListAsync(HttpContext context, ShareGroup? by)
    {
        var services = context.RequestServices;
        var ct = context.RequestAborted;
        try
        {
            var query = context.Request.Query;
            var parameters = ListParametersParser.Parse(query, AdjustedShares.SortFields, AdjustedShares.SortFields[0]);
            var group = by ?? By(query);
            var csv = ApiLists.IsCsv(query);
            var asOf = await PinnedRun.ResolveAsync(services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>(), parameters.Run, ct);
            var items = asOf is null ? [] : await services.GetRequiredService<AdjustedShares>().SortedAsync(asOf, parameters, group, ct);
            var page = new ListPage<AdjustedShareItem>(asOf?.At, asOf?.Id, items.Count, items.Skip(parameters.Offset).Take(parameters.Limit).ToArray());
            return await ApiLists.AnswerAsync(context, page, parameters, csv);
        }
        catch (ParameterException exception)
        {
            return exception.ToProblem();
        }
    }

    /// <summary>The adjusted view as a table file, grouped by <paramref name="by"/> or, when null, by the address's <c>by=</c>.</summary>
    public static Task<IResult> TableAsync(HttpContext context, string format, ShareGroup? by)
    {
        var services = context.RequestServices;
        var shares = services.GetRequiredService<AdjustedShares>();
        var registry = services.GetRequiredService<LabRegistry>();
        return TableExport.AnswerAsync(context, format, AdjustedShares.SortFields, services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>(), async (_, asOf, p) =>
        {
            var group = by ?? By(context.Request.Query);
            var items = asOf is null ? [] : await shares.SortedAsync(asOf, p, group, context.RequestAborted);
            return new Table<AdjustedShareItem>("adjusted-shares", FileTexts.Get("Export.Adjusted.Title." + group),
                FilterWords.Of(p, registry), [FileTexts.Translate("Export.Adjusted.Definition", Definition), Metrics.Definition(Metrics.Downloads30d)], "flags", items.Count, ExportFiles.InMemory(items));
        });
    }
}
