using OpenModelWatch.Web.Files;

namespace OpenModelWatch.Web.Api;

/// <summary>The route groups of the chart and table files, and how their operations are described in the OpenAPI document.</summary>
public static class FileRoutes
{
    /// <summary>The group every feature maps its charts in: <c>/charts/{chart}.{png|svg|csv|json}</c>.</summary>
    public static RouteGroupBuilder MapChartGroup(this IEndpointRouteBuilder app) => app.MapGroup(ExportPaths.Charts).WithTags("Charts");

    /// <summary>The group every feature maps its table files in: <c>/exports/{grid}.{csv|json}</c>.</summary>
    public static RouteGroupBuilder MapExportGroup(this IEndpointRouteBuilder app) => app.MapGroup(ExportPaths.Exports).WithTags("Exports");

    /// <summary>A chart file's answers (an image, or its data) and parameters, with those every chart takes.</summary>
    public static RouteHandlerBuilder DocumentedChart(this RouteHandlerBuilder builder, IEnumerable<QueryParameter> parameters) => builder
        .Produces(StatusCodes.Status200OK, responseType: null, contentType: "image/png", "image/svg+xml", "text/csv", "application/json", "application/vnd.apache.parquet")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithQueryParameters(parameters, [QueryParameters.Run, .. QueryParameters.Image]);

    /// <summary>A table file's answers and parameters, with those every table takes.</summary>
    public static RouteHandlerBuilder DocumentedTable(this RouteHandlerBuilder builder, IEnumerable<QueryParameter> parameters) => builder
        .Produces(StatusCodes.Status200OK, responseType: null, contentType: "text/csv", "application/json", "application/vnd.apache.parquet")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .WithQueryParameters(parameters, [QueryParameters.Run, QueryParameters.Metadata]);
}
