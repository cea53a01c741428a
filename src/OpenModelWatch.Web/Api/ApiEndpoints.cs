using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Runs;

namespace OpenModelWatch.Web.Api;

/// <summary>The read API, <c>/api/v1</c>: every list answers <c>{ asOf, runId, total, items }</c> from the as-of run.</summary>
public static class ApiEndpoints
{
    public static IHostApplicationBuilder AddLeaderboards(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ModelLeaderboard>();
        builder.Services.AddSingleton<LabLeaderboard>();
        builder.Services.AddSingleton<CountryLeaderboard>();
        builder.Services.AddSingleton<RunList>();
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
            if (parameters.Attribution == Attribution.Origin)
            {
                throw new ParameterException("attribution", "origin attribution needs lineage resolution, which this version does not have yet; use uploader.");
            }
        }
        catch (ParameterException exception)
        {
            return Problem(exception);
        }

        var page = await query(parameters);
        return Results.Ok(new { asOf = page.AsOf, runId = page.RunId, total = page.Total, items = page.Items });
    }
}
