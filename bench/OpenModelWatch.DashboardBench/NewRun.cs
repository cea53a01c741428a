using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.DashboardBench;

/// <summary>
/// Appends one more succeeded run, the generator's next day, through the app's own write path: the run row as the
/// ingestion records it, every listed model through <see cref="SnapshotWriter.Write"/> (model upsert and listing, a
/// batch committed every 1,000 models as the ingestion commits a page), the lineage walk
/// (<see cref="SnapshotWriter.ResolveOrigins"/>; no Hub look-ups, every parent is stored) and the run's final
/// transaction (<see cref="SnapshotWriter.CompleteRunAsync"/>: <see cref="RunPublisher"/> turns the listings into ranges,
/// latest counts and totals). Only the Hub is missing: the models come from the generator instead of HTTP pages.
/// </summary>
public static class NewRun
{
    public static async Task<int> AppendAsync(IServiceProvider app, StoreGenerator generator, TextWriter log)
    {
        var store = app.GetRequiredService<StoreConnection>();
        var registry = app.GetRequiredService<LabRegistry>();
        var fixes = app.GetRequiredService<LineageFixes>();
        var dbFactory = app.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>();
        var day = generator.Runs + 1;
        var clock = Stopwatch.StartNew();
        var run = new IngestionRun { StartedAt = generator.RunAt(day), Status = RunStatus.Running, Trigger = RunTrigger.Schedule, Host = "bench new run" };
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            db.Entry(run).State = EntityState.Detached;
        }

        await using var writer = SnapshotWriter.Open(store, registry);
        writer.StartRun(run.Id);
        var lastId = generator.LastId(day);
        var listed = 0;
        var progress = Stopwatch.StartNew();
        for (var id = 1; id <= lastId; id++)
        {
            if (!generator.Listed(id, day))
            {
                continue;
            }

            var model = generator.Listing(id, day);
            var inCensus = generator.Counts(id, generator.RangeStart(id, day)).InCensus;
            writer.Write(model, inCensus);
            if (inCensus)
            {
                run.CensusModels++;
            }

            if (++listed % 1000 == 0)
            {
                writer.CommitBatch();
            }

            if (progress.Elapsed.TotalSeconds >= 10)
            {
                progress.Restart();
                log.WriteLine(FormattableString.Invariant($"  new run {run.Id}: {listed:N0} models written, {clock.Elapsed.TotalSeconds:F0} s (load {BenchLoad.Average})"));
            }
        }

        writer.CommitBatch();
        var written = clock.Elapsed;
        var resolved = writer.ResolveOrigins(registry, fixes, run.Id);
        writer.CommitBatch();
        var origins = clock.Elapsed - written;
        run.Models = writer.Written;
        run.LineageCycles = resolved.Cycles;
        run.MissingParents = resolved.Missing;
        run.Namespaces = registry.Namespaces.Count();
        run.FinishedAt = run.StartedAt + clock.Elapsed;
        run.Status = RunStatus.Succeeded;
        await writer.CompleteRunAsync(run, CancellationToken.None);
        var published = clock.Elapsed - written - origins;
        log.WriteLine(FormattableString.Invariant($"new run {run.Id} through SnapshotWriter + RunPublisher: {run.Models:N0} models listed, {run.Changed:N0} changed or new, {run.Removed:N0} removed; ") +
            FormattableString.Invariant($"writes {written.TotalSeconds:F1} s, lineage walk {origins.TotalSeconds:F1} s, publish (ranges, latest counts, totals) {published.TotalSeconds:F1} s, ") +
            FormattableString.Invariant($"total {clock.Elapsed.TotalSeconds:F1} s (load {BenchLoad.Average})"));
        return run.Id;
    }
}
