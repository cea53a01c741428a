using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OpenModelWatch.Hub;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.DashboardBench;

/// <summary>One generated model's metadata: a pure function of its id (and of the generator's parameters).</summary>
public sealed record GeneratedModel(
    int Id,
    string HubId,
    string Namespace,
    int Lab,
    string Task,
    string Library,
    string License,
    DateTime CreatedAt,
    long? Parameters,
    int BaseId,
    string? Relation);

/// <summary>A model's counts over a range of runs.</summary>
public readonly record struct GeneratedCounts(long Downloads30d, long DownloadsAllTime, long Likes, long TrendingScore, bool InCensus);

/// <summary>
/// Generates a store of the current schema (change-only <c>Counts</c> ranges, the latest run's counts on <c>Models</c>,
/// <c>RunTotals</c> for every run, <c>Runs</c>) directly, with prepared statements in big transactions, much faster than
/// ingesting it: a day is one succeeded run, and every number is a pure function of a model's id and the run, so the
/// store never has to be read back while it is written, and the bench can generate "the next day" the same way.
/// <para>
/// Population: about <c>models</c> models are listed by the last run. The first run lists
/// <c>models / (1 + <see cref="NewRate"/> − <see cref="RemoveRate"/>)^(runs − 1)</c> of them; each later run adds
/// <see cref="NewRate"/> (0.2 %) new models (new, higher ids, created a few hours before that run), and each listed model is
/// removed with probability <see cref="RemoveRate"/> (0.05 %) per run (made private or deleted: never listed again, its last
/// range closed at the run that no longer lists it). Each run, a listed model's counts change with probability
/// <see cref="ChangeRate"/> (a third): a new range from that run, the previous one closed there; two thirds of the
/// models cost nothing that day.
/// </para>
/// <para>
/// Distributions (as the earlier generator): three quarters of the models in the namespaces of <c>seeds/labs.json</c>
/// (the first labs more often, by the square of a uniform draw), a quarter in <c>max(2,000, models / 50)</c> unregistered
/// community namespaces; eight tasks and seven licences with repeats for weight; six sizes from 135M to 70.6B
/// parameters, unknown for one model in ten; creation dates from 2022-03-02 up to the first run; 30-day downloads
/// falling off like a power law of a random popularity rank (50M / rank^0.95), drifting ±15 % from range to range,
/// a third of the models growing 1 % a day; all-time downloads growing 2 % a day; likes and trending scores derived from
/// them. Lineage: 30 % of the models (after the first hundred) declare an earlier model as base (finetune, quantized,
/// adapter or merge; early models more often, by the cube of a uniform draw), so origins chain; a model's origin is the
/// root of that chain, and its origin lab the lab of the registered link closest to the root, as the ingestion's
/// lineage walk resolves it. Census: community models are in the census (that is how a run lists them); a lab's
/// model is when its 30-day downloads reach the level of the median model's baseline.
/// </para>
/// </summary>
public sealed class StoreGenerator
{
    /// <summary>Probability that a listed model's counts change from one run to the next.</summary>
    public const double ChangeRate = 1.0 / 3;

    /// <summary>New models per run, as a fraction of the models the previous run listed.</summary>
    public const double NewRate = 0.002;

    /// <summary>Probability that a listed model is no longer listed by the next run (and never again).</summary>
    public const double RemoveRate = 0.0005;

    /// <summary>When the last generated run started; run r started (runs − r) days before.</summary>
    public static readonly DateTime LastRunAt = new(2026, 11, 29, 3, 0, 0, DateTimeKind.Utc);

    private static readonly DateTime _hubStart = new(2022, 3, 2, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] _tasks = ["text-generation", "text-generation", "image-text-to-text", "feature-extraction", "sentence-similarity", "text-classification", "automatic-speech-recognition", "text-to-image"];
    private static readonly string[] _licenses = ["apache-2.0", "apache-2.0", "mit", "llama3.1", "other", "gemma", "cc-by-nc-4.0"];
    private static readonly string[] _libraries = ["transformers", "transformers", "transformers", "sentence-transformers", "diffusers", "gguf", "peft"];
    private static readonly long[] _sizes = [135_000_000, 494_000_000, 1_540_000_000, 7_620_000_000, 14_800_000_000, 70_600_000_000];
    private static readonly string[] _relations = ["finetune", "quantized", "adapter", "merge"];

