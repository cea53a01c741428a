using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Reading;

/// <summary>A feature's default view, computed ahead of visitors for each new as-of run.</summary>
public interface IViewWarmup
{
    Task WarmAsync(AsOfRun asOf, CancellationToken cancellationToken);

    /// <summary>
    /// Warm-ups of a lower stage run first: what other views are computed from (the ids in memory, stage 0) before them,
    /// so that the overview's and countries' top models are paged there, not by the store (on PostgreSQL, which sorts a
    /// deep or re-sorted view, the difference between milliseconds and a read of the whole run).
    /// </summary>
    int Stage => 1;
}

/// <summary>
/// Computes the default views' history and totals in the background, at start and whenever a newer run succeeds, so
/// that no visitor waits for them: over 100,000 models and 30 runs they take seconds once, and milliseconds afterwards
/// (docs/performance.md). A run of this process wakes it at once (<see cref="IRunSucceededListener"/>); a run of an
/// <c>ingest</c> command, another process, is noticed within <see cref="PollInterval"/>.
/// </summary>
public sealed partial class ViewWarmup(
    IDbContextFactory<OpenModelWatchDb> dbFactory,
    IEnumerable<IViewWarmup> views,
    TimeProvider time,
    ILogger<ViewWarmup> logger) : BackgroundService, IRunSucceededListener
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>How often to look for a newer as-of run: one indexed query on the runs table.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);

    /// <summary>The comment its poll's SQL carries, so a reader of the store's commands can tell it from a page's.</summary>
    public const string PollTag = "ViewWarmup poll";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int? warmed = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                AsOfRun? asOf;
                await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
                {
                    asOf = await AsOf.LatestAsync(db, stoppingToken, PollTag);
                }

                if (asOf is not null && asOf.Id != warmed)
                {
                    var clock = Stopwatch.StartNew();
                    foreach (var view in views.OrderBy(view => view.Stage))
                    {
                        var step = Stopwatch.StartNew();
                        await view.WarmAsync(asOf, stoppingToken);
                        LogView(view.GetType().Name, asOf.Id, step.Elapsed);
                    }
                    warmed = asOf.Id;
                    LogWarmed(asOf.Id, clock.Elapsed);
                }

                await WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Only a cache: pages compute what they need themselves. Say so, and try again later.
                LogFailed(exception);
                await Task.Delay(PollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Only wakes the loop: the run that called must not wait for the dashboard.</summary>
    public Task OnRunSucceededAsync(int runId, CancellationToken cancellationToken)
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }

        return Task.CompletedTask;
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private async Task WaitAsync(CancellationToken stoppingToken)
    {
        using var interval = new CancellationTokenSource(PollInterval, time);
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, interval.Token);
        try
        {
            await _wake.WaitAsync(poll.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The poll interval passed: look for a run of another process.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dashboard view {View} of run {RunId} computed in {Elapsed}")]
    private partial void LogView(string view, int runId, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard views of run {RunId} computed in {Elapsed}")]
    private partial void LogWarmed(int runId, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Computing the dashboard views ahead of visitors failed; pages compute them on demand")]
    private partial void LogFailed(Exception exception);
}
