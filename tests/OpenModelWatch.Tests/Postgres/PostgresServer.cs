using Npgsql;

namespace OpenModelWatch.Tests.Postgres;

/// <summary>
/// The PostgreSQL server the tests run against: the throw-away cluster <c>scripts/test.sh</c> starts
/// (<c>scripts/postgres.sh</c>) and names in <c>OMW_TEST_POSTGRES</c>. Without it a PostgreSQL test fails, saying how
/// to start one: no test skips because its server is absent.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "OMW_TEST_POSTGRES";

    /// <summary>The superuser connection string of the test cluster.</summary>
    public static string ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            $"{Variable} is not set: run the tests through scripts/test.sh, or start a cluster with `scripts/postgres.sh start` and export the line it prints.");

    /// <summary>A new, empty database of the test's own; its connection string.</summary>
    public static string CreateDatabase(out string name)
    {
        name = "omw_" + Guid.NewGuid().ToString("N")[..12];
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE {name}";
        command.ExecuteNonQuery();
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a test's database, closing whatever connections a test left open on it.</summary>
    public static void DropDatabase(string name)
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
        command.ExecuteNonQuery();
    }
}