    private readonly string[] _registered;
    private readonly int[] _labOfNamespace;
    private readonly int _community;
    private readonly int[] _firstId;
    private readonly double _censusLevel;
    private readonly double _removeLog = Math.Log(1 - RemoveRate);

    /// <summary>Registered labs, index 1 to n (0: no lab).</summary>
    public IReadOnlyList<LabEntry?> Labs { get; }

    /// <summary>Models the last run lists, about (the parameter).</summary>
    public int TargetModels { get; }

    /// <summary>Runs generated; the generator also knows the run after them (<see cref="Runs"/> + 1) for the bench's new run.</summary>
    public int Runs { get; }

    public StoreGenerator(LabRegistry registry, int models, int runs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(models, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 2);
        TargetModels = models;
        Runs = runs;
        Labs = [null, .. registry.Labs];
        var labIndex = registry.Labs.Select((lab, i) => (lab.Id, Index: i + 1)).ToDictionary(x => x.Id, x => x.Index, StringComparer.Ordinal);
        _registered = registry.Namespaces.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        _labOfNamespace = _registered.Select(ns => labIndex[registry.ForNamespace(ns)!.Id]).ToArray();
        _community = Math.Max(2000, models / 50);
        _censusLevel = 50_000_000 / Math.Pow(models / 2.0, 0.95);

        // Births by run, from the expected population (the removals actually drawn differ by a fraction of a percent).
        _firstId = new int[runs + 3];
        var first = (int)Math.Round(models / Math.Pow(1 + NewRate - RemoveRate, runs - 1));
        _firstId[1] = 1;
        _firstId[2] = 1 + first;
        double listed = first;
        for (var run = 2; run <= runs + 1; run++)
        {
            var born = (int)Math.Round(NewRate * listed);
            listed = listed * (1 - RemoveRate) + born;
            _firstId[run + 1] = _firstId[run] + born;
        }
    }

    /// <summary>The highest model id that exists by run <paramref name="run"/> (listed or not).</summary>
    public int LastId(int run) => _firstId[run + 1] - 1;

    /// <summary>The run that first lists the model.</summary>
    public int BirthRun(int id)
    {
        var run = Array.BinarySearch(_firstId, 1, _firstId.Length - 1, id);
        return run >= 0 ? run : ~run - 1;
    }

    /// <summary>The first run that no longer lists the model (it is never listed again); may lie beyond any run generated.</summary>
    public int RemovedRun(int id)
    {
        var draw = Unit(Hash(id, 1, Stream.Removal));
        var listedRuns = 1 + Math.Floor(Math.Log(1 - draw) / _removeLog);
        return (int)Math.Min(int.MaxValue / 2, BirthRun(id) + listedRuns);
    }

    public bool Listed(int id, int run) => BirthRun(id) <= run && run < RemovedRun(id);

    /// <summary>Whether run <paramref name="run"/> (after the model's first) lists counts different from the run before.</summary>
    public static bool Changes(int id, int run) => Unit(Hash(id, run, Stream.Change)) < ChangeRate;

    /// <summary>The first run of the range that covers <paramref name="run"/> (the model listed by it).</summary>
    public int RangeStart(int id, int run)
    {
        var birth = BirthRun(id);
        while (run > birth && !Changes(id, run))
        {
            run--;
        }

        return run;
    }

