using System.Collections.Concurrent;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Runs;

/// <summary>What became of a request to start a run now.</summary>
/// <param name="RunId">The run started, or null when none was (another holds the run lock).</param>
/// <param name="Refusal">Why no run was started.</param>
public sealed record ManualStart(int? RunId, string? Refusal);

/// <summary>
/// Starts a <see cref="RunTrigger.Manual"/> run in the background and answers as soon as the run is recorded (or
/// refused because another run holds the lock), so a request never waits for a whole run. The host waits for such
/// runs when it stops; a stop cancels them and they are recorded as cancelled.
/// </summary>
public sealed partial class ManualRuns(
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILogger<ManualRuns> logger) : IHostedService
{
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();

    public async Task<ManualStart> StartRunAsync(string startedBy, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = services.GetRequiredService<IngestionRunner>();
        var run = Task.Run(() => runner.RunAsync(RunTrigger.Manual, lifetime.ApplicationStopping, id => started.TrySetResult(id)), CancellationToken.None);
        _inFlight[run] = true;
        _ = run.ContinueWith(ended => _inFlight.TryRemove(ended, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        await Task.WhenAny(started.Task, run).WaitAsync(cancellationToken);
        if (started.Task.IsCompletedSuccessfully)
        {
            LogStarted(started.Task.Result, startedBy);
            return new ManualStart(started.Task.Result, null);
        }

        var outcome = await run;
        return new ManualStart(outcome.RunId, outcome.Error);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The host is stopping (its stopping token has cancelled the runs): wait for them to record how they ended.</summary>
    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_inFlight.Keys).WaitAsync(cancellationToken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} started now by {StartedBy}")]
    private partial void LogStarted(int runId, string startedBy);
}
