using System.Globalization;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Hub;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>
/// Writes runs' models and listings through prepared statements, in batches: each batch is one short transaction
/// (a page of the Hub's listing), so the web host and other processes can write between them. A model is written
/// only when it is new or its metadata changed. A run's listings are staged in a temporary table of this connection
/// (gone with it if the process dies) and moved into <c>Listings</c>, in model order, before anything reads them;
/// they are staging rows, invisible to every reader; the run's final transaction (<see cref="CompleteRunAsync"/>)
/// turns them into count ranges (only what changed), the models' latest counts and the run's totals, marks the run
/// succeeded and deletes them. A failed or killed run's listings are deleted. Change tracking is not used: a run can
/// hold millions of rows.
/// </summary>
public sealed class SnapshotWriter : IAsyncDisposable
{
    private readonly StoreConnection _store;
    private readonly DbConnection _connection;

    // The connection's temporary schema (SQLite temp, PostgreSQL pg_temp) and the few expressions the dialects spell differently.
    private readonly string _temp;
    private readonly OriginSql _sql;
    private DbTransaction? _transaction;
    private bool _keepStoredMetadata;
    private readonly DbCommand _findModel;
    private readonly DbCommand _modelId;
    private readonly DbCommand _insertModel;
    private readonly DbCommand _updateModel;
    private readonly DbCommand _stageListings;
    private readonly DbCommand _insertParent;
    private readonly DbCommand _recordLookup;
    private readonly LabRegistry _registry;

    // The store's models in memory (a whole-Hub run, LoadModelMap), and the fingerprint of the record being written.
    private StoredModelMap? _map;
    private readonly StoredModelMap.Fingerprint _fingerprint = new();

    // How each model (by id) was written in the current run: exact, a few bytes per model of the store.
    private byte[] _writtenBy = new byte[1024];

    /// <summary>Models a slice of the run's final work (origins, publish): small enough to report progress every few seconds.</summary>
    public const int DefaultSliceSize = 50_000;

    /// <summary>Models a slice of the run's final work; <see cref="DefaultSliceSize"/> unless a test cuts it finer.</summary>
    public int SliceSize { get; set; } = DefaultSliceSize;

    /// <summary>
    /// The slices of the run whose listings were last flushed, read once for its origins and its publishing (both in the
    /// run's final transaction); forgotten when more listings are flushed or the batch is rolled back.
    /// </summary>
    private (int RunId, IReadOnlyList<RunSlice> Slices)? _slices;
    private const byte ByCensus = 1;
    private const byte ByNamespace = 2;

    // Listings staged in a temporary table (unindexed, appended) and moved into Listings in model order (FlushListings).
    private int _staged;

    // Listings waiting to be staged, written _listingsPerStatement at a time (StagePending). On PostgreSQL, 200 rows by
    // one multi-row insert: a statement per listing was a round trip to the server per model. On SQLite, one row a
    // statement: SQLite finds a named parameter by scanning the statement's names, so binding a 200-row insert's 1,201
    // parameters cost 25.9 s of a 1M-model run's 35 s of writing (a dotnet-trace profile), quadratic in the row count.
    private readonly int _listingsPerStatement;
    private readonly List<object[]> _pendingListings = new(200);
    private int _runId;

    // The Models row, written from a listing (inserted, or updated when changed) or from a parent look-up (kept if already there): one column list.
    // A model's metadata as read to compare with a record, in the order its parameters bind it (after the Hub id).
    private static readonly string[] _metadataColumns = ["Namespace", "LabId", "Country", "Task", "Library", "License", "CreatedAt", "Parameters", "BaseModel", "Relation", "Parents"];
    private static readonly string MetadataColumns = string.Join(", ", _metadataColumns);
    private static readonly string ModelColumns = $"HubId, {MetadataColumns}, FirstSeenRunId, LastSeenRunId";
    private const string ModelValues = "@hubId, @ns, @lab, @country, @task, @library, @license, @createdAt, @parameters, @baseModel, @relation, @parents, @run, @run";
    private static readonly string[] _modelParameters = ["@hubId", "@ns", "@lab", "@country", "@task", "@library", "@license", "@createdAt", "@parameters", "@baseModel", "@relation", "@parents", "@run"];

