using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Runs;

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
            .Select(RunList.ToItem).FirstOrDefaultAsync(cancellationToken);
        var running = await runs.Where(run => run.Status == RunStatus.Running)
            .OrderByDescending(run => run.Id)
            .Select(RunList.ToItem).FirstOrDefaultAsync(cancellationToken);
        return new IngestionState(asOf, lastFinished, running);
    }
}