    public GeneratedModel Model(int id)
    {
        var hash = Hash(id, 0, Stream.Metadata);
        var ns = Namespace(id);
        var birth = BirthRun(id);
        var created = birth == 1
            ? _hubStart.AddHours((double)((hash >> 16) % (ulong)(RunAt(1) - _hubStart).TotalHours))
            : RunAt(birth).AddHours(-1 - (double)((hash >> 16) % 23));
        var derived = id > 100 && Hash(id, 1, Stream.Metadata) % 10 < 3;
        var baseId = derived ? 1 + (int)((id - 1) * Math.Pow(Unit(Hash(id, 2, Stream.Metadata)), 3)) : 0;
        return new GeneratedModel(
            id,
            HubId(id),
            ns,
            LabOf(hash),
            _tasks[hash % (ulong)_tasks.Length],
            _libraries[(hash >> 40) % (ulong)_libraries.Length],
            _licenses[(hash >> 8) % (ulong)_licenses.Length],
            created,
            (hash >> 20) % 10 == 0 ? null : _sizes[(hash >> 24) % (ulong)_sizes.Length],
            Math.Min(baseId, id - 1),
            derived ? _relations[(hash >> 32) % (ulong)_relations.Length] : null);
    }

    /// <summary>The counts a range starting at run <paramref name="from"/> holds.</summary>
    public GeneratedCounts Counts(int id, int from)
    {
        var rank = 1 + Hash(id, 0, Stream.Popularity) % (ulong)TargetModels;
        var baseline = 50_000_000 / Math.Pow(rank, 0.95);
        var drift = 0.85 + Unit(Hash(id, from, Stream.Drift)) * 0.3 + (Hash(id, 1, Stream.Popularity) % 3 == 0 ? from * 0.01 : 0);
        var downloads30d = (long)(baseline * drift);
        var allTime = (long)(baseline * (4 + Hash(id, 2, Stream.Popularity) % 20) * (1 + from * 0.02));
        var likes = downloads30d / (500 + (long)(Hash(id, 3, Stream.Popularity) % 5000)) + (long)(Hash(id, 4, Stream.Popularity) % 5);
        var trending = likes / (Hash(id, from, Stream.Drift) % 7 == 0 ? 3 : 60);
        var inCensus = LabOf(Hash(id, 0, Stream.Metadata)) == 0 || downloads30d >= _censusLevel;
        return new GeneratedCounts(downloads30d, allTime, likes, trending, inCensus);
    }

    /// <summary>Run <paramref name="run"/>'s start (runs are a day apart; the last generated one starts at <see cref="LastRunAt"/>).</summary>
    public DateTime RunAt(int run) => LastRunAt.AddDays(run - Runs);

    public string HubId(int id) => $"{Namespace(id)}/model-{id:D7}";

    /// <summary>The model as a run of the Hub would list it at <paramref name="run"/>, for the real write path.</summary>
    public HubModel Listing(int id, int run)
    {
        var model = Model(id);
        var counts = Counts(id, RangeStart(id, run));
        List<string?> tags = ["license:" + model.License];
        if (model.BaseId > 0)
        {
            tags.Add($"base_model:{model.Relation}:{HubId(model.BaseId)}");
        }

        return new HubModel
        {
            Id = model.HubId,
            CreatedAt = model.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Downloads = HubCount.Of(counts.Downloads30d),
            DownloadsAllTime = HubCount.Of(counts.DownloadsAllTime),
            Likes = HubCount.Of(counts.Likes),
            TrendingScore = HubCount.Of(counts.TrendingScore),
            PipelineTag = model.Task,
            LibraryName = model.Library,
            Tags = tags,
            Safetensors = model.Parameters is { } parameters ? new HubSafetensors { Total = HubCount.Of(parameters) } : null,
        };
    }

    private string Namespace(int id)
    {
        var hash = Hash(id, 0, Stream.Metadata);
        return hash % 4 == 0
            ? $"user{hash / 4 % (ulong)_community:D5}"
            : _registered[(int)(Math.Pow(hash % 10_000 / 10_000.0, 2) * _registered.Length)];
    }

    private int LabOf(ulong hash) =>
        hash % 4 == 0 ? 0 : _labOfNamespace[(int)(Math.Pow(hash % 10_000 / 10_000.0, 2) * _registered.Length)];

    /// <summary>What the Runs rows' host says, so that a reused store tells the bench how it was generated.</summary>
    public string Signature => FormattableString.Invariant($"bench-generator models={TargetModels} runs={Runs}");

