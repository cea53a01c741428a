using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Operations;

/// <summary>
/// <c>backup FILE</c>: a consistent copy of the store with SQLite's <c>VACUUM INTO</c>, safe while the web host or an
/// <c>ingest</c> runs (it reads one committed state; a run in progress at that moment is in the copy as <c>Running</c>
/// and is marked interrupted when the copy is restored and started). The copy is then checked with
/// <c>PRAGMA integrity_check</c>. Exit 0 on success, 1 on failure, 2 on bad usage.
/// </summary>
public static class BackupCommand
{
    public static async Task<int> RunAsync(StoreConnection store, string? target, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            await error.WriteLineAsync("backup: name the file to write, e.g. backup /var/backups/openmodelwatch/openmodelwatch-2026-11-24.db");
            return ExitCodes.BadUsage;
        }

        if (store.IsPostgres)
        {
            await error.WriteLineAsync($"backup: the store is on PostgreSQL ({StoreSetup.ProviderKey}); back it up with pg_dump (docs/deploy.md).");
            return ExitCodes.BadUsage;
        }

        var source = store.DatabasePath!;
        var copy = Path.GetFullPath(target);
        if (File.Exists(copy))
        {
            await error.WriteLineAsync($"backup: {copy} already exists; name a new file.");
            return ExitCodes.BadUsage;
        }

        if (!File.Exists(source))
        {
            await error.WriteLineAsync($"backup: there is no database at {source} (ConnectionStrings:{StoreSetup.ConnectionName}).");
            return 1;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            // ReadWrite, not ReadWriteCreate: a backup must never create an empty store where none was.
            await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder(store.ConnectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString()))
            {
                await connection.OpenAsync(cancellationToken);
                await using var vacuum = connection.CreateCommand();
                vacuum.CommandText = "VACUUM INTO $copy";
                vacuum.Parameters.AddWithValue("$copy", copy);
                await vacuum.ExecuteNonQueryAsync(cancellationToken);
            }

            var (integrity, runs, ranges) = await CheckAsync(copy, cancellationToken);
            if (integrity != "ok")
            {
                await error.WriteLineAsync($"backup: the copy {copy} failed its integrity check: {integrity}");
                return 1;
            }

            var megabytes = new FileInfo(copy).Length / (1024.0 * 1024.0);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"backup: {copy}: {megabytes:0.0} MiB, {runs} runs, {ranges} count ranges, integrity ok, in {clock.Elapsed.TotalSeconds:0.0} s"));
            return 0;
        }
        catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"backup: failed: {exception.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    /// <summary>The copy's <c>integrity_check</c> answer and its row counts.</summary>
    public static async Task<(string Integrity, long Runs, long CountRanges)> CheckAsync(string path, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        var integrity = Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) ?? "";
        command.CommandText = "SELECT COUNT(*) FROM Runs";
        var runs = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        command.CommandText = "SELECT COUNT(*) FROM Counts";
        var ranges = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        return (integrity, runs, ranges);
    }
}
