using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Security;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Runs;

/// <summary>
/// Ingestion runs, end to end: the runs list and runs started now by the administrator (<see cref="AddRuns"/>), their
/// API routes and table file (<see cref="MapRuns"/>). Its page is <c>IngestionPage.razor</c> (<c>/ingestion</c>).
/// </summary>
public static class RunsEndpoints
{
    public static IHostApplicationBuilder AddRuns(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RunList>();
        builder.Services.AddSingleton<ManualRuns>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ManualRuns>());
        builder.Services.AddFieldDocs<RunItem>(
            "An ingestion run.",
            ("id", "The run's number."),
            ("source", "Where the run's numbers come from: hub-api (this install's runs), hub-stats (an imported whole-Hub Parquet file), radar-snapshot (the bundled August 2026 snapshot), osir-monthly (the bundled monthly history Nov 2024 – Sep 2025)."),
            ("coverage", "What the run's source covers, in words: a series that crosses sources compares like with like (see /methodology#sources)."),
            ("models", "Models the run stored (0 for a failed run, whose rows are removed)."),
            ("unknownFields", "Models the run stored with a secondary count (downloadsAllTime, likes, trendingScore) left unknown (null) because the Hub's value was missing, non-numeric, negative or implausible; their 30-day downloads are stored and counted. Not rejections."),
            ("unknownFieldReasons", "Why counts were left unknown, with counts, most frequent first, e.g. implausible downloadsAllTime: 156; negative likes: 2 (a model with two bad counts is under both); null for none."),
            ("changed", "Models whose counts differ from the previous succeeded run's, or that it did not list (new, or back): the count ranges this run stored. The store grows with this number, not with models."),
            ("removed", "Models the previous succeeded run listed and this run did not: deleted, made private or renamed on the Hub (with a smaller census, also models that left the top N). Their earlier counts stay in every earlier run."),
            ("renamed", "Of the removed models, those looked up on the Hub (the most downloaded, bounded by Census:MaxRemovedLookups) and found under a new name; the new name is counted from the run that lists it, never twice."));
        return builder;
    }

    public static IEndpointRouteBuilder MapRuns(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/runs", async (HttpContext context, ManualRuns runs, CancellationToken cancellationToken) =>
        {
            var start = await runs.StartRunAsync($"the API key from {ClientAddress.Of(context)}", cancellationToken);
            return start.RunId is { } id
                ? Results.Accepted($"/api/v1/runs/{id}", new { runId = id, status = nameof(RunStatus.Running), trigger = nameof(RunTrigger.Manual) })
                : Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "A run is already in progress", detail: start.Refusal);
        }).RequireAuthorization(AdminAccess.ApiPolicy);
        app.MapGet("/api/v1/runs/{id:int}", async (int id, IDbContextFactory<OpenModelWatchDb> dbFactory, CancellationToken cancellationToken) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Runs.AsNoTracking().Where(run => run.Id == id).Select(RunItem.Of).FirstOrDefaultAsync(cancellationToken) is { } run
                ? Results.Ok(run)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Run not found", detail: $"No run {id}.");
        });

        app.MapApiGroup().MapGet("/runs", (HttpContext context, RunList runs, CancellationToken ct) =>
                ApiLists.ListAsync(context, RunList.SortFields, parameters => runs.ListAsync(parameters, ct)))
            .Documented<RunItem>("ListRuns", "Ingestion runs, newest first")
            .WithQueryParameters([QueryParameters.Sort(RunList.SortFields), .. QueryParameters.Paging, QueryParameters.Format]);

        app.MapExportGroup().MapGet("/runs.{format}", TableAsync)
            .WithSummary("Every ingestion run, newest first")
            .DocumentedTable([QueryParameters.Order]);
        return app;
    }

    private static Task<IResult> TableAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, RunList runs, CancellationToken cancellationToken) =>
        TableExport.AnswerAsync(context, format, RunList.SortFields, dbFactory, async (db, asOf, p) =>
        {
            var page = await runs.ListAsync(p with { Limit = int.MaxValue, Offset = 0 }, cancellationToken);
            return new Table<RunItem>("runs", FileTexts.Get("Export.Runs.Title"), FileTexts.Get(p.Ascending ? "Export.Runs.OldestFirst" : "Export.Runs.NewestFirst"),
                [FileTexts.Get("Export.Runs.Status")], "schedule", page.Total, ExportFiles.InMemory(page.Items));
        });
}
