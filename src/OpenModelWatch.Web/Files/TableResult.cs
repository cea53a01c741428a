using System.Globalization;
using Microsoft.Net.Http.Headers;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Files;

/// <summary>Streams rows as a CSV or JSON file; the rows are read while the response is written, never held whole.</summary>
/// <param name="info">What travels with the file; null for the API's bare CSV.</param>
/// <param name="rows">Read once, as the file is written; their query opens its own store connection.</param>
public sealed class TableResult<T>(
    TableFormat format,
    ExportInfo? info,
    int total,
    Func<CancellationToken, IAsyncEnumerable<T>> rows,
    string fileName,
    bool attachment) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var json = TableFile.JsonOf(httpContext.RequestServices);
        response.ContentType = format switch
        {
            TableFormat.Csv => "text/csv; charset=utf-8",
            TableFormat.Parquet => "application/vnd.apache.parquet",
            _ => "application/json; charset=utf-8",
        };
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue(attachment ? "attachment" : "inline") { FileNameStar = fileName, FileName = fileName }.ToString();
        var cancellationToken = httpContext.RequestAborted;
        if (format == TableFormat.Csv)
        {
            await TableFile.WriteCsvAsync(response.Body, info, total, rows(cancellationToken), json, cancellationToken);
        }
        else if (info is not null && format == TableFormat.Parquet)
        {
            await ParquetTable.WriteAsync(response.Body, info, total, rows(cancellationToken), json, cancellationToken);
        }
        else if (info is not null)
        {
            await TableFile.WriteJsonAsync(response.Body, info, total, rows(cancellationToken), json, cancellationToken);
        }
        else
        {
            throw new InvalidOperationException("A JSON or Parquet file always carries its export information.");
        }
    }
}

/// <summary>Names and formats shared by chart and table files.</summary>
public static class ExportFiles
{
    /// <summary><c>openmodelwatch-models-20260822-2000-run13.csv</c>: what, as of when, from which run.</summary>
    public static string Name(string what, AsOfRun? run, string extension) =>
        $"openmodelwatch-{what}{(run is null ? "" : "-" + run.At.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture) + "-run" + run.Id.ToString(CultureInfo.InvariantCulture))}.{extension}";

    public static TableFormat TableFormatOf(string format) => format switch
    {
        "csv" => TableFormat.Csv,
        "json" => TableFormat.Json,
        "parquet" => TableFormat.Parquet,
        _ => throw new ParameterException("format", $"\"{Short(format)}\" is not a table format (csv, json or parquet)."),
    };

    public static string Short(string text) => text.Length > 40 ? text[..40] + "…" : text;

    /// <summary>A 404 problem for a lab or model the store does not know.</summary>
    public static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} not found", detail: $"{what} is not known to OpenModelWatch.");

    /// <summary>Rows already in memory, as the stream <see cref="TableResult{T}"/> reads.</summary>
    public static Func<CancellationToken, IAsyncEnumerable<T>> InMemory<T>(IEnumerable<T> rows) => _ => rows.ToAsyncEnumerable();
}