    /// <summary>Reads <see cref="Signature"/> back; null for a store this generator did not write.</summary>
    public static (int Models, int Runs)? ParseSignature(string? host)
    {
        var parts = host?.Split(' ');
        return parts is ["bench-generator", var m, var r] && m.StartsWith("models=", StringComparison.Ordinal) && r.StartsWith("runs=", StringComparison.Ordinal)
            ? (int.Parse(m[7..], CultureInfo.InvariantCulture), int.Parse(r[5..], CultureInfo.InvariantCulture))
            : null;
    }

    /// <summary>
    /// Fills a migrated, empty store (the app has created its schema and labs) at <paramref name="path"/>. The file is
    /// written without a journal (a failed generation leaves a file to delete, not a store); it is left in WAL mode.
    /// </summary>
    public async Task GenerateAsync(string path, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        Execute(connection, null, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=FILE;");

        // The models' secondary indexes are built once at the end (a sort each) rather than row by row.
        var indexes = new List<(string Name, string Sql)>();
        using (var query = connection.CreateCommand())
        {
            query.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Models' AND sql IS NOT NULL ORDER BY name";
            using var reader = query.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            Execute(connection, null, $"DROP INDEX \"{name}\"");
        }

        var lastId = LastId(Runs);
        var totals = new TotalsAccumulator(Labs.Count, Runs);
        var listedByRun = new int[Runs + 2];
        var changedByRun = new int[Runs + 2];
        var removedByRun = new int[Runs + 2];
        var originRoot = new int[lastId + 1];
        var originLab = new short[lastId + 1];
        long ranges = 0;

        var transaction = connection.BeginTransaction();
        var insertModel = new BatchInsert(connection, "Models",
            ["Id", "HubId", "Namespace", "LabId", "Task", "Library", "License", "CreatedAt", "Parameters", "BaseModel", "Relation", "Parents",
             "OriginId", "OriginLabId", "FirstSeenRunId", "LastSeenRunId", "Listed", "Country", "OriginCountry", "Downloads30d", "DownloadsAllTime",
             "Likes", "TrendingScore", "InCensus"], rowsPerStatement: 2);
        var insertRange = new BatchInsert(connection, "Counts",
            ["ModelId", "FromRunId", "ToRunId", "Downloads30d", "DownloadsAllTime", "Likes", "TrendingScore", "InCensus"], rowsPerStatement: 8);
        var progress = Stopwatch.StartNew();
        var rowsAtLastCommit = 0L;
        for (var id = 1; id <= lastId; id++)
        {
            var model = Model(id);
            var birth = BirthRun(id);
            var removed = RemovedRun(id);
            var lastListed = Math.Min(removed - 1, Runs);
            originRoot[id] = model.BaseId > 0 ? originRoot[model.BaseId] : id;
            originLab[id] = (short)(model.BaseId > 0 && originLab[model.BaseId] != 0 ? originLab[model.BaseId] : model.Lab);

            // The model's ranges, in key order (ModelId, FromRunId): each table is appended to, never searched.
            GeneratedCounts? latest = null;
            for (var from = birth; from <= lastListed;)
            {
                var to = from + 1;
                while (to <= lastListed && !Changes(id, to))
                {
                    to++;
                }

                var counts = Counts(id, from);
                int? closedAt = to <= lastListed || removed <= Runs ? to : null;
                insertRange.Add(transaction, id, from, closedAt, counts.Downloads30d, counts.DownloadsAllTime, counts.Likes, counts.TrendingScore, counts.InCensus);
                ranges++;
                totals.Add(from, to, model.Lab, originLab[id], counts);
                changedByRun[from]++;
                latest = counts;
                from = to;
            }

            for (var run = birth; run <= lastListed; run++)
            {
                listedByRun[run]++;
            }

            if (removed <= Runs)
            {
                removedByRun[removed]++;
            }

            var listedNow = lastListed == Runs;
            var lab = Labs[model.Lab];
            var origin = Labs[originLab[id]];
            var baseHubId = model.BaseId > 0 ? HubId(model.BaseId) : null;
            insertModel.Add(transaction, id, model.HubId, model.Namespace, lab?.Id, model.Task, model.Library, model.License, Time(model.CreatedAt), model.Parameters,
                baseHubId, model.Relation, baseHubId is null ? null : $"{model.Relation}:{baseHubId}", HubId(originRoot[id]), origin?.Id,
                birth, lastListed, listedNow, lab?.Country, origin?.Country,
                listedNow ? latest!.Value.Downloads30d : null, listedNow ? latest!.Value.DownloadsAllTime : null,
                listedNow ? latest!.Value.Likes : null, listedNow ? latest!.Value.TrendingScore : null, listedNow && latest!.Value.InCensus);

            if (ranges + id - rowsAtLastCommit >= 2_000_000)
            {
                insertModel.Flush(transaction);
                insertRange.Flush(transaction);
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
                rowsAtLastCommit = ranges + id;
            }

            if (progress.Elapsed.TotalSeconds >= 10 || id == lastId)
            {
                progress.Restart();
                var rows = ranges + id;
                var elapsed = clock.Elapsed.TotalSeconds;
                var left = elapsed / id * (lastId - id);
                log.WriteLine(FormattableString.Invariant(
                    $"  models {id:N0}/{lastId:N0} ({100.0 * id / lastId:F0} %), ranges {ranges:N0}: {rows:N0} rows, {rows / elapsed:N0} rows/s, {elapsed:F0} s (CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F0} s), about {left:F0} s left (load {BenchLoad.Average})"));
            }
        }

        insertModel.Flush(transaction);
        insertRange.Flush(transaction);
        transaction.Commit();
        transaction.Dispose();
        insertModel.Dispose();
        insertRange.Dispose();
        var rowsTime = clock.Elapsed;

        foreach (var (name, sql) in indexes)
        {
            var indexClock = Stopwatch.StartNew();
            Execute(connection, null, sql);
            log.WriteLine(FormattableString.Invariant($"  index {name}: {indexClock.Elapsed.TotalSeconds:F1} s"));
        }

        var indexTime = clock.Elapsed - rowsTime;
        using (var write = connection.BeginTransaction())
        {
            WriteRuns(connection, write, listedByRun, changedByRun, removedByRun);
            WriteTotals(connection, write, totals);
            write.Commit();
        }

        Execute(connection, null, "PRAGMA journal_mode=WAL;");
        log.WriteLine(FormattableString.Invariant(
            $"generated {lastId:N0} models ({listedByRun[Runs]:N0} listed by the last run) x {Runs} runs: {ranges:N0} count ranges ({(double)ranges / lastId:F1} a model) for {listedByRun.Sum():N0} model-runs, in {clock.Elapsed.TotalSeconds:F0} s (rows {rowsTime.TotalSeconds:F0} s, indexes {indexTime.TotalSeconds:F0} s; load {BenchLoad.Average})"));
    }

    /// <summary>
    /// Checks the generated totals of a run against what <see cref="RunPublisher.WriteTotals"/> writes for it (from the
    /// models' latest counts for the last run, from the count ranges for a past one), inside a transaction rolled back.
    /// </summary>
    public static async Task CheckTotalsAsync(string path, int runId, bool latest, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        using var transaction = connection.BeginTransaction();
        var generated = ReadTotals(connection, transaction, runId);
        RunPublisher.WriteTotals(connection, transaction, runId, latest);
        var written = ReadTotals(connection, transaction, runId);
        transaction.Rollback();
        var differences = generated.Keys.Union(written.Keys)
            .Where(key => !generated.TryGetValue(key, out var g) || !written.TryGetValue(key, out var w) || g != w)
            .ToArray();
        if (differences.Length > 0)
        {
            throw new InvalidOperationException(
                $"Run {runId}: the generated totals differ from RunPublisher.WriteTotals' in {differences.Length} of {written.Count} rows, e.g. {differences[0]}: " +
                $"generated {generated.GetValueOrDefault(differences[0])}, written {written.GetValueOrDefault(differences[0])}");
        }

        log.WriteLine(FormattableString.Invariant(
            $"totals of run {runId} ({(latest ? "latest, from the models" : "past, from the count ranges")}): all {written.Count} rows equal RunPublisher.WriteTotals' ({clock.Elapsed.TotalSeconds:F1} s)"));
    }

    private static Dictionary<(string, string, string), (long, long, long, long, long)> ReadTotals(SqliteConnection connection, SqliteTransaction transaction, int runId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT Attribution, Scope, LabId, Models, Downloads30d, DownloadsAllTime, AllTimeKnown, Likes FROM RunTotals WHERE RunId = $run";
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<(string, string, string), (long, long, long, long, long)>();
        while (reader.Read())
        {
            rows[(reader.GetString(0), reader.GetString(1), reader.GetString(2))] =
                (reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7));
        }

        return rows;
    }

