using System.Globalization;
using Microsoft.Data.Sqlite;
using OpenModelWatch.Hub;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>
/// Writes runs' models and snapshots through prepared statements, in batches: each batch is one short transaction
/// (a page of the Hub's listing), so the web host and other processes can write between them. A run's snapshots are
/// invisible until its run row says <c>Succeeded</c>; a failed or killed run's rows are deleted. Change tracking is
/// not used: a run can hold hundreds of thousands of rows.
/// </summary>
public sealed class SnapshotWriter : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _transaction;
    private readonly SqliteCommand _upsertModel;
    private readonly SqliteCommand _insertSnapshot;
    private readonly SqliteCommand _alreadyInRun;
    private readonly LabRegistry _registry;
    private readonly HashSet<ulong> _seenInCensus = [];
    private readonly HashSet<ulong> _seenInNamespaces = [];

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

        _upsertModel = Prepare("""
            INSERT INTO Models (HubId, Namespace, LabId, Task, Library, License, CreatedAt, Parameters, BaseModel, Relation, Parents, FirstSeenRunId, LastSeenRunId)
            VALUES ($hubId, $ns, $lab, $task, $library, $license, $createdAt, $parameters, $baseModel, $relation, $parents, $run, $run)
            ON CONFLICT(HubId) DO UPDATE SET Namespace = excluded.Namespace, LabId = excluded.LabId, Task = excluded.Task,
                Library = excluded.Library, License = excluded.License, CreatedAt = excluded.CreatedAt,
                Parameters = excluded.Parameters, BaseModel = excluded.BaseModel, Relation = excluded.Relation,
                Parents = excluded.Parents, LastSeenRunId = excluded.LastSeenRunId
            RETURNING Id
            """, "$hubId", "$ns", "$lab", "$task", "$library", "$license", "$createdAt", "$parameters", "$baseModel", "$relation", "$parents", "$run");
        _insertSnapshot = Prepare("""
            INSERT INTO Snapshots (RunId, ModelId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus)
            VALUES ($run, $model, $d30, $dall, $likes, $trending, $census)
            ON CONFLICT DO NOTHING
            """, "$run", "$model", "$d30", "$dall", "$likes", "$trending", "$census");
        _alreadyInRun = Prepare(
            "SELECT EXISTS (SELECT 1 FROM Snapshots s JOIN Models m ON m.Id = s.ModelId WHERE s.RunId = $run AND m.HubId = $hubId)",
            "$run", "$hubId");
    }

    /// <summary>Snapshots written for the current run.</summary>
    public int Written { get; private set; }

    public static SnapshotWriter Open(StoreConnection store, LabRegistry registry) => new(store.Open(), registry);

    /// <summary>The run the next writes belong to.</summary>
    public void StartRun(int runId)
    {
        _upsertModel.Parameters["$run"].Value = runId;
        _insertSnapshot.Parameters["$run"].Value = runId;
        _alreadyInRun.Parameters["$run"].Value = runId;
        _seenInCensus.Clear();
        _seenInNamespaces.Clear();
        Written = 0;
    }

    /// <summary>A command in the current batch's transaction (begun if none is open), for rows that go with the snapshots.</summary>
    public SqliteCommand CreateCommand()
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
    /// </summary>
    public WriteOutcome Write(HubModel model, bool inCensus = false)
    {
        var transaction = Batch();
        _upsertModel.Transaction = transaction;
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

        var p = _upsertModel.Parameters;
        p["$hubId"].Value = id;
        SetMetadata(model, p);
        SetLineage(model, p);
        var modelId = Convert.ToInt32(_upsertModel.ExecuteScalar(), CultureInfo.InvariantCulture);

        var s = _insertSnapshot.Parameters;
        s["$model"].Value = modelId;
        s["$d30"].Value = model.Downloads.Value;
        s["$dall"].Value = model.DownloadsAllTime.IsValid ? model.DownloadsAllTime.Value : DBNull.Value;
        s["$likes"].Value = model.Likes.Value;
        s["$trending"].Value = model.TrendingScore.IsValid ? model.TrendingScore.Value : DBNull.Value;
        s["$census"].Value = inCensus;
        if (_insertSnapshot.ExecuteNonQuery() == 0)
        {
            return WriteOutcome.Duplicate;
        }

        Written++;
        return WriteOutcome.Written;
    }

    /// <summary>
    /// A parent met through a look-up, not a listing: stored so its own parents can be followed, with no snapshot
    /// (it is not in the run). False if the store already has it.
    /// </summary>
    public bool WriteParentOnly(HubModel model)
    {
        using var insert = CreateCommand();
        insert.CommandText = """
            INSERT INTO Models (HubId, Namespace, LabId, Task, Library, License, CreatedAt, Parameters, BaseModel, Relation, Parents, FirstSeenRunId, LastSeenRunId)
            VALUES ($hubId, $ns, $lab, $task, $library, $license, $createdAt, $parameters, $baseModel, $relation, $parents, 0, 0)
            ON CONFLICT(HubId) DO NOTHING
            """;
        foreach (var name in new[] { "$hubId", "$ns", "$lab", "$task", "$library", "$license", "$createdAt", "$parameters", "$baseModel", "$relation", "$parents" })
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        insert.Parameters["$hubId"].Value = model.Id;
        SetMetadata(model, insert.Parameters);
        SetLineage(model, insert.Parameters);
        return insert.ExecuteNonQuery() == 1;
    }

    private void SetMetadata(HubModel model, SqliteParameterCollection p)
    {
        p["$ns"].Value = model.Namespace;
        p["$lab"].Value = (object?)_registry.ForNamespace(model.Namespace)?.Id ?? DBNull.Value;
        p["$task"].Value = (object?)model.PipelineTag ?? DBNull.Value;
        p["$library"].Value = (object?)model.LibraryName ?? DBNull.Value;
        p["$license"].Value = (object?)model.License ?? DBNull.Value;
        p["$createdAt"].Value = model.CreatedAtUtc is { } created ? StoreTime(created.UtcDateTime) : DBNull.Value;
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

    /// <summary>Marks the run succeeded with its final numbers, in the last batch: from this commit on, the run is visible.</summary>
    public async Task CompleteRunAsync(IngestionRun run, CancellationToken cancellationToken)
    {
        await using (var finish = CreateCommand())
        {
            finish.CommandText = """
                UPDATE Runs SET Status = 'Succeeded', FinishedAt = $finished, Models = $models, Namespaces = $namespaces,
                    Requests = $requests, Retries = $retries, Throttled = $throttled, Bytes = $bytes,
                    Rejected = $rejected, Duplicates = $duplicates, RejectedReasons = $reasons, Error = NULL,
                    CensusModels = $census, ParentLookups = $lookups, LineageCycles = $cycles, MissingParents = $missing
                WHERE Id = $id
                """;
            finish.Parameters.AddWithValue("$finished", StoreTime(run.FinishedAt!.Value));
            finish.Parameters.AddWithValue("$models", run.Models);
            finish.Parameters.AddWithValue("$namespaces", run.Namespaces);
            finish.Parameters.AddWithValue("$requests", run.Requests);
            finish.Parameters.AddWithValue("$retries", run.Retries);
            finish.Parameters.AddWithValue("$throttled", run.Throttled);
            finish.Parameters.AddWithValue("$bytes", run.Bytes);
            finish.Parameters.AddWithValue("$rejected", run.Rejected);
            finish.Parameters.AddWithValue("$duplicates", run.Duplicates);
            finish.Parameters.AddWithValue("$reasons", (object?)run.RejectedReasons ?? DBNull.Value);
            finish.Parameters.AddWithValue("$census", run.CensusModels);
            finish.Parameters.AddWithValue("$lookups", run.ParentLookups);
            finish.Parameters.AddWithValue("$cycles", run.LineageCycles);
            finish.Parameters.AddWithValue("$missing", run.MissingParents);
            finish.Parameters.AddWithValue("$id", run.Id);
            await finish.ExecuteNonQueryAsync(cancellationToken);
        }

        CommitBatch();
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
        await _insertSnapshot.DisposeAsync();
        await _alreadyInRun.DisposeAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>The text form EF Core's SQLite provider uses for <see cref="DateTime"/>, so both read the same values.</summary>
    public static string StoreTime(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

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

public enum WriteOutcome
{
    Written,

    /// <summary>The same listing gave this model twice; the first record was kept.</summary>
    Duplicate,

    /// <summary>A namespace listed a model the census had already stored in this run: expected, not an error.</summary>
    AlreadyInCensus,
}
