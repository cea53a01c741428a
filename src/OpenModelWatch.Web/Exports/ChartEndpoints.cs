using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OpenModelWatch.Web.Api;

namespace OpenModelWatch.Web.Exports;

/// <summary>
/// Every chart of the dashboard as a file at a stable address: <c>/charts/{chart}.png</c> (<c>scale=2</c> for twice
/// the pixels), <c>.svg</c>, or its data as <c>.csv</c> and <c>.json</c>. The address holds the whole view, so the same
/// address gives the same chart for the same run, and its permalink (<c>run=</c>) gives it for good.
/// </summary>
public static class ChartEndpoints
{
    public static IEndpointRouteBuilder MapCharts(this IEndpointRouteBuilder app)
    {
        var charts = app.MapGroup(ExportPaths.Charts).WithTags("Charts");
        charts.MapGet("/region-share.{format}", (string format, HttpContext context, ChartQueries charts, CancellationToken ct) =>
                ChartAsync(context, format, links => charts.RegionShareAsync(context.Request.Query, links, ct)))
            .WithSummary("Each region's share of a metric at every run (the overview's chart)")
            .Documented([QueryParameters.Metric(ChartQueries.ShareMetrics), .. QueryParameters.Window, .. QueryParameters.Counting]);
        charts.MapGet("/top-models.{format}", (string format, HttpContext context, ChartQueries charts, CancellationToken ct) =>
                ChartAsync(context, format, links => charts.TopModelsAsync(context.Request.Query, links, ct)))
            .WithSummary("The first models of the models list, with its filters and sort, coloured by region (the models page's chart)")
            .Documented([QueryParameters.TopN, QueryParameters.Sort(Models.ModelLeaderboard.SortFields), QueryParameters.Order, .. QueryParameters.Counting, .. QueryParameters.Filters, QueryParameters.Q]);
        charts.MapGet("/country-comparison.{format}", (string format, HttpContext context, ChartQueries charts, CancellationToken ct) =>
                ChartAsync(context, format, links => charts.CountryComparisonAsync(context.Request.Query, links, ct)))
            .WithSummary("Two regions or countries over the runs (the countries page's chart)")
            .Documented([.. QueryParameters.Sides, QueryParameters.Metric(ChartQueries.CompareMetrics), .. QueryParameters.Window, .. QueryParameters.Counting]);
        charts.MapGet("/labs/{id}/history.{format}", (string id, string format, HttpContext context, ChartQueries charts, CancellationToken ct) =>
                ChartAsync(context, format, links => charts.LabHistoryAsync(id, context.Request.Query, links, ct), $"Lab {id}"))
            .WithSummary("A lab's totals, share or rank at every run (the lab page's chart)")
            .Documented([QueryParameters.Metric(ChartQueries.LabMetrics), .. QueryParameters.Window, .. QueryParameters.Counting, .. QueryParameters.Community]);
        charts.MapGet("/models/{namespace}/{name}/history.{format}", (string @namespace, string name, string format, HttpContext context, ChartQueries charts, CancellationToken ct) =>
                ChartAsync(context, format, links => charts.ModelHistoryAsync($"{@namespace}/{name}", context.Request.Query, links, ct), $"Model {@namespace}/{name}"))
            .WithSummary("A model's counts at every run that saw it (the model page's chart)")
            .Documented([QueryParameters.Metric(ChartQueries.ModelMetrics), .. QueryParameters.Window]);
        return app;
    }

    /// <summary>A chart file's answers (an image, or its data) and parameters, with those every chart takes.</summary>
    private static RouteHandlerBuilder Documented(this RouteHandlerBuilder builder, IEnumerable<QueryParameter> parameters) => builder
        .Produces(StatusCodes.Status200OK, responseType: null, contentType: "image/png", "image/svg+xml", "text/csv", "application/json")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithQueryParameters(parameters, [QueryParameters.Run, .. QueryParameters.Image]);

    /// <summary>Reads the size and the format (400 problems naming a bad one), builds the chart, and answers it as a file.</summary>
    public static async Task<IResult> ChartAsync(HttpContext context, string format, Func<ExportLinks, Task<Chart?>> build, string what = "Chart")
    {
        try
        {
            var size = ImageSize.Parse(context.Request.Query);
            if (format is not ("png" or "svg" or "csv" or "json"))
            {
                throw new ParameterException("format", $"\"{ExportFiles.Short(format)}\" is not a chart format (png, svg, csv or json).");
            }

            var links = ExportLinks.For(context.Request, context.RequestServices.GetRequiredService<IOptions<ExportsOptions>>().Value);
            if (await build(links) is not { } chart)
            {
                return ExportFiles.NotFound(what);
            }

            var name = ExportFiles.Name(chart.Name, chart.Info.AsOf, format);
            switch (format)
            {
                case "png":
                    Inline(context, name);
                    return Results.Bytes(ChartRenderer.Png(chart, size), "image/png");
                case "svg":
                    Inline(context, name);
                    return Results.Bytes(ChartRenderer.Svg(chart, size), "image/svg+xml");
            }

            var tableFormat = ExportFiles.TableFormatOf(format);
            return chart.Body switch
            {
                LineBody line => Data(tableFormat, chart, name, line.Points().ToArray()),
                BarBody bars => Data(tableFormat, chart, name, bars.Bars),
                _ => throw new InvalidOperationException($"No data rows for {chart.Body.GetType().Name}."),
            };
        }
        catch (ParameterException exception)
        {
            return ApiEndpoints.Problem(exception);
        }
    }

    private static TableResult<T> Data<T>(TableFormat format, Chart chart, string name, IReadOnlyList<T> rows) =>
        new(format, chart.Info, rows.Count, ExportFiles.InMemory(rows), name, attachment: true);

    // Shown in place (an <img>, an embed), saved under a name that says what and when.
    private static void Inline(HttpContext context, string name) =>
        context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline") { FileNameStar = name, FileName = name }.ToString();
}
