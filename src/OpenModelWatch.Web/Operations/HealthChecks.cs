using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Operations;

/// <summary>The store (SQLite or PostgreSQL) answers a query. Its error goes to the log, not to the public health output.</summary>
public sealed partial class StoreHealthCheck(IDbContextFactory<OpenModelWatchDb> dbFactory, StoreConnection store, ILogger<StoreHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var runs = await db.Runs.CountAsync(cancellationToken);
            // The provider, not where it is: the health output is public.
            return HealthCheckResult.Healthy($"The store ({store.Provider}) answers ({runs} runs).");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogStoreFailed(exception);
            return HealthCheckResult.Unhealthy(HealthTexts.StoreDown);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Health check: the store does not answer")]
    private partial void LogStoreFailed(Exception exception);
}

/// <summary>Every migration of this build is applied.</summary>
public sealed partial class MigrationsHealthCheck(IDbContextFactory<OpenModelWatchDb> dbFactory, ILogger<MigrationsHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy(HealthTexts.MigrationsApplied)
                : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied: {string.Join(", ", pending)}.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogMigrationsFailed(exception);
            return HealthCheckResult.Unhealthy(HealthTexts.MigrationsUnreadable);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Health check: the migrations cannot be read")]
    private partial void LogMigrationsFailed(Exception exception);
}

/// <summary>
/// The data is fresh: the last successful live run (not the bundled snapshot, not an imported file) finished less than twice
/// <c>Ingestion:Interval</c> ago. Otherwise Degraded, with the age: the pages still serve, but stale numbers.
/// </summary>
public sealed class FreshnessHealthCheck(IDbContextFactory<OpenModelWatchDb> dbFactory, IOptions<IngestionOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        (int Id, DateTime FinishedAt)? last;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var run = await db.Runs.AsNoTracking()
                .Where(run => run.Status == RunStatus.Succeeded && run.Trigger != RunTrigger.Snapshot && run.Trigger != RunTrigger.Import && run.FinishedAt != null)
                .OrderByDescending(run => run.FinishedAt)
                .Select(run => new { run.Id, run.FinishedAt })
                .FirstOrDefaultAsync(cancellationToken);
            last = run is null ? null : (run.Id, run.FinishedAt!.Value);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The store check says why, and logs it.
            return HealthCheckResult.Unhealthy(HealthTexts.RunsUnreadable);
        }

        var limit = 2 * options.Value.Interval;
        var data = new Dictionary<string, object> { ["maxAgeSeconds"] = (long)limit.TotalSeconds };
        if (last is not { } lastRun)
        {
            return HealthCheckResult.Degraded("No live ingestion run has succeeded yet; the numbers shown are the bundled snapshot's, if any.", data: data);
        }

        var age = time.GetUtcNow().UtcDateTime - lastRun.FinishedAt;
        data["lastSuccessAt"] = lastRun.FinishedAt.ToString("O", CultureInfo.InvariantCulture);
        data["lastSuccessRunId"] = lastRun.Id;
        data["ageSeconds"] = (long)Math.Max(0, age.TotalSeconds);
        return age <= limit
            ? HealthCheckResult.Healthy($"The last live run (#{lastRun.Id}) finished {Ago(age)} ago.", data)
            : HealthCheckResult.Degraded(
                $"The last live run (#{lastRun.Id}) finished {Ago(age)} ago, more than twice Ingestion:Interval ({Ago(options.Value.Interval)}): the data is stale.",
                data: data);
    }

    public static string Ago(TimeSpan age) => age switch
    {
        { TotalDays: >= 3 } => $"{(int)age.TotalDays} days",
        { TotalHours: >= 3 } => $"{(int)age.TotalHours} h",
        { TotalMinutes: >= 2 } => $"{(int)age.TotalMinutes} min",
        _ => $"{Math.Max(0, (int)age.TotalSeconds)} s",
    };
}
