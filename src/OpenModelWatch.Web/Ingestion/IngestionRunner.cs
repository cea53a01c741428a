using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenModelWatch.Hub;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>What became of a request to run.</summary>
/// <param name="RunId">The recorded run, or null when none was started (another run holds the lock).</param>
public sealed record RunOutcome(int? RunId, RunStatus? Status, string? Error)
{
    public bool Succeeded => Status == RunStatus.Succeeded;
}

/// <summary>
/// One ingestion pass: the Hub's top <c>Census:TopN</c> models, then every namespace of every registered lab, one
/// snapshot per model, then lineage (origins, with bounded look-ups of missing parents); written in short
/// transactions (the pages queued, at most about a second's worth) and made visible at once by the final commit that marks the run <c>Succeeded</c>; a failed run's rows
/// are deleted. Pages are fetched and written concurrently (a small bounded queue between the two), so a run costs
/// about as long as the slower of the two, and holds only a few pages in memory.
/// </summary>
public sealed partial class IngestionRunner(
    HubClient hub,
    LineageResolver lineage,
    RemovalCheck removals,
    IOptions<CensusOptions> census,
    LabRegistry registry,
    StoreConnection store,
    IDbContextFactory<OpenModelWatchDb> dbFactory,
    RunLock runLock,
    TimeProvider time,
    IEnumerable<IRunSucceededListener> listeners,
    IngestionMetrics metrics,
    ILogger<IngestionRunner> logger)
{
    private const int PagesInFlight = 4;

    // While pages queue up faster than they are written, one transaction takes the pages of up to this long: fewer
    // commits (each writes every page it touched to the WAL), and still short enough for other writers between them.
    private static readonly TimeSpan MaxBatchTime = TimeSpan.FromSeconds(1);

    /// <param name="started">Told the run's id as soon as the run is recorded, before it fetches anything.</param>
    public async Task<RunOutcome> RunAsync(RunTrigger trigger, CancellationToken cancellationToken, Action<int>? started = null)
    {
        using var held = runLock.TryAcquire();
        if (held is null)
        {
            var why = await DescribeRunningAsync(cancellationToken);
            LogBusy(trigger, why);
            return new RunOutcome(null, null, why);
        }

        await MarkInterruptedAsync(cancellationToken);
        var run = await StartRunAsync(trigger, cancellationToken);
        started?.Invoke(run.Id);
        var before = hub.Stats.Snapshot();
        var clock = Stopwatch.StartNew();
        var rejected = new Dictionary<string, int>(StringComparer.Ordinal);
        var unknown = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            await using var writer = SnapshotWriter.Open(store, registry);
            writer.StartRun(run.Id);
            var phases = new RunPhases(clock);
            var wholeHub = census.Value.WholeHub();
            if (wholeHub)
            {
                // The whole Hub is listed: most records are models stored with the same metadata, found in memory.
                var mapping = Stopwatch.StartNew();
                LogModelMap(run.Id, writer.LoadModelMap(), mapping.Elapsed);
            }

            // A whole-Hub listing takes minutes (half an hour under the anonymous quota): its progress is logged as it
            // goes, in pages against the requests the last run of the Hub made (a page is a request; the last run's
            // also counted its few look-ups).
            var expected = await RequestsLastTimeAsync(cancellationToken);
            long records = 0;
            var listing = new ThrottledProgress(expected, ProgressInterval, point => LogListing(
                run.Id, records, point.Done, expected > 0 ? $" of about {expected} (the last run's requests)" : "",
                Math.Round(records / Math.Max(point.Elapsed.TotalSeconds, 0.001)),
                point.Left is { } left ? "about " + ProgressPoint.Words(left) : "unknown"));
            var pages = Channel.CreateBounded<ListedPage>(new BoundedChannelOptions(PagesInFlight) { SingleReader = true, SingleWriter = true });
            using var stopFetching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var fetching = FetchAllAsync(pages.Writer, run, stopFetching.Token);
            try
            {
                var sinceCommit = Stopwatch.StartNew();
                while (await pages.Reader.WaitToReadAsync(cancellationToken))
                {
                    while (pages.Reader.TryRead(out var listed))
                    {
                        var (page, inCensus) = listed;
                        foreach (var model in page.Models)
                        {
                            var check = RecordValidator.Check(model);
                            if (check.Rejection is { } reason)
                            {
                                rejected[reason] = rejected.GetValueOrDefault(reason) + 1;
                                LogRejected(run.Id, model.Id ?? "(no id)", reason, page.Url);
                                continue;
                            }

                            switch (writer.Write(model, inCensus))
                            {
                                case WriteOutcome.Written:
                                    if (inCensus)
                                    {
                                        run.CensusModels++;
                                    }

                                    CountUnknown(run, unknown, check, model.Id!, page.Url);
                                    break;
                                case WriteOutcome.Duplicate:
                                    run.Duplicates++;
                                    LogDuplicate(run.Id, model.Id!, page.Url);
                                    break;
                            }
                        }

                        records += page.Models.Count;
                        listing.Add(1);
                        if (sinceCommit.Elapsed >= MaxBatchTime)
                        {
                            writer.CommitBatch();
                            sinceCommit.Restart();
                        }
                    }

                    // Nothing queued: committed before waiting, so no transaction stays open while the Hub answers.
                    writer.CommitBatch();
                    sinceCommit.Restart();
                }
            }
            finally
            {
                await stopFetching.CancelAsync();
                await fetching;
            }

            listing.Finish();
            run.Models = writer.Written;
            if (wholeHub)
            {
                metrics.RecordFoundInMemory(writer.FoundInMap);
                writer.ReleaseModelMap();
            }

            phases.Listed();
            if (RecordValidator.DistrustRun(run.Models, rejected) is { } distrust)
            {
                throw new InvalidOperationException(distrust);
            }

            var resolved = await lineage.ResolveAsync(writer, run.Id, cancellationToken, Progress(run.Id, "resolving origins", run.Models));
            phases.Resolved();
            if (wholeHub)
            {
                // Only a listing of the whole Hub tells that a model is gone from it (a top N loses models that fell out).
                run.Renamed = (await removals.CheckAsync(writer, run.Id, census.Value.MaxRemovedLookups, cancellationToken)).Renamed;
            }

            phases.Checked();

            (run.ParentLookups, run.LineageCycles, run.MissingParents) = (resolved.Lookups, resolved.Cycles, resolved.MissingParents);
            Finish(run, before, rejected, unknown, clock);
            run.Status = RunStatus.Succeeded;
            await writer.CompleteRunAsync(run, cancellationToken, Progress(run.Id, "publishing", run.Models),
                step => LogStep(run.Id, "publishing", step));
            phases.Published();
            LogPhases(run.Id, run.Models, phases.Listing, phases.Lineage, phases.Removals, phases.Publish);
        }
        catch (Exception exception)
        {
            run.Models = 0;
            Finish(run, before, rejected, unknown, clock);
            run.Status = RunStatus.Failed;
            run.Error = cancellationToken.IsCancellationRequested
                ? "Cancelled: the host stopped during the run."
                : OneLine(exception);
            await RecordFailureAsync(run);
        }

        LogSummary(run.Id, run.Status, run.Trigger, run.Models, run.Namespaces, run.Requests, run.Retries, run.Throttled,
            run.Bytes, run.Rejected, run.UnknownFields, run.Duplicates, clock.Elapsed, run.Error);
        metrics.RecordRun(run, clock.Elapsed);
        if (run.Status == RunStatus.Succeeded)
        {
            await NotifySucceededAsync(run.Id);
        }

        return new RunOutcome(run.Id, run.Status, run.Error);
    }

    /// <summary>
    /// Tells every listener (caches, health, warm-up) that a run succeeded, whichever command recorded it. After the
    /// commit: the run has succeeded whatever a listener does, so a listener cannot fail it.
    /// </summary>
    public async Task NotifySucceededAsync(int runId)
    {
        foreach (var listener in listeners)
        {
            try
            {
                await listener.OnRunSucceededAsync(runId, CancellationToken.None);
            }
            catch (Exception exception)
            {
                LogListenerFailed(runId, listener.GetType().Name, exception);
            }
        }
    }

    /// <summary>At start-up: when no process runs ingestion on this database, any run left <c>Running</c> was cut off; mark it.</summary>
    public async Task<int> MarkInterruptedIfIdleAsync(CancellationToken cancellationToken)
    {
        using var held = runLock.TryAcquire();
        return held is null ? 0 : await MarkInterruptedAsync(cancellationToken);
    }

    /// <summary>Runs left <c>Running</c> while no process holds the lock were cut off: mark them failed, with why, and drop their rows.</summary>
    public async Task<int> MarkInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var interrupted = await db.Runs.Where(run => run.Status == RunStatus.Running).Select(run => run.Id).ToListAsync(cancellationToken);
        await db.Listings.Where(listing => interrupted.Contains(listing.RunId)).ExecuteDeleteAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var marked = await db.Runs.Where(run => run.Status == RunStatus.Running)
            .ExecuteUpdateAsync(set => set
                .SetProperty(run => run.Status, RunStatus.Failed)
                .SetProperty(run => run.FinishedAt, now)
                .SetProperty(run => run.Error, run => "Interrupted: the process running it (" + run.Host + ") ended before it finished; found at the next start."),
                cancellationToken);
        if (marked > 0)
        {
            LogInterrupted(marked);
        }

        return marked;
    }

    private async Task FetchAllAsync(ChannelWriter<ListedPage> pages, IngestionRun run, CancellationToken cancellationToken)
    {
        // Yield first, so fetching starts on its own and the caller goes on to read the queue.
        await Task.Yield();
        try
        {
            await FetchCensusAsync(pages, cancellationToken);
            foreach (var ns in registry.Namespaces.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                await foreach (var page in hub.ListByAuthorAsync(ns, cancellationToken))
                {
                    await pages.WriteAsync(new ListedPage(page, InCensus: false), cancellationToken);
                }

                run.Namespaces++;
            }

            pages.Complete();
        }
        catch (Exception exception)
        {
            pages.Complete(exception);
        }
    }

    /// <summary>
    /// The Hub's most downloaded models, page by page: with <c>Census:TopN</c> = <c>all</c> (the default) every page
    /// until the listing ends (no next <c>Link</c>); with a number, until that many (the last page cut to fit).
    /// </summary>
    private async Task FetchCensusAsync(ChannelWriter<ListedPage> pages, CancellationToken cancellationToken)
    {
        var wanted = census.Value.Limit() ?? int.MaxValue;
        if (wanted == 0)
        {
            return;
        }

        var listed = 0;
        await foreach (var page in hub.ListTopByDownloadsAsync(cancellationToken))
        {
            var models = page.Models.Count <= wanted - listed ? page.Models : page.Models.Take(wanted - listed).ToArray();
            listed += models.Count;
            await pages.WriteAsync(new ListedPage(page with { Models = models }, InCensus: true), cancellationToken);
            if (listed >= wanted)
            {
                break;
            }
        }
    }

    /// <summary>How many requests the last succeeded run of the Hub API made; 0 without one.</summary>
    private async Task<long> RequestsLastTimeAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Succeeded && r.Source == RunSource.HubApi)
            .OrderByDescending(r => r.Id)
            .Select(r => r.Requests)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<IngestionRun> StartRunAsync(RunTrigger trigger, CancellationToken cancellationToken)
    {
        var run = new IngestionRun
        {
            StartedAt = time.GetUtcNow().UtcDateTime,
            Status = RunStatus.Running,
            Trigger = trigger,
            Host = $"{Environment.MachineName} pid {Environment.ProcessId}",
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(run).State = EntityState.Detached;
        return run;
    }

    /// <summary>
    /// A stored model's fields left unknown (<see cref="RecordCheck.Unknown"/>): the model counts once in
    /// <see cref="IngestionRun.UnknownFields"/>, each field under its reason. Only a written model counts: a duplicate or a
    /// namespace's model already stored from the census was not stored again.
    /// </summary>
    private void CountUnknown(IngestionRun run, Dictionary<string, int> unknown, RecordCheck check, string modelId, Uri url)
    {
        if (check.Unknown.Count == 0)
        {
            return;
        }

        run.UnknownFields++;
        foreach (var reason in check.Unknown)
        {
            unknown[reason] = unknown.GetValueOrDefault(reason) + 1;
        }

        LogUnknownFields(run.Id, modelId, string.Join(", ", check.Unknown), url);
    }

    private void Finish(IngestionRun run, HubRequestCounts before, Dictionary<string, int> rejected, Dictionary<string, int> unknown, Stopwatch clock)
    {
        var counts = hub.Stats.Snapshot() - before;
        run.FinishedAt = time.GetUtcNow().UtcDateTime;
        run.Requests = counts.Requests;
        run.Retries = counts.Retries;
        run.Throttled = counts.Throttled;
        run.Bytes = counts.Bytes;
        run.Rejected = rejected.Values.Sum();
        run.RejectedReasons = Reasons(rejected);
        run.UnknownFieldReasons = Reasons(unknown);
    }

    /// <summary>Reasons with their counts, most frequent first: <c>implausible downloadsAllTime: 156; negative likes: 2</c>; null for none.</summary>
    private static string? Reasons(Dictionary<string, int> counts) => counts.Count == 0
        ? null
        : string.Join("; ", counts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}: {pair.Value}"));

    private async Task RecordFailureAsync(IngestionRun run)
    {
        // Not the run's token: a stopping host must still record why its run ended.
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.Listings.Where(listing => listing.RunId == run.Id).ExecuteDeleteAsync(CancellationToken.None);
        db.Runs.Attach(run);
        db.Entry(run).State = EntityState.Modified;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task<string> DescribeRunningAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var running = await db.Runs.AsNoTracking().Where(run => run.Status == RunStatus.Running)
            .OrderByDescending(run => run.Id).FirstOrDefaultAsync(cancellationToken);
        // On PostgreSQL the lock itself names its holder, whichever host it runs on.
        var holder = runLock.Holder() is { } name ? $" (lock held by {name})" : "";
        return running is null
            ? $"Another run is in progress on this database (its lock is held){holder}."
            : $"Another run is in progress on this database: run {running.Id}, started {running.StartedAt:yyyy-MM-dd HH:mm:ss}Z by {running.Host}{holder}.";
    }

    private static string OneLine(Exception exception)
    {
        var message = exception is HubRequestException or InvalidOperationException or System.Data.Common.DbException
            ? exception.Message
            : $"{exception.GetType().Name}: {exception.Message}";
        // One line, and text either store can hold (PostgreSQL's text cannot hold a NUL).
        return new string([.. message.ReplaceLineEndings(" ").Select(c => char.IsControl(c) ? ' ' : c)]);
    }

    private sealed record ListedPage(HubModelPage Page, bool InCensus);

    /// <summary>How often a long phase of a run's final work (origins, publish) logs how far it is.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    /// <summary>Logs a phase's models done, rate and time left, at most every <see cref="ProgressInterval"/>.</summary>
    private Action<long> Progress(int runId, string phase, long total)
    {
        var progress = new ThrottledProgress(total, ProgressInterval, point =>
            LogProgress(runId, phase, point.Done, total, Math.Round(point.Rate), ProgressPoint.Words(point.Left ?? TimeSpan.Zero)));
        return progress.Add;
    }

    /// <summary>Where a run's time went, phase by phase (the listing phase includes waiting for the Hub's pages).</summary>
    private sealed class RunPhases(Stopwatch clock)
    {
        private TimeSpan _mark = clock.Elapsed;

        public TimeSpan Listing { get; private set; }
        public TimeSpan Lineage { get; private set; }
        public TimeSpan Removals { get; private set; }
        public TimeSpan Publish { get; private set; }

        public void Listed() => Listing = Lap();
        public void Resolved() => Lineage = Lap();
        public void Checked() => Removals = Lap();
        public void Published() => Publish = Lap();

        private TimeSpan Lap()
        {
            var lap = clock.Elapsed - _mark;
            _mark = clock.Elapsed;
            return lap;
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Run {RunId} {Status} ({Trigger}): {Models} models from {Namespaces} namespaces, {Requests} requests, {Retries} retries, {Throttled} throttled, {Bytes} bytes, {Rejected} rejected, {UnknownFields} with fields left unknown, {Duplicates} duplicates, in {Duration}; error: {Error}")]
    private partial void LogSummary(int runId, RunStatus status, RunTrigger trigger, int models, int namespaces, long requests,
        long retries, long throttled, long bytes, int rejected, int unknownFields, int duplicates, TimeSpan duration, string? error);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Run {RunId} phases: {Models} models listed and written in {Listing}, lineage {Lineage}, removal look-ups {Removals}, publish {Publish}")]
    private partial void LogPhases(int runId, int models, TimeSpan listing, TimeSpan lineage, TimeSpan removals, TimeSpan publish);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} listing: {Records} records in {Pages} pages{OfExpected}, {Rate} records/s, {Left} left")]
    private partial void LogListing(int runId, long records, long pages, string ofExpected, double rate, string left);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} {Phase}: {Done} of {Total} models, {Rate} models/s, about {Left} left")]
    private partial void LogProgress(int runId, string phase, long done, long total, double rate, string left);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} read the store's {Models} models into memory in {Duration}")]
    private partial void LogModelMap(int runId, int models, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} {Phase}: {Step}")]
    private partial void LogStep(int runId, string phase, string step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} rejected record {ModelId} from {Url}: {Reason}")]
    private partial void LogRejected(int runId, string modelId, string reason, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} stored {ModelId} from {Url} with fields left unknown: {Reasons}")]
    private partial void LogUnknownFields(int runId, string modelId, string reasons, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} skipped duplicate record {ModelId} from {Url}; the first one listed was kept")]
    private partial void LogDuplicate(int runId, string modelId, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Trigger} run was not started: {Reason}")]
    private partial void LogBusy(RunTrigger trigger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} succeeded, but telling {Listener} failed")]
    private partial void LogListenerFailed(int runId, string listener, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marked {Count} interrupted run(s) as failed")]
    private partial void LogInterrupted(int count);
}