    private void WriteRuns(SqliteConnection connection, SqliteTransaction transaction, int[] listed, int[] changed, int[] removed)
    {
        using var insertRun = Command(connection, transaction, """
            INSERT INTO Runs (Id, StartedAt, FinishedAt, Status, "Trigger", Host, Models, Namespaces, Requests, Retries, Throttled, Bytes,
                Rejected, Duplicates, CensusModels, ParentLookups, LineageCycles, MissingParents, Removed, Changed, UnknownFields)
            VALUES ($id, $started, $finished, 'Succeeded', 'Schedule', $host, $models, $namespaces, $requests, 0, 0, 0,
                0, 0, 0, 0, 0, 0, $removed, $changed, 0)
            """, "$id", "$started", "$finished", "$host", "$models", "$namespaces", "$requests", "$removed", "$changed");
        for (var run = 1; run <= Runs; run++)
        {
            // A run takes about a minute per 100,000 models listed.
            var started = RunAt(run);
            Set(insertRun, run, Time(started), Time(started.AddSeconds(listed[run] / 1_700.0)), Signature, listed[run],
                _registered.Length + _community, listed[run] / 1000 + _registered.Length, removed[run], changed[run]);
            insertRun.ExecuteNonQuery();
        }
    }

    private void WriteTotals(SqliteConnection connection, SqliteTransaction transaction, TotalsAccumulator totals)
    {
        using var insert = Command(connection, transaction, """
            INSERT INTO RunTotals (RunId, Attribution, Scope, LabId, Models, Downloads30d, DownloadsAllTime, AllTimeKnown, Likes)
            VALUES ($run, $attribution, $scope, $lab, $models, $d30, $dall, $known, $likes)
            """, "$run", "$attribution", "$scope", "$lab", "$models", "$d30", "$dall", "$known", "$likes");
        foreach (var (run, attribution, scope, lab, sums) in totals.Rows())
        {
            Set(insert, run, attribution, scope, Labs[lab]?.Id ?? "", sums.Models, sums.Downloads30d, sums.DownloadsAllTime, sums.Models, sums.Likes);
            insert.ExecuteNonQuery();
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    /// <summary>As EF Core stores a <see cref="DateTime"/> in SQLite.</summary>
    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>
    /// Rows inserted several to a statement (<c>INSERT … VALUES (…), (…), …</c>, prepared once): most of the cost of a
    /// one-row insert is the statement's round trip, not SQLite's work. <see cref="Flush"/> writes what is left.
    /// </summary>
    private sealed class BatchInsert(SqliteConnection connection, string table, string[] columns, int rowsPerStatement) : IDisposable
    {
        private readonly SqliteCommand _full = Prepare(connection, table, columns, rowsPerStatement);
        private readonly object?[] _pending = new object?[columns.Length * rowsPerStatement];
        private int _rows;

        public void Add(SqliteTransaction transaction, params object?[] values)
        {
            Array.Copy(values, 0, _pending, _rows * columns.Length, columns.Length);
            if (++_rows == rowsPerStatement)
            {
                Execute(_full, transaction, _rows);
            }
        }

        public void Flush(SqliteTransaction transaction)
        {
            if (_rows > 0)
            {
                using var rest = Prepare(connection, table, columns, _rows);
                Execute(rest, transaction, _rows);
            }
        }

        public void Dispose() => _full.Dispose();

        private void Execute(SqliteCommand command, SqliteTransaction transaction, int rows)
        {
            command.Transaction = transaction;
            for (var i = 0; i < rows * columns.Length; i++)
            {
                command.Parameters[i].Value = _pending[i] ?? DBNull.Value;
            }

            command.ExecuteNonQuery();
            _rows = 0;
        }

        private static SqliteCommand Prepare(SqliteConnection connection, string table, string[] columns, int rows)
        {
            var command = connection.CreateCommand();
            var values = Enumerable.Range(0, rows).Select(row => "(" + string.Join(", ", columns.Select((_, column) => $"$p{row * columns.Length + column}")) + ")");
            command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES {string.Join(", ", values)}";
            for (var i = 0; i < rows * columns.Length; i++)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}" });
            }

            return command;
        }
    }

