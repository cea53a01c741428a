using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Exports;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Runs;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Api;

/// <summary>
/// The read API, <c>/api/v1</c>: every list answers <c>{ asOf, runId, attribution, scope, total, items }</c> from the
/// as-of run; <c>scope</c> names the denominator of its shares (all models of the run, or the census only).
/// </summary>
public static class ApiEndpoints
{
    public static IHostApplicationBuilder AddLeaderboards(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ModelLeaderboard>();
        builder.Services.AddSingleton<LabLeaderboard>();
        builder.Services.AddSingleton<CountryLeaderboard>();
        builder.Services.AddSingleton<RunList>();
        builder.Services.AddSingleton<Census.Derivatives>();
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("API");
        api.MapGet("/countries", (HttpContext context, CountryLeaderboard countries, CancellationToken ct) =>
                ListAsync(context, CountryLeaderboard.SortFields, parameters => countries.ListAsync(parameters, ct)))
            .Documented<CountryItem>("ListCountries", "Countries: each country's labs, models, downloads, likes and share of 30-day downloads")
            .WithQueryParameters(QueryParameters.List(CountryLeaderboard.SortFields));
        api.MapGet("/labs", (HttpContext context, LabLeaderboard labs, CancellationToken ct) =>
                ListAsync(context, LabLeaderboard.SortFields, parameters => labs.ListAsync(parameters, ct)))
            .Documented<LabItem>("ListLabs", "Labs: each registered lab's models, downloads, likes and share")
            .WithQueryParameters(QueryParameters.List(LabLeaderboard.SortFields), QueryParameters.Community);
        api.MapGet("/models", (HttpContext context, ModelLeaderboard models, CancellationToken ct) =>
                ListAsync(context, ModelLeaderboard.SortFields, parameters => models.ListAsync(parameters, ct)))
            .Documented<ModelItem>("ListModels", "Models: every tracked model with its counts and the lab, country and region it counts for")
            .WithQueryParameters(QueryParameters.List(ModelLeaderboard.SortFields), [QueryParameters.Q]);
        api.MapGet("/runs", (HttpContext context, RunList runs, CancellationToken ct) =>
                ListAsync(context, RunList.SortFields, parameters => runs.ListAsync(parameters, ct)))
            .Documented<RunItem>("ListRuns", "Ingestion runs, newest first")
            .WithQueryParameters([QueryParameters.Sort(RunList.SortFields), .. QueryParameters.Paging, QueryParameters.Format]);

        // History: one point per succeeded run (DESIGN.md), from the same per-run totals as the charts
        api.MapGet("/models/{namespace}/{name}/history", ModelHistoryAsync)
            .Documented<ModelHistoryItem>("ModelHistory", "A model's counts at every succeeded run that saw it, newest first (order=asc for oldest first)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithQueryParameters(QueryParameters.Window, QueryParameters.Paging, [QueryParameters.Format]);
        api.MapGet("/history/countries", CountryHistoryAsync)
            .Documented<CountryHistoryItem>("CountryHistory", "Every country's (or region's, group=region) totals at every run, newest run first")
            .WithQueryParameters(
                [QueryParameters.Metric(HistoryQueries.CountryMetrics), new QueryParameter("group", "One item per country, or per region.", Values: ["country", "region"], Default: "country")],
                QueryParameters.Window, QueryParameters.Counting, QueryParameters.Filters[..2], QueryParameters.Paging, [QueryParameters.Format]);

        // Adoption through derivatives, always by origin: whose base models the Hub's quantizations and finetunes build on
        api.MapGet("/derivatives/labs", (HttpContext context, Census.Derivatives derivatives, CancellationToken ct) =>
                ListAsync(context, Census.Derivatives.GroupSortFields, parameters => derivatives.GroupsAsync(parameters, byCountry: false, ct)))
            .Documented<Census.DerivativeGroup>("DerivativesByLab", "Derivatives (finetunes, quantizations, adapters, merges) by the lab of their origin")
            .WithQueryParameters(QueryParameters.List(Census.Derivatives.GroupSortFields));
        api.MapGet("/derivatives/countries", (HttpContext context, Census.Derivatives derivatives, CancellationToken ct) =>
                ListAsync(context, Census.Derivatives.GroupSortFields, parameters => derivatives.GroupsAsync(parameters, byCountry: true, ct)))
            .Documented<Census.DerivativeGroup>("DerivativesByCountry", "Derivatives by the country of their origin lab")
            .WithQueryParameters(QueryParameters.List(Census.Derivatives.GroupSortFields));
        api.MapGet("/derivatives/base-models", (HttpContext context, Census.Derivatives derivatives, CancellationToken ct) =>
                ListAsync(context, Census.Derivatives.BaseSortFields, parameters => derivatives.BaseModelsAsync(parameters, ct)))
            .Documented<Census.BaseModelItem>("DerivativeBaseModels", "Base models ranked by their direct derivatives in the run")
            .WithQueryParameters(QueryParameters.List(Census.Derivatives.BaseSortFields));
        api.MapGet("/derivatives/months", (HttpContext context, Census.Derivatives derivatives, CancellationToken ct) =>
                ListAsync(context, ["month"], parameters => derivatives.MonthsAsync(parameters, ct)))
            .Documented<Census.MonthItem>("DerivativeMonths", "New derivatives by creation month and origin region")
            .WithQueryParameters(QueryParameters.List(["month"]));
        api.MapGet("/models/{namespace}/{name}/family", async (string @namespace, string name, Census.Derivatives derivatives, CancellationToken ct) =>
                await derivatives.FamilyAsync($"{@namespace}/{name}", children: 20, ct) is { } family
                    ? Results.Ok(family)
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Model not found", detail: $"No model {@namespace}/{name} in the store."))
            .WithName("ModelFamily")
            .WithSummary("A model's chain of parents up to its root, and its most downloaded children")
            .Produces<Census.FamilyTree>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>A 400 <c>application/problem+json</c> whose <c>parameter</c> names what was wrong.</summary>
    public static IResult Problem(ParameterException exception) => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: $"Invalid parameter: {exception.Parameter}",
        detail: $"{exception.Parameter}: {exception.Message}",
        extensions: new Dictionary<string, object?> { ["parameter"] = exception.Parameter });

    private static async Task<IResult> ListAsync<T>(HttpContext context, IReadOnlyList<string> sortFields, Func<ListParameters, Task<ListPage<T>>> query)
    {
        ListParameters parameters;
        bool csv;
        try
        {
            parameters = ListParametersParser.Parse(context.Request.Query, sortFields, sortFields[0]);
            csv = IsCsv(context.Request.Query);
        }
        catch (ParameterException exception)
        {
            return Problem(exception);
        }

        return Answer(context, await query(parameters), parameters, csv);
    }

    private static async Task<IResult> ModelHistoryAsync(string @namespace, string name, HttpContext context, HistoryQueries history, IDbContextFactory<OpenModelWatchDb> dbFactory, CancellationToken ct)
    {
        try
        {
            var parameters = ListParametersParser.Parse(context.Request.Query, ["at"], "at");
            var csv = IsCsv(context.Request.Query);
            var (from, to) = Days(context.Request.Query);
            var asOf = await LatestAsync(dbFactory, ct);
            if (await history.ModelAsync($"{@namespace}/{name}", asOf, from, to, ct) is not { } points)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Model not found", detail: $"No model {@namespace}/{name} in the store.");
            }

            return Answer(context, Page(asOf, parameters, points, point => point.RunId), parameters, csv);
        }
        catch (ParameterException exception)
        {
            return Problem(exception);
        }
    }

    private static async Task<IResult> CountryHistoryAsync(HttpContext context, HistoryQueries history, IDbContextFactory<OpenModelWatchDb> dbFactory, CancellationToken ct)
    {
        try
        {
            var query = context.Request.Query;
            var parameters = ListParametersParser.Parse(query, ["at"], "at");
            var csv = IsCsv(query);
            var (from, to) = Days(query);
            var metric = ListParametersParser.Single(query, "metric") ?? Exports.Metrics.Downloads30d;
            if (!HistoryQueries.CountryMetrics.Contains(metric))
            {
                throw new ParameterException("metric", $"\"{Short(metric)}\" is not a metric of this list (one of {string.Join(", ", HistoryQueries.CountryMetrics)}).");
            }

            var byRegion = ListParametersParser.Single(query, "group") switch
            {
                null or "country" => false,
                "region" => true,
                var other => throw new ParameterException("group", $"\"{Short(other)}\" is not country or region."),
            };
            var asOf = await LatestAsync(dbFactory, ct);
            var items = await history.CountriesAsync(asOf, parameters, metric, byRegion, from, to, ct);
            return Answer(context, Page(asOf, parameters, items, item => item.RunId), parameters, csv);
        }
        catch (ParameterException exception)
        {
            return Problem(exception);
        }
    }

    /// <summary>The list as JSON (<see cref="ListResponse{T}"/>), or with <c>format=csv</c> its items as a bare CSV table.</summary>
    private static IResult Answer<T>(HttpContext context, ListPage<T> page, ListParameters parameters, bool csv)
    {
        if (!csv)
        {
            return Results.Ok(new ListResponse<T>(page.AsOf, page.RunId,
                parameters.Attribution == Attribution.Origin ? "origin" : "uploader",
                parameters.Scope == Scope.Census ? "census" : "all",
                page.Total,
                page.Items));
        }

        var what = "api-" + string.Join('-', (context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(2));
        var name = page.RunId is { } id ? $"openmodelwatch-{what}-run{id}.csv" : $"openmodelwatch-{what}.csv";
        return new TableResult<T>(TableFormat.Csv, info: null, page.Total, ExportFiles.InMemory(page.Items), name, attachment: false);
    }

    /// <summary>A page of history points (held whole: a few per run), newest run first unless <c>order=asc</c>; a run's points keep their order.</summary>
    private static ListPage<T> Page<T>(AsOfRun? asOf, ListParameters parameters, IReadOnlyList<T> oldestFirst, Func<T, int> runOf)
    {
        var ordered = parameters.Ascending ? oldestFirst : oldestFirst.GroupBy(runOf).Reverse().SelectMany(run => run);
        return new ListPage<T>(asOf?.At, asOf?.Id, oldestFirst.Count, ordered.Skip(parameters.Offset).Take(parameters.Limit).ToArray());
    }

    private static async Task<AsOfRun?> LatestAsync(IDbContextFactory<OpenModelWatchDb> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await AsOf.LatestAsync(db, ct);
    }

    private static bool IsCsv(IQueryCollection query) => ListParametersParser.Single(query, "format") switch
    {
        null or "json" => false,
        "csv" => true,
        var other => throw new ParameterException("format", $"\"{Short(other)}\" is not a format (json or csv)."),
    };

    private static (DateOnly? From, DateOnly? To) Days(IQueryCollection query)
    {
        var from = ListParametersParser.Date(query, "from");
        var to = ListParametersParser.Date(query, "to");
        return from > to ? throw new ParameterException("from", "is after to.") : (from, to);
    }

    private static string Short(string text) => text.Length > 40 ? text[..40] + "…" : text;

    /// <summary>Names the operation, says what it answers (JSON, or CSV with <c>format=csv</c>) and that bad parameters are 400 problems.</summary>
    private static RouteHandlerBuilder Documented<T>(this RouteHandlerBuilder builder, string name, string summary) => builder
        .WithName(name)
        .WithSummary(summary)
        .Produces<ListResponse<T>>(StatusCodes.Status200OK, "application/json", "text/csv")
        .ProducesProblem(StatusCodes.Status400BadRequest);
}

/// <summary>Every list of <c>/api/v1</c>: the run it comes from, how it counted, how many items in all, and this page's.</summary>
/// <param name="AsOf">The as-of time: when the run these numbers come from finished; null before any run succeeded.</param>
/// <param name="RunId">The run these numbers come from.</param>
/// <param name="Attribution">uploader or origin.</param>
/// <param name="Scope">all or census: the denominator of shares.</param>
/// <param name="Total">Items in the whole list.</param>
/// <param name="Items">This page's items.</param>
public sealed record ListResponse<T>(DateTime? AsOf, int? RunId, string Attribution, string Scope, int Total, IReadOnlyList<T> Items);
