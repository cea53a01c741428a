using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.History;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Runs;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Exports;

/// <summary>
/// Every grid of the dashboard as a file: <c>/exports/{grid}.csv</c> or <c>.json</c>, with the page's own filters and
/// sort (the same query parameters as the page and the API, read by the same parser), every row rather than a page,
/// from the as-of run or the run a permalink pins (<c>run=</c>). The rows come from the queries behind the API.
/// </summary>
public static class TableExports
{
    public static IEndpointRouteBuilder MapTableExports(this IEndpointRouteBuilder app)
    {
        var exports = app.MapGroup(ExportPaths.Exports).WithTags("Exports");
        exports.MapGet("/models.{format}", ModelsAsync)
            .WithSummary("Every model of the models list, with its filters and sort")
            .Documented([.. QueryParameters.Counting, .. QueryParameters.Filters, QueryParameters.Q, QueryParameters.Sort(ModelLeaderboard.SortFields), QueryParameters.Order]);
        exports.MapGet("/labs.{format}", LabsAsync)
            .WithSummary("Every lab of the labs list, with its filters and sort")
            .Documented([.. QueryParameters.Counting, .. QueryParameters.Filters, .. QueryParameters.Community, QueryParameters.Sort(LabLeaderboard.SortFields), QueryParameters.Order]);
        exports.MapGet("/countries.{format}", CountriesAsync)
            .WithSummary("Every country of the countries list, with its filters and sort")
            .Documented([.. QueryParameters.Counting, .. QueryParameters.Filters, QueryParameters.Sort(CountryLeaderboard.SortFields), QueryParameters.Order]);
        exports.MapGet("/regions.{format}", RegionsAsync)
            .WithSummary("The regions table of the countries page: the sums of the countries list by region")
            .Documented([.. QueryParameters.Counting, .. QueryParameters.Filters]);
        exports.MapGet("/labs/{id}/models.{format}", LabModelsAsync)
            .WithSummary("Every model of one lab, with the models list's filters and sort")
            .Documented([.. QueryParameters.Counting, .. QueryParameters.Filters, QueryParameters.Q, QueryParameters.Sort(ModelLeaderboard.SortFields), QueryParameters.Order]);
        exports.MapGet("/labs/{id}/history.{format}", LabHistoryAsync)
            .WithSummary("A lab's totals and rank at every run of the window: the lab page's run-by-run table")
            .Documented([.. QueryParameters.Counting, .. QueryParameters.Window]);
        exports.MapGet("/models/{namespace}/{name}/history.{format}", ModelHistoryAsync)
            .WithSummary("A model's counts at every succeeded run that saw it")
            .Documented(QueryParameters.Window);
        exports.MapGet("/runs.{format}", RunsAsync)
            .WithSummary("Every ingestion run, newest first")
            .Documented([QueryParameters.Order]);
        return app;
    }

    private static readonly string[] _countDefinitions =
    [
        Metrics.Definition(Metrics.Downloads30d),
        Metrics.Definition(Metrics.DownloadsAllTime),
        Metrics.Definition(Metrics.Likes),
    ];

