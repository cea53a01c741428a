using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Store;

/// <summary>
/// Prepares the store before anything reads it: folder, migrations, WAL (SQLite), and the registry's labs (the runs a dead
/// process left <c>Running</c> are ingestion's to mark, <c>Ingestion/IngestionRunner.MarkInterruptedIfIdleAsync</c>).
/// </summary>
public sealed class StoreInitializer(
    StoreConnection store,
    IDbContextFactory<OpenModelWatchDb> dbFactory,
    LabRegistry registry,
    ILogger<StoreInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (!store.IsPostgres)
        {
            EnsureFolder();
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            try
            {
                // On PostgreSQL, EF Core takes a database lock around the migrations: replicas starting at once apply them once.
                await db.Database.MigrateAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is DbException or System.Net.Sockets.SocketException or TimeoutException)
            {
                throw new StartupException($"The database {store.Description} (ConnectionStrings:{StoreSetup.ConnectionName}) cannot be opened or migrated: {exception.Message}", exception);
            }
        }

        if (!store.IsPostgres)
        {
            await using var connection = store.Open();
            await using var pragma = connection.Command(null, "PRAGMA journal_mode=WAL;");
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        await SyncLabsAsync(cancellationToken);
    }

    private void EnsureFolder()
    {
        var folder = Path.GetDirectoryName(store.DatabasePath!);
        if (string.IsNullOrEmpty(folder) || store.DatabasePath == ":memory:")
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"The database folder {folder} (ConnectionStrings:{StoreSetup.ConnectionName}) cannot be created or written: {exception.Message}", exception);
        }
    }

    /// <summary>Makes the Labs table and each model's lab match the registry as it is now (renames, new namespaces).</summary>
    public async Task SyncLabsAsync(CancellationToken cancellationToken)
    {
        await using var connection = store.Open();
        var postgres = connection.IsPostgres();
        await using var transaction = connection.BeginWrite();
        // A namespace matches whatever its case: SQLite's NOCASE key; on PostgreSQL the key is stored lower-cased, and
        // text is in the store's collation (C, PostgresStoreDb).
        var sql = postgres
            ? new LabSql(
                Tables: """
                    CREATE TEMP TABLE IF NOT EXISTS RegistryLabs (Id TEXT COLLATE "C" PRIMARY KEY, Name TEXT COLLATE "C", Organization TEXT COLLATE "C",
                        Country TEXT COLLATE "C", Kind TEXT COLLATE "C", Source TEXT COLLATE "C");
                    CREATE TEMP TABLE IF NOT EXISTS RegistryNamespaces (Namespace TEXT COLLATE "C" PRIMARY KEY, LabId TEXT COLLATE "C");
                    DELETE FROM RegistryLabs; DELETE FROM RegistryNamespaces;
                    """,
                InsertNamespace: "INSERT INTO RegistryNamespaces VALUES (lower(@ns), @lab)",
                Countries: "SELECT COALESCE((SELECT string_agg(Id || '=' || Country, ',' ORDER BY Id) FROM Labs), '')",
                Relabel: """
                    UPDATE Models SET LabId = (SELECT LabId FROM RegistryNamespaces r WHERE r.Namespace = lower(Models.Namespace))
                    WHERE LabId IS DISTINCT FROM (SELECT LabId FROM RegistryNamespaces r WHERE r.Namespace = lower(Models.Namespace))
                    """)
            : new LabSql(
                Tables: """
                    CREATE TEMP TABLE IF NOT EXISTS RegistryLabs (Id TEXT PRIMARY KEY, Name TEXT, Organization TEXT, Country TEXT, Kind TEXT, Source TEXT);
                    CREATE TEMP TABLE IF NOT EXISTS RegistryNamespaces (Namespace TEXT PRIMARY KEY COLLATE NOCASE, LabId TEXT);
                    DELETE FROM RegistryLabs; DELETE FROM RegistryNamespaces;
                    """,
                InsertNamespace: "INSERT INTO RegistryNamespaces VALUES (@ns, @lab)",
                Countries: "SELECT COALESCE((SELECT group_concat(Id || '=' || Country, ',') FROM (SELECT Id, Country FROM Labs ORDER BY Id)), '')",
                Relabel: """
                    UPDATE Models SET LabId = (SELECT LabId FROM RegistryNamespaces r WHERE r.Namespace = Models.Namespace)
                    WHERE LabId IS NOT (SELECT LabId FROM RegistryNamespaces r WHERE r.Namespace = Models.Namespace)
                    """);
        await using (var command = connection.Command(transaction, sql.Tables))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insertLab = connection.Command(transaction, "INSERT INTO RegistryLabs VALUES (@id, @name, @org, @country, @kind, @source)"))
        await using (var insertNamespace = connection.Command(transaction, sql.InsertNamespace))
        {
            var labParameters = new[] { "@id", "@name", "@org", "@country", "@kind", "@source" }
                .Select(name => insertLab.Parameter(name)).ToArray();
            var nsParameter = insertNamespace.Parameter("@ns");
            var labParameter = insertNamespace.Parameter("@lab");
            foreach (var lab in registry.Labs)
            {
                string[] values = [lab.Id, lab.Name, lab.Organization, lab.Country, lab.Kind, lab.Source];
                for (var i = 0; i < values.Length; i++)
                {
                    labParameters[i].Value = values[i];
                }

                await insertLab.ExecuteNonQueryAsync(cancellationToken);
                foreach (var ns in lab.Namespaces)
                {
                    nsParameter.Value = ns;
                    labParameter.Value = lab.Id;
                    await insertNamespace.ExecuteNonQueryAsync(cancellationToken);
                }
            }
        }

        await using (var sync = connection.Command(transaction))
        {
            // What attribution depends on: each lab's country, each model's lab. When either moves, the models'
            // denormalised countries follow and every run's totals are recomputed (BackfillTotals), as they would be
            // if computed on reading.
            sync.CommandText = sql.Countries;
            var before = (string)(await sync.ExecuteScalarAsync(cancellationToken))!;
            sync.CommandText = """
                INSERT INTO Labs (Id, Name, Organization, Country, Kind, Source)
                SELECT Id, Name, Organization, Country, Kind, Source FROM RegistryLabs WHERE true
                ON CONFLICT(Id) DO UPDATE SET Name = excluded.Name, Organization = excluded.Organization,
                    Country = excluded.Country, Kind = excluded.Kind, Source = excluded.Source
                """;
            await sync.ExecuteNonQueryAsync(cancellationToken);
            sync.CommandText = sql.Relabel;
            long relabelled = await sync.ExecuteNonQueryAsync(cancellationToken);
            sync.CommandText = "DELETE FROM Labs WHERE Id NOT IN (SELECT Id FROM RegistryLabs)";
            await sync.ExecuteNonQueryAsync(cancellationToken);
            sync.CommandText = sql.Countries;
            var after = (string)(await sync.ExecuteScalarAsync(cancellationToken))!;

            if (before != after || relabelled > 0)
            {
                sync.CommandText = """
                    UPDATE Models SET Country = (SELECT l.Country FROM Labs l WHERE l.Id = Models.LabId)
                    WHERE Country IS DISTINCT FROM (SELECT l.Country FROM Labs l WHERE l.Id = Models.LabId);
                    UPDATE Models SET OriginCountry = (SELECT l.Country FROM Labs l WHERE l.Id = Models.OriginLabId)
                    WHERE OriginCountry IS DISTINCT FROM (SELECT l.Country FROM Labs l WHERE l.Id = Models.OriginLabId);
                    DELETE FROM RunTotals;
                    """;
                await sync.ExecuteNonQueryAsync(cancellationToken);
            }

            logger.LogInformation("Lab registry synced: {Labs} labs, {Namespaces} namespaces, {Relabelled} models relabelled, countries {Countries}",
                registry.Labs.Count, registry.Namespaces.Count(), relabelled, before == after ? "unchanged" : "changed");
        }

        await transaction.CommitAsync(cancellationToken);
        await BackfillTotalsAsync(connection, cancellationToken);
    }

    /// <summary>The statements of the registry sync that differ between the providers.</summary>
    private sealed record LabSql(string Tables, string InsertNamespace, string Countries, string Relabel);

    /// <summary>
    /// Writes the totals of every succeeded run that has none (a store upgraded from before totals existed, or after a
    /// registry change), one run per transaction, with progress: a past run's totals read its count ranges.
    /// </summary>
    private async Task BackfillTotalsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var latest = RunPublisher.LatestRunId(connection, null);
        if (latest is { } run && !RunPublisher.HasFacets(connection, null, run))
        {
            // A store from before the counts per task and licence: the latest run's, from its models (one pass).
            await using var transaction = connection.BeginWrite();
            RunPublisher.WriteFacets(connection, transaction, run);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Counts per task and licence written for run {Run}", run);
        }

        var runs = RunPublisher.RunsWithoutTotals(connection);
        if (runs.Count == 0)
        {
            return;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < runs.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var transaction = connection.BeginWrite();
            RunPublisher.WriteTotals(connection, transaction, runs[i], latest: runs[i] == latest);
            await transaction.CommitAsync(cancellationToken);
            var left = clock.Elapsed / (i + 1) * (runs.Count - i - 1);
            logger.LogInformation("Run totals written for run {Run} ({Done} of {Runs}, {Elapsed:0.0} s so far, about {Left:0} s left)",
                runs[i], i + 1, runs.Count, clock.Elapsed.TotalSeconds, left.TotalSeconds);
        }
    }
}
