using Npgsql;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>
/// One run at a time per database, across processes and hosts. On SQLite: an exclusive lock on a file beside the
/// database. On PostgreSQL: a session-level advisory lock, held by a connection of its own (not pooled) for as long as
/// the run lasts, so every host sharing the database sees it. Either way the holder's exit or death drops it (the OS
/// closes the file; the server ends the session when the connection goes), so a crash never leaves the store locked.
/// </summary>
public sealed class RunLock(StoreConnection store)
{
    /// <summary>The advisory lock's key: one per database ('OMWRUN' in ASCII).</summary>
    public const long AdvisoryKey = 0x4F4D5752554E;

    /// <summary>The SQLite lock file.</summary>
    private string LockPath => store.DatabasePath + ".ingest.lock";

    /// <summary>The held lock (dispose to release), or null when another run holds it.</summary>
    public IDisposable? TryAcquire() => store.IsPostgres ? TryAcquireAdvisory() : TryAcquireFile();

    private FileStream? TryAcquireFile()
    {
        try
        {
            return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private AdvisoryLock? TryAcquireAdvisory()
    {
        // Not pooled: a pooled connection would keep the session, and the lock, after the run gave it back.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(store.ConnectionString)
        {
            Pooling = false,
            ApplicationName = $"OpenModelWatch run lock, {Environment.MachineName} pid {Environment.ProcessId}",
        }.ConnectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT pg_try_advisory_lock({AdvisoryKey})";
            if (command.ExecuteScalar() is true)
            {
                return new AdvisoryLock(connection);
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        connection.Dispose();
        return null;
    }

    /// <summary>Who holds the lock, as PostgreSQL sees it ("host pid N"), or null when nobody does or the store is SQLite.</summary>
    public string? Holder()
    {
        if (!store.IsPostgres)
        {
            return null;
        }

        using var connection = new NpgsqlConnection(store.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // An advisory lock on a bigint key is stored as two 32-bit halves (classid, objid), objsubid 1.
        command.CommandText = $"""
            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid::bigint = {AdvisoryKey >> 32} AND l.objid::bigint = {AdvisoryKey & 0xFFFFFFFF}
            """;
        return command.ExecuteScalar() as string;
    }

    private sealed class AdvisoryLock(NpgsqlConnection connection) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT pg_advisory_unlock({AdvisoryKey})";
                command.ExecuteScalar();
            }
            catch (NpgsqlException)
            {
                // The connection is gone: the server ended the session, and the lock with it.
            }
            finally
            {
                connection.Dispose();
            }
        }
    }
}
