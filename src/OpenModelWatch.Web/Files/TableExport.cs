using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Files;

/// <summary>What a table export handler returns: the file's name, its information and its rows.</summary>
public sealed record Table<T>(string Name, string Title, string Filters, IReadOnlyList<string> Definitions, string MethodSection, int Total, Func<CancellationToken, IAsyncEnumerable<T>> Rows)
{
    /// <summary>The sources of the runs a history spans; null for a table of the as-of run (its source).</summary>
    public IReadOnlyList<RunSource>? Sources { get; init; }
}

/// <summary>
/// Every grid of the dashboard as a file: <c>/exports/{grid}.csv</c> or <c>.json</c>, with the page's own filters and
/// sort (the same query parameters as the page and the API, read by the same parser), every row rather than a page,
/// from the as-of run or the run a permalink pins (<c>run=</c>). Each feature maps its own tables (e.g.
/// <c>Models/ModelsEndpoints.cs</c>) from the queries behind its API, and answers through <see cref="AnswerAsync"/>.
/// </summary>
public static class TableExport
{
    /// <summary>The definitions every table of counts carries.</summary>
    public static readonly IReadOnlyList<string> CountDefinitions =
    [
        Metrics.Definition(Metrics.Downloads30d),
        Metrics.Definition(Metrics.DownloadsAllTime),
        Metrics.Definition(Metrics.Likes),
    ];

    /// <summary>Reads the list parameters (a 400 problem naming a bad one), resolves the run, and answers the table as a file.</summary>
    public static async Task<IResult> AnswerAsync<T>(
        HttpContext context, string format, IReadOnlyList<string> sortFields, IDbContextFactory<OpenModelWatchDb> dbFactory,
        Func<OpenModelWatchDb, AsOfRun?, ListParameters, Task<Table<T>>> build)
    {
        try
        {
            var tableFormat = ExportFiles.TableFormatOf(format);
            var query = context.Request.Query;
            var p = ListParametersParser.Parse(query, sortFields, sortFields[0]);
            var withBlock = Metadata(query);
            ListParametersParser.Days(query);
            await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
            var asOf = await PinnedRun.ResolveAsync(db, p.Run, context.RequestAborted);
            var table = await build(db, asOf, p);
            var links = ExportLinks.For(context.Request, context.RequestServices.GetRequiredService<IOptions<ExportsOptions>>().Value);
            var info = new ExportInfo(table.Title, asOf, table.Filters, table.Definitions, links.Method(table.MethodSection), links.Permalink(asOf), table.Sources);
            return new TableResult<T>(tableFormat, tableFormat != TableFormat.Csv || withBlock ? info : null, table.Total, table.Rows,
                ExportFiles.Name(table.Name, asOf, format), attachment: true);
        }
        catch (ParameterException exception)
        {
            return exception.ToProblem();
        }
    }

    /// <summary><c>metadata=block</c> (default: the file opens with its information) or <c>none</c> (the bare table).</summary>
    private static bool Metadata(IQueryCollection query) => ListParametersParser.Single(query, "metadata") switch
    {
        null or "block" => true,
        "none" => false,
        var other => throw new ParameterException("metadata", $"\"{ExportFiles.Short(other)}\" is not block or none."),
    };
}
