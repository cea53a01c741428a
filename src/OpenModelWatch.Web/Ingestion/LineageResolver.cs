using Microsoft.Extensions.Options;
using OpenModelWatch.Hub;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>What lineage resolution did in one run.</summary>
public readonly record struct LineageStats(int Lookups, int Cycles, int MissingParents, int Derivatives);

/// <summary>
/// Finds each model's origin: the root of its chain of first parents (<c>base_model:</c>, else a curated fix), and
/// the origin lab, the registered link closest to that root. Parents the store lacks
/// are looked up on the Hub once each (bounded per run, most downloaded children first) and kept, found or not, since
/// lineage does not change. A chain that loops is cut and counted, its origin left unknown; a chain that ends at a
/// parent the Hub does not have ends there, and the origin is that parent's namespace.
/// </summary>
public sealed partial class LineageResolver(
    HubClient hub,
    LabRegistry registry,
    LineageFixes fixes,
    IOptions<CensusOptions> options,
    TimeProvider time,
    ILogger<LineageResolver> logger)
{
    public async Task<LineageStats> ResolveAsync(SnapshotWriter writer, int runId, CancellationToken cancellationToken, Action<long>? progress = null)
    {
        var lookups = await LookUpMissingParentsAsync(writer, runId, cancellationToken);
        // After the look-ups: children naming a renamed repository (this run's look-ups or earlier ones) point to its new name.
        writer.ApplyRenames();
        var origins = writer.ResolveOrigins(registry, fixes, runId, progress, cancellationToken);
        foreach (var fix in origins.FixesClosingLoops)
        {
            LogFixNotApplied(fixes.LoopMessage(fix));
        }

        LogResolved(runId, lookups, options.Value.MaxParentLookups, origins.Cycles, origins.Missing, origins.Derivatives);
        return new LineageStats(lookups, origins.Cycles, origins.Missing, origins.Derivatives);
    }

    /// <summary>
    /// The new name of a repository looked up as <paramref name="id"/> when the Hub answered under another (its redirect
    /// followed); else null, as when the name it answered with is not a well-formed id (it is stored, and PostgreSQL
    /// cannot store a NUL).
    /// </summary>
    public static string? RenamedTo(string id, HubModel? found) =>
        found?.Id is { } newId && !string.Equals(newId, id, StringComparison.Ordinal) && RecordValidator.IsWellFormedId(newId) ? newId : null;

    private async Task<int> LookUpMissingParentsAsync(SnapshotWriter writer, int runId, CancellationToken cancellationToken)
    {
        var budget = options.Value.MaxParentLookups;
        var lookups = 0;
        while (lookups < budget)
        {
            var missing = writer.MissingParents(runId, budget - lookups);
            if (missing.Count == 0)
            {
                break;
            }

            foreach (var id in missing)
            {
                // A renamed repository answers 307 to its new name; the handler follows it and the body names the new id.
                // An answer whose id is not well formed cannot be stored: the parent stays unresolved, as if not found.
                var parent = await hub.GetModelAsync(id, cancellationToken) is { } answer && RecordValidator.IsWellFormedId(answer.Id) ? answer : null;
                lookups++;
                var renamedTo = RenamedTo(id, parent);
                if (parent?.Id is not null)
                {
                    // Kept under the Hub's current name; children naming the old one are pointed to it (ApplyRenames).
                    writer.WriteParentOnly(new HubModel
                    {
                        Id = parent.Id,
                        CreatedAt = parent.CreatedAt,
                        PipelineTag = parent.PipelineTag,
                        LibraryName = parent.LibraryName,
                        Tags = parent.Tags,
                        Safetensors = parent.Safetensors,
                    });
                }

                writer.RecordLookup(id, found: parent?.Id is not null, time.GetUtcNow().UtcDateTime, renamedTo);
                if (renamedTo is not null)
                {
                    LogRenamed(id, renamedTo);
                }
            }

            writer.CommitBatch();
        }

        return lookups;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Parent {OldId} was renamed on the Hub to {NewId}; its children now name {NewId}")]
    private partial void LogRenamed(string oldId, string newId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
    private partial void LogFixNotApplied(string message);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Run {RunId} lineage: {Lookups} parent look-ups (limit {Limit}), {Cycles} cycles, {Missing} chains ending at a missing parent, {Derivatives} derivatives")]
    private partial void LogResolved(int runId, int lookups, int limit, int cycles, int missing, int derivatives);
}
