using System.Data.Common;
using System.Globalization;

namespace OpenModelWatch.Web.Store;

/// <summary>What publishing a run wrote: models whose counts changed or that are new, and models no longer listed.</summary>
public sealed record PublishedRun(int Changed, int Removed);

/// <summary>
/// The hand-written SQL of the count ranges, the models' latest counts and the run totals, in one place, one text for
/// both providers (<see cref="StoreSql"/>: <c>IS NOT DISTINCT FROM</c> for null-safe equality, <c>UPDATE … FROM</c>,
/// the connection's temporary schema). Everything here runs inside the caller's transaction: a run is published whole
/// or not at all.
/// </summary>
public static class RunPublisher
{
    /// <summary>
    /// Turns a run's listings into what readers read, then deletes them: a model whose counts differ from the latest
    /// run's (or that is new, or back) closes its open range and opens one at this run; a model the latest run listed
    /// and this one does not closes its range and is no longer listed; a model whose counts did not move costs nothing.
    /// Then the run's totals are written from the models' latest counts (<see cref="WriteTotals"/>).
    /// </summary>
    /// <remarks>
    /// The run goes slice by slice of model ids (<paramref name="slices"/>, from <see cref="RunSlices"/>, read once for origins and publishing): a model's range, latest counts and listing
    /// are its own, so slices give the same result as one pass. Two passes: what changed and its count ranges (cheap),
    /// then the models' latest counts, whose index entries are the cost; <paramref name="progress"/> is told the run's
    /// models published after each slice of the second, and <paramref name="cancellationToken"/> is checked between
    /// slices (the caller's transaction, rolled back, leaves nothing). <paramref name="step"/> is told each step after the
    /// slices that takes long on a large run: each count index built again (<see cref="CountIndexesToRebuild"/>), the totals.
    /// </remarks>
    public static PublishedRun Publish(DbConnection connection, DbTransaction transaction, int runId, IReadOnlyList<RunSlice> slices,
        Action<long>? progress = null, Action<string>? step = null, CancellationToken cancellationToken = default)
    {
        var published = PublishCounts(connection, transaction, runId, new CountsSource("Listings", "l.RunId = @run AND "), slices,
            "the models' latest counts written; writing the run's totals", progress, step, cancellationToken);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        WriteTotals(connection, transaction, runId, latest: true);
        step?.Invoke(Took(clock, "the run's totals written; deleting its listings"));
        using var command = connection.Command(transaction, "DELETE FROM Listings WHERE RunId = @run");
        command.Parameter("@run", runId);
        command.ExecuteNonQuery();
        step?.Invoke(Took(clock, "the run's listings deleted"));
        return published;
    }

    /// <summary>Where the counts being published are read from: a table aliased <c>l</c> with a <c>ModelId</c> and the five counts, and what keeps the run's rows.</summary>
    private readonly record struct CountsSource(string Table, string OfRun);

