using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Derivatives;

/// <summary>
/// Adoption through derivatives, end to end: the query (<see cref="AddDerivatives"/>) and its API routes
/// (<see cref="MapDerivatives"/>), always by origin: whose base models the Hub's quantizations and finetunes build
/// on. Its page is <c>DerivativesPage.razor</c>; the family tree of a model page is <c>FamilyTreePanel.razor</c>.
/// </summary>
public static class DerivativesEndpoints
{
    public static IHostApplicationBuilder AddDerivatives(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DerivativesQuery>();
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
                    return new Table<DerivativeGroup>("derivatives", "Derivatives by the lab of their origin", "by origin (always, on this table)",
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
        api.MapGet("/releases/months", (HttpContext context, DerivativesQuery derivatives, CancellationToken ct) =>
                ApiLists.ListAsync(context, ["month"], parameters => derivatives.ReleasesAsync(parameters, ct)))
            .Documented<ReleaseMonthItem>("ReleaseMonths", "Release activity: models registered labs uploaded, by creation month and the lab's region")
            .WithQueryParameters(QueryParameters.List(["month"]));
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
}
