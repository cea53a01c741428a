using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace OpenModelWatch.Web.Store;

/// <summary>
/// Moves an install from SQLite to PostgreSQL: every table of a SQLite store (labs, runs, models, count ranges, run
/// totals, lineage look-ups) into an empty PostgreSQL database, in one transaction (binary <c>COPY</c>), read from one
/// consistent state of the SQLite file; then each table's rows and sums are compared on both sides before the commit.
/// All or nothing: on any error or difference, nothing is committed and the database stays empty. A run in progress
/// is copied as it is (<c>Running</c>, marked interrupted at the next start); its staging listings are not copied.
/// </summary>
public static class StoreCopy
{
    /// <summary>The tables, in foreign-key order, and a sum per table that must come out identical (null: rows only).</summary>
    private static readonly (Type Entity, string? Sum)[] _tables =
    [
        (typeof(Lab), null),
        (typeof(IngestionRun), "Models"),
        (typeof(Model), "Downloads30d"),
        (typeof(CountRange), "Downloads30d"),
        (typeof(RunTotal), "Downloads30d"),
        (typeof(RunFacet), "Downloads30d"),
        (typeof(LineageLookup), null),
    ];

    public static async Task<int> RunAsync(StoreConnection source, string? target, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (source.IsPostgres)
        {
            await error.WriteLineAsync($"copy-to-postgres: the store is already on PostgreSQL ({StoreSetup.ProviderKey}); this command copies a SQLite store.");
            return 2;
        }

        string targetConnection;
        try
        {
            targetConnection = StoreSetup.ResolvePostgresConnectionString(target);
        }
        catch (StartupException exception)
        {
            await error.WriteLineAsync("copy-to-postgres: TARGET: " + exception.Message.Replace($"ConnectionStrings:{StoreSetup.ConnectionName}", "the target", StringComparison.Ordinal));
            return 2;
        }

        var targetStore = new StoreConnection(StoreProvider.PostgreSQL, targetConnection);
        var clock = Stopwatch.StartNew();
        try
        {
            await using (var db = new PostgresStoreDb(new DbContextOptionsBuilder<PostgresStoreDb>().UseNpgsql(targetConnection).Options))
            {
                await db.Database.MigrateAsync(cancellationToken);
                if (await db.Runs.AnyAsync(cancellationToken) || await db.Models.AnyAsync(cancellationToken) || await db.Labs.AnyAsync(cancellationToken))
                {
                    await error.WriteLineAsync($"copy-to-postgres: {targetStore.Description} is not empty; copy into a new, empty database.");
                    return 2;
                }
            }

            using var sqliteModel = new OpenModelWatchDb(new DbContextOptionsBuilder<OpenModelWatchDb>().UseSqlite(source.ConnectionString).Options);
            using var postgresModel = new PostgresStoreDb(new DbContextOptionsBuilder<PostgresStoreDb>().UseNpgsql(targetConnection).Options);
            await using var from = (SqliteConnection)source.Open();
            // One read transaction: the copy is of one committed state, whatever runs meanwhile.
            await using var reading = from.BeginTransaction(deferred: true);
            await using var to = new NpgsqlConnection(targetConnection);
            await to.OpenAsync(cancellationToken);
            await using var writing = await to.BeginTransactionAsync(cancellationToken);
            foreach (var (entity, sum) in _tables)
            {
                var table = new CopiedTable(sqliteModel.Model.FindEntityType(entity)!, postgresModel.Model.FindEntityType(entity)!, sum);
                var rows = await CopyAsync(table, from, reading, to, output, cancellationToken);
                var (sourceCheck, targetCheck) = (Check(from, reading, table.SourceName, table.SourceSum), Check(to, writing, table.TargetName, table.TargetSum));
                if (sourceCheck != targetCheck)
                {
                    await error.WriteLineAsync($"copy-to-postgres: {table.TargetName} differs after the copy (SQLite {sourceCheck}, PostgreSQL {targetCheck}); nothing was committed.");
                    return 1;
                }

                await output.WriteLineAsync($"copy-to-postgres: {table.TargetName}: {rows:N0} rows copied, identical ({targetCheck}).");
            }

            // Ids keep counting from where SQLite's did.
            await using (var sequences = to.Command(writing, """
                SELECT setval(pg_get_serial_sequence('runs', 'id'), COALESCE((SELECT MAX(id) FROM runs), 0) + 1, false);
                SELECT setval(pg_get_serial_sequence('models', 'id'), COALESCE((SELECT MAX(id) FROM models), 0) + 1, false);
                """))
            {
                await sequences.ExecuteNonQueryAsync(cancellationToken);
            }

            await writing.CommitAsync(cancellationToken);
            await output.WriteLineAsync($"copy-to-postgres: {source.DatabasePath} copied into {targetStore.Description} in {clock.Elapsed.TotalSeconds:0.0} s. "
                + $"Start the app with {StoreSetup.ProviderKey}=PostgreSQL and this connection string (docs/deploy.md).");
            return 0;
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or IOException or TimeoutException)
        {
            await error.WriteLineAsync($"copy-to-postgres: failed, nothing was committed: {exception.Message}");
            return 1;
        }
    }

