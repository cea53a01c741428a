using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>
/// Plain SQL against a test database, for tests that check the store behind the app's back: a SQLite file by its
/// connection string, or a test's own store on either provider (unquoted names read the same on both).
/// </summary>
public static class Sql
{
    public static string? Scalar(string connectionString, string sql)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        return Scalar(connection, sql);
    }

    public static string? Scalar(TempFolder folder, string sql)
    {
        using var connection = folder.Store.Open();
        return Scalar(connection, sql);
    }

    /// <summary>Each row as its values joined by <c>|</c> (<c>null</c> for NULL), to compare tables row for row.</summary>
    public static List<string> Rows(string connectionString, string sql)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        return Rows(connection, sql);
    }

    public static List<string> Rows(TempFolder folder, string sql)
    {
        using var connection = folder.Store.Open();
        return Rows(connection, sql);
    }

    private static string? Scalar(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static List<string> Rows(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Value(reader.GetValue(i)))));
        }

        return rows;
    }

    // The same text on both providers: SQLite's booleans are integers.
    private static string? Value(object value) => value is bool flag ? (flag ? "1" : "0") : Convert.ToString(value, CultureInfo.InvariantCulture);
}
