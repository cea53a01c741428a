using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Reading;

/// <summary>The state of ingestion every page needs: the as-of run, the last finished run and a run in progress.</summary>
/// <param name="AsOf">The run the views are computed from; null when no run has succeeded.</param>
/// <param name="LastFinished">The most recent run that ended, successfully or not.</param>
/// <param name="Running">A run in progress, if any.</param>
public sealed record IngestionState(AsOfRun? AsOf, RunItem? LastFinished, RunItem? Running)
{
    /// <summary>The last run failed: every page says so, with the reason, above older data.</summary>
    public bool LastRunFailed => LastFinished?.Status == nameof(RunStatus.Failed);
}

/// <summary>Reads <see cref="IngestionState"/>: three small queries on the runs table, cheap enough for every page.</summary>
public sealed class RunStatusQuery(IDbContextFactory<OpenModelWatchDb> dbFactory)
{
    public async Task<IngestionState> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await AsOf.LatestAsync(db, cancellationToken);
        var runs = db.Runs.AsNoTracking();
        var lastFinished = await runs.Where(run => run.Status != RunStatus.Running)
            .OrderByDescending(run => run.FinishedAt).ThenByDescending(run => run.Id)
            .Select(RunItem.Of).FirstOrDefaultAsync(cancellationToken);
        var running = await runs.Where(run => run.Status == RunStatus.Running)
            .OrderByDescending(run => run.Id)
            .Select(RunItem.Of).FirstOrDefaultAsync(cancellationToken);
        return new IngestionState(asOf, lastFinished, running);
    }
}

/// <summary>An item of <c>GET /api/v1/runs</c>.</summary>
public sealed record RunItem(
    int Id,
    DateTime StartedAt,
    DateTime? FinishedAt,
    string Status,
    string Trigger,
    string Source,
    string Coverage,
    int Models,
    int Namespaces,
    long Requests,
    long Retries,
    long Throttled,
    long Bytes,
    int Rejected,
    int Duplicates,
    string? RejectedReasons,
    int UnknownFields,
    string? UnknownFieldReasons,
    int Changed,
    int Removed,
    int Renamed,
    int CensusModels,
    int ParentLookups,
    int LineageCycles,
    int MissingParents,
    string? Error)
{
    /// <summary>A run as the API and the pages show it; translated to SQL.</summary>
    public static readonly Expression<Func<IngestionRun, RunItem>> Of = run => new RunItem(
        run.Id, run.StartedAt, run.FinishedAt, run.Status.ToString(), run.Trigger.ToString(), run.Source.Key(), run.Source.Coverage(),
        run.Models, run.Namespaces, run.Requests, run.Retries, run.Throttled, run.Bytes, run.Rejected, run.Duplicates,
        run.RejectedReasons, run.UnknownFields, run.UnknownFieldReasons, run.Changed, run.Removed, run.Renamed, run.CensusModels, run.ParentLookups, run.LineageCycles, run.MissingParents, run.Error);
}
