using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Api;

/// <summary>The run a view is computed from.</summary>
public sealed record AsOfRun(int Id, DateTime At, RunTrigger Trigger)
{
    public bool IsSnapshot => Trigger == RunTrigger.Snapshot;
}

/// <summary>A page of a list, with the as-of time every view shows.</summary>
public sealed record ListPage<T>(DateTime? AsOf, int? RunId, int Total, IReadOnlyList<T> Items)
{
    public static ListPage<T> Empty { get; } = new(null, null, 0, []);

    /// <summary>
    /// For lists short enough to build whole (countries, labs): every item of the as-of run, sorted, then the page.
    /// </summary>
    public static async Task<ListPage<T>> OfWholeListAsync(
        IDbContextFactory<OpenModelWatchDb> dbFactory,
        ListParameters parameters,
        Func<OpenModelWatchDb, int, Task<List<T>>> all,
        Func<IEnumerable<T>, IEnumerable<T>> sort,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await Api.AsOf.LatestAsync(db, cancellationToken) is not { } asOf)
        {
            return Empty;
        }

        var items = await all(db, asOf.Id);
        return new ListPage<T>(asOf.At, asOf.Id, items.Count, sort(items).Skip(parameters.Offset).Take(parameters.Limit).ToArray());
    }
}

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
