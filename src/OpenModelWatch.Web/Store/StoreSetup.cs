using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace OpenModelWatch.Web.Store;

/// <summary>The database behind the store: one SQLite file (the default, nothing to install) or a PostgreSQL database.</summary>
public enum StoreProvider
{
    Sqlite,
    PostgreSQL,
}

public static class StoreSetup
{
    public const string ConnectionName = "OpenModelWatch";
    public const string DefaultConnection = "Data Source=data/openmodelwatch.db";

    /// <summary>The configuration key naming the provider.</summary>
    public const string ProviderKey = "Store:Provider";

    /// <summary>
    /// EF Core on SQLite (default) or PostgreSQL (<c>Store:Provider</c>); a relative SQLite path resolves against the
    /// content root. Each provider has its own context type, so each has its own migrations
    /// (<see cref="OpenModelWatchDb"/>: <c>Store/Migrations</c>; <see cref="PostgresStoreDb"/>: <c>Store/PostgresMigrations</c>);
    /// everything else asks for <see cref="OpenModelWatchDb"/>.
    /// </summary>
    public static IHostApplicationBuilder AddStore(this IHostApplicationBuilder builder)
    {
        var store = Resolve(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(store);
        if (store.Provider == StoreProvider.PostgreSQL)
        {
            builder.Services.AddPooledDbContextFactory<PostgresStoreDb>(options => store.Configure(options));
            builder.Services.AddSingleton<IDbContextFactory<OpenModelWatchDb>>(services =>
                new PostgresContexts(services.GetRequiredService<IDbContextFactory<PostgresStoreDb>>()));
            // A context per scope, for what resolves the context itself (the data-protection key store).
            builder.Services.AddScoped(services => services.GetRequiredService<IDbContextFactory<PostgresStoreDb>>().CreateDbContext());
        }
        else
        {
            builder.Services.AddPooledDbContextFactory<OpenModelWatchDb>(options => store.Configure(options));
        }

        builder.Services.AddSingleton<StoreInitializer>();
        return builder;
    }

    /// <summary>The provider and its connection string from configuration; a bad value is a start-up error naming the key.</summary>
    public static StoreConnection Resolve(IConfiguration configuration, string contentRoot)
    {
        var name = configuration[ProviderKey];
        StoreProvider provider;
        if (string.IsNullOrWhiteSpace(name))
        {
            provider = StoreProvider.Sqlite;
        }
        else if (!Enum.TryParse(name.Trim(), ignoreCase: true, out provider) || !Enum.IsDefined(provider) || int.TryParse(name, out _))
        {
            throw new StartupException($"{ProviderKey} must be Sqlite or PostgreSQL (was '{name}').");
        }

        var connectionString = configuration.GetConnectionString(ConnectionName);
        return provider == StoreProvider.PostgreSQL
            ? new StoreConnection(StoreProvider.PostgreSQL, ResolvePostgresConnectionString(connectionString))
            : new StoreConnection(StoreProvider.Sqlite, ResolveConnectionString(connectionString ?? DefaultConnection, contentRoot));
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

    /// <summary>
    /// A PostgreSQL connection string: required (there is no default server), parsed, with automatic preparation of
    /// the writer's repeated statements unless the operator set it. A bad one is a start-up error naming the key.
    /// </summary>
    public static string ResolvePostgresConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StartupException($"ConnectionStrings:{ConnectionName} is required when {ProviderKey} is PostgreSQL (e.g. Host=db;Database=openmodelwatch;Username=omw;Password=…).");
        }

        NpgsqlConnectionStringBuilder csb;
        try
        {
            csb = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            throw new StartupException($"ConnectionStrings:{ConnectionName} is not a valid PostgreSQL connection string ({exception.Message}).");
        }

        if (string.IsNullOrWhiteSpace(csb.Host))
        {
            throw new StartupException($"ConnectionStrings:{ConnectionName} has no Host.");
        }

        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            csb.MaxAutoPrepare = 32;
        }

        return csb.ConnectionString;
    }

    /// <summary>The <see cref="OpenModelWatchDb"/> factory on PostgreSQL: contexts of the PostgreSQL type, with its migrations.</summary>
    private sealed class PostgresContexts(IDbContextFactory<PostgresStoreDb> inner) : IDbContextFactory<OpenModelWatchDb>
    {
        public OpenModelWatchDb CreateDbContext() => inner.CreateDbContext();

        public async Task<OpenModelWatchDb> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}

/// <summary>The resolved provider and connection string, for the parts that talk to the database directly.</summary>
public sealed record StoreConnection(StoreProvider Provider, string ConnectionString)
{
    /// <summary>A SQLite store on this connection string (tests, tools).</summary>
    public StoreConnection(string sqliteConnectionString) : this(StoreProvider.Sqlite, sqliteConnectionString)
    {
    }

    public bool IsPostgres => Provider == StoreProvider.PostgreSQL;

    /// <summary>The SQLite file (<c>:memory:</c> included); null on PostgreSQL.</summary>
    public string? DatabasePath => IsPostgres ? null : new SqliteConnectionStringBuilder(ConnectionString).DataSource;

    /// <summary>Where the database is, for messages: the SQLite file, or the PostgreSQL host and database (never a password).</summary>
    public string Description => IsPostgres
        ? new NpgsqlConnectionStringBuilder(ConnectionString) is var csb ? $"PostgreSQL database {csb.Database} on {csb.Host}:{csb.Port}" : ""
        : DatabasePath!;

    public DbConnection Open()
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// A connection for a run's writer, whose statements may take minutes (a publish of millions of models), which is not an
    /// error: on PostgreSQL without a command timeout (Npgsql's default of 30 s failed a 100,000-model run's publish under
    /// load), as on SQLite, whose timeout is only the wait for a busy file. A run is stopped by its cancellation.
    /// </summary>
    public DbConnection OpenWriter()
    {
        if (!IsPostgres)
        {
            return Open();
        }

        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { CommandTimeout = 0 }.ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>The SQLite connection, for what only SQLite has (the backup's <c>VACUUM INTO</c>).</summary>
    public SqliteConnection OpenSqlite()
    {
        if (IsPostgres)
        {
            throw new InvalidOperationException("The store is on PostgreSQL, not SQLite.");
        }

        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Points EF Core at this store.</summary>
    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder options) => IsPostgres
        ? options.UseNpgsql(ConnectionString)
        : options.UseSqlite(ConnectionString);

    /// <summary>A context on an open connection of this store (the writer's), of the provider's own type.</summary>
    public OpenModelWatchDb ContextOn(DbConnection connection) => IsPostgres
        ? new PostgresStoreDb(new DbContextOptionsBuilder<PostgresStoreDb>().UseNpgsql(connection).Options)
        : new OpenModelWatchDb(new DbContextOptionsBuilder<OpenModelWatchDb>().UseSqlite(connection).Options);
}

/// <summary>A configuration or environment problem that must stop the host with one clear line.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
