using OpenModelWatch.Hub;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>What asking the Hub about models no longer listed found.</summary>
public readonly record struct RemovalStats(int LookedUp, int Gone, int Renamed);

/// <summary>
/// After a whole-Hub listing, the models the previous run listed and this one did not are gone from the public Hub:
/// deleted, made private, or renamed. The listing cannot tell which, so the most downloaded of them (at most
/// <c>Census:MaxRemovedLookups</c> a run) are looked up: a renamed repository answers with its new name (the Hub's 307,
/// followed), recorded in the look-ups as the parents' renames are, so the old name's history says where it went; a
/// 404 is gone. The counts are never merged: each run counts the model under the name the Hub listed that day, once.
/// </summary>
public sealed partial class RemovalCheck(HubClient hub, TimeProvider time, ILogger<RemovalCheck> logger)
{
    public async Task<RemovalStats> CheckAsync(SnapshotWriter writer, int runId, int budget, CancellationToken cancellationToken)
    {
        var (gone, renamed) = (0, 0);
        var missing = writer.NoLongerListed(runId, budget);
        foreach (var id in missing)
        {
            var found = await hub.GetModelAsync(id, cancellationToken);
            var renamedTo = LineageResolver.RenamedTo(id, found);
            if (found?.Id is null)
            {
                gone++;
            }
            else if (renamedTo is not null)
            {
                renamed++;
                LogRenamed(id, renamedTo);
            }

            writer.RecordLookup(id, found: found?.Id is not null, time.GetUtcNow().UtcDateTime, renamedTo);
        }

        writer.CommitBatch();
        LogChecked(runId, missing.Count, budget, gone, renamed);
        return new RemovalStats(missing.Count, gone, renamed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {OldId} is no longer listed: renamed on the Hub to {NewId}")]
    private partial void LogRenamed(string oldId, string newId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: {LookedUp} models no longer listed looked up (limit {Limit}): {Gone} gone, {Renamed} renamed")]
    private partial void LogChecked(int runId, int lookedUp, int limit, int gone, int renamed);
}