    /// <summary>
    /// What <see cref="Publish"/> and <see cref="CarryAsOfRun"/> share: the changed models, their count ranges (from or up to <c>@run</c>) and the
    /// models' latest counts, from <paramref name="source"/>.
    /// </summary>
    private static PublishedRun PublishCounts(DbConnection connection, DbTransaction transaction, int runId, CountsSource source, IReadOnlyList<RunSlice> slices,
        string done, Action<long>? progress, Action<string>? step, CancellationToken cancellationToken)
    {
        var temp = connection.TempSchema();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var command = connection.Command(transaction);
        command.Parameter("@run", runId);
        // After the models were given back to the as-of run (CarryAsOfRun), open ranges may start at this run's id.
        command.CommandText = """
            SELECT COUNT(*) FROM Runs WHERE Backfilled
              AND Id > (SELECT COALESCE(MAX(Id), 0) FROM Runs WHERE Status = 'Succeeded' AND NOT Backfilled)
            """;
        var afterCarry = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
        command.CommandText = $"""
            DROP TABLE IF EXISTS {temp}.Changed;
            CREATE TEMP TABLE Changed (ModelId INTEGER PRIMARY KEY, Listed BOOLEAN NOT NULL, Was BOOLEAN NOT NULL);
            """;
        command.ExecuteNonQuery();
        var after = command.Parameter("@after", 0L);
        var last = command.Parameter("@last", 0L);
        // What changed, and its count ranges: cheap, a pass over the run's listings and their models.
        command.CommandText = $"""
            INSERT INTO {temp}.Changed
            SELECT l.ModelId, true, m.Listed FROM {source.Table} l JOIN Models m ON m.Id = l.ModelId
            WHERE {source.OfRun}l.ModelId > @after AND l.ModelId <= @last
              AND NOT (m.Listed AND m.Downloads30d IS NOT DISTINCT FROM l.Downloads30d
                AND m.DownloadsAllTime IS NOT DISTINCT FROM l.DownloadsAllTime AND m.Likes IS NOT DISTINCT FROM l.Likes
                AND m.TrendingScore IS NOT DISTINCT FROM l.TrendingScore AND m.InCensus = l.InCensus);
            INSERT INTO {temp}.Changed
            SELECT m.Id, false, true FROM Models m
            WHERE m.Id > @after AND m.Id <= @last AND m.Listed
              AND NOT EXISTS (SELECT 1 FROM {source.Table} l WHERE {source.OfRun}l.ModelId = m.Id);
            {RangesSql(temp, source, afterCarry)}
            """;
        foreach (var slice in slices)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (after.Value, last.Value) = (slice.After, slice.Last);
            command.ExecuteNonQuery();
        }