    /// <summary>Copies one table with binary COPY, with a progress line every million rows.</summary>
    private static async Task<long> CopyAsync(CopiedTable table, SqliteConnection from, DbTransaction reading, NpgsqlConnection to, TextWriter output, CancellationToken cancellationToken)
    {
        await using var select = from.Command(reading, $"SELECT {string.Join(", ", table.Columns.Select(c => c.Source))} FROM \"{table.SourceName}\"");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        await using var importer = await to.BeginBinaryImportAsync(
            $"COPY {table.TargetName} ({string.Join(", ", table.Columns.Select(c => c.Target))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        var clock = Stopwatch.StartNew();
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < table.Columns.Count; i++)
            {
                await WriteAsync(importer, reader, i, table.Columns[i].Type, cancellationToken);
            }

            if (++rows % 1_000_000 == 0)
            {
                await output.WriteLineAsync($"copy-to-postgres: {table.TargetName}: {rows:N0} rows ({rows / clock.Elapsed.TotalSeconds:N0} rows/s)");
            }
        }

        await importer.CompleteAsync(cancellationToken);
        return rows;
    }

    private static Task WriteAsync(NpgsqlBinaryImporter importer, DbDataReader reader, int i, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (reader.IsDBNull(i))
        {
            return importer.WriteNullAsync(cancellationToken);
        }

        return type switch
        {
            NpgsqlDbType.Integer => importer.WriteAsync(reader.GetInt32(i), type, cancellationToken),
            NpgsqlDbType.Bigint => importer.WriteAsync(reader.GetInt64(i), type, cancellationToken),
            NpgsqlDbType.Boolean => importer.WriteAsync(reader.GetBoolean(i), type, cancellationToken),
            NpgsqlDbType.TimestampTz => importer.WriteAsync(DateTime.SpecifyKind(reader.GetDateTime(i), DateTimeKind.Utc), type, cancellationToken),
            _ => importer.WriteAsync(reader.GetString(i), type, cancellationToken),
        };
    }

    /// <summary>Rows and the table's sum, as one text compared across the two databases.</summary>
    private static string Check(DbConnection connection, DbTransaction transaction, string table, string? sum)
    {
        using var command = connection.Command(transaction, $"SELECT COUNT(*), {(sum is null ? "0" : $"COALESCE(SUM({sum}), 0)")} FROM {table}");
        using var reader = command.ExecuteReader();
        reader.Read();
        return string.Create(CultureInfo.InvariantCulture, $"{Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture):N0} rows, sum {Convert.ToDecimal(reader.GetValue(1), CultureInfo.InvariantCulture):N0}");
    }

    /// <summary>One table's columns as each provider names and types them (from the two models: nothing hand-listed).</summary>
    private sealed class CopiedTable
    {
        public CopiedTable(IEntityType sqlite, IEntityType postgres, string? sum)
        {
            SourceName = sqlite.GetTableName()!;
            TargetName = postgres.GetTableName()!;
            var sourceTable = StoreObjectIdentifier.Table(SourceName, null);
            var targetTable = StoreObjectIdentifier.Table(TargetName, null);
            Columns = [.. postgres.GetProperties().Select(property =>
            {
                var source = sqlite.FindProperty(property.Name)!.GetColumnName(sourceTable)!;
                return (Source: $"\"{source}\"", Target: property.GetColumnName(targetTable)!, Type: TypeOf(property.GetColumnType()));
            })];
            SourceSum = sum is null ? null : $"\"{sqlite.FindProperty(sum)!.GetColumnName(sourceTable)}\"";
            TargetSum = sum is null ? null : postgres.FindProperty(sum)!.GetColumnName(targetTable);
        }

        public string SourceName { get; }
        public string TargetName { get; }
        public string? SourceSum { get; }
        public string? TargetSum { get; }
        public List<(string Source, string Target, NpgsqlDbType Type)> Columns { get; }

        private static NpgsqlDbType TypeOf(string columnType) => columnType switch
        {
            "integer" => NpgsqlDbType.Integer,
            "bigint" => NpgsqlDbType.Bigint,
            "boolean" => NpgsqlDbType.Boolean,
            "timestamp with time zone" => NpgsqlDbType.TimestampTz,
            "text" => NpgsqlDbType.Text,
            _ when columnType.StartsWith("character varying", StringComparison.Ordinal) => NpgsqlDbType.Varchar,
            _ => throw new InvalidOperationException($"No copy rule for the PostgreSQL column type {columnType}."),
        };
    }
}
