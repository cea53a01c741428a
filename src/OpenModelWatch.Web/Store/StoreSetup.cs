using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace OpenModelWatch.Web.Store;

public static class StoreSetup
{
    public const string ConnectionName = "OpenModelWatch";
    public const string DefaultConnection = "Data Source=data/openmodelwatch.db";

    /// <summary>EF Core on SQLite; a relative database path resolves against the content root.</summary>
    public static IHostApplicationBuilder AddStore(this IHostApplicationBuilder builder)
    {
        var connectionString = ResolveConnectionString(
            builder.Configuration.GetConnectionString(ConnectionName) ?? DefaultConnection,
            builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(new StoreConnection(connectionString));
        builder.Services.AddPooledDbContextFactory<OpenModelWatchDb>(options => options.UseSqlite(connectionString));
        builder.Services.AddSingleton<StoreInitializer>();
        return builder;
    }

    /// <summary>
    /// Makes <c>Data Source</c> absolute and sets a busy timeout, so the web host and an <c>ingest</c> process
    /// can share the file. A bad connection string is a start-up error naming the key.
    /// </summary>
    public static string ResolveConnectionString(string connectionString, string contentRoot)
    {
        SqliteConnectionStringBuilder csb;
        try
        {
            csb = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            throw new StartupException($"ConnectionStrings:{ConnectionName} is not a valid SQLite connection string ({exception.Message}).");
        }

        if (string.IsNullOrWhiteSpace(csb.DataSource))
        {
            throw new StartupException($"ConnectionStrings:{ConnectionName} has no Data Source.");
        }

        if (csb.DataSource != ":memory:" && csb.Mode != SqliteOpenMode.Memory && !Path.IsPathRooted(csb.DataSource))
        {
            csb.DataSource = Path.GetFullPath(Path.Combine(contentRoot, csb.DataSource));
        }

        if (!connectionString.Contains("Default Timeout", StringComparison.OrdinalIgnoreCase))
        {
            csb.DefaultTimeout = 60;
        }

        return csb.ToString();
    }
}

/// <summary>The resolved connection string, for the parts that talk to SQLite directly.</summary>
public sealed record StoreConnection(string ConnectionString)
{
    public string DatabasePath => new SqliteConnectionStringBuilder(ConnectionString).DataSource;

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }
}

/// <summary>A configuration or environment problem that must stop the host with one clear line.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
