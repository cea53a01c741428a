using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Hub;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Import;

/// <summary>How an <c>import</c> ended.</summary>
public enum ImportStatus
{
    /// <summary>Every file was imported, or had been already.</summary>
    Imported,

    /// <summary>A file cannot be used (not Parquet, a column missing, no time) or the command was used wrongly; nothing was recorded.</summary>
    BadInput,

    /// <summary>A file's day is already covered by a live run (or another imported file); nothing was recorded.</summary>
    Refused,

    /// <summary>Another run holds the database.</summary>
    Busy,

    /// <summary>An import run failed or was interrupted (Ctrl+C); it is recorded as failed and nothing of it is visible.</summary>
    Failed,
}

/// <summary>What an <c>import</c> did: its status, the runs it recorded (or found already recorded), and why it failed.</summary>
public sealed record ImportResult(ImportStatus Status, IReadOnlyList<int> RunIds, string? Error = null);

/// <summary>
/// <c>import FILE…</c>: each hub-stats <c>models.parquet</c> becomes one succeeded whole-Hub run of trigger
/// <see cref="RunTrigger.Import"/> and source <see cref="RunSource.HubStats"/> at the file's time
/// (<see cref="ImportTime"/>), written through the same validator and writer as a live run, with every model in the
/// census. Files are checked before anything is recorded, then imported in time order under the run lock. A file is
/// known by the SHA-256 of its bytes: importing it again records nothing. A killed import leaves a <c>Running</c> run
/// that the next start marks interrupted, its listings deleted, as for a live run.
/// </summary>
public sealed partial class HubStatsImport(
    StoreConnection store,
    IDbContextFactory<OpenModelWatchDb> dbFactory,
    LabRegistry registry,
    LineageFixes fixes,
    RunLock runLock,
    IngestionRunner runner,
    TimeProvider time,
    ILogger<HubStatsImport> logger)
{
    /// <summary>Rows a transaction: about a live run's page of the listing (1,000) times ten, so commits cost little and a kill loses little.</summary>
    public const int Batch = 10_000;

    /// <summary>The credit the hub-stats data's licence asks for, wherever its numbers are shown.</summary>
    public static readonly string Credit = RunSource.HubStats.Credit()!;

    /// <summary>
    /// The managed heap the <c>import</c> command may commit. What it keeps alive is small (about 50 MB: a few batches
    /// of rows and the run's written-by table, a byte a model); without a limit the server GC on a machine with
    /// gigabytes free lets the heap grow to three or four times that between collections, which pushed a 3,000,000-row
    /// import over its 500 MB budget (docs/performance.md).
    /// </summary>
    public const ulong CommandHeapLimit = 160UL * 1024 * 1024;

    /// <summary>Applies <see cref="CommandHeapLimit"/> to this process: for the <c>import</c> command only, never a host that serves pages.</summary>
    public static void LimitCommandHeap()
    {
        AppContext.SetData("GCHeapHardLimit", CommandHeapLimit);
        GC.RefreshMemoryLimit();
    }

    public async Task<ImportResult> ImportAsync(IReadOnlyList<string> paths, DateTime? at, bool terminal, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (paths.Count == 0)
        {
            await error.WriteLineAsync("import: name at least one hub-stats models.parquet file.");
            return new ImportResult(ImportStatus.BadInput, []);
        }

        if (at is not null && paths.Count > 1)
        {
            await error.WriteLineAsync($"import: --at gives the time of one file; {paths.Count} files were named. Import them one by one, or name them by date (2025-06-01.parquet).");
            return new ImportResult(ImportStatus.BadInput, []);
        }

        using var held = runLock.TryAcquire();
        if (held is null)
        {
            await error.WriteLineAsync("import: not started: another run is in progress on this database (its lock is held).");
            return new ImportResult(ImportStatus.Busy, []);
        }

        await runner.MarkInterruptedAsync(cancellationToken);
        var planned = new List<PlannedFile>();
        try
        {
            foreach (var path in paths)
            {
                planned.Add(await PlanAsync(path, at, output, cancellationToken));
            }
        }
        catch (ImportFileException exception)
        {
            await error.WriteLineAsync($"import: {exception.Message} Nothing was imported.");
            return new ImportResult(ImportStatus.BadInput, []);
        }

        var runIds = new List<int>();
        var toImport = new List<PlannedFile>();
        foreach (var file in planned.OrderBy(file => file.Time.At))
        {
            if (await CoveredAsync(file, toImport, cancellationToken) is { } covered)
            {
                if (covered.SameFile)
                {
                    runIds.Add(covered.RunId);
                    await output.WriteLineAsync($"import: {file.Path}: already imported as run {covered.RunId} (same SHA-256); nothing new recorded.");
                    continue;
                }

                await error.WriteLineAsync($"import: {file.Path}: refused: {covered.Why} Nothing was imported.");
                return new ImportResult(ImportStatus.Refused, []);
            }

            toImport.Add(file);
        }

        foreach (var file in toImport)
        {
            var (runId, failure) = await ImportFileAsync(file, terminal, output, cancellationToken);
            if (runId is { } id)
            {
                runIds.Add(id);
            }

            if (failure is not null)
            {
                await error.WriteLineAsync($"import: {file.Path}: run {runId} failed: {failure}");
                await CarryAsOfRunAsync(output, cancellationToken);
                return new ImportResult(ImportStatus.Failed, runIds, failure);
            }
        }

        if (toImport.Count > 0)
        {
            await CarryAsOfRunAsync(output, cancellationToken);
        }

        return new ImportResult(ImportStatus.Imported, runIds);
    }

    /// <summary>
    /// Files of earlier days recorded after later runs left the models carrying the last of them: given back to the
    /// as-of run once the files are recorded (<see cref="RunPublisher.CarryAsOfRun"/>), in one transaction, said in a line.
    /// </summary>
    private async Task CarryAsOfRunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var writer = SnapshotWriter.Open(store, registry);
        if (writer.CarryAsOfRun(step => output.WriteLine($"import: giving the models back to the newest run: {step}"), cancellationToken) is { } asOf)
        {
            writer.CommitBatch();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"import: the files are earlier than run {asOf}, the newest: the dashboard's latest counts are that run's again ({clock.Elapsed.TotalSeconds:0.0} s)."));
        }
    }

    /// <summary>Opens and checks a file, finds its time and hashes it; nothing is recorded.</summary>
    private static async Task<PlannedFile> PlanAsync(string path, DateTime? at, TextWriter output, CancellationToken cancellationToken)
    {
        using var file = await HubStatsFile.OpenAsync(path, cancellationToken);
        var fileTime = ImportTime.Of(file, at)
            ?? throw new ImportFileException(path, "no time for this file: no --at, no YYYY-MM-DD date in its name or its folder's, and no lastModified column. Give one with --at 2025-06-01T00:00:00Z.");
        var absent = file.Absent.Count > 0 ? $"; not in this file, so unknown: {string.Join(", ", file.Absent)}" : "";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"import: {path}: {file.Rows:N0} rows in {file.RowGroups} row group(s); time {fileTime.At:yyyy-MM-dd HH:mm:ss} UTC, from {fileTime.Rule}{absent}"));
        string key;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
        {
            key = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }

        return new PlannedFile(path, fileTime, key, file.Rows, file.Absent);
    }

    /// <summary>Why a file's import would be wrong (the same file already imported, or its day already covered), or null.</summary>
    private async Task<Covered?> CoveredAsync(PlannedFile file, List<PlannedFile> earlier, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var succeeded = db.Runs.AsNoTracking().Where(run => run.Status == RunStatus.Succeeded);
        if (await succeeded.Where(run => run.SourceKey == file.Key).Select(run => (int?)run.Id).FirstOrDefaultAsync(cancellationToken) is { } same)
        {
            return new Covered(same, true, "");
        }

        if (earlier.FirstOrDefault(other => other.Key == file.Key) is { } twice)
        {
            return new Covered(0, false, $"it is the same file as {twice.Path} (same SHA-256).");
        }

        var day = file.Time.At.Date;
        var next = day.AddDays(1);
        var live = await succeeded.Where(run => run.Source == RunSource.HubApi && run.FinishedAt >= day && run.FinishedAt < next)
            .OrderBy(run => run.Id).Select(run => new { run.Id, run.FinishedAt }).FirstOrDefaultAsync(cancellationToken);
        if (live is not null)
        {
            return new Covered(live.Id, false, string.Create(CultureInfo.InvariantCulture,
                $"its time {file.Time.At:yyyy-MM-dd HH:mm} UTC falls on {day:yyyy-MM-dd}, a day the live run {live.Id} (finished {live.FinishedAt:yyyy-MM-dd HH:mm} UTC) already covers; a day has one whole-Hub run."));
        }

        var imported = await succeeded.Where(run => run.Source == RunSource.HubStats && run.FinishedAt >= day && run.FinishedAt < next)
            .OrderBy(run => run.Id).Select(run => new { run.Id, run.SourceKey }).FirstOrDefaultAsync(cancellationToken);
        if (imported is not null)
        {
            return new Covered(imported.Id, false, string.Create(CultureInfo.InvariantCulture,
                $"{day:yyyy-MM-dd} is already covered by run {imported.Id}, imported from another file ({imported.SourceKey}); a day has one whole-Hub run."));
        }

        return earlier.FirstOrDefault(other => other.Time.At.Date == day) is { } sameDay
            ? new Covered(0, false, string.Create(CultureInfo.InvariantCulture, $"{sameDay.Path} is of the same day ({day:yyyy-MM-dd}); a day has one whole-Hub run."))
            : null;
    }

    /// <summary>One file as one run: the run's id, and why it failed (null when it succeeded).</summary>
    private async Task<(int? RunId, string? Failure)> ImportFileAsync(PlannedFile file, bool terminal, TextWriter output, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var run = new IngestionRun
        {
            StartedAt = file.Time.At,
            Status = RunStatus.Running,
            Trigger = RunTrigger.Import,
            Source = RunSource.HubStats,
            SourceKey = file.Key,
            Host = $"{Environment.MachineName} pid {Environment.ProcessId}, import of {Path.GetFileName(file.Path)}",
        };
        var rejected = new Dictionary<string, int>(StringComparer.Ordinal);
        var unknown = new Dictionary<string, int>(StringComparer.Ordinal);
        long read = 0;
        try
        {
            await using (var writer = SnapshotWriter.Open(store, registry))
            {
                var newest = await NewestRunAtAsync(cancellationToken);
                await writer.AddRunAsync(run, cancellationToken);
                writer.CommitBatch();
                writer.StartRun(run.Id, keepStoredMetadata: newest is { } latest && file.Time.At < latest);
                await ImportProgress.RunAsync(Path.GetFileName(file.Path), file.Rows, terminal, output, async progress =>
                {
                    await foreach (var models in ReadAsync(file.Path, cancellationToken))
                    {
                        foreach (var model in models)
                        {
                            Store(writer, run, model, rejected, unknown);
                        }

                        writer.CommitBatch();
                        read += models.Length;
                        progress(models.Length);
                    }

                    return read;
                });

                run.Models = writer.Written;
                if (RecordValidator.DistrustRun(run.Models, rejected) is { } distrust)
                {
                    throw new InvalidOperationException(distrust);
                }

                // The run's final transaction: nothing of it is visible until it commits, and Ctrl+C rolls it back.
                var name = Path.GetFileName(file.Path);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"import: {name}: {run.Models:N0} models staged; resolving their origins, then publishing the run"));
                // No look-ups: the file is the whole Hub, so a parent it lacks was gone (or private) that day.
                writer.ApplyRenames();
                var origins = await ImportProgress.RunAsync($"{name}, origins", run.Models, terminal, output,
                    progress => Task.FromResult(writer.ResolveOrigins(registry, fixes, run.Id, progress, cancellationToken)));
                (run.LineageCycles, run.MissingParents) = (origins.Cycles, origins.Missing);
                run.Rejected = rejected.Values.Sum();
                run.RejectedReasons = Reasons(rejected);
                run.UnknownFieldReasons = Reasons(unknown);
                run.FinishedAt = file.Time.At;
                run.Status = RunStatus.Succeeded;
                await ImportProgress.RunAsync($"{name}, publishing", run.Models, terminal, output, async (progress, step) =>
                {
                    await writer.CompleteRunAsync(run, cancellationToken, progress, step);
                    return run.Models;
                });
            }
        }
        catch (Exception exception)
        {
            run.Error = cancellationToken.IsCancellationRequested
                ? string.Create(CultureInfo.InvariantCulture, $"Cancelled (Ctrl+C) after {read:N0} of {file.Rows:N0} rows of {file.Path}; nothing of it is visible.")
                : exception is ImportFileException or InvalidOperationException or System.Data.Common.DbException
                    ? exception.Message.ReplaceLineEndings(" ")
                    : $"{exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}";
            if (run.Id == 0)
            {
                return (null, run.Error);
            }

            await RecordFailureAsync(run);
            LogFailed(run.Id, file.Path, run.Error);
            return (run.Id, run.Error);
        }

        var rate = clock.Elapsed.TotalSeconds > 0 ? read / clock.Elapsed.TotalSeconds : 0;
        var why = run.RejectedReasons is { } reasons ? ": " + reasons : "";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"import: run {run.Id} succeeded: {file.Path} at {file.Time.At:yyyy-MM-dd HH:mm:ss} UTC, {run.Models:N0} models ({run.Rejected:N0} rejected{why}; {run.UnknownFields:N0} with fields left unknown; {run.Changed:N0} changed, {run.Removed:N0} no longer listed) in {ProgressPoint.Words(clock.Elapsed)} ({rate:N0} rows/s). {Credit}"));
        LogImported(run.Id, file.Path, file.Time.At, run.Models, run.Rejected, clock.Elapsed);
        await runner.NotifySucceededAsync(run.Id);
        return (run.Id, null);
    }

    /// <summary>A row through the live run's rules: rejected when its id or 30-day count cannot be trusted, else stored, with untrustworthy counts unknown.</summary>
    private void Store(SnapshotWriter writer, IngestionRun run, HubModel model, Dictionary<string, int> rejected, Dictionary<string, int> unknown)
    {
        var check = RecordValidator.Check(model);
        if (check.Rejection is { } reason)
        {
            rejected[reason] = rejected.GetValueOrDefault(reason) + 1;
            LogRejected(run.Id, model.Id ?? "(no id)", reason);
            return;
        }

        switch (writer.Write(model, inCensus: true))
        {
            case WriteOutcome.Written:
                run.CensusModels++;
                // A column the file's era lacks is unknown for every row: said once, not counted per model.
                var reasons = check.Unknown.Where(why => !why.StartsWith("missing ", StringComparison.Ordinal)).ToArray();
                if (reasons.Length > 0)
                {
                    run.UnknownFields++;
                    foreach (var why in reasons)
                    {
                        unknown[why] = unknown.GetValueOrDefault(why) + 1;
                    }
                }

                break;
            case WriteOutcome.Duplicate:
                run.Duplicates++;
                break;
        }
    }

    /// <summary>The file's rows in batches of <see cref="Batch"/>, read a batch ahead of the writer on a thread of their own (reading and writing overlap).</summary>
    private static async IAsyncEnumerable<HubModel[]> ReadAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var groups = Channel.CreateBounded<HubModel[]>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(async () =>
        {
            try
            {
                using var file = await HubStatsFile.OpenAsync(path, stop.Token);
                await foreach (var models in file.ReadAsync(Batch, stop.Token))
                {
                    await groups.Writer.WriteAsync(models, stop.Token);
                }

                groups.Writer.Complete();
            }
            catch (Exception exception)
            {
                groups.Writer.Complete(exception);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var models in groups.Reader.ReadAllAsync(cancellationToken))
            {
                yield return models;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await reading;
        }
    }

    /// <summary>The time of the newest succeeded run, whose metadata the models carry.</summary>
    private async Task<DateTime?> NewestRunAtAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().Where(run => run.Status == RunStatus.Succeeded).MaxAsync(run => run.FinishedAt, cancellationToken);
    }

    private async Task RecordFailureAsync(IngestionRun run)
    {
        // Not the import's token: a Ctrl+C must still record why the run ended.
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.Listings.Where(listing => listing.RunId == run.Id).ExecuteDeleteAsync(CancellationToken.None);
        run.Status = RunStatus.Failed;
        run.FinishedAt = time.GetUtcNow().UtcDateTime;
        run.Models = 0;
        db.Runs.Attach(run);
        db.Entry(run).State = EntityState.Modified;
        await db.SaveChangesAsync(CancellationToken.None);
    }


    private static string? Reasons(Dictionary<string, int> counts) => counts.Count == 0
        ? null
        : string.Join("; ", counts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}: {pair.Value}"));

    private sealed record PlannedFile(string Path, ImportTime Time, string Key, long Rows, IReadOnlyList<string> Absent);

    private sealed record Covered(int RunId, bool SameFile, string Why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} imported {Path} as of {At}: {Models} models, {Rejected} rejected, in {Duration}")]
    private partial void LogImported(int runId, string path, DateTime at, int models, int rejected, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} rejected record {ModelId}: {Reason}")]
    private partial void LogRejected(int runId, string modelId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId}, the import of {Path}, failed: {Error}")]
    private partial void LogFailed(int runId, string path, string error);
}

public static class ImportSetup
{
    public static IHostApplicationBuilder AddImport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<HubStatsImport>();
        return builder;
    }
}