        command.CommandText = $"SELECT (SELECT COUNT(*) FROM {temp}.Changed WHERE Listed), (SELECT COUNT(*) FROM {temp}.Changed WHERE NOT Listed)";
        PublishedRun published;
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            published = new PublishedRun(StoreSql.ToInt(reader.GetValue(0)), StoreSql.ToInt(reader.GetValue(1)));
        }

        step?.Invoke(Took(clock, string.Create(CultureInfo.InvariantCulture,
            $"{published.Changed} models changed or new and {published.Removed} no longer listed, their count ranges written")));

        // The models' latest counts: the costly part, each changed model's entries in a dozen indexes of Models moved.
        var rebuilt = CountIndexesToRebuild(connection, transaction, published);
        command.CommandText = LatestCountsSql(connection, temp, source, indexesKept: rebuilt.Count == 0);
        foreach (var slice in slices)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (after.Value, last.Value) = (slice.After, slice.Last);
            command.ExecuteNonQuery();
            progress?.Invoke(slice.Models);
        }

        for (var i = 0; i < rebuilt.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            step?.Invoke(string.Create(CultureInfo.InvariantCulture, $"building count index {i + 1} of {rebuilt.Count} again ({rebuilt[i].Name})"));
            using var create = connection.Command(transaction, rebuilt[i].Sql);
            create.ExecuteNonQuery();
        }

        command.CommandText = $"DROP TABLE {temp}.Changed";
        command.ExecuteNonQuery();
        step?.Invoke(Took(clock, done));
        return published;
    }

    /// <summary>
    /// Gives the models back to the as-of run (the newest by time, as <see cref="Reading.AsOf"/> chooses it) once
    /// earlier days were recorded after it (imported files of last year, the bundled history brought to an existing
    /// store). Runs are published in id order, so each earlier day left the models carrying its counts, and the as-of
    /// run's grid would read its count ranges (minutes of work at 3 million models) until the next live run. Called
    /// when the earlier days are all recorded, in the caller's transaction: the as-of run's counts (read from its
    /// ranges) are published as if by a run after every recorded one, so the ranges they open start at the next run id
    /// and cover no recorded run; its counts per task and licence are written again; the runs recorded after it are
    /// marked <see cref="IngestionRun.Backfilled"/>, so the models carry it again (<see cref="LatestRunId"/>). The
    /// earlier days keep their ranges, chained by id among themselves: a batch of consecutive days costs what changed
    /// between them, and this once. Returns the as-of run's id when the models were given back to it; null when they
    /// carry it already.
    /// </summary>
    public static int? CarryAsOfRun(DbConnection connection, DbTransaction transaction, Action<string>? step = null, CancellationToken cancellationToken = default)
    {
        var temp = connection.TempSchema();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var command = connection.Command(transaction, """
            SELECT r.Id FROM Runs r WHERE r.Status = 'Succeeded'
            ORDER BY CASE WHEN r.Trigger = 'Snapshot' THEN 1 ELSE 0 END, r.FinishedAt DESC, r.Id DESC
            LIMIT 1
            """);
        if (StoreSql.ToNullableInt(command.ExecuteScalar()) is not { } asOf
            || LatestRunId(connection, transaction) is not { } carried || asOf >= carried)
        {
            return null;
        }

        command.CommandText = "SELECT MAX(Id) FROM Runs";
        var next = StoreSql.ToInt(command.ExecuteScalar()) + 1;
        command.Parameter("@asOf", asOf);
        command.CommandText = $"""
            DROP TABLE IF EXISTS {temp}.Carried;
            CREATE TEMP TABLE Carried (ModelId INTEGER PRIMARY KEY, Downloads30d BIGINT NOT NULL, DownloadsAllTime BIGINT,
                Likes BIGINT, TrendingScore BIGINT, InCensus BOOLEAN NOT NULL);
            INSERT INTO {temp}.Carried
            SELECT ModelId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus FROM Counts
            WHERE FromRunId <= @asOf AND (ToRunId IS NULL OR ToRunId > @asOf);
            """;
        command.ExecuteNonQuery();
        command.CommandText = $"SELECT COUNT(*) FROM {temp}.Carried";
        var models = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        step?.Invoke(Took(clock, string.Create(CultureInfo.InvariantCulture, $"the as-of run {asOf}'s counts read: {models} models")));
        cancellationToken.ThrowIfCancellationRequested();
        PublishCounts(connection, transaction, next, new CountsSource($"{temp}.Carried", ""), [new RunSlice(long.MinValue, long.MaxValue, models)],
            "the models' latest counts written; their counts per task and licence next", null, step, cancellationToken);
        clock.Restart();
        WriteFacets(connection, transaction, asOf);
        command.CommandText = $"DROP TABLE {temp}.Carried; UPDATE Runs SET Backfilled = true WHERE Id > @asOf AND Status = 'Succeeded';";
        command.ExecuteNonQuery();
        step?.Invoke(Took(clock, string.Create(CultureInfo.InvariantCulture, $"its counts per task and licence written: the models carry the as-of run {asOf} again")));
        return asOf;
    }

    /// <summary>
    /// The count ranges of a slice's changed models (<c>Changed</c>: listed with other counts than the models' latest,
    /// or new; or no longer listed): their open ranges closed at <c>@run</c>, and the listed ones' counts from it on.
    /// <paramref name="afterCarry"/>: the models were given back to the as-of run since the last run that carries them
    /// was published (<see cref="CarryAsOfRun"/>), so a changed model's open range may start at <c>@run</c> itself; it
    /// covered no run, and is deleted rather than closed empty.
    /// </summary>
    private static string RangesSql(string temp, CountsSource source, bool afterCarry) => $"""
        {(afterCarry ? $"DELETE FROM Counts WHERE ToRunId IS NULL AND FromRunId = @run AND ModelId IN (SELECT ModelId FROM {temp}.Changed WHERE ModelId > @after AND ModelId <= @last);" : "")}
        UPDATE Counts SET ToRunId = @run
        WHERE ToRunId IS NULL AND ModelId IN (SELECT ModelId FROM {temp}.Changed WHERE ModelId > @after AND ModelId <= @last);
        INSERT INTO Counts (ModelId, FromRunId, ToRunId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus)
        SELECT l.ModelId, @run, NULL, l.Downloads30d, l.DownloadsAllTime, l.Likes, l.TrendingScore, l.InCensus
        FROM {temp}.Changed c JOIN {source.Table} l ON {source.OfRun}l.ModelId = c.ModelId
        WHERE c.Listed AND c.ModelId > @after AND c.ModelId <= @last;
        """;

    /// <summary>A step's description with the time since the last one (the clock restarted).</summary>
    public static string Took(System.Diagnostics.Stopwatch clock, string what)
    {
        var took = string.Create(CultureInfo.InvariantCulture, $"{what} ({clock.Elapsed.TotalSeconds:0.0} s)");
        clock.Restart();
        return took;
    }

    private static readonly string[] _countColumns = ["Downloads30d", "DownloadsAllTime", "Likes", "TrendingScore", "InCensus"];

    /// <summary>
    /// The statement that writes the changed models' latest counts (a slice at a time). SQLite moves a row's entry in
    /// every index holding a column the <c>SET</c> names, whether its value changed or not: a model listed before and
    /// after, whose 30-day downloads moved, would move in all six <c>(Listed, …)</c> indexes and those of its likes and
    /// trending score too. So, on SQLite with its indexes kept, a model whose listing neither starts nor ends gets one
    /// statement per count column, each naming that column alone and only for the models whose value differs (about
    /// 8 index moves a changed model instead of 12 in the fake Hub's change model). PostgreSQL writes a new version of
    /// the row, with an entry in every index, for each statement that touches it: there, and when the indexes are built
    /// again afterwards, one statement sets everything.
    /// </summary>
    private static string LatestCountsSql(DbConnection connection, string temp, CountsSource source, bool indexesKept)
    {
        const string slice = "c.ModelId > @after AND c.ModelId <= @last";
        if (connection.IsPostgres() || !indexesKept)
        {
            return $"""
                UPDATE Models SET Listed = c.Listed, Downloads30d = l.Downloads30d, DownloadsAllTime = l.DownloadsAllTime,
                    Likes = l.Likes, TrendingScore = l.TrendingScore, InCensus = COALESCE(l.InCensus, false)
                FROM {temp}.Changed c LEFT JOIN {source.Table} l ON {source.OfRun}l.ModelId = c.ModelId
                WHERE Models.Id = c.ModelId AND {slice};
                """;
        }

        var perColumn = string.Concat(_countColumns.Select(column => $"""
            UPDATE Models SET {column} = l.{column}
            FROM {temp}.Changed c JOIN {source.Table} l ON {source.OfRun}l.ModelId = c.ModelId
            WHERE Models.Id = c.ModelId AND c.Listed AND c.Was AND {slice} AND Models.{column} IS DISTINCT FROM l.{column};

            """));
        return $"""
            UPDATE Models SET Listed = c.Listed, Downloads30d = l.Downloads30d, DownloadsAllTime = l.DownloadsAllTime,
                Likes = l.Likes, TrendingScore = l.TrendingScore, InCensus = COALESCE(l.InCensus, false)
            FROM {temp}.Changed c LEFT JOIN {source.Table} l ON {source.OfRun}l.ModelId = c.ModelId
            WHERE Models.Id = c.ModelId AND c.Listed <> c.Was AND {slice};
            {perColumn}
            """;
    }

    /// <summary>
    /// SQLite only, when the run changes most models (a first whole-Hub day, imported or live): the indexes of Models over
    /// the columns publishing writes are dropped here and their definitions returned, to be created again once the
    /// models are written. Moving a million entries one by one in each index costs a random page each when the models'
    /// ids do not follow their downloads (an imported file's order; a live listing comes most downloaded first): at 1M
    /// models, 225 s against about 25 s dropped, written and built again (docs/performance.md). Inside the
    /// run's transaction, so a rollback brings them back and readers never see the table without them. PostgreSQL
    /// keeps its indexes: dropping one locks readers out until the commit.
    /// </summary>
    private static List<(string Name, string Sql)> CountIndexesToRebuild(DbConnection connection, DbTransaction transaction, PublishedRun published)
    {
        if (connection.IsPostgres())
        {
            return [];
        }

        using var command = connection.Command(transaction, "SELECT COUNT(*) FROM Models");
        if ((long)(published.Changed + published.Removed) * 2 <= Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture))
        {
            return [];
        }

        command.CommandText = """
            SELECT DISTINCT i.name, i.sql FROM sqlite_master i, pragma_index_info(i.name) c
            WHERE i.type = 'index' AND i.tbl_name = 'Models' AND i.sql IS NOT NULL
              AND c.name IN ('Listed', 'Downloads30d', 'DownloadsAllTime', 'Likes', 'TrendingScore', 'InCensus')
            ORDER BY i.name
            """;
        var indexes = new List<(string Name, string Sql)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            command.CommandText = $"DROP INDEX \"{name}\"";
            command.ExecuteNonQuery();
        }

        return indexes;
    }

    /// <summary>
    /// Writes one run's totals per lab (the empty lab: models of no registered lab) for both attributions and both
    /// scopes, replacing any it had. <paramref name="latest"/>: the run is the latest succeeded one, whose counts are on
    /// the models, and its counts per task and licence are written from the same pass over them
    /// (<see cref="LatestGroupsSql"/>, <see cref="WriteFacets"/>); else they are read from the count ranges covering it
    /// (slower: a pass over the ranges).
    /// </summary>
    public static int WriteTotals(DbConnection connection, DbTransaction? transaction, int runId, bool latest)
    {
        var temp = connection.TempSchema();
        // Per lab, origin and scope: from the latest groups (which also hold task and licence), or the run's ranges.
        var groups = latest
            ? $"""
              SELECT LabId, OriginLabId, InCensus, SUM(Models) AS Models, SUM(Downloads30d) AS Downloads30d,
                  SUM(DownloadsAllTime) AS DownloadsAllTime, SUM(AllTimeKnown) AS AllTimeKnown, SUM(Likes) AS Likes
              FROM {temp}.LatestGroups GROUP BY 1, 2, 3
              """
            : """
              SELECT COALESCE(m.LabId, '') AS LabId, COALESCE(m.OriginLabId, '') AS OriginLabId, c.InCensus, COUNT(*) AS Models,
                  SUM(c.Downloads30d) AS Downloads30d, SUM(COALESCE(c.DownloadsAllTime, 0)) AS DownloadsAllTime,
                  COUNT(c.DownloadsAllTime) AS AllTimeKnown, SUM(COALESCE(c.Likes, 0)) AS Likes
              FROM Counts c JOIN Models m ON m.Id = c.ModelId
              WHERE c.FromRunId <= @run AND (c.ToRunId IS NULL OR c.ToRunId > @run)
              GROUP BY 1, 2, 3
              """;
        using var command = connection.Command(transaction);
        command.Parameter("@run", runId);
        command.CommandText = $"""
            {(latest ? LatestGroupsSql(temp) : "")}
            DELETE FROM RunTotals WHERE RunId = @run;
            INSERT INTO RunTotals (RunId, Attribution, Scope, LabId, Models, Downloads30d, DownloadsAllTime, AllTimeKnown, Likes)
            WITH groups AS ({groups})
            SELECT @run, 'Uploader', 'All', LabId, SUM(Models), SUM(Downloads30d), SUM(DownloadsAllTime), SUM(AllTimeKnown), SUM(Likes)
            FROM groups GROUP BY LabId
            UNION ALL
            SELECT @run, 'Uploader', 'Census', LabId, SUM(Models), SUM(Downloads30d), SUM(DownloadsAllTime), SUM(AllTimeKnown), SUM(Likes)
            FROM groups WHERE InCensus GROUP BY LabId
            UNION ALL
            SELECT @run, 'Origin', 'All', OriginLabId, SUM(Models), SUM(Downloads30d), SUM(DownloadsAllTime), SUM(AllTimeKnown), SUM(Likes)
            FROM groups GROUP BY OriginLabId
            UNION ALL
            SELECT @run, 'Origin', 'Census', OriginLabId, SUM(Models), SUM(Downloads30d), SUM(DownloadsAllTime), SUM(AllTimeKnown), SUM(Likes)
            FROM groups WHERE InCensus GROUP BY OriginLabId;
            {(latest ? FacetsSql(temp) : "")}
            """;
        return command.ExecuteNonQuery();
    }

    /// <summary>
    /// Writes the latest run's model counts per task and per licence, in both scopes (<see cref="RunFacet"/>), from the
    /// models' latest counts, and deletes every other run's: only the latest run's rows carry the task and licence they
    /// were counted with. For a store from before them; a run writes them with its totals (<see cref="WriteTotals"/>).
    /// </summary>
    public static void WriteFacets(DbConnection connection, DbTransaction? transaction, int runId)
    {
        var temp = connection.TempSchema();
        using var command = connection.Command(transaction, LatestGroupsSql(temp) + FacetsSql(temp));
        command.Parameter("@run", runId);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The listed models grouped by everything the latest run's totals and facets are counted by (uploader's lab,
    /// origin's lab, scope, task, licence), into a temporary table: one pass over the models for both (at 3 million
    /// models, 6.6 s in the <c>sqlite3</c> shell, where a pass for each took 4.2 and 8.6 s).
    /// </summary>
    private static string LatestGroupsSql(string temp) => $"""
        DROP TABLE IF EXISTS {temp}.LatestGroups;
        CREATE TEMP TABLE LatestGroups AS
        SELECT COALESCE(LabId, '') AS LabId, COALESCE(OriginLabId, '') AS OriginLabId, InCensus, COALESCE(Task, '') AS Task,
            COALESCE(License, '') AS License, COUNT(*) AS Models, SUM(Downloads30d) AS Downloads30d,
            SUM(COALESCE(DownloadsAllTime, 0)) AS DownloadsAllTime, COUNT(DownloadsAllTime) AS AllTimeKnown, SUM(COALESCE(Likes, 0)) AS Likes
        FROM Models WHERE Listed GROUP BY 1, 2, 3, 4, 5;
        """;

    /// <summary>The run's counts per task and licence from <see cref="LatestGroupsSql"/>'s table, which is then dropped.</summary>
    private static string FacetsSql(string temp) => $"""
        DELETE FROM RunFacets;
        INSERT INTO RunFacets (RunId, Scope, Facet, Value, Models, Downloads30d)
        SELECT @run, 'All', 'Task', Task, SUM(Models), SUM(Downloads30d) FROM {temp}.LatestGroups GROUP BY Task
        UNION ALL
        SELECT @run, 'Census', 'Task', Task, SUM(Models), SUM(Downloads30d) FROM {temp}.LatestGroups WHERE InCensus GROUP BY Task
        UNION ALL
        SELECT @run, 'All', 'License', License, SUM(Models), SUM(Downloads30d) FROM {temp}.LatestGroups GROUP BY License
        UNION ALL
        SELECT @run, 'Census', 'License', License, SUM(Models), SUM(Downloads30d) FROM {temp}.LatestGroups WHERE InCensus GROUP BY License;
        DROP TABLE {temp}.LatestGroups;
        """;

    /// <summary>Whether <paramref name="runId"/> has its counts per task and licence (a store upgraded from before them has none).</summary>
    public static bool HasFacets(DbConnection connection, DbTransaction? transaction, int runId)
    {
        using var command = connection.Command(transaction, "SELECT COUNT(*) FROM RunFacets WHERE RunId = @run");
        command.Parameter("@run", runId);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Succeeded runs with no totals (a store upgraded from before totals, or totals dropped by a registry change).</summary>
    public static IReadOnlyList<int> RunsWithoutTotals(DbConnection connection)
    {
        using var command = connection.Command(null, """
            SELECT r.Id FROM Runs r
            WHERE r.Status = 'Succeeded' AND NOT EXISTS (SELECT 1 FROM RunTotals t WHERE t.RunId = r.Id)
            ORDER BY r.Id
            """);
        using var reader = command.ExecuteReader();
        var ids = new List<int>();
        while (reader.Read())
        {
            ids.Add(StoreSql.ToInt(reader.GetValue(0)));
        }

        return ids;
    }

    /// <summary>
    /// The latest succeeded run not backfilled: the one whose counts the models carry (runs run one at a time, in id
    /// order; a backfilled run leaves them to the later run, <see cref="IngestionRun.Backfilled"/>).
    /// </summary>
    public static int? LatestRunId(DbConnection connection, DbTransaction? transaction)
    {
        using var command = connection.Command(transaction, "SELECT MAX(Id) FROM Runs WHERE Status = 'Succeeded' AND NOT Backfilled");
        return StoreSql.ToNullableInt(command.ExecuteScalar());
    }
}