    private enum Stream
    {
        Metadata = 1,
        Popularity,
        Drift,
        Change,
        Removal,
    }

    private static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    private static ulong Hash(int index, int salt, Stream stream)
    {
        var x = unchecked((ulong)index * 0x9E3779B97F4A7C15UL + (ulong)(salt + 1000) * 0xD1B54A32D192ED03UL + (ulong)stream * 0x8CB92BA72F3D8DD7UL);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return x ^ (x >> 31);
    }

    /// <summary>
    /// Every run's totals per lab, attribution and scope, as RunPublisher.WriteTotals groups them, kept as differences:
    /// a range adds its counts at its first run and takes them off at the run that closes it, so a model costs a few
    /// additions per range rather than per run; the running sums are each run's totals.
    /// </summary>
    private sealed class TotalsAccumulator(int labs, int runs)
    {
        private readonly Sums[] _delta = new Sums[(runs + 2) * 4 * labs];

        public void Add(int from, int to, int lab, int originLab, GeneratedCounts counts)
        {
            for (var view = 0; view < 4; view++)
            {
                if (view % 2 == 1 && !counts.InCensus)
                {
                    continue;
                }

                var key = view * labs + (view < 2 ? lab : originLab);
                _delta[from * 4 * labs + key].Add(counts, 1);
                _delta[to * 4 * labs + key].Add(counts, -1);
            }
        }

