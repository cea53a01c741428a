using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Flags;

/// <summary>
/// Endpoint metadata: the address has an adjusted view. <see cref="Answer"/> answers <c>adjusted=true</c> there (a list
/// of groups answers its groups' adjusted view); null when the address is the adjusted view itself.
/// </summary>
public sealed record AdjustedView(Func<HttpContext, Task<IResult>>? Answer);

/// <summary>
/// <c>adjusted=</c> on the API and the files. Pages show the adjusted view beside their raw figures; here an address
/// either has one (marked with <see cref="AdjustedRouteExtensions.WithAdjustedView"/>) or says so: <c>adjusted=true</c> on a list of regions,
/// countries or labs answers that list's adjusted view (raw and adjusted side by side, the same as
/// <c>/api/v1/adjusted-shares?by=…</c>), on the concentration list and table the as-of run's index raw beside
/// adjusted, and anywhere else it is a 400 naming <c>adjusted</c> with where the view is,
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
            if (view.Answer is null)
            {
                await next(context);
                return;
            }

            await (await view.Answer(context)).ExecuteAsync(context);
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
    /// <param name="answer">How <c>adjusted=true</c> is answered there; null when the address is the adjusted view itself.</param>
    public static RouteHandlerBuilder WithAdjustedView(this RouteHandlerBuilder builder, Func<HttpContext, Task<IResult>>? answer = null) =>
        builder.WithMetadata(new AdjustedView(answer));

    /// <summary>After the output cache, so an adjusted answer is cached per address and run like any other.</summary>
    public static WebApplication UseAdjustedRoutes(this WebApplication app)
    {
        app.UseMiddleware<AdjustedRoutes>();
        return app;
    }
}
