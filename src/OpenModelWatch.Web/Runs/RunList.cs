using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Runs;

/// <summary>An item of <c>GET /api/v1/runs</c>.</summary>
public sealed record RunItem(
    int Id,
    DateTime StartedAt,
    DateTime? FinishedAt,
    string Status,
    string Trigger,
    int Models,
    int Namespaces,
    long Requests,
    long Retries,
    long Throttled,
    long Bytes,
    int Rejected,
    int Duplicates,
    string? RejectedReasons,
    int CensusModels,
    int ParentLookups,
    int LineageCycles,
    int MissingParents,
    string? Error);

public sealed class RunList(IDbContextFactory<OpenModelWatchDb> dbFactory)
{
    public static readonly IReadOnlyList<string> SortFields = ["startedAt"];

    /// <summary>Runs, newest first.</summary>
    public async Task<ListPage<RunItem>> ListAsync(ListParameters parameters, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await AsOf.LatestAsync(db, cancellationToken);
        var runs = db.Runs.AsNoTracking();
        var total = await runs.CountAsync(cancellationToken);
        var ordered = parameters.Ascending ? runs.OrderBy(run => run.Id) : runs.OrderByDescending(run => run.Id);
        var items = await ordered.Skip(parameters.Offset).Take(parameters.Limit)
            .Select(ToItem)
            .ToListAsync(cancellationToken);
        return new ListPage<RunItem>(asOf?.At, asOf?.Id, total, items);
    }

    /// <summary>A run as the API and the pages show it; translated to SQL.</summary>
    public static readonly Expression<Func<IngestionRun, RunItem>> ToItem = run => new RunItem(
        run.Id, run.StartedAt, run.FinishedAt, run.Status.ToString(), run.Trigger.ToString(),
        run.Models, run.Namespaces, run.Requests, run.Retries, run.Throttled, run.Bytes, run.Rejected, run.Duplicates,
        run.RejectedReasons, run.CensusModels, run.ParentLookups, run.LineageCycles, run.MissingParents, run.Error);
}
