using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Runs;

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
        var api = app.MapGroup("/api/v1");
        api.MapGet("/countries", (HttpContext context, CountryLeaderboard countries, CancellationToken ct) =>
            ListAsync(context, CountryLeaderboard.SortFields, parameters => countries.ListAsync(parameters, ct)));
        api.MapGet("/labs", (HttpContext context, LabLeaderboard labs, CancellationToken ct) =>
            ListAsync(context, LabLeaderboard.SortFields, parameters => labs.ListAsync(parameters, ct)));
        api.MapGet("/models", (HttpContext context, ModelLeaderboard models, CancellationToken ct) =>
            ListAsync(context, ModelLeaderboard.SortFields, parameters => models.ListAsync(parameters, ct)));
        api.MapGet("/runs", (HttpContext context, RunList runs, CancellationToken ct) =>
            ListAsync(context, RunList.SortFields, parameters => runs.ListAsync(parameters, ct)));

        // Adoption through derivatives, always by origin: whose base models the Hub's quantizations and finetunes build on
        api.MapGet("/derivatives/labs", (HttpContext context, Census.Derivatives derivatives, CancellationToken ct) =>
            ListAsync(context, Census.Derivatives.GroupSortFields, parameters => derivatives.GroupsAsync(parameters, byCountry: false, ct)));
        api.MapGet("/derivatives/countries", (HttpContext context, Census.Derivatives derivatives, CancellationToken ct) =>
            ListAsync(context, Census.Derivatives.GroupSortFields, parameters => derivatives.GroupsAsync(parameters, byCountry: true, ct)));
        api.MapGet("/derivatives/base-models", (HttpContext context, Census.Derivatives derivatives, CancellationToken ct) =>
            ListAsync(context, Census.Derivatives.BaseSortFields, parameters => derivatives.BaseModelsAsync(parameters, ct)));
        api.MapGet("/derivatives/months", (HttpContext context, Census.Derivatives derivatives, CancellationToken ct) =>
            ListAsync(context, ["month"], parameters => derivatives.MonthsAsync(parameters, ct)));
        api.MapGet("/models/{namespace}/{name}/family", async (string @namespace, string name, Census.Derivatives derivatives, CancellationToken ct) =>
            await derivatives.FamilyAsync($"{@namespace}/{name}", children: 20, ct) is { } family
                ? Results.Ok(family)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Model not found", detail: $"No model {@namespace}/{name} in the store."));
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
        try
        {
            parameters = ListParametersParser.Parse(context.Request.Query, sortFields, sortFields[0]);
        }
        catch (ParameterException exception)
        {
            return Problem(exception);
        }

        var page = await query(parameters);
        return Results.Ok(new
        {
            asOf = page.AsOf,
            runId = page.RunId,
            attribution = parameters.Attribution == Attribution.Origin ? "origin" : "uploader",
            scope = parameters.Scope == Scope.Census ? "census" : "all",
            total = page.Total,
            items = page.Items,
        });
    }
}
