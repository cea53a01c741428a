using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OpenModelWatch.Web.Store;

/// <summary>
/// Plain ADO.NET on either provider, for the store's hand-written SQL. One text serves both where the dialects agree
/// (parameters as <c>@name</c>, <c>IS NOT DISTINCT FROM</c> for null-safe equality, which SQLite compiles to its
/// <c>IS</c>, booleans as <c>true</c>/<c>false</c>, unquoted lower-case-folding names on PostgreSQL, see
/// <see cref="PostgresStoreDb"/>); where they do not, the statement is written once per provider, side by side.
/// </summary>
public static class StoreSql
{
    public static bool IsPostgres(this DbConnection connection) => connection is NpgsqlConnection;

    /// <summary>The schema of the connection's temporary tables: SQLite's <c>temp</c>, PostgreSQL's <c>pg_temp</c>.</summary>
    public static string TempSchema(this DbConnection connection) => connection.IsPostgres() ? "pg_temp" : "temp";

    /// <summary>A write transaction: on SQLite taken at once (<c>BEGIN IMMEDIATE</c>), so it never fails half-way for a lock.</summary>
    public static DbTransaction BeginWrite(this DbConnection connection) =>
        connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: false) : connection.BeginTransaction();

    public static DbCommand Command(this DbConnection connection, DbTransaction? transaction, string sql = "")
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Adds a parameter (<c>@name</c>) and returns it, to set its value later or now.</summary>
    public static DbParameter Parameter(this DbCommand command, string name, object? value = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A count or an id as an int, whatever integer type the provider returns (SQLite: long; PostgreSQL: int or bigint).</summary>
    public static int ToInt(object? value) => Convert.ToInt32(value, CultureInfo.InvariantCulture);

    /// <summary>A nullable integer result (<c>MAX(Id)</c> of nothing is null).</summary>
    public static int? ToNullableInt(object? value) => value is null or DBNull ? null : ToInt(value);
}
