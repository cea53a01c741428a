using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Flags;

/// <summary>The adjusted view's API route and table files (<see cref="AdjustedShares"/>).</summary>
public static class AdjustedSharesEndpoints
{
    public const string Definition =
        "Adjusted: the group's 30-day downloads with the excess of its models flagged at this run by the inflated-count rule left out (excess = downloads − the model's usual level, the median at its other runs); the adjusted share divides by the view's downloads less all the excess. The raw figures are the Hub's, unchanged.";

    private static readonly QueryParameter _by = new("by", "What to group by: region, country or lab.", Values: ["region", "country", "lab"], Default: "region");

    public static IServiceCollection AddAdjustedShares(this IServiceCollection services)
    {
        services.AddSingleton<AdjustedShares>();
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
        app.MapApiGroup().MapGet("/adjusted-shares", ListAsync)
            .Documented<AdjustedShareItem>("AdjustedShares",
                "Shares with inflated counts left out: each group's raw 30-day downloads and share beside the same without the excess of the models flagged at the run")
            .WithQueryParameters([_by], QueryParameters.List(AdjustedShares.SortFields));

        app.MapExportGroup().MapGet("/adjusted-shares.{format}", TableAsync)
            .WithSummary("The adjusted view as a table: raw and adjusted downloads and shares per group")
            .DocumentedTable([_by, .. QueryParameters.Counting, .. QueryParameters.Filters, QueryParameters.Sort(AdjustedShares.SortFields), QueryParameters.Order]);
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

    private static async Task<IResult> ListAsync(HttpContext context, AdjustedShares shares, IDbContextFactory<OpenModelWatchDb> dbFactory, CancellationToken ct)
    {
        try
        {
            var query = context.Request.Query;
            var parameters = ListParametersParser.Parse(query, AdjustedShares.SortFields, AdjustedShares.SortFields[0]);
            var by = By(query);
            var csv = ApiLists.IsCsv(query);
            var asOf = await PinnedRun.ResolveAsync(dbFactory, parameters.Run, ct);
            var items = asOf is null ? [] : AdjustedShares.Sort(await shares.ItemsAsync(asOf, parameters, by, ct), parameters.Sort, parameters.Ascending).ToArray();
            var page = new ListPage<AdjustedShareItem>(asOf?.At, asOf?.Id, items.Length, items.Skip(parameters.Offset).Take(parameters.Limit).ToArray());
            return await ApiLists.AnswerAsync(context, page, parameters, csv);
        }
        catch (ParameterException exception)
        {
            return exception.ToProblem();
        }
    }

    private static Task<IResult> TableAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, AdjustedShares shares, LabRegistry registry, CancellationToken cancellationToken) =>
        TableExport.AnswerAsync(context, format, AdjustedShares.SortFields, dbFactory, async (db, asOf, p) =>
        {
            var by = By(context.Request.Query);
            var items = asOf is null ? [] : AdjustedShares.Sort(await shares.ItemsAsync(asOf, p, by, cancellationToken), p.Sort, p.Ascending).ToArray();
            return new Table<AdjustedShareItem>("adjusted-shares", $"Shares by {by.ToString().ToLowerInvariant()}, raw and with inflated counts left out",
                FilterWords.Of(p, registry), [Definition, Metrics.Definition(Metrics.Downloads30d)], "flags", items.Length, ExportFiles.InMemory(items));
        });
}
