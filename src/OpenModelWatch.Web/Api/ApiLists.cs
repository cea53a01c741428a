using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Api;

/// <summary>Every list of <c>/api/v1</c>: the run it comes from, how it counted, how many items in all, and this page's.</summary>
/// <param name="AsOf">The as-of time: when the run these numbers come from finished; null before any run succeeded.</param>
/// <param name="Coverage">How much of the run's 30-day downloads this way of counting attributes to a known country, 0–1.</param>
/// <param name="RunId">The run these numbers come from.</param>
/// <param name="Attribution">uploader or origin.</param>
/// <param name="Scope">all or census: the denominator of shares.</param>
/// <param name="Total">Items in the whole list.</param>
/// <param name="Items">This page's items.</param>
public sealed record ListResponse<T>(DateTime? AsOf, double? Coverage, int? RunId, string Attribution, string Scope, int Total, IReadOnlyList<T> Items);

/// <summary>
/// The read API, <c>/api/v1</c>: every list answers <c>{ asOf, coverage, runId, attribution, scope, total, items }</c> from the
/// as-of run, or with <c>format=csv</c> its items as a bare CSV table; <c>scope</c> names the denominator of its
/// shares. Each feature maps its own routes in <see cref="MapApiGroup"/> and answers through these helpers.
/// </summary>
public static class ApiLists
{
    public const string Prefix = "/api/v1";

    /// <summary>The group every feature maps its API routes in.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app) => app.MapGroup(Prefix).WithTags("API");

    /// <summary>
    /// Reads the list parameters (a 400 problem naming a bad one), runs the query and answers the page. A list that
    /// always counts one way (the derivatives, by origin) says so with <paramref name="attribution"/>: its answer names
    /// that attribution and carries that attribution's coverage.
    /// </summary>
    public static async Task<IResult> ListAsync<T>(
        HttpContext context, IReadOnlyList<string> sortFields, Func<ListParameters, Task<ListPage<T>>> query, Attribution? attribution = null)
    {
        try
        {
            var parameters = ListParametersParser.Parse(context.Request.Query, sortFields, sortFields[0]);
            parameters = attribution is { } fixedAttribution ? parameters with { Attribution = fixedAttribution } : parameters;
            var csv = IsCsv(context.Request.Query);
            return await AnswerAsync(context, await query(parameters), parameters, csv);
        }
        catch (ParameterException exception)
        {
            // A bad parameter, or a run= that names no succeeded run.
            return exception.ToProblem();
        }
    }

    /// <summary>
    /// The list as JSON (<see cref="ListResponse{T}"/>, with the coverage of its way of counting in its run), or with
    /// <c>format=csv</c> its items as a bare CSV table.
    /// </summary>
    public static async Task<IResult> AnswerAsync<T>(HttpContext context, ListPage<T> page, ListParameters parameters, bool csv)
    {
        if (!csv)
        {
            var coverage = page.RunId is { } runId
                ? await context.RequestServices.GetRequiredService<RunHistory>().CoverageAsync(runId, CountingView.Of(parameters), context.RequestAborted)
                : (double?)null;
            return Results.Ok(new ListResponse<T>(page.AsOf, coverage, page.RunId,
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
    public static ListPage<T> Page<T>(AsOfRun? asOf, ListParameters parameters, IReadOnlyList<T> oldestFirst, Func<T, int> runOf)
    {
        var ordered = parameters.Ascending ? oldestFirst : oldestFirst.GroupBy(runOf).Reverse().SelectMany(run => run);
        return new ListPage<T>(asOf?.At, asOf?.Id, oldestFirst.Count, ordered.Skip(parameters.Offset).Take(parameters.Limit).ToArray());
    }

    /// <summary><c>format</c>: json (the default) or csv.</summary>
    public static bool IsCsv(IQueryCollection query) => ListParametersParser.Single(query, "format") switch
    {
        null or "json" => false,
        "csv" => true,
        var other => throw new ParameterException("format", $"\"{ExportFiles.Short(other)}\" is not a format (json or csv)."),
    };

    /// <summary>A 404 problem for a model the store has never seen.</summary>
    public static IResult ModelNotFound(string hubId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Model not found", detail: $"No model {hubId} in the store.");

    /// <summary>Names the operation, says what it answers (JSON, or CSV with <c>format=csv</c>) and that bad parameters are 400 problems.</summary>
    public static RouteHandlerBuilder Documented<T>(this RouteHandlerBuilder builder, string name, string summary) => builder
        .WithName(name)
        .WithSummary(summary)
        .Produces<ListResponse<T>>(StatusCodes.Status200OK, "application/json", "text/csv")
        .ProducesProblem(StatusCodes.Status400BadRequest);
}