    private static Task<IResult> ModelsAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, CancellationToken cancellationToken) =>
        ModelsOfAsync(format, context, dbFactory, registry, lab: null, cancellationToken);

    private static async Task<IResult> LabModelsAsync(string id, string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, CancellationToken cancellationToken)
    {
        if (registry.ById(id) is null && CommunityLab.NamespaceOf(id) is null)
        {
            return ExportFiles.NotFound($"Lab {id}");
        }

        return await ModelsOfAsync(format, context, dbFactory, registry, id, cancellationToken);
    }

    private static Task<IResult> ModelsOfAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, string? lab, CancellationToken cancellationToken) =>
        ExportAsync(context, format, ModelLeaderboard.SortFields, dbFactory, async (db, asOf, p) =>
        {
            p = lab is null ? p : p with { Lab = lab };
            var total = asOf is null ? 0 : await ModelLeaderboard.Rows(db, asOf.Id, p).CountAsync(cancellationToken);
            var title = lab is null ? "Models" : $"Models of {registry.ById(lab)?.Name ?? lab}";
            var definitions = _countDefinitions.Append(Metrics.Definition(Metrics.TrendingScore)).Append("Country: " + Terms.Country).Append("Region: " + Terms.Region).ToArray();
            return new Table<ModelItem>(lab is null ? "models" : $"lab-{lab.Replace(':', '-')}-models", title, FilterWords.Of(p, registry, ChartQueries.SortLabel(p.Sort ?? Metrics.Downloads30d)),
                definitions, "attribution", total, asOf is null ? ExportFiles.InMemory(Array.Empty<ModelItem>()) : token => StreamModels(dbFactory, asOf, p, token));
        });

    private static Task<IResult> LabsAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, CancellationToken cancellationToken) =>
        ExportAsync(context, format, LabLeaderboard.SortFields, dbFactory, async (db, asOf, p) =>
        {
            var labs = asOf is null ? [] : LabLeaderboard.Sort(await LabLeaderboard.LabsAsync(db, asOf.Id, p, cancellationToken), p.Sort, p.Ascending).ToArray();
            return new Table<LabItem>("labs", "Labs", FilterWords.Of(p, registry, ChartQueries.SortLabel(p.Sort ?? Metrics.Downloads30d)),
                [.. _countDefinitions, Metrics.Definition(Metrics.Share), "Country: " + Terms.Country], "labs", labs.Length, ExportFiles.InMemory(labs));
        });

    private static Task<IResult> CountriesAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, CancellationToken cancellationToken) =>
        ExportAsync(context, format, CountryLeaderboard.SortFields, dbFactory, async (db, asOf, p) =>
        {
            var countries = asOf is null ? [] : CountryLeaderboard.Sort(await CountryLeaderboard.CountriesAsync(db, asOf.Id, p, cancellationToken), p.Sort, p.Ascending).ToArray();
            return new Table<CountryItem>("countries", "Countries", FilterWords.Of(p, registry, ChartQueries.SortLabel(p.Sort ?? Metrics.Downloads30d)),
                [.. _countDefinitions, Metrics.Definition(Metrics.Share), "Country: " + Terms.Country, "Region: " + Terms.Region], "labs", countries.Length, ExportFiles.InMemory(countries));
        });

    private static Task<IResult> RegionsAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, CancellationToken cancellationToken) =>
        ExportAsync(context, format, ["none"], dbFactory, async (db, asOf, p) =>
        {
            var regions = asOf is null ? [] : RegionItem.RollUp(await CountryLeaderboard.CountriesAsync(db, asOf.Id, p, cancellationToken), p.Attribution).ToArray();
            return new Table<RegionItem>("regions", "Regions", FilterWords.Of(p, registry),
                [.. _countDefinitions, Metrics.Definition(Metrics.Share), "Region: " + Terms.Region], "denominators", regions.Length, ExportFiles.InMemory(regions));
        });

    private static async Task<IResult> LabHistoryAsync(string id, string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, HistoryQueries history, CancellationToken cancellationToken)
    {
        if (registry.ById(id) is not { } lab)
        {
            return ExportFiles.NotFound($"Lab {id}");
        }

        return await ExportAsync(context, format, ["none"], dbFactory, async (db, asOf, p) =>
        {
            var (from, to) = Days(context.Request.Query);
            var rows = await history.LabAsync(lab.Id, asOf, CountingView.Of(p), from, to, LabDetailQuery.HistoryRuns, cancellationToken);
            var window = FilterWords.Range(from, to) ?? $"last {LabDetailQuery.HistoryRuns} runs at most";
            return new Table<LabHistoryItem>($"lab-{lab.Id}-history", $"{lab.Name}: totals by run", $"{FilterWords.View(p.Attribution, p.Scope)} · {window}",
                [.. _countDefinitions, Metrics.Definition(Metrics.Share), Metrics.Definition(Metrics.Rank)], "labs", rows.Count, ExportFiles.InMemory(rows));
        });
    }

    private static async Task<IResult> ModelHistoryAsync(string @namespace, string name, string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, HistoryQueries history, CancellationToken cancellationToken)
    {
        var hubId = $"{@namespace}/{name}";
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Models.AnyAsync(m => m.HubId == hubId, cancellationToken))
            {
                return ExportFiles.NotFound($"Model {hubId}");
            }
        }

        return await ExportAsync(context, format, ["none"], dbFactory, async (db, asOf, p) =>
        {
            var (from, to) = Days(context.Request.Query);
            var rows = await history.ModelAsync(hubId, asOf, from, to, cancellationToken) ?? [];
            return new Table<ModelHistoryItem>($"{@namespace}-{name}-history", $"{hubId}: counts by run", FilterWords.Range(from, to) ?? "every succeeded run that saw it",
                [.. _countDefinitions, Metrics.Definition(Metrics.TrendingScore)], "downloads", rows.Count, ExportFiles.InMemory(rows));
        });
    }

    private static Task<IResult> RunsAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, RunList runs, CancellationToken cancellationToken) =>
        ExportAsync(context, format, RunList.SortFields, dbFactory, async (db, asOf, p) =>
        {
            var page = await runs.ListAsync(p with { Limit = int.MaxValue, Offset = 0 }, cancellationToken);
            return new Table<RunItem>("runs", "Ingestion runs", p.Ascending ? "oldest first" : "newest first",
                ["Status: a run's counts are shown only once it has Succeeded; a Failed run leaves earlier data as it was."], "schedule", page.Total, ExportFiles.InMemory(page.Items));
        });

    /// <summary>A table file's answers and parameters, with those every table takes: the run it is pinned to, its metadata block.</summary>
    private static RouteHandlerBuilder Documented(this RouteHandlerBuilder builder, IEnumerable<QueryParameter> parameters) => builder
        .Produces(StatusCodes.Status200OK, responseType: null, contentType: "text/csv", "application/json")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .WithQueryParameters(parameters, [QueryParameters.Run, QueryParameters.Metadata]);

    /// <summary>What an export handler returns: the file's name, its information and its rows.</summary>
    private sealed record Table<T>(string Name, string Title, string Filters, IReadOnlyList<string> Definitions, string MethodSection, int Total, Func<CancellationToken, IAsyncEnumerable<T>> Rows);

    /// <summary>Reads the list parameters (a 400 problem naming a bad one), resolves the run, and answers the table as a file.</summary>
    private static async Task<IResult> ExportAsync<T>(
        HttpContext context, string format, IReadOnlyList<string> sortFields, IDbContextFactory<OpenModelWatchDb> dbFactory,
        Func<OpenModelWatchDb, AsOfRun?, ListParameters, Task<Table<T>>> build)
    {
        try
        {
            var tableFormat = ExportFiles.TableFormatOf(format);
            var query = context.Request.Query;
            var p = ListParametersParser.Parse(query, sortFields, sortFields[0]);
            var withBlock = Metadata(query);
            Days(query);
            var pinned = ExportRuns.Parse(query);
            await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
            var asOf = await ExportRuns.ResolveAsync(db, pinned, context.RequestAborted);
            var table = await build(db, asOf, p);
            var links = ExportLinks.For(context.Request, context.RequestServices.GetRequiredService<IOptions<ExportsOptions>>().Value);
            var info = new ExportInfo(table.Title, asOf, table.Filters, table.Definitions, links.Method(table.MethodSection), links.Permalink(asOf));
            return new TableResult<T>(tableFormat, tableFormat == TableFormat.Json || withBlock ? info : null, table.Total, table.Rows,
                ExportFiles.Name(table.Name, asOf, format), attachment: true);
        }
        catch (ParameterException exception)
        {
            return ApiEndpoints.Problem(exception);
        }
    }

    /// <summary><c>metadata=block</c> (default: the file opens with its information) or <c>none</c> (the bare table).</summary>
    private static bool Metadata(IQueryCollection query) => ListParametersParser.Single(query, "metadata") switch
    {
        null or "block" => true,
        "none" => false,
        var other => throw new ParameterException("metadata", $"\"{ExportFiles.Short(other)}\" is not block or none."),
    };

    private static (DateOnly? From, DateOnly? To) Days(IQueryCollection query)
    {
        var from = ListParametersParser.Date(query, "from");
        var to = ListParametersParser.Date(query, "to");
        return from > to ? throw new ParameterException("from", "is after to.") : (from, to);
    }

    private static async IAsyncEnumerable<ModelItem> StreamModels(IDbContextFactory<OpenModelWatchDb> dbFactory, AsOfRun asOf, ListParameters p, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = ModelLeaderboard.Sort(ModelLeaderboard.Rows(db, asOf.Id, p), p.Sort, p.Ascending).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return ModelLeaderboard.ToItem(row);
        }
    }
}
