namespace OpenModelWatch.Tests.TestSupport;

/// <summary>A folder of the test's own, removed afterwards; holds its SQLite file and registry.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "omw-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string DatabasePath => System.IO.Path.Combine(Path, "omw.db");

    public string ConnectionString => $"Data Source={DatabasePath}";

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