    private SnapshotWriter(StoreConnection store, LabRegistry registry)
    {
        _store = store;
        _connection = store.OpenWriter();
        _registry = registry;
        _temp = _connection.TempSchema();
        _sql = _connection.IsPostgres() ? OriginSql.Postgres : OriginSql.Sqlite;
        if (!store.IsPostgres)
        {
            using var pragma = _connection.CreateCommand();
            // WAL with synchronous=NORMAL cannot corrupt the file on a crash; at worst the last commit is lost on power loss.
            pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32000;";
            pragma.ExecuteNonQuery();
        }

        // A model is read with its metadata, compared in memory, and written only when new or changed: rewriting an
        // unchanged row would rewrite its entries in the grid's indexes on Models, the bulk of a run's cost. Its
        // LastSeenRunId is set with the run's other models when the run is published (SetLastSeen).
        _findModel = Prepare(
            $"SELECT Id, {MetadataColumns} FROM Models WHERE HubId = @hubId",
            "@hubId");
        _modelId = Prepare("SELECT Id FROM Models WHERE HubId = @hubId", "@hubId");
        _insertModel = Prepare($"INSERT INTO Models ({ModelColumns}) VALUES ({ModelValues}) RETURNING Id", _modelParameters);
        _updateModel = Prepare("""
            UPDATE Models SET Namespace = @ns, LabId = @lab, Country = @country, Task = @task, Library = @library, License = @license,
                CreatedAt = @createdAt, Parameters = @parameters, BaseModel = @baseModel, Relation = @relation, Parents = @parents,
                LastSeenRunId = @run
            WHERE HubId = @hubId
            """, _modelParameters);
        using (var staging = _connection.CreateCommand())
        {
            // A pooled connection may keep a temporary table of an earlier writer: emptied here. (BIGINT and BOOLEAN
            // are SQLite's INTEGER, PostgreSQL's own types.)
            staging.CommandText = $"""
                CREATE TEMP TABLE IF NOT EXISTS RunListings (RunId INTEGER NOT NULL, ModelId INTEGER NOT NULL, Downloads30d BIGINT NOT NULL,
                    DownloadsAllTime BIGINT, Likes BIGINT, TrendingScore BIGINT, InCensus BOOLEAN NOT NULL);
                DELETE FROM {_temp}.RunListings;
                """;
            staging.ExecuteNonQuery();
        }

        // A parent met through a look-up is in no run: first and last seen in run 0.
        _insertParent = Prepare($"INSERT INTO Models ({ModelColumns}) VALUES ({ModelValues}) ON CONFLICT(HubId) DO NOTHING", _modelParameters);
        _insertParent.Parameters["@run"].Value = 0;
        _recordLookup = Prepare("""
            INSERT INTO LineageLookups (HubId, Found, LookedUpAt, RenamedTo) VALUES (@id, @found, @at, @renamedTo)
            ON CONFLICT (HubId) DO UPDATE SET Found = excluded.Found, LookedUpAt = excluded.LookedUpAt, RenamedTo = excluded.RenamedTo
            """, "@id", "@found", "@at", "@renamedTo");
        _listingsPerStatement = store.IsPostgres ? 200 : 1;
        _stageListings = Prepare(StageSql(_listingsPerStatement), ["@run", .. Enumerable.Range(0, _listingsPerStatement).SelectMany(StageParameters)]);
    }

    /// <summary>Longest chain of first parents followed; real chains are a handful deep, so this only stops pathological ones.</summary>
    public const int MaxLineageDepth = 64;

    /// <summary>Records whose model was found in memory with the same metadata (<see cref="LoadModelMap"/>), written without a query.</summary>
    public int FoundInMap { get; private set; }

    /// <summary>Listings written for the current run.</summary>
    public int Written { get; private set; }

    public static SnapshotWriter Open(StoreConnection store, LabRegistry registry) => new(store, registry);

    /// <summary>The run the next writes belong to.</summary>
    /// <param name="keepStoredMetadata">
    /// The run is older than the newest the store has (an imported file of an earlier day): models already stored keep
    /// their metadata and lineage, which are newer than this run's; a model new to the store is inserted with this run's.
    /// </param>
    public void StartRun(int runId, bool keepStoredMetadata = false)
    {
        _keepStoredMetadata = keepStoredMetadata;
        _insertModel.Parameters["@run"].Value = runId;
        _updateModel.Parameters["@run"].Value = runId;
        // Listings still waiting belong to the run before (a caller may write several runs, then publish them): stage
        // them under that run before this one begins.
        StagePending();
        _stageListings.Parameters["@run"].Value = runId;
        _runId = runId;
        Array.Clear(_writtenBy);
        Written = 0;
    }

    /// <summary>A command in the current batch's transaction (begun if none is open).</summary>
    private DbCommand CreateCommand()
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
            StagePending();
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

        // The record's values, bound to the insert (and copied to the update when the stored row differs), and with the
        // map their fingerprint: bound first only when the map is asked, else after the cheaper test by id below.
        DbParameterCollection? values = null;
        ulong? fingerprint = null;
        if (_map is not null && !_keepStoredMetadata && !AnyTextUntrusted(model))
        {
            values = Execute(_insertModel, model, transaction).Parameters;
            fingerprint = Fingerprint(values);
            if (_map.Find(model.Id!, fingerprint.Value) is { } mapped)
            {
                // Stored already with this very metadata: nothing to read or write but the listing.
                FoundInMap++;
                return WrittenBy(mapped) is var mappedBy && mappedBy != 0
                    ? !inCensus && mappedBy == ByCensus ? WriteOutcome.AlreadyInCensus : WriteOutcome.Duplicate
                    : Stage(model, mapped, inCensus);
            }
        }

