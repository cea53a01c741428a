using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Api;

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
