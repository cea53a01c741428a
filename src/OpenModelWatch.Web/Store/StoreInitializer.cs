using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Store;

/// <summary>
/// Prepares the store before anything reads it: folder, migrations, WAL, and the registry's labs (the runs a dead
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
        EnsureFolder();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            catch (SqliteException exception)
            {
                throw new StartupException($"The database {store.DatabasePath} cannot be opened or migrated: {exception.Message}", exception);
            }
        }

        await using (var connection = store.Open())
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        await SyncLabsAsync(cancellationToken);
    }

    private void EnsureFolder()
    {
        var folder = Path.GetDirectoryName(store.DatabasePath);
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
        await using var transaction = connection.BeginTransaction();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                CREATE TEMP TABLE IF NOT EXISTS RegistryLabs (Id TEXT PRIMARY KEY, Name TEXT, Organization TEXT, Country TEXT, Kind TEXT, Source TEXT);
                CREATE TEMP TABLE IF NOT EXISTS RegistryNamespaces (Namespace TEXT PRIMARY KEY COLLATE NOCASE, LabId TEXT);
                DELETE FROM RegistryLabs; DELETE FROM RegistryNamespaces;
                """;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insertLab = connection.CreateCommand())
        await using (var insertNamespace = connection.CreateCommand())
        {
            insertLab.CommandText = "INSERT INTO RegistryLabs VALUES ($id, $name, $org, $country, $kind, $source)";
            var labParameters = new[] { "$id", "$name", "$org", "$country", "$kind", "$source" }
                .Select(name => insertLab.Parameters.Add(name, SqliteType.Text)).ToArray();
            insertNamespace.CommandText = "INSERT INTO RegistryNamespaces VALUES ($ns, $lab)";
            var nsParameter = insertNamespace.Parameters.Add("$ns", SqliteType.Text);
            var labParameter = insertNamespace.Parameters.Add("$lab", SqliteType.Text);
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

        await using (var sync = connection.CreateCommand())
        {
            sync.CommandText = """
                INSERT INTO Labs (Id, Name, Organization, Country, Kind, Source)
                SELECT Id, Name, Organization, Country, Kind, Source FROM RegistryLabs WHERE true
                ON CONFLICT(Id) DO UPDATE SET Name = excluded.Name, Organization = excluded.Organization,
                    Country = excluded.Country, Kind = excluded.Kind, Source = excluded.Source;
                UPDATE Models SET LabId = (SELECT LabId FROM RegistryNamespaces r WHERE r.Namespace = Models.Namespace)
                WHERE LabId IS NOT (SELECT LabId FROM RegistryNamespaces r WHERE r.Namespace = Models.Namespace);
                DELETE FROM Labs WHERE Id NOT IN (SELECT Id FROM RegistryLabs);
                """;
            var changed = await sync.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Lab registry synced: {Labs} labs, {Namespaces} namespaces, {Changed} rows changed",
                registry.Labs.Count, registry.Namespaces.Count(), changed);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