        public IEnumerable<(int Run, string Attribution, string Scope, int Lab, Sums Sums)> Rows()
        {
            var running = new Sums[4 * labs];
            for (var run = 1; run <= runs; run++)
            {
                for (var key = 0; key < running.Length; key++)
                {
                    running[key].Add(_delta[run * 4 * labs + key]);
                    if (running[key].Models > 0)
                    {
                        var view = key / labs;
                        yield return (run, view < 2 ? "Uploader" : "Origin", view % 2 == 0 ? "All" : "Census", key % labs, running[key]);
                    }
                }
            }
        }
    }

    private struct Sums
    {
        public long Models;
        public long Downloads30d;
        public long DownloadsAllTime;
        public long Likes;

        public void Add(GeneratedCounts counts, int sign)
        {
            Models += sign;
            Downloads30d += sign * counts.Downloads30d;
            DownloadsAllTime += sign * counts.DownloadsAllTime;
            Likes += sign * counts.Likes;
        }

        public void Add(Sums other)
        {
            Models += other.Models;
            Downloads30d += other.Downloads30d;
            DownloadsAllTime += other.DownloadsAllTime;
            Likes += other.Likes;
        }
    }
}

/// <summary>The machine's load average, printed next to every figure: the two cores are shared with other builds.</summary>
public static class BenchLoad
{
    public static string Average
    {
        get
        {
            try
            {
                var parts = File.ReadAllText("/proc/loadavg").Split(' ');
                return $"{parts[0]} {parts[1]} {parts[2]}";
            }
            catch (IOException)
            {
                return "?";
            }
        }
    }
}
