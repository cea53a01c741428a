using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Api;

/// <summary>The run a view is computed from.</summary>
public sealed record AsOfRun(int Id, DateTime At, RunTrigger Trigger)
{
    public bool IsSnapshot => Trigger == RunTrigger.Snapshot;
}

/// <summary>A page of a list, with the as-of time every view shows.</summary>
public sealed record ListPage<T>(DateTime? AsOf, int? RunId, int Total, IReadOnlyList<T> Items);

public static class AsOf
{
    /// <summary>
    /// The latest successful run: a live one when there is any, else the latest imported snapshot, so a live run
    /// takes over the default view as soon as one succeeds.
    /// </summary>
    public static async Task<AsOfRun?> LatestAsync(OpenModelWatchDb db, CancellationToken cancellationToken)
    {
        var succeeded = db.Runs.AsNoTracking().Where(run => run.Status == RunStatus.Succeeded);
        var run = await succeeded.Where(run => run.Trigger != RunTrigger.Snapshot).OrderByDescending(run => run.FinishedAt).ThenByDescending(run => run.Id)
                .Select(run => new { run.Id, run.FinishedAt, run.Trigger }).FirstOrDefaultAsync(cancellationToken)
            ?? await succeeded.OrderByDescending(run => run.FinishedAt).ThenByDescending(run => run.Id)
                .Select(run => new { run.Id, run.FinishedAt, run.Trigger }).FirstOrDefaultAsync(cancellationToken);
        return run is null ? null : new AsOfRun(run.Id, run.FinishedAt!.Value, run.Trigger);
    }
}
