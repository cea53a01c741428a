using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Exports;

/// <summary>
/// The as-of run, as the cache keys and <c>ETag</c>s of exports and API answers see it. Asked on every such request,
/// so it is read from the store at most every <see cref="Freshness"/>; a run of this process replaces it at once (and
/// evicts the cached answers of the previous run), a run of another process (the <c>ingest</c> command) within
/// <see cref="Freshness"/>.
/// </summary>
public sealed class CurrentRun(IDbContextFactory<OpenModelWatchDb> dbFactory, IOutputCacheStore cache, TimeProvider time) : IRunSucceededListener
{
    /// <summary>The tag of every cached export and API answer.</summary>
    public const string CacheTag = "as-of-run";

    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);

    private volatile Checked? _last;

    public async ValueTask<AsOfRun?> GetAsync(CancellationToken cancellationToken)
    {
        var last = _last;
        var now = time.GetUtcNow();
        if (last is not null && now - last.At < Freshness)
        {
            return last.Run;
        }

        AsOfRun? run;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            run = await AsOf.LatestAsync(db, cancellationToken);
        }

        if (last is not null && last.Run?.Id != run?.Id)
        {
            // Another process's run: the answers of the previous one can no longer be asked for; free them.
            await cache.EvictByTagAsync(CacheTag, cancellationToken);
        }

        _last = new Checked(run, now);
        return run;
    }

    public async Task OnRunSucceededAsync(int runId, CancellationToken cancellationToken)
    {
        _last = null;
        await cache.EvictByTagAsync(CacheTag, cancellationToken);
    }

    private sealed record Checked(AsOfRun? Run, DateTimeOffset At);
}

/// <summary>The run an export is computed from: the as-of run, or the succeeded run a permalink pins with <c>run=</c>.</summary>
public static class ExportRuns
{
    /// <summary>Reads <c>run</c>: a run id, or nothing for the as-of run.</summary>
    public static int? Parse(IQueryCollection query) =>
        ListParametersParser.Single(query, "run") is null ? null : ListParametersParser.Integer(query, "run", 0, 1, int.MaxValue);

    /// <summary>Null only when no run has succeeded and none is pinned; a pinned run that did not succeed is a <see cref="ParameterException"/>.</summary>
    public static async Task<AsOfRun?> ResolveAsync(OpenModelWatchDb db, int? pinned, CancellationToken cancellationToken)
    {
        if (pinned is not { } id)
        {
            return await AsOf.LatestAsync(db, cancellationToken);
        }

        var run = await db.Runs.AsNoTracking().Where(run => run.Id == id && run.Status == RunStatus.Succeeded)
            .Select(run => new { run.Id, run.FinishedAt, run.Trigger }).FirstOrDefaultAsync(cancellationToken);
        return run is null
            ? throw new ParameterException("run", $"{id} is not a succeeded run (see /api/v1/runs).")
            : new AsOfRun(run.Id, run.FinishedAt!.Value, run.Trigger);
    }
}