        if (!inCensus && KnownId(model.Id!, transaction) is { } listed && WrittenBy(listed) is var before && before != 0)
        {
            // Most of a namespace's models were stored from the census already: told by the id alone.
            return before == ByCensus ? WriteOutcome.AlreadyInCensus : WriteOutcome.Duplicate;
        }

        values ??= Execute(_insertModel, model, transaction).Parameters;
        _findModel.Parameters["@hubId"].Value = model.Id!;
        _findModel.Transaction = transaction;
        int? modelId = null;
        var changed = false;
        using (var reader = _findModel.ExecuteReader())
        {
            if (reader.Read())
            {
                modelId = reader.GetInt32(0);
                KeepStoredText(model, reader, values);
                for (var column = 1; column < reader.FieldCount && !changed; column++)
                {
                    changed = !Same(reader, column, values[column].Value!);
                }
            }
        }

        if (modelId is { } known && WrittenBy(known) is var by && by != 0)
        {
            // A namespace's model the census stored already; else the same model listed twice (the first record kept).
            return !inCensus && by == ByCensus ? WriteOutcome.AlreadyInCensus : WriteOutcome.Duplicate;
        }

        // Whether the stored row holds the record's values after this write (for the map).
        var stored = !changed;
        if (modelId is null)
        {
            modelId = Convert.ToInt32(_insertModel.ExecuteScalar(), CultureInfo.InvariantCulture);
            stored = true;
        }
        else if (changed && metadataKnown && !_keepStoredMetadata)
        {
            stored = true;
            _updateModel.Transaction = transaction;
            foreach (DbParameter value in values)
            {
                if (value.ParameterName != "@run")
                {
                    _updateModel.Parameters[value.ParameterName].Value = value.Value;
                }
            }

            _updateModel.ExecuteNonQuery();
        }

        if (_map is not null && stored)
        {
            // The fingerprint computed above, unless the record's values were not hashed (a field kept from the store).
            _map.Set(model.Id!, modelId.Value, fingerprint ?? Fingerprint(values));
        }

