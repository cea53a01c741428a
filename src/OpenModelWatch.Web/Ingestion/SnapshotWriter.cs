using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Hub;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>
/// Writes runs' models and listings through prepared statements, in batches: each batch is one short transaction
/// (a page of the Hub's listing), so the web host and other processes can write between them. A run's listings are
/// staging rows, invisible to every reader; the run's final transaction (<see cref="CompleteRunAsync"/>) turns them
/// into count ranges (only what changed), the models' latest counts and the run's totals, marks the run succeeded and
/// deletes them. A failed or killed run's listings are deleted. Change tracking is not used: a run can hold millions
/// of rows.
/// </summary>
public sealed class SnapshotWriter : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _transaction;
    private readonly SqliteCommand _upsertModel;
    private readonly SqliteCommand _upsertSeenOnly;
    private readonly SqliteCommand _insertSnapshot;
    private readonly SqliteCommand _alreadyInRun;
    private readonly SqliteCommand _insertParent;
    private readonly SqliteCommand _recordLookup;
    private readonly LabRegistry _registry;
    private readonly HashSet<ulong> _seenInCensus = [];
    private readonly HashSet<ulong> _seenInNamespaces = [];

    // The Models row, written from a listing (upserted) or from a parent look-up (kept if already there): one column list.
    private const string ModelColumns = "HubId, Namespace, LabId, Country, Task, Library, License, CreatedAt, Parameters, BaseModel, Relation, Parents, FirstSeenRunId, LastSeenRunId";
    private const string ModelValues = "$hubId, $ns, $lab, $country, $task, $library, $license, $createdAt, $parameters, $baseModel, $relation, $parents, $run, $run";
    private static readonly string[] _modelParameters = ["$hubId", "$ns", "$lab", "$country", "$task", "$library", "$license", "$createdAt", "$parameters", "$baseModel", "$relation", "$parents", "$run"];

    private SnapshotWriter(SqliteConnection connection, LabRegistry registry)
    {
        _connection = connection;
        _registry = registry;
        using (var pragma = connection.CreateCommand())
        {
            // WAL with synchronous=NORMAL cannot corrupt the file on a crash; at worst the last commit is lost on power loss.
            pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32000;";
            pragma.ExecuteNonQuery();
        }

        _upsertModel = Prepare($"""
            INSERT INTO Models ({ModelColumns}) VALUES ({ModelValues})
            ON CONFLICT(HubId) DO UPDATE SET Namespace = excluded.Namespace, LabId = excluded.LabId, Country = excluded.Country, Task = excluded.Task,
                Library = excluded.Library, License = excluded.License, CreatedAt = excluded.CreatedAt,
                Parameters = excluded.Parameters, BaseModel = excluded.BaseModel, Relation = excluded.Relation,
                Parents = excluded.Parents, LastSeenRunId = excluded.LastSeenRunId
            RETURNING Id
            """, _modelParameters);
        // A model from a source that has only counts (the bundled monthly history): its metadata and lineage, if the
        // store has them, are kept; only when it was first and last seen move, by the runs' times rather than their ids,
        // since such a run can be recorded after later ones.
        _upsertSeenOnly = Prepare($"""
            INSERT INTO Models ({ModelColumns}) VALUES ({ModelValues})
            ON CONFLICT(HubId) DO UPDATE SET
                FirstSeenRunId = CASE WHEN (SELECT FinishedAt FROM Runs WHERE Id = Models.FirstSeenRunId) <= (SELECT FinishedAt FROM Runs WHERE Id = excluded.FirstSeenRunId)
                    THEN Models.FirstSeenRunId ELSE excluded.FirstSeenRunId END,
                LastSeenRunId = CASE WHEN (SELECT FinishedAt FROM Runs WHERE Id = Models.LastSeenRunId) > (SELECT FinishedAt FROM Runs WHERE Id = excluded.LastSeenRunId)
                    THEN Models.LastSeenRunId ELSE excluded.LastSeenRunId END
            RETURNING Id
            """, _modelParameters);
        // A parent met through a look-up is in no run: first and last seen in run 0.
        _insertParent = Prepare($"INSERT INTO Models ({ModelColumns}) VALUES ({ModelValues}) ON CONFLICT(HubId) DO NOTHING", _modelParameters);
        _insertParent.Parameters["$run"].Value = 0;
        _recordLookup = Prepare("INSERT OR REPLACE INTO LineageLookups (HubId, Found, LookedUpAt, RenamedTo) VALUES ($id, $found, $at, $renamedTo)", "$id", "$found", "$at", "$renamedTo");
        _insertSnapshot = Prepare("""
            INSERT INTO Listings (RunId, ModelId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus)
            VALUES ($run, $model, $d30, $dall, $likes, $trending, $census)
            ON CONFLICT DO NOTHING
            """, "$run", "$model", "$d30", "$dall", "$likes", "$trending", "$census");
        _alreadyInRun = Prepare(
            "SELECT EXISTS (SELECT 1 FROM Listings s JOIN Models m ON m.Id = s.ModelId WHERE s.RunId = $run AND m.HubId = $hubId)",
            "$run", "$hubId");
    }

    /// <summary>Longest chain of first parents followed; real chains are a handful deep, so this only stops pathological ones.</summary>
    public const int MaxLineageDepth = 64;

    /// <summary>Listings written for the current run.</summary>
    public int Written { get; private set; }

    public static SnapshotWriter Open(StoreConnection store, LabRegistry registry) => new(store.Open(), registry);

    /// <summary>The run the next writes belong to.</summary>
    public void StartRun(int runId)
    {
        _upsertModel.Parameters["$run"].Value = runId;
        _upsertSeenOnly.Parameters["$run"].Value = runId;
        _insertSnapshot.Parameters["$run"].Value = runId;
        _alreadyInRun.Parameters["$run"].Value = runId;
        _seenInCensus.Clear();
        _seenInNamespaces.Clear();
        Written = 0;
    }

    /// <summary>A command in the current batch's transaction (begun if none is open).</summary>
    private SqliteCommand CreateCommand()
    {
        var command = _connection.CreateCommand();
        command.Transaction = Batch();
        return command;
    }

    /// <summary>Commits the current batch, if one is open.</summary>
    public void CommitBatch()
    {
        if (_transaction is not null)
        {
            _transaction.Commit();
            _transaction.Dispose();
            _transaction = null;
        }
    }

    /// <summary>
    /// Stores a validated record. A model listed twice by the same listing is a <see cref="WriteOutcome.Duplicate"/>;
    /// a namespace's model already stored from the census is <see cref="WriteOutcome.AlreadyInCensus"/>, as expected.
    /// <paramref name="metadataKnown"/> false: the source has counts only (no task, licence, creation date, size or
    /// lineage), so a model the store already has keeps its metadata rather than losing it to unknowns.
    /// </summary>
    public WriteOutcome Write(HubModel model, bool inCensus = false, bool metadataKnown = true)
    {
        var transaction = Batch();
        var upsert = metadataKnown ? _upsertModel : _upsertSeenOnly;
        upsert.Transaction = transaction;
        _insertSnapshot.Transaction = transaction;
        _alreadyInRun.Transaction = transaction;
        var id = model.Id!;
        var hash = Fnv1a64(id);
        if (!inCensus && _seenInCensus.Contains(hash) && IsAlreadyInRun(id))
        {
            return WriteOutcome.AlreadyInCensus;
        }

        if (!(inCensus ? _seenInCensus : _seenInNamespaces).Add(hash) && IsAlreadyInRun(id))
        {
            return WriteOutcome.Duplicate;
        }

        var p = upsert.Parameters;
        p["$hubId"].Value = id;
        SetMetadata(model, p);
        SetLineage(model, p);
        var modelId = Convert.ToInt32(upsert.ExecuteScalar(), CultureInfo.InvariantCulture);

        var s = _insertSnapshot.Parameters;
        s["$model"].Value = modelId;
        s["$d30"].Value = model.Downloads.Value;
        s["$dall"].Value = Stored(model.DownloadsAllTime, SecondaryCount.DownloadsAllTime);
        s["$likes"].Value = Stored(model.Likes, SecondaryCount.Likes);
        s["$trending"].Value = Stored(model.TrendingScore, SecondaryCount.TrendingScore);
        s["$census"].Value = inCensus;
        if (_insertSnapshot.ExecuteNonQuery() == 0)
        {
            return WriteOutcome.Duplicate;
        }

        Written++;
        return WriteOutcome.Written;
    }

    /// <summary>A secondary count as stored: the Hub's value, or NULL (unknown) where <see cref="RecordValidator"/> does not trust it.</summary>
    private static object Stored(HubCount count, SecondaryCount field) =>
        RecordValidator.Untrusted(count, field) is null ? count.Value : DBNull.Value;

    /// <summary>
    /// A parent met through a look-up, not a listing: stored so its own parents can be followed, with no snapshot
    /// (it is not in the run). False if the store already has it.
    /// </summary>
    public bool WriteParentOnly(HubModel model)
    {
        _insertParent.Transaction = Batch();
        _insertParent.Parameters["$hubId"].Value = model.Id;
        SetMetadata(model, _insertParent.Parameters);
        SetLineage(model, _insertParent.Parameters);
        return _insertParent.ExecuteNonQuery() == 1;
    }

    /// <summary>
    /// Remembers that a parent was looked up on the Hub, found or not, and its new name when the Hub redirected the
    /// look-up to a renamed repository: lineage does not change, so never again.
    /// </summary>
    public void RecordLookup(string hubId, bool found, DateTime at, string? renamedTo = null)
    {
        _recordLookup.Transaction = Batch();
        _recordLookup.Parameters["$id"].Value = hubId;
        _recordLookup.Parameters["$found"].Value = found;
        _recordLookup.Parameters["$at"].Value = at;
        _recordLookup.Parameters["$renamedTo"].Value = (object?)renamedTo ?? DBNull.Value;
        _recordLookup.ExecuteNonQuery();
    }

    /// <summary>
    /// Points children that name a renamed repository (a look-up the Hub redirected) to its new name, in
    /// <c>BaseModel</c> and <c>Parents</c>: their tags keep the old name, so every run's listing brings it back.
    /// </summary>
    public int ApplyRenames()
    {
        using var command = CreateCommand();
        command.CommandText = """
            UPDATE Models SET
                BaseModel = l.RenamedTo,
                Parents = trim(replace(' ' || Parents || ' ', ':' || l.HubId || ' ', ':' || l.RenamedTo || ' '))
            FROM LineageLookups l
            WHERE l.RenamedTo IS NOT NULL AND Models.BaseModel = l.HubId
            """;
        return command.ExecuteNonQuery();
    }

    private void SetMetadata(HubModel model, SqliteParameterCollection p)
    {
        p["$ns"].Value = model.Namespace;
        var lab = _registry.ForNamespace(model.Namespace);
        p["$lab"].Value = (object?)lab?.Id ?? DBNull.Value;
        p["$country"].Value = (object?)lab?.Country ?? DBNull.Value;
        p["$task"].Value = (object?)model.PipelineTag ?? DBNull.Value;
        p["$library"].Value = (object?)model.LibraryName ?? DBNull.Value;
        p["$license"].Value = (object?)model.License ?? DBNull.Value;
        p["$createdAt"].Value = model.CreatedAtUtc is { } created ? created.UtcDateTime : DBNull.Value;
        p["$parameters"].Value = (object?)model.Parameters ?? DBNull.Value;
    }

    private static void SetLineage(HubModel model, SqliteParameterCollection p)
    {
        var lineage = model.Lineage;
        p["$baseModel"].Value = lineage.Count > 0 ? lineage[0].ParentId : DBNull.Value;
        p["$relation"].Value = lineage.Count > 0 ? lineage[0].Relation.ToTagName() : DBNull.Value;
        p["$parents"].Value = lineage.Count > 0
            ? string.Join(' ', lineage.Select(edge => edge.Relation.ToTagName() + ":" + edge.ParentId))
            : DBNull.Value;
    }

    /// <summary>Records a new run in the current batch (through EF Core, as every other write of the Runs table) and returns its id.</summary>
    public async Task<int> AddRunAsync(IngestionRun run, CancellationToken cancellationToken)
    {
        await using var db = RunsContext();
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run.Id;
    }

    /// <summary>
    /// Publishes the run in the last batch: its listings become count ranges and the models' latest counts
    /// (<see cref="RunPublisher"/>), its totals are written, and the run is marked succeeded with its final numbers.
    /// From this commit on, the run is visible, whole; before it, nothing of it is.
    /// </summary>
    public async Task CompleteRunAsync(IngestionRun run, CancellationToken cancellationToken)
    {
        await PublishAsync(run, cancellationToken);
        CommitBatch();
    }

    /// <summary>
    /// Turns the run's listings into count ranges, latest counts and totals, and saves the run row with how many models
    /// changed and how many are no longer listed, in the current batch (the caller commits).
    /// </summary>
    public async Task PublishAsync(IngestionRun run, CancellationToken cancellationToken)
    {
        var published = RunPublisher.Publish(_connection, Batch(), run.Id);
        run.Changed = published.Changed;
        run.Removed = published.Removed;
        await using var db = RunsContext();
        db.Runs.Update(run);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Models the latest succeeded run listed that this run has not, most downloaded first (at most <paramref name="limit"/>),
    /// excluding those already looked up and found renamed.
    /// </summary>
    public List<string> NoLongerListed(int runId, int limit)
    {
        using var command = CreateCommand();
        command.CommandText = """
            SELECT m.HubId FROM Models m
            WHERE m.Downloads30d IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM Listings l WHERE l.RunId = $run AND l.ModelId = m.Id)
              AND NOT EXISTS (SELECT 1 FROM LineageLookups k WHERE k.HubId = m.HubId AND k.RenamedTo IS NOT NULL)
            ORDER BY m.Downloads30d DESC, m.HubId
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

    /// <summary>First parents named by this run's models (or by parents met earlier) that the store has never seen.</summary>
    public List<string> MissingParents(int runId, int limit)
    {
        using var command = CreateCommand();
        command.CommandText = """
            SELECT c.BaseModel FROM Models c
            LEFT JOIN Listings s ON s.ModelId = c.Id AND s.RunId = $run
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
    /// Sets <c>OriginId</c> and <c>OriginLabId</c> of every model in the run, in SQL: a recursive walk up first parents
    /// (the declared <c>base_model:</c>, else the curated fix of a model that declares none) with the path kept to detect
    /// loops (at most <see cref="MaxLineageDepth"/> deep). <c>OriginId</c> is the raw root, the last link walked;
    /// <c>OriginLabId</c> the lab of the registered link closest to that root (the model itself included), null when
    /// no link is registered or the chain loops. A fix that would close a loop with the declared lineage is not applied
    /// and is returned. Also used for the bundled snapshot's runs (no look-ups there). Runs in the current batch; the
    /// caller commits.
    /// </summary>
    public OriginsResolved ResolveOrigins(LabRegistry registry, LineageFixes fixes, int runId)
    {
        using (var setup = CreateCommand())
        {
            setup.CommandText = """
                CREATE TEMP TABLE IF NOT EXISTS OriginNamespaces (Namespace TEXT PRIMARY KEY COLLATE NOCASE, LabId TEXT NOT NULL);
                DELETE FROM OriginNamespaces;
                CREATE TEMP TABLE IF NOT EXISTS LineageFixes (HubId TEXT PRIMARY KEY COLLATE NOCASE, Upstream TEXT NOT NULL);
                DELETE FROM LineageFixes;
                DROP TABLE IF EXISTS temp.Origins;
                """;
            setup.ExecuteNonQuery();
        }

        using (var insert = CreateCommand())
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

        using (var insert = CreateCommand())
        {
            insert.CommandText = "INSERT OR IGNORE INTO temp.LineageFixes VALUES ($id, $upstream)";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var upstream = insert.Parameters.Add("$upstream", SqliteType.Text);
            foreach (var fix in fixes.Fixes)
            {
                id.Value = fix.Model;
                upstream.Value = fix.Upstream;
                insert.ExecuteNonQuery();
            }
        }

        var loops = FixesClosingLoops(fixes);
        using (var walk = CreateCommand())
        {
            walk.CommandText = $"""
                CREATE TEMP TABLE Origins AS
                WITH RECURSIVE chain(ModelId, Current, Depth, Path, Cycle) AS (
                    SELECT m.Id, m.HubId, 0, '|' || m.HubId || '|', 0
                    FROM Listings s JOIN Models m ON m.Id = s.ModelId WHERE s.RunId = $run
                    UNION ALL
                    SELECT c.ModelId, {Parent}, c.Depth + 1, c.Path || {Parent} || '|', instr(c.Path, '|' || {Parent} || '|') > 0
                    FROM chain c {ParentJoins}
                    WHERE {Parent} IS NOT NULL AND c.Cycle = 0 AND c.Depth < {MaxLineageDepth}
                )
                SELECT ModelId, Root, Depth, Cycle, CASE WHEN Cycle THEN NULL ELSE LabId END AS LabId FROM (
                    SELECT c.ModelId, c.Current AS Root, c.Depth, c.Cycle OR c.Depth >= {MaxLineageDepth} AS Cycle,
                        ROW_NUMBER() OVER (PARTITION BY c.ModelId ORDER BY c.Depth DESC) AS Rank,
                        FIRST_VALUE(n.LabId) OVER (PARTITION BY c.ModelId ORDER BY n.LabId IS NULL, c.Depth DESC) AS LabId
                    FROM chain c LEFT JOIN OriginNamespaces n ON n.Namespace = substr(c.Current, 1, instr(c.Current, '/') - 1)
                ) WHERE Rank = 1;
                UPDATE Models SET OriginId = CASE WHEN o.Cycle THEN NULL ELSE o.Root END, OriginLabId = o.LabId,
                    OriginCountry = (SELECT l.Country FROM Labs l WHERE l.Id = o.LabId)
                FROM temp.Origins o WHERE Models.Id = o.ModelId;
                """;
            walk.Parameters.AddWithValue("$run", runId);
            walk.ExecuteNonQuery();
        }

        using var count = CreateCommand();
        count.CommandText = """
            SELECT
                (SELECT COUNT(*) FROM temp.Origins WHERE Cycle),
                (SELECT COUNT(*) FROM temp.Origins o WHERE NOT o.Cycle AND o.Depth > 0 AND NOT EXISTS (SELECT 1 FROM Models m WHERE m.HubId = o.Root)),
                (SELECT COUNT(*) FROM temp.Origins WHERE Depth > 0 OR Cycle)
            """;
        using var reader = count.ExecuteReader();
        reader.Read();
        return new OriginsResolved(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), loops);
    }

    // One step of the walk: the declared first parent, else the fix of a model that declares none (or is not stored).
    private const string Parent = "COALESCE(p.BaseModel, f.Upstream)";
    private const string ParentJoins = "LEFT JOIN Models p ON p.HubId = c.Current LEFT JOIN temp.LineageFixes f ON f.HubId = c.Current AND p.BaseModel IS NULL";

    /// <summary>Fixes whose upstream's lineage (declared, or fixed) leads back to the fixed model: removed from the walk.</summary>
    private List<LineageFix> FixesClosingLoops(LineageFixes fixes)
    {
        if (fixes.Fixes.Count == 0)
        {
            return [];
        }

        using var find = CreateCommand();
        find.CommandText = $"""
            WITH RECURSIVE up(Fixed, Current, Depth) AS (
                SELECT f.HubId, f.Upstream, 1 FROM temp.LineageFixes f
                WHERE NOT EXISTS (SELECT 1 FROM Models m WHERE m.HubId = f.HubId AND m.BaseModel IS NOT NULL)
                UNION ALL
                SELECT c.Fixed, {Parent}, c.Depth + 1
                FROM up c {ParentJoins}
                WHERE {Parent} IS NOT NULL AND c.Current <> c.Fixed COLLATE NOCASE AND c.Depth < {MaxLineageDepth}
            )
            SELECT DISTINCT Fixed FROM up WHERE Current = Fixed COLLATE NOCASE
            """;
        var loops = new List<LineageFix>();
        using (var reader = find.ExecuteReader())
        {
            while (reader.Read())
            {
                loops.Add(fixes.For(reader.GetString(0))!);
            }
        }

        using var remove = CreateCommand();
        remove.CommandText = "DELETE FROM temp.LineageFixes WHERE HubId = $id";
        var id = remove.Parameters.Add("$id", SqliteType.Text);
        foreach (var fix in loops)
        {
            id.Value = fix.Model;
            remove.ExecuteNonQuery();
        }

        return loops;
    }

    /// <summary>Rolls back a batch left open (a run that failed mid-page), then closes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.RollbackAsync();
            await _transaction.DisposeAsync();
        }

        await _upsertModel.DisposeAsync();
        await _upsertSeenOnly.DisposeAsync();
        await _insertSnapshot.DisposeAsync();
        await _alreadyInRun.DisposeAsync();
        await _insertParent.DisposeAsync();
        await _recordLookup.DisposeAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>The store's context on this writer's connection, in its current batch: the run row commits with the snapshots.</summary>
    private OpenModelWatchDb RunsContext()
    {
        var db = new OpenModelWatchDb(new DbContextOptionsBuilder<OpenModelWatchDb>().UseSqlite(_connection).Options);
        db.Database.UseTransaction(Batch());
        return db;
    }

    private bool IsAlreadyInRun(string id)
    {
        _alreadyInRun.Parameters["$hubId"].Value = id;
        return Convert.ToInt64(_alreadyInRun.ExecuteScalar(), CultureInfo.InvariantCulture) == 1;
    }

    private SqliteTransaction Batch() => _transaction ??= _connection.BeginTransaction(deferred: false);

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static ulong Fnv1a64(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}

/// <summary>What one walk of origins found: loops, chains ending at a parent the store lacks, derivatives, and fixes not applied.</summary>
public sealed record OriginsResolved(int Cycles, int Missing, int Derivatives, IReadOnlyList<LineageFix> FixesClosingLoops);

public enum WriteOutcome
{
    Written,

    /// <summary>The same listing gave this model twice; the first record was kept.</summary>
    Duplicate,

    /// <summary>A namespace listed a model the census had already stored in this run: expected, not an error.</summary>
    AlreadyInCensus,
}
