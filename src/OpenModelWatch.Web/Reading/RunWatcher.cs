using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Reading;

/// <summary>
/// Notices runs recorded by other processes (an <c>ingest</c> timer, the one ingester of several web replicas on a
/// shared PostgreSQL database) within <see cref="PollInterval"/>, and tells this process's listeners as a run of its own
/// would (<see cref="IRunSucceededListener"/>: cached API answers and exports, the health line, the warm-up). One
/// indexed query per interval: the newest succeeded run's id. A run of this process is told by its runner already,
/// and is not told twice.
/// </summary>
public sealed partial class RunWatcher(
    IDbContextFactory<OpenModelWatchDb> dbFactory,
    IServiceProvider services,
    TimeProvider time,
    ILogger<RunWatcher> logger) : BackgroundService, IRunSucceededListener
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    // The newest succeeded run this process knows of; -1 before the first look (no run: 0).
    private long _seen = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, time);
        try
        {
            do
            {
                await LookAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task LookAsync(CancellationToken stoppingToken)
    {
        try
        {
            int latest;
            await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
            {
                latest = await db.Runs.Where(run => run.Status == RunStatus.Succeeded).MaxAsync(run => (int?)run.Id, stoppingToken) ?? 0;
            }

            var seen = Interlocked.Read(ref _seen);
            if (latest > seen && Interlocked.CompareExchange(ref _seen, latest, seen) == seen && seen >= 0)
            {
                LogNoticed(latest);
                await NotifyAsync(latest, stoppingToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Only freshness: the caches also expire on their own (CurrentRun). Say so, and look again.
            LogFailed(exception);
        }
    }

    /// <summary>A run of this process: its runner tells the listeners; remember it so it is not told again.</summary>
    public Task OnRunSucceededAsync(int runId, CancellationToken cancellationToken)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _seen);
        }
        while (runId > seen && Interlocked.CompareExchange(ref _seen, runId, seen) != seen);
        return Task.CompletedTask;
    }

    private async Task NotifyAsync(int runId, CancellationToken cancellationToken)
    {
        foreach (var listener in services.GetServices<IRunSucceededListener>().Where(listener => !ReferenceEquals(listener, this)))
        {
            try
            {
                await listener.OnRunSucceededAsync(runId, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogListenerFailed(runId, listener.GetType().Name, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} succeeded in another process: caches of the previous as-of run dropped")]
    private partial void LogNoticed(int runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for runs of other processes; looking again shortly")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A listener ({Listener}) failed after run {RunId} of another process")]
    private partial void LogListenerFailed(int runId, string listener, Exception exception);
}
