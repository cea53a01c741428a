using OpenModelWatch.Tests.Postgres;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>
/// A folder of the test's own, removed afterwards; holds its registry and its store: a SQLite file, or on
/// <see cref="StoreProvider.PostgreSQL"/> a database of its own on the test cluster (<see cref="PostgresServer"/>), dropped afterwards.
/// </summary>
public sealed class TempFolder : IDisposable
{
    private readonly string? _database;
    private readonly string? _postgres;

    public TempFolder(StoreProvider provider = StoreProvider.Sqlite)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "omw-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
        Provider = provider;
        if (provider == StoreProvider.PostgreSQL)
        {
            _postgres = PostgresServer.CreateDatabase(out var name);
            _database = name;
        }
    }

    public string Path { get; }

    public StoreProvider Provider { get; }

    /// <summary>The SQLite file (on PostgreSQL, unused).</summary>
    public string DatabasePath => System.IO.Path.Combine(Path, "omw.db");

    public string ConnectionString => _postgres ?? $"Data Source={DatabasePath}";

    /// <summary>The store as the app resolves it, for tests that talk to it directly.</summary>
    public StoreConnection Store => new(Provider, ConnectionString);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A registry with one lab per (namespace, country) pair, for tests that want a small, known one.</summary>
    public string WriteRegistry(params (string Namespace, string Country)[] labs)
    {
        var lines = labs.Select(lab =>
            $"{{ \"id\": \"lab-{lab.Namespace.ToLowerInvariant()}\", \"name\": \"{lab.Namespace} Lab\", \"organization\": \"{lab.Namespace} Inc.\", \"country\": \"{lab.Country}\", \"kind\": \"company\", \"namespaces\": [\"{lab.Namespace}\"], \"source\": \"test\" }}");
        var path = File("labs.json");
        System.IO.File.WriteAllText(path, "{ \"version\": 1, \"labs\": [\n" + string.Join(",\n", lines) + "\n] }\n");
        return path;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_database is not null)
        {
            PostgresServer.DropDatabase(_database);
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A killed child process may still be letting go of the file; the OS temp cleaner takes it later.
        }
    }
}