        return Stage(model, modelId.Value, inCensus);
    }

    /// <summary>Queues the record's listing under its stored model.</summary>
    private WriteOutcome Stage(HubModel model, int modelId, bool inCensus)
    {
        _pendingListings.Add([
            modelId, model.Downloads.Value, Stored(model.DownloadsAllTime, SecondaryCount.DownloadsAllTime),
            Stored(model.Likes, SecondaryCount.Likes), Stored(model.TrendingScore, SecondaryCount.TrendingScore), inCensus,
        ]);
        if (_pendingListings.Count == _listingsPerStatement)
        {
            StagePending();
        }
        MarkWritten(modelId, inCensus ? ByCensus : ByNamespace);
        _staged++;
        Written++;
        return WriteOutcome.Written;
    }

    /// <summary>The model's insert or update, its parameters set from the record, in the current batch.</summary>
    private DbCommand Execute(DbCommand command, HubModel model, DbTransaction transaction)
    {
        command.Transaction = transaction;
        command.Parameters["@hubId"].Value = model.Id;
        SetMetadata(model, command.Parameters);
        SetLineage(model, command.Parameters);
        return command;
    }

    /// <summary>
    /// Whether a stored value (column <paramref name="ordinal"/>) is the one the record would store: the same storage
    /// class and value, as SQL's <c>IS</c> compares them (a date as the text the SQLite provider writes; on
    /// PostgreSQL, a <c>timestamptz</c> read back as a UTC time).
    /// </summary>
    private static bool Same(DbDataReader reader, int ordinal, object value)
    {
        if (reader.IsDBNull(ordinal) || value is DBNull)
        {
            return reader.IsDBNull(ordinal) && value is DBNull;
        }

        var stored = reader.GetFieldType(ordinal);
        return value switch
        {
            string text => stored == typeof(string) && string.Equals(reader.GetString(ordinal), text, StringComparison.Ordinal),
            long number => stored == typeof(long) && reader.GetInt64(ordinal) == number,
            DateTime at when stored == typeof(DateTime) => reader.GetDateTime(ordinal) == at,
            DateTime at => stored == typeof(string)
                && string.Equals(reader.GetString(ordinal), at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture), StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <summary>
    /// A text field the record cannot give (<see cref="RecordValidator.Untrusted(HubModel, StoredText)"/>) keeps the stored
    /// model's value: one garbled record does not erase a task, licence or lineage known from earlier runs. Columns as
    /// <see cref="_findModel"/> reads them and the model's parameters are ordered (<see cref="ModelColumns"/>).
    /// </summary>
    private static void KeepStoredText(HubModel model, DbDataReader stored, DbParameterCollection values)
    {
        foreach (var (field, columns) in _textColumns)
        {
            if (RecordValidator.Untrusted(model, field) is not null)
            {
                foreach (var column in columns)
                {
                    values[column].Value = stored.IsDBNull(column) ? DBNull.Value : stored.GetString(column);
                }
            }
        }
    }

    /// <summary>
    /// Reads every stored model into memory (<see cref="StoredModelMap"/>) for the rest of this writer's life: a record
    /// whose model is stored with the same metadata is then written without a query. For a run that lists most of the
    /// store (the whole Hub); a small one is better served by the queries. Returns the models read.
    /// </summary>
    public int LoadModelMap()
    {
        // Outside any write transaction of its own: the read takes seconds at millions of models, and holds no lock.
        using var count = _connection.Command(_transaction, "SELECT COUNT(*), COALESCE(MAX(Id), 0) FROM Models");
        // On SQLite the metadata's canonical text is built in SQL (0.4 s for a million rows in the sqlite3 shell, where
        // the provider handing over eleven columns a row took 4.6 s); PostgreSQL's times would need their own format.
        var metadata = _store.IsPostgres ? MetadataColumns : StoredModelMap.Fingerprint.CanonicalSql(_metadataColumns);
        using var select = _connection.Command(_transaction, $"SELECT Id, HubId, {metadata} FROM Models");
        _map = StoredModelMap.Load(count, select);
        return _map.Count;
    }

    /// <summary>
    /// Forgets the models read by <see cref="LoadModelMap"/> (once the listing is written: lineage and publishing read
    /// the store) and gives their memory back to the system, so the run's peak is the larger of the two phases, not
    /// their sum.
    /// </summary>
    public void ReleaseModelMap()
    {
        if (_map is null)
        {
            return;
        }

        _map = null;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>The fingerprint of the bound values (<see cref="_modelParameters"/> but the run), as <see cref="StoredModelMap.Load"/> hashes a stored row.</summary>
    private ulong Fingerprint(DbParameterCollection values)
    {
        _fingerprint.Start((string)values[0].Value!);
        for (var column = 1; column <= _metadataColumns.Length; column++)
        {
            _fingerprint.Add(values[column].Value!);
        }

        return _fingerprint.Hash();
    }

    private static bool AnyTextUntrusted(HubModel model) =>
        _textColumns.Any(text => RecordValidator.Untrusted(model, text.Field) is not null);

    // Task, Library, License; lineage is BaseModel, Relation and Parents together.
    private static readonly (StoredText Field, int[] Columns)[] _textColumns =
        [(StoredText.PipelineTag, [4]), (StoredText.LibraryName, [5]), (StoredText.License, [6]), (StoredText.BaseModel, [9, 10, 11])];

    private int? KnownId(string hubId, DbTransaction transaction)
    {
        _modelId.Transaction = transaction;
        _modelId.Parameters["@hubId"].Value = hubId;
        return StoreSql.ToNullableInt(_modelId.ExecuteScalar());
    }

    private byte WrittenBy(int modelId) => modelId < _writtenBy.Length ? _writtenBy[modelId] : (byte)0;

    private void MarkWritten(int modelId, byte by)
    {
        if (modelId >= _writtenBy.Length)
        {
            Array.Resize(ref _writtenBy, Math.Max(modelId + 1, _writtenBy.Length * 2));
        }

        _writtenBy[modelId] = by;
    }

    /// <summary>
    /// Moves the staged listings into <c>Listings</c>, sorted by run and model, so that table and its indexes are
    /// appended to rather than written at random pages, page after page. Every read of a run's listings comes after.
    /// </summary>
    private void FlushListings()
    {
        StagePending();
        if (_staged == 0)
        {
            return;
        }

        using var command = CreateCommand();
        command.CommandText = $"""
            INSERT INTO Listings (RunId, ModelId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus)
            SELECT RunId, ModelId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus FROM {_temp}.RunListings ORDER BY RunId, ModelId;
            DELETE FROM {_temp}.RunListings;
            """;
        command.ExecuteNonQuery();
        _staged = 0;
        _slices = null;
    }

    /// <summary>The run's listings in slices of <see cref="SliceSize"/> model ids, read once per run (see <see cref="_slices"/>).</summary>
    private IReadOnlyList<RunSlice> Slices(int runId)
    {
        FlushListings();
        if (_slices is not { } known || known.RunId != runId)
        {
            known = (runId, RunSlices.Of(_connection, Batch(), runId, SliceSize));
            _slices = known;
        }

        return known.Slices;
    }

    /// <summary>Stages the listings waiting (<see cref="_pendingListings"/>) in one insert, in the current batch.</summary>
    private void StagePending()
    {
        var rows = _pendingListings.Count;
        if (rows == 0)
        {
            return;
        }

        // A full statement is the prepared one; the last, shorter one of a batch is built for its size.
        using var tail = rows == _listingsPerStatement ? null : _connection.CreateCommand();
        var command = tail ?? _stageListings;
        if (tail is not null)
        {
            tail.CommandText = StageSql(rows);
            tail.Parameter("@run", _runId);
            foreach (var name in Enumerable.Range(0, rows).SelectMany(StageParameters))
            {
                tail.Parameter(name);
            }
        }

        command.Transaction = Batch();
        for (var row = 0; row < rows; row++)
        {
            var values = _pendingListings[row];
            for (var column = 0; column < values.Length; column++)
            {
                // By position (@run first, then six a row, as StageSql names them): a lookup by name would scan the collection.
                command.Parameters[1 + (row * 6) + column].Value = values[column];
            }
        }

        command.ExecuteNonQuery();
        _pendingListings.Clear();
    }

    private string StageSql(int rows) =>
        $"INSERT INTO {_temp}.RunListings (RunId, ModelId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus) VALUES "
        + string.Join(", ", Enumerable.Range(0, rows).Select(row => "(@run, " + string.Join(", ", StageParameters(row)) + ")"));

    private static IEnumerable<string> StageParameters(int row) => Enumerable.Range(0, 6).Select(column => StageParameter(row, column));

    private static string StageParameter(int row, int column) => $"@s{row.ToString(CultureInfo.InvariantCulture)}_{column.ToString(CultureInfo.InvariantCulture)}";

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
        _insertParent.Parameters["@hubId"].Value = model.Id;
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
        _recordLookup.Parameters["@id"].Value = hubId;
        _recordLookup.Parameters["@found"].Value = found;
        _recordLookup.Parameters["@at"].Value = at;
        _recordLookup.Parameters["@renamedTo"].Value = (object?)renamedTo ?? DBNull.Value;
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

    private void SetMetadata(HubModel model, DbParameterCollection p)
    {
        p["@ns"].Value = model.Namespace;
        var lab = _registry.ForNamespace(model.Namespace);
        p["@lab"].Value = (object?)lab?.Id ?? DBNull.Value;
        p["@country"].Value = (object?)lab?.Country ?? DBNull.Value;
        p["@task"].Value = Text(model, StoredText.PipelineTag, model.PipelineTag);
        p["@library"].Value = Text(model, StoredText.LibraryName, model.LibraryName);
        p["@license"].Value = Text(model, StoredText.License, model.License);
        p["@createdAt"].Value = model.CreatedAtUtc is { } created ? created.UtcDateTime : DBNull.Value;
        p["@parameters"].Value = (object?)model.Parameters ?? DBNull.Value;
    }

    /// <summary>A text field as stored for a new model: the Hub's value, or NULL (unknown) where <see cref="RecordValidator"/> does not trust it.</summary>
    private static object Text(HubModel model, StoredText field, string? value) =>
        value is null || RecordValidator.Untrusted(model, field) is not null ? DBNull.Value : value;

    private static void SetLineage(HubModel model, DbParameterCollection p)
    {
        var lineage = RecordValidator.Untrusted(model, StoredText.BaseModel) is null ? model.Lineage : [];
        p["@baseModel"].Value = lineage.Count > 0 ? lineage[0].ParentId : DBNull.Value;
        p["@relation"].Value = lineage.Count > 0 ? lineage[0].Relation.ToTagName() : DBNull.Value;
        p["@parents"].Value = lineage.Count > 0
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
    public async Task CompleteRunAsync(IngestionRun run, CancellationToken cancellationToken, Action<long>? progress = null, Action<string>? step = null)
    {
        await PublishAsync(run, cancellationToken, progress, step);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        CommitBatch();
        step?.Invoke(RunPublisher.Took(clock, "committed"));
    }

    /// <summary>
    /// Once earlier days were recorded after the as-of run, gives the models back to it, in the current batch (the
    /// caller commits): <see cref="RunPublisher.CarryAsOfRun"/>. Returns its id, or null when the models carry it already.
    /// </summary>
    public int? CarryAsOfRun(Action<string>? step = null, CancellationToken cancellationToken = default) =>
        RunPublisher.CarryAsOfRun(_connection, Batch(), step, cancellationToken);

    /// <summary>
    /// Turns the run's listings into count ranges, latest counts and totals, and saves the run row with how many models
    /// changed and how many are no longer listed, in the current batch (the caller commits).
    /// </summary>
    /// <param name="progress">Told the run's models published so far, slice by slice (<see cref="SliceSize"/>).</param>
    /// <param name="step">Told each long step after the slices (<see cref="RunPublisher.Publish"/>).</param>
    public async Task PublishAsync(IngestionRun run, CancellationToken cancellationToken, Action<long>? progress = null, Action<string>? step = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        FlushListings();
        SetLastSeen(run.Id, run.FinishedAt);
        step?.Invoke(RunPublisher.Took(clock, "the run's models marked last seen"));
        var published = RunPublisher.Publish(_connection, Batch(), run.Id, Slices(run.Id), progress, step, cancellationToken);
        run.Changed = published.Changed;
        run.Removed = published.Removed;
        await using var db = RunsContext();
        db.Runs.Update(run);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The run's models were last seen by this run: written here, in one pass in id order, rather than by each
    /// model's write (which skips unchanged models), and only when the run is published. A run of an earlier day
    /// recorded after later ones (an import, the bundled monthly history on an upgrade) moves first and last seen by
    /// the runs' times instead: only where it is earlier, or later, than what the model has. The run's time is the one
    /// it is published with (<paramref name="at"/>): an import's row holds no finish time until this transaction saves it.
    /// </summary>
    private void SetLastSeen(int runId, DateTime? at)
    {
        using var command = CreateCommand();
        command.Parameter("@run", runId);
        // As the run's row will store it (the store's UTC converter).
        command.Parameter("@at", at is { Kind: not DateTimeKind.Utc } local ? local.ToUniversalTime() : at);
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM Runs WHERE Status = 'Succeeded' AND Id <> @run AND FinishedAt > @at)";
        var earlierThanOthers = Convert.ToBoolean(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        // The later runs are looked up once, not per model: a model keeps a last-seen run finished after this one
        // (whatever that run's status, as a model's first write records its run) and takes this run as first seen
        // when its first-seen run finished after it.
        command.CommandText = earlierThanOthers
            ? """
              UPDATE Models SET LastSeenRunId = @run
              WHERE Id IN (SELECT ModelId FROM Listings WHERE RunId = @run) AND LastSeenRunId <> @run
                AND LastSeenRunId NOT IN (SELECT Id FROM Runs WHERE FinishedAt > @at);
              UPDATE Models SET FirstSeenRunId = @run
              WHERE Id IN (SELECT ModelId FROM Listings WHERE RunId = @run)
                AND FirstSeenRunId IN (SELECT Id FROM Runs WHERE FinishedAt > @at);
              """
            : """
              UPDATE Models SET LastSeenRunId = @run
              WHERE Id IN (SELECT ModelId FROM Listings WHERE RunId = @run) AND LastSeenRunId IS DISTINCT FROM @run
              """;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Models the latest succeeded run listed that this run has not, most downloaded first (at most <paramref name="limit"/>),
    /// excluding those already looked up and found renamed.
    /// </summary>
    public List<string> NoLongerListed(int runId, int limit)
    {
        FlushListings();
        using var command = CreateCommand();
        command.CommandText = """
            SELECT m.HubId FROM Models m
            WHERE m.Downloads30d IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM Listings l WHERE l.RunId = @run AND l.ModelId = m.Id)
              AND NOT EXISTS (SELECT 1 FROM LineageLookups k WHERE k.HubId = m.HubId AND k.RenamedTo IS NOT NULL)
            ORDER BY m.Downloads30d DESC, m.HubId
            LIMIT @limit
            """;
        command.Parameter("@run", runId);
        command.Parameter("@limit", limit);
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
        FlushListings();
        using var command = CreateCommand();
        // The parents missing first (one walk of the BaseModel index, probing the HubId index in the same order: on most
        // days none), then their children in the run: probing the run's listings for every derivative cost seconds.
        command.CommandText = """
            WITH missing AS (
                SELECT DISTINCT c.BaseModel AS HubId FROM Models c
                WHERE c.BaseModel IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM Models p WHERE p.HubId = c.BaseModel)
                  AND NOT EXISTS (SELECT 1 FROM LineageLookups l WHERE l.HubId = c.BaseModel)
            )
            SELECT c.BaseModel FROM missing m
            JOIN Models c ON c.BaseModel = m.HubId
            LEFT JOIN Listings s ON s.ModelId = c.Id AND s.RunId = @run
            WHERE s.ModelId IS NOT NULL OR c.LastSeenRunId = 0
            GROUP BY c.BaseModel
            ORDER BY SUM(COALESCE(s.Downloads30d, 0)) DESC, c.BaseModel
            LIMIT @limit
            """;
        command.Parameter("@run", runId);
        command.Parameter("@limit", limit);
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
    /// <param name="progress">Told the run's models walked so far, after each slice of <see cref="SliceSize"/> models.</param>
    /// <param name="cancellationToken">Checked between slices: the walk is in the caller's open transaction, rolled back with it.</param>
    public OriginsResolved ResolveOrigins(LabRegistry registry, LineageFixes fixes, int runId, Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        FlushListings();
        using (var setup = CreateCommand())
        {
            setup.CommandText = $"""
                CREATE TEMP TABLE IF NOT EXISTS OriginNamespaces (Namespace {_sql.Text} PRIMARY KEY {_sql.NoCase}, LabId {_sql.Text} NOT NULL);
                DELETE FROM OriginNamespaces;
                CREATE TEMP TABLE IF NOT EXISTS LineageFixes (HubId {_sql.Text} PRIMARY KEY {_sql.NoCase}, Upstream {_sql.Text} NOT NULL);
                DELETE FROM LineageFixes;
                {_sql.UniqueKeys}
                DROP TABLE IF EXISTS {_temp}.Origins;
                """;
            setup.ExecuteNonQuery();
        }

        using (var insert = CreateCommand())
        {
            insert.CommandText = "INSERT INTO OriginNamespaces VALUES (@ns, @lab) ON CONFLICT DO NOTHING";
            var ns = insert.Parameter("@ns");
            var lab = insert.Parameter("@lab");
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
            insert.CommandText = $"INSERT INTO {_temp}.LineageFixes VALUES (@id, @upstream) ON CONFLICT DO NOTHING";
            var id = insert.Parameter("@id");
            var upstream = insert.Parameter("@upstream");
            foreach (var fix in fixes.Fixes)
            {
                id.Value = fix.Model;
                upstream.Value = fix.Upstream;
                insert.ExecuteNonQuery();
            }
        }

        var loops = FixesClosingLoops(fixes);
        var parent = Parent;
        var parentJoins = ParentJoins();
        using (var create = CreateCommand())
        {
            create.CommandText = $"CREATE TEMP TABLE Origins (ModelId INTEGER PRIMARY KEY, Root {_sql.Text} NOT NULL, Depth INTEGER NOT NULL, Cycle BOOLEAN NOT NULL, LabId {_sql.Text})";
            create.ExecuteNonQuery();
        }

        using (var walk = CreateCommand())
        {
            // A model with no first parent (none declared, no fix) is its own origin, its namespace's lab: no walk.
            // Only the models whose origin changed are written (most runs: a few), sparing the origin indexes.
            // Each model's chain is its own, so the run is walked slice by slice of model ids, with the same result.
            walk.CommandText = $"""
                INSERT INTO {_temp}.Origins
                SELECT m.Id, m.HubId, 0, false, n.LabId
                FROM Listings s JOIN Models m ON m.Id = s.ModelId
                LEFT JOIN OriginNamespaces n ON {_sql.SameNoCase("n.Namespace", _sql.NamespaceOf("m.HubId"))}
                WHERE s.RunId = @run AND s.ModelId > @after AND s.ModelId <= @last
                  AND m.BaseModel IS NULL AND NOT EXISTS (SELECT 1 FROM {_temp}.LineageFixes f WHERE {_sql.SameNoCase("f.HubId", "m.HubId")});
                INSERT INTO {_temp}.Origins
                WITH RECURSIVE chain(ModelId, Current, Depth, Path, Cycle) AS (
                    SELECT m.Id, m.HubId, 0, '|' || m.HubId || '|', false
                    FROM Listings s JOIN Models m ON m.Id = s.ModelId
                    WHERE s.RunId = @run AND s.ModelId > @after AND s.ModelId <= @last
                      AND (m.BaseModel IS NOT NULL OR EXISTS (SELECT 1 FROM {_temp}.LineageFixes f WHERE {_sql.SameNoCase("f.HubId", "m.HubId")}))
                    UNION ALL
                    SELECT c.ModelId, {parent}, c.Depth + 1, c.Path || {parent} || '|', {_sql.Contains("c.Path", $"'|' || {parent} || '|'")}
                    FROM chain c {parentJoins}
                    WHERE {parent} IS NOT NULL AND NOT c.Cycle AND c.Depth < {MaxLineageDepth}
                )
                SELECT ModelId, Root, Depth, Cycle, CASE WHEN Cycle THEN NULL ELSE LabId END AS LabId FROM (
                    SELECT c.ModelId, c.Current AS Root, c.Depth, c.Cycle OR c.Depth >= {MaxLineageDepth} AS Cycle,
                        ROW_NUMBER() OVER (PARTITION BY c.ModelId ORDER BY c.Depth DESC) AS Rank,
                        FIRST_VALUE(n.LabId) OVER (PARTITION BY c.ModelId ORDER BY n.LabId IS NULL, c.Depth DESC) AS LabId
                    FROM chain c LEFT JOIN OriginNamespaces n ON {_sql.SameNoCase("n.Namespace", _sql.NamespaceOf("c.Current"))}
                ) AS ranked WHERE Rank = 1;
                UPDATE Models SET OriginId = o.OriginId, OriginLabId = o.LabId, OriginCountry = o.Country
                FROM (SELECT o.ModelId, CASE WHEN o.Cycle THEN NULL ELSE o.Root END AS OriginId, o.LabId, l.Country
                      FROM {_temp}.Origins o LEFT JOIN Labs l ON l.Id = o.LabId WHERE o.ModelId > @after AND o.ModelId <= @last) o
                WHERE Models.Id = o.ModelId
                  AND (Models.OriginId IS DISTINCT FROM o.OriginId OR Models.OriginLabId IS DISTINCT FROM o.LabId
                      OR Models.OriginCountry IS DISTINCT FROM o.Country);
                """;
            walk.Parameter("@run", runId);
            var after = walk.Parameter("@after", 0L);
            var last = walk.Parameter("@last", 0L);
            foreach (var slice in Slices(runId))
            {
                cancellationToken.ThrowIfCancellationRequested();
                (after.Value, last.Value) = (slice.After, slice.Last);
                walk.ExecuteNonQuery();
                progress?.Invoke(slice.Models);
            }
        }

        using var count = CreateCommand();
        count.CommandText = $"""
            SELECT
                (SELECT COUNT(*) FROM {_temp}.Origins WHERE Cycle),
                (SELECT COUNT(*) FROM {_temp}.Origins o WHERE NOT o.Cycle AND o.Depth > 0 AND NOT EXISTS (SELECT 1 FROM Models m WHERE m.HubId = o.Root)),
                (SELECT COUNT(*) FROM {_temp}.Origins WHERE Depth > 0 OR Cycle)
            """;
        using var reader = count.ExecuteReader();
        reader.Read();
        return new OriginsResolved(StoreSql.ToInt(reader.GetValue(0)), StoreSql.ToInt(reader.GetValue(1)), StoreSql.ToInt(reader.GetValue(2)), loops);
    }

    // One step of the walk: the declared first parent, else the fix of a model that declares none (or is not stored).
    private const string Parent = "COALESCE(p.BaseModel, f.Upstream)";

    private string ParentJoins() =>
        $"LEFT JOIN Models p ON p.HubId = c.Current LEFT JOIN {_temp}.LineageFixes f ON {_sql.SameNoCase("f.HubId", "c.Current")} AND p.BaseModel IS NULL";

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
                SELECT f.HubId, f.Upstream, 1 FROM {_temp}.LineageFixes f
                WHERE NOT EXISTS (SELECT 1 FROM Models m WHERE m.HubId = f.HubId AND m.BaseModel IS NOT NULL)
                UNION ALL
                SELECT c.Fixed, {Parent}, c.Depth + 1
                FROM up c {ParentJoins()}
                WHERE {Parent} IS NOT NULL AND NOT ({_sql.SameNoCase("c.Current", "c.Fixed")}) AND c.Depth < {MaxLineageDepth}
            )
            SELECT DISTINCT Fixed FROM up WHERE {_sql.SameNoCase("Current", "Fixed")}
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
        remove.CommandText = $"DELETE FROM {_temp}.LineageFixes WHERE {_sql.SameNoCase("HubId", "@id")}";
        var id = remove.Parameter("@id");
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
            _slices = null;
            await _transaction.DisposeAsync();
        }

        await _findModel.DisposeAsync();
        await _modelId.DisposeAsync();
        await _insertModel.DisposeAsync();
        await _updateModel.DisposeAsync();
        await _stageListings.DisposeAsync();
        await _insertParent.DisposeAsync();
        await _recordLookup.DisposeAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>The store's context on this writer's connection, in its current batch: the run row commits with the snapshots.</summary>
    private OpenModelWatchDb RunsContext()
    {
        var db = _store.ContextOn(_connection);
        db.Database.UseTransaction(Batch());
        return db;
    }

    private DbTransaction Batch() => _transaction ??= _connection.BeginWrite();

    private DbCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameter(name);
        }

        // On PostgreSQL, Npgsql prepares the statements it sees repeated (Max Auto Prepare, StoreSetup).
        if (!_store.IsPostgres)
        {
            command.Prepare();
        }

        return command;
    }

    /// <summary>
    /// What the origin walk spells differently: namespaces and fixed ids are matched whatever their case (SQLite:
    /// <c>NOCASE</c>; PostgreSQL: <c>lower()</c> on both sides, the temporary tables unique on <c>lower()</c>), an id's
    /// namespace (the text before the first <c>/</c>, empty when there is none), a substring test, and the text type
    /// (on PostgreSQL in the store's collation, C: a recursive walk may not mix collations).
    /// </summary>
    private sealed record OriginSql(string Text, string NoCase, string UniqueKeys, Func<string, string, string> SameNoCase, Func<string, string> NamespaceOf, Func<string, string, string> Contains)
    {
        public static readonly OriginSql Sqlite = new(
            "TEXT",
            "COLLATE NOCASE",
            "",
            (key, value) => $"{key} = {value} COLLATE NOCASE",
            id => $"substr({id}, 1, instr({id}, '/') - 1)",
            (text, part) => $"instr({text}, {part}) > 0");

        public static readonly OriginSql Postgres = new(
            "TEXT COLLATE \"C\"",
            "",
            """
            CREATE UNIQUE INDEX IF NOT EXISTS OriginNamespacesKey ON pg_temp.OriginNamespaces (lower(Namespace));
            CREATE UNIQUE INDEX IF NOT EXISTS LineageFixesKey ON pg_temp.LineageFixes (lower(HubId));
            """,
            (key, value) => $"lower({key}) = lower({value})",
            id => $"CASE WHEN strpos({id}, '/') > 0 THEN split_part({id}, '/', 1) ELSE '' END",
            (text, part) => $"strpos({text}, {part}) > 0");
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
