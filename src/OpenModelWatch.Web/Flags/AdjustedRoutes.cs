using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Flags;

/// <summary>How an address of the API or the files answers <c>adjusted=true</c>.</summary>
public enum AdjustedAnswer
{
    /// <summary>The address is the adjusted view already (<c>/api/v1/adjusted-shares</c>, its table, chart and embed).</summary>
    Itself,

    /// <summary>A list of groups (<c>/api/v1/countries</c>, <c>/api/v1/labs</c>): answered with the adjusted view of those groups.</summary>
    List,

    /// <summary>A table file of groups (<c>/exports/countries</c>, <c>labs</c>, <c>regions</c>): the adjusted view's table of those groups.</summary>
    Table,
}

/// <summary>Endpoint metadata: the address has an adjusted view, grouped by <see cref="By"/> (null: by its own <c>by=</c>).</summary>
public sealed record AdjustedView(AdjustedAnswer Answer, ShareGroup? By);

/// <summary>
/// <c>adjusted=</c> on the API and the files. Pages show the adjusted view beside their raw figures; here an address
/// either has one (marked with <see cref="AdjustedRouteExtensions.WithAdjustedView"/>) or says so: <c>adjusted=true</c> on a list of regions,
/// countries or labs answers that list's adjusted view (raw and adjusted side by side, the same as
/// <c>/api/v1/adjusted-shares?by=…</c>), and anywhere else it is a 400 naming <c>adjusted</c> with where the view is,
/// never the raw answer passed off as adjusted. <c>adjusted=false</c> is the raw answer everywhere.
/// </summary>
public sealed class AdjustedRoutes(RequestDelegate next)
{
    public const string QueryKey = "adjusted";

    /// <summary>The parameter as the OpenAPI document describes it on the addresses that have the view.</summary>
    public static readonly QueryParameter Parameter = new(QueryKey,
        "true answers the adjusted view of the same groups: each group's raw 30-day downloads and share beside the same with the excess of the models flagged at the run left out (the items of /api/v1/adjusted-shares). See /methodology#adjusted.",
        Values: ["false", "true"], Default: "false");

    public async Task InvokeAsync(HttpContext context)
    {
        if (!ExportPaths.TakesParameters(context.Request.Path) || !context.Request.Query.ContainsKey(QueryKey))
        {
            await next(context);
            return;
        }

        try
        {
            if (!ListParametersParser.Adjusted(context.Request.Query))
            {
                await next(context);
                return;
            }

            var view = context.GetEndpoint()?.Metadata.GetMetadata<AdjustedView>()
                ?? throw new ParameterException(QueryKey,
                    "This address has no adjusted view. It is at /api/v1/adjusted-shares?by=region|country|lab, on /api/v1/countries and /api/v1/labs and their exports with adjusted=true, at /charts/adjusted-shares, and on the dashboard's pages.");
            var answer = view.Answer switch
            {
                AdjustedAnswer.List => await AdjustedSharesEndpoints.ListAsync(context, view.By),
                AdjustedAnswer.Table => await AdjustedSharesEndpoints.TableAsync(context, context.Request.RouteValues["format"] as string ?? "", view.By),
                _ => null,
            };
            if (answer is null)
            {
                await next(context);
                return;
            }

            await answer.ExecuteAsync(context);
        }
        catch (ParameterException exception)
        {
            await exception.ToProblem().ExecuteAsync(context);
        }
    }
}

public static class AdjustedRouteExtensions
{
    /// <summary>Marks an address as having an adjusted view (see <see cref="AdjustedRoutes"/>).</summary>
    public static RouteHandlerBuilder WithAdjustedView(this RouteHandlerBuilder builder, AdjustedAnswer answer, ShareGroup? by = null) =>
        builder.WithMetadata(new AdjustedView(answer, by));

    /// <summary>After the output cache, so an adjusted answer is cached per address and run like any other.</summary>
    public static WebApplication UseAdjustedRoutes(this WebApplication app)
    {
        app.UseMiddleware<AdjustedRoutes>();
        return app;
    }
}
