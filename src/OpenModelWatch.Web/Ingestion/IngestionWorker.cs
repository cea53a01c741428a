using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>
/// Scheduled ingestion in the web host: a run at start when the last success is older than the interval, then one
/// every interval. A failed run is retried sooner, and a failure never stops the loop. The interval counts from the
/// start of the last successful run, not its end, so a daily run of half an hour keeps its hour instead of drifting
/// later by its own length every day.
/// </summary>
public sealed partial class IngestionWorker(
    IServiceProvider services,
    IDbContextFactory<OpenModelWatchDb> dbFactory,
    IngestionSchedule schedule,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<IngestionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        schedule.Enabled = options.Value.Enabled;
        if (!options.Value.Enabled)
        {
            LogDisabled();
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await NextDueAsync(stoppingToken);
                schedule.NextRunAt = due;
                var wait = due - time.GetUtcNow().UtcDateTime;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stoppingToken);
                }

                schedule.NextRunAt = null;
                await services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Schedule, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The store itself failed (disk full, locked for too long): say so and try again on the retry delay.
                LogLoopFailure(exception);
                await Task.Delay(options.Value.RetryAfterFailure, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>The start of the last success plus the interval, or the last attempt plus the retry delay if that came later.</summary>
    public async Task<DateTime> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Live runs only: a bundled snapshot or an imported file is of another day, however recently it was recorded.
        var live = db.Runs.Where(run => run.Trigger != RunTrigger.Snapshot && run.Trigger != RunTrigger.Import);
        var lastSuccess = await live.Where(run => run.Status == RunStatus.Succeeded).MaxAsync(run => (DateTime?)run.StartedAt, cancellationToken);
        var lastAttempt = await live.MaxAsync(run => (DateTime?)run.StartedAt, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (lastSuccess is null && lastAttempt is null)
        {
            return now;
        }

        var interval = options.Value.Interval;
        var retry = options.Value.RetryAfterFailure < interval ? options.Value.RetryAfterFailure : interval;
        var dueBySuccess = (lastSuccess ?? DateTime.MinValue) + interval;
        var dueByAttempt = lastAttempt is { } attempt ? attempt + retry : now;
        return dueBySuccess > dueByAttempt ? dueBySuccess : dueByAttempt;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled ingestion is off (Ingestion:Enabled = false)")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled ingestion failed outside a run; trying again later")]
    private partial void LogLoopFailure(Exception exception);
}
