using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Reading;

/// <summary>The run a view is computed from, and where its numbers come from.</summary>
public sealed record AsOfRun(int Id, DateTime At, RunTrigger Trigger, RunSource Source)
{
    public bool IsSnapshot => Trigger == RunTrigger.Snapshot;

    /// <summary>The credit the run's source asks for; null for a live run.</summary>
    public string? Credit => Source.Credit();
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
        if (await PinnedRun.ResolveAsync(db, parameters.Run, cancellationToken) is not { } asOf)
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
    /// <param name="tag">A comment the SQL carries (a background poll says who it is), or none.</param>
    public static async Task<AsOfRun?> LatestAsync(OpenModelWatchDb db, CancellationToken cancellationToken, string? tag = null)
    {
        var runs = tag is null ? db.Runs.AsNoTracking() : db.Runs.AsNoTracking().TagWith(tag);
        var succeeded = runs.Where(run => run.Status == RunStatus.Succeeded);
        var run = await succeeded.Where(run => run.Trigger != RunTrigger.Snapshot).OrderByDescending(run => run.FinishedAt).ThenByDescending(run => run.Id)
                .Select(run => new { run.Id, run.FinishedAt, run.Trigger, run.Source }).FirstOrDefaultAsync(cancellationToken)
            ?? await succeeded.OrderByDescending(run => run.FinishedAt).ThenByDescending(run => run.Id)
                .Select(run => new { run.Id, run.FinishedAt, run.Trigger, run.Source }).FirstOrDefaultAsync(cancellationToken);
        return run is null ? null : new AsOfRun(run.Id, run.FinishedAt!.Value, run.Trigger, run.Source);
    }
}

/// <summary>The run an answer is computed from: the as-of run, or the succeeded run a permalink pins with <c>run=</c>.</summary>
public static class PinnedRun
{
    /// <summary>Reads <c>run</c>: a run id, or nothing for the as-of run.</summary>
    public static int? Parse(IQueryCollection query) =>
        ListParametersParser.Single(query, "run") is null ? null : ListParametersParser.Integer(query, "run", 0, 1, int.MaxValue);

    /// <summary>As <see cref="ResolveAsync(OpenModelWatchDb, int?, CancellationToken)"/>, on a context of its own.</summary>
    public static async Task<AsOfRun?> ResolveAsync(IDbContextFactory<OpenModelWatchDb> dbFactory, int? pinned, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ResolveAsync(db, pinned, cancellationToken);
    }

    /// <summary>Null only when no run has succeeded and none is pinned; a pinned run that did not succeed is a <see cref="ParameterException"/>.</summary>
    public static async Task<AsOfRun?> ResolveAsync(OpenModelWatchDb db, int? pinned, CancellationToken cancellationToken)
    {
        if (pinned is not { } id)
        {
            return await AsOf.LatestAsync(db, cancellationToken);
        }

        var run = await db.Runs.AsNoTracking().Where(run => run.Id == id && run.Status == RunStatus.Succeeded)
            .Select(run => new { run.Id, run.FinishedAt, run.Trigger, run.Source }).FirstOrDefaultAsync(cancellationToken);
        return run is null
            ? throw new ParameterException("run", $"{id} is not a succeeded run (see /api/v1/runs).")
            : new AsOfRun(run.Id, run.FinishedAt!.Value, run.Trigger, run.Source);
    }
}
