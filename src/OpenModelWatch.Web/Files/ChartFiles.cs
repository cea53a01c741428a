using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Files;

/// <summary>
/// Every chart of the dashboard as a file at a stable address: <c>/charts/{chart}.png</c> (<c>scale=2</c> for twice
/// the pixels), <c>.svg</c>, or its data as <c>.csv</c> and <c>.json</c>. The address holds the whole view, so the same
/// address gives the same chart for the same run, and its permalink (<c>run=</c>) gives it for good. Each feature maps
/// its own charts (e.g. <c>Overview/OverviewEndpoints.cs</c>) and answers through <see cref="AnswerAsync"/>.
/// </summary>
public static class ChartFiles
{
    /// <summary>Reads the size and the format (400 problems naming a bad one), builds the chart, and answers it as a file.</summary>
    public static async Task<IResult> AnswerAsync(HttpContext context, string format, Func<ExportLinks, Task<Chart?>> build, string what = "Chart")
    {
        try
        {
            var size = ImageSize.Parse(context.Request.Query);
            if (format is not ("png" or "svg" or "csv" or "json" or "parquet"))
            {
                throw new ParameterException("format", $"\"{ExportFiles.Short(format)}\" is not a chart format (png, svg, csv, json or parquet).");
            }

            var links = ExportLinks.For(context.Request, context.RequestServices.GetRequiredService<IOptions<ExportsOptions>>().Value);
            if (await build(links) is not { } built)
            {
                return ExportFiles.NotFound(what);
            }

            var chart = built.WithRunSources();

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
                ColumnBody columns => Data(tableFormat, chart, name, columns.Points().ToArray()),
                _ => throw new InvalidOperationException($"No data rows for {chart.Body.GetType().Name}."),
            };
        }
        catch (ParameterException exception)
        {
            return exception.ToProblem();
        }
    }

    private static TableResult<T> Data<T>(TableFormat format, Chart chart, string name, IReadOnlyList<T> rows) =>
        new(format, chart.Info, rows.Count, ExportFiles.InMemory(rows), name, attachment: true);

    // Shown in place (an <img>, an embed), saved under a name that says what and when.
    private static void Inline(HttpContext context, string name) =>
        context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline") { FileNameStar = name, FileName = name }.ToString();
}
