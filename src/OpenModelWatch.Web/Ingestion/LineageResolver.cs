using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OpenModelWatch.Hub;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>What lineage resolution did in one run.</summary>
public readonly record struct LineageStats(int Lookups, int Cycles, int MissingParents, int Derivatives);

/// <summary>
/// Finds each model's origin: the root of its chain of first parents (<c>base_model:</c>). Parents the store lacks
/// are looked up on the Hub once each (bounded per run, most downloaded children first) and kept, found or not, since
/// lineage does not change. A chain that loops is cut and counted, its origin left unknown; a chain that ends at a
/// parent the Hub does not have ends there, and the origin is that parent's namespace.
/// </summary>
public sealed partial class LineageResolver(
    HubClient hub,
    LabRegistry registry,
    IOptions<CensusOptions> options,
    TimeProvider time,
    ILogger<LineageResolver> logger)
{
    /// <summary>Longest chain followed; real chains are a handful deep, so this only stops pathological ones.</summary>
    public const int MaxDepth = 64;

    public async Task<LineageStats> ResolveAsync(SnapshotWriter writer, int runId, CancellationToken cancellationToken)
    {
        var lookups = await LookUpMissingParentsAsync(writer, runId, cancellationToken);
        var (cycles, missing, derivatives) = ResolveOrigins(writer, registry, runId);
        LogResolved(runId, lookups, options.Value.MaxParentLookups, cycles, missing, derivatives);
        return new LineageStats(lookups, cycles, missing, derivatives);
    }

    private async Task<int> LookUpMissingParentsAsync(SnapshotWriter writer, int runId, CancellationToken cancellationToken)
    {
        var budget = options.Value.MaxParentLookups;
        var lookups = 0;
        while (lookups < budget)
        {
            var missing = MissingParents(writer, runId, budget - lookups);
            if (missing.Count == 0)
            {
                break;
            }

            foreach (var id in missing)
            {
                var parent = await hub.GetModelAsync(id, cancellationToken);
                lookups++;
                if (parent?.Id is not null)
                {
                    // Kept under the id its child names, even if the Hub answers with a renamed repository.
                    writer.WriteParentOnly(new HubModel
                    {
                        Id = id,
                        CreatedAt = parent.CreatedAt,
                        PipelineTag = parent.PipelineTag,
                        LibraryName = parent.LibraryName,
                        Tags = parent.Tags,
                        Safetensors = parent.Safetensors,
                    });
                }

                using var record = writer.CreateCommand();
                record.CommandText = "INSERT OR REPLACE INTO LineageLookups (HubId, Found, LookedUpAt) VALUES ($id, $found, $at)";
                record.Parameters.AddWithValue("$id", id);
                record.Parameters.AddWithValue("$found", parent?.Id is not null);
                record.Parameters.AddWithValue("$at", SnapshotWriter.StoreTime(time.GetUtcNow().UtcDateTime));
                record.ExecuteNonQuery();
            }

            writer.CommitBatch();
        }

        return lookups;
    }

    /// <summary>First parents named by this run's models (or by parents met earlier) that the store has never seen.</summary>
    private static List<string> MissingParents(SnapshotWriter writer, int runId, int limit)
    {
        using var command = writer.CreateCommand();
        command.CommandText = """
            SELECT c.BaseModel FROM Models c
            LEFT JOIN Snapshots s ON s.ModelId = c.Id AND s.RunId = $run
            WHERE c.BaseModel IS NOT NULL AND (s.ModelId IS NOT NULL OR c.LastSeenRunId = 0)
              AND NOT EXISTS (SELECT 1 FROM Models p WHERE p.HubId = c.BaseModel)
              AND NOT EXISTS (SELECT 1 FROM LineageLookups l WHERE l.HubId = c.BaseModel)
            GROUP BY c.BaseModel
            ORDER BY SUM(COALESCE(s.Downloads30d, 0)) DESC, c.BaseModel
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>
    /// Sets <c>OriginId</c> and <c>OriginLabId</c> of every model in the run, in SQL: a recursive walk up first
    /// parents with the path kept to detect loops. Also used for the bundled snapshot's runs (no look-ups there).
    /// Runs in the writer's current batch; the caller commits.
    /// </summary>
    public static (int Cycles, int Missing, int Derivatives) ResolveOrigins(SnapshotWriter writer, LabRegistry registry, int runId)
    {
        using (var setup = writer.CreateCommand())
        {
            setup.CommandText = """
                CREATE TEMP TABLE IF NOT EXISTS OriginNamespaces (Namespace TEXT PRIMARY KEY COLLATE NOCASE, LabId TEXT NOT NULL);
                DELETE FROM OriginNamespaces;
                DROP TABLE IF EXISTS temp.Origins;
                """;
            setup.ExecuteNonQuery();
        }

        using (var insert = writer.CreateCommand())
        {
            insert.CommandText = "INSERT OR IGNORE INTO OriginNamespaces VALUES ($ns, $lab)";
            var ns = insert.Parameters.Add("$ns", SqliteType.Text);
            var lab = insert.Parameters.Add("$lab", SqliteType.Text);
            foreach (var entry in registry.Labs)
            {
                foreach (var name in entry.Namespaces)
                {
                    ns.Value = name;
                    lab.Value = entry.Id;
                    insert.ExecuteNonQuery();
                }
            }
        }

        using (var walk = writer.CreateCommand())
        {
            walk.CommandText = $"""
                CREATE TEMP TABLE Origins AS
                WITH RECURSIVE chain(ModelId, Current, Depth, Path, Cycle) AS (
                    SELECT m.Id, m.HubId, 0, '|' || m.HubId || '|', 0
                    FROM Snapshots s JOIN Models m ON m.Id = s.ModelId WHERE s.RunId = $run
                    UNION ALL
                    SELECT c.ModelId, p.BaseModel, c.Depth + 1, c.Path || p.BaseModel || '|',
                           instr(c.Path, '|' || p.BaseModel || '|') > 0
                    FROM chain c JOIN Models p ON p.HubId = c.Current
                    WHERE p.BaseModel IS NOT NULL AND c.Cycle = 0 AND c.Depth < {MaxDepth}
                )
                SELECT ModelId, Current AS Root, Depth, Cycle OR Depth >= {MaxDepth} AS Cycle FROM (
                    SELECT *, ROW_NUMBER() OVER (PARTITION BY ModelId ORDER BY Depth DESC) AS Rank FROM chain
                ) WHERE Rank = 1;
                UPDATE Models SET
                    OriginId = CASE WHEN o.Cycle THEN NULL ELSE o.Root END,
                    OriginLabId = CASE WHEN o.Cycle THEN NULL ELSE
                        (SELECT n.LabId FROM OriginNamespaces n WHERE n.Namespace = substr(o.Root, 1, instr(o.Root, '/') - 1)) END
                FROM temp.Origins o WHERE Models.Id = o.ModelId;
                """;
            walk.Parameters.AddWithValue("$run", runId);
            walk.ExecuteNonQuery();
        }

        using var count = writer.CreateCommand();
        count.CommandText = """
            SELECT
                (SELECT COUNT(*) FROM temp.Origins WHERE Cycle),
                (SELECT COUNT(*) FROM temp.Origins o WHERE NOT o.Cycle AND o.Depth > 0 AND NOT EXISTS (SELECT 1 FROM Models m WHERE m.HubId = o.Root)),
                (SELECT COUNT(*) FROM temp.Origins WHERE Depth > 0 OR Cycle)
            """;
        using var reader = count.ExecuteReader();
        reader.Read();
        return (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Run {RunId} lineage: {Lookups} parent look-ups (limit {Limit}), {Cycles} cycles, {Missing} chains ending at a missing parent, {Derivatives} derivatives")]
    private partial void LogResolved(int runId, int lookups, int limit, int cycles, int missing, int derivatives);
}
