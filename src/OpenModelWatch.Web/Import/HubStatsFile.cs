using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DuckDB.NET.Data;
using OpenModelWatch.Hub;

namespace OpenModelWatch.Web.Import;

/// <summary>A file the importer cannot use, with the file and, where it applies, the column at fault.</summary>
public sealed class ImportFileException(string path, string message, Exception? inner = null)
    : Exception($"{path}: {message}", inner)
{
    public string FilePath { get; } = path;
}

/// <summary>
/// A <c>cfahlgren1/hub-stats</c> <c>models.parquet</c> file, streamed by an embedded DuckDB (bounded memory whatever the
/// file's row groups: docs/performance.md compares it with Parquet.Net's row-group reader), reading only the columns
/// the app stores, each found by name. Eras differ (<c>downloadsAllTime</c> from 2025-02-26, <c>trendingScore</c> and
/// <c>cardData</c> from about 2024-10, <c>gated</c> in some): a column the file lacks is unknown for every row
/// (<see cref="HubCountState.Missing"/>, stored NULL), never 0. Each row becomes the <see cref="HubModel"/> a live listing
/// would have given, so the same validator and writer store it.
/// </summary>
public sealed class HubStatsFile : IDisposable
{
    /// <summary>DuckDB's memory for the main pass (decompressed pages, vectors); it streams, so a larger file needs no more.</summary>
    public const string MemoryLimit = "96MB";

    /// <summary>
    /// DuckDB's memory for the pass over <c>cardData</c>: a column of about a kilobyte a row, whose pages need twice the
    /// main pass's memory. It runs alone, before any row is written, and keeps only the few licences it finds.
    /// </summary>
    public const string CardMemoryLimit = "256MB";

    /// <summary>
    /// Freed memory above this is handed back to the system when a DuckDB task ends (its default, 128 MB, kept the card
    /// pass's pages resident through the whole import); the background thread returns the rest as it goes idle.
    /// </summary>
    public const string AllocatorFlushThreshold = "8MB";

    private readonly DuckDBConnection _connection;
    private readonly string _source;
    private readonly Dictionary<string, string> _columns;

    private HubStatsFile(string path, DuckDBConnection connection, Dictionary<string, string> columns, long rows, long rowGroups)
    {
        Path = path;
        _connection = connection;
        _source = $"read_parquet({Literal(path)})";
        _columns = columns;
        Rows = rows;
        RowGroups = rowGroups;
        Absent = [.. new[] { "downloadsAllTime", "likes", "trendingScore", "createdAt", "lastModified", "pipeline_tag", "library_name", "tags", "cardData", "safetensors", "baseModels" }
            .Where(name => !columns.ContainsKey(name))];
    }

    public string Path { get; }

    /// <summary>Rows in the file, from its footer.</summary>
    public long Rows { get; }

    public long RowGroups { get; }

    /// <summary>The columns this file's era does not have: unknown for every row of it.</summary>
    public IReadOnlyList<string> Absent { get; }

    /// <summary>Opens the file and checks its columns; an <see cref="ImportFileException"/> names the file and what is wrong.</summary>
    public static async Task<HubStatsFile> OpenAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new ImportFileException(path, "no such file.");
        }

        try
        {
            if (!await HasParquetMagicAsync(path, cancellationToken))
            {
                throw new ImportFileException(path, "not a Parquet file (a Parquet file begins and ends with PAR1).");
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ImportFileException(path, $"cannot be read: {exception.Message}", exception);
        }

        var connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            await connection.OpenAsync(cancellationToken);
            Execute(connection, $"SET memory_limit = '{MemoryLimit}'; SET threads = 1; SET preserve_insertion_order = true; SET enable_progress_bar = false; SET allocator_flush_threshold = '{AllocatorFlushThreshold}'; SET allocator_background_threads = true;");
            var columns = new Dictionary<string, string>(StringComparer.Ordinal);
            using (var describe = connection.CreateCommand())
            {
                describe.CommandText = $"DESCRIBE SELECT * FROM read_parquet({Literal(path)})";
                using var reader = describe.ExecuteReader();
                while (reader.Read())
                {
                    columns[reader.GetString(0)] = reader.GetString(1);
                }
            }

            long rows, rowGroups;
            using (var footer = connection.CreateCommand())
            {
                footer.CommandText = $"SELECT CAST(SUM(num_rows) AS BIGINT), CAST(SUM(num_row_groups) AS BIGINT) FROM parquet_file_metadata({Literal(path)})";
                using var reader = footer.ExecuteReader();
                reader.Read();
                rows = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
                rowGroups = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            }

            Require(path, columns, "id", "VARCHAR", "this is not a hub-stats models.parquet file");
            Require(path, columns, "downloads", "BIGINT|INTEGER|DOUBLE|UBIGINT", "30-day downloads; this is not a hub-stats models.parquet file");
            return new HubStatsFile(path, connection, columns, rows, rowGroups);
        }
        catch (DuckDBException exception)
        {
            await connection.DisposeAsync();
            throw new ImportFileException(path, $"cannot be read as Parquet: {FirstLine(exception.Message)}", exception);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The newest <c>lastModified</c> in the file, or null.</summary>
    public DateTime? NewestLastModified()
    {
        if (!_columns.ContainsKey("lastModified"))
        {
            return null;
        }

        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT MAX(TRY_CAST(lastModified AS TIMESTAMP)) FROM {_source}";
        return command.ExecuteScalar() is DateTime newest ? DateTime.SpecifyKind(newest, DateTimeKind.Utc) : null;
    }

    /// <summary>The file's rows as the Hub's listing records, in file order, <paramref name="batch"/> at a time.</summary>
    public async IAsyncEnumerable<HubModel[]> ReadAsync(int batch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cardLicenses = CardLicenses();
        using var command = _connection.CreateCommand();
        command.CommandText = Query();
        command.UseStreamingMode = true;
        DbDataReader reader;
        try
        {
            reader = command.ExecuteReader();
        }
        catch (DuckDBException exception)
        {
            throw new ImportFileException(Path, $"cannot be read: {FirstLine(exception.Message)}", exception);
        }

        using (reader)
        {
            var models = new List<HubModel>(batch);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                bool read;
                try
                {
                    read = reader.Read();
                    if (read)
                    {
                        models.Add(Row(reader, cardLicenses));
                    }
                }
                catch (DuckDBException exception)
                {
                    throw new ImportFileException(Path, $"cannot be read after {models.Count} rows of a batch: {FirstLine(exception.Message)}", exception);
                }

                if (models.Count == batch || (!read && models.Count > 0))
                {
                    yield return [.. models];
                    models.Clear();
                    await Task.Yield();
                }

                if (!read)
                {
                    yield break;
                }
            }
        }
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>
    /// One SELECT of what the app stores, NULL for what the file lacks, with each row's number (for the card's licence,
    /// <see cref="CardLicenses"/>). Only the tags the app reads are kept (<c>license:</c>, <c>base_model:</c>).
    /// </summary>
    private string Query()
    {
        string Column(string name) => _columns.ContainsKey(name) ? Quote(name) : "NULL";
        var hasTags = _columns.TryGetValue("tags", out var tagsType) && tagsType == "VARCHAR[]";
        var tags = hasTags ? "list_filter(tags, t -> starts_with(t, 'license:') OR starts_with(t, 'base_model:'))" : "NULL";
        var parameters = _columns.TryGetValue("safetensors", out var safetensors)
            ? safetensors.StartsWith("STRUCT(", StringComparison.Ordinal) && safetensors.Contains(" total ", StringComparison.Ordinal) ? "safetensors.total"
            : safetensors == "VARCHAR" ? "CASE WHEN json_valid(safetensors) THEN TRY_CAST(json_extract_string(safetensors, '$.total') AS BIGINT) END"
            : "NULL"
            : "NULL";
        var (relation, parents) = _columns.TryGetValue("baseModels", out var baseModels) && baseModels.StartsWith("STRUCT(relation VARCHAR, models STRUCT(", StringComparison.Ordinal)
            ? ("baseModels.relation", "list_transform(baseModels.models, m -> m.id)")
            : ("NULL", "NULL");
        return $"""
            SELECT {Column("id")}, {Column("downloads")}, {Column("downloadsAllTime")}, {Column("likes")}, {Column("trendingScore")},
                {Column("createdAt")}, {Column("pipeline_tag")}, {Column("library_name")}, {tags}, file_row_number, {parameters}, {relation}, {parents}
            FROM read_parquet({Literal(Path)}, file_row_number = true)
            """;
    }

    /// <summary>
    /// The licence in <c>cardData</c> of each row whose tags name none, by row number: a pass of its own over that wide
    /// column, in DuckDB, before the main pass. The Hub derives the <c>license:</c> tag from the card, so this is a
    /// fallback that finds few (none of the 1,174 untagged rows of the real sample).
    /// </summary>
    private Dictionary<long, string> CardLicenses()
    {
        var licenses = new Dictionary<long, string>();
        if (!_columns.TryGetValue("cardData", out var cardType) || cardType != "VARCHAR")
        {
            return licenses;
        }

        var untagged = _columns.TryGetValue("tags", out var tagsType) && tagsType == "VARCHAR[]"
            ? "coalesce(len(list_filter(tags, t -> starts_with(t, 'license:'))), 0) = 0"
            : "TRUE";
        try
        {
            Execute(_connection, $"SET memory_limit = '{CardMemoryLimit}'");
            using var command = _connection.CreateCommand();
            command.CommandText = $"""
                SELECT file_row_number, json_extract_string(cardData, '$.license')
                FROM read_parquet({Literal(Path)}, file_row_number = true)
                WHERE cardData LIKE '%"license"%' AND {untagged} AND json_valid(cardData)
                """;
            command.UseStreamingMode = true;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (!reader.IsDBNull(1) && CardLicense(reader.GetString(1)) is { } license)
                {
                    licenses[reader.GetInt64(0)] = license;
                }
            }
        }
        catch (DuckDBException exception)
        {
            throw new ImportFileException(Path, $"the column \"cardData\" cannot be read: {FirstLine(exception.Message)}", exception);
        }
        finally
        {
            Execute(_connection, $"SET memory_limit = '{MemoryLimit}'");
        }

        return licenses;
    }

    private HubModel Row(DbDataReader reader, Dictionary<long, string> cardLicenses)
    {
        var tags = reader.IsDBNull(8) ? null : reader.GetFieldValue<List<string?>>(8);
        if (!reader.IsDBNull(12) && reader.GetFieldValue<List<string?>>(12) is { Count: > 0 } parents
            && !reader.IsDBNull(11) && reader.GetString(11) is var relation && HubTags.TryParseRelation(relation, out _))
        {
            // Lineage from baseModels (relation and parents), in place of the base_model: tags, read as a live listing's.
            tags ??= [];
            tags.RemoveAll(tag => tag!.StartsWith("base_model:", StringComparison.Ordinal));
            tags.AddRange(parents.OfType<string>().Select(parent => $"base_model:{relation}:{parent}"));
        }

        if (cardLicenses.Count > 0 && cardLicenses.TryGetValue(reader.GetInt64(9), out var license))
        {
            (tags ??= []).Add("license:" + license);
        }

        return new HubModel
        {
            Id = reader.IsDBNull(0) ? null : reader.GetString(0),
            Downloads = Count(reader, 1, "downloads"),
            DownloadsAllTime = Count(reader, 2, "downloadsAllTime"),
            Likes = Count(reader, 3, "likes"),
            TrendingScore = Count(reader, 4, "trendingScore"),
            CreatedAt = reader.IsDBNull(5) ? null : reader.GetValue(5) switch
            {
                DateTime at => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
                var other => Convert.ToString(other, CultureInfo.InvariantCulture),
            },
            PipelineTag = reader.IsDBNull(6) ? null : string.Intern(reader.GetString(6)),
            LibraryName = reader.IsDBNull(7) ? null : string.Intern(reader.GetString(7)),
            Tags = tags,
            Safetensors = reader.IsDBNull(10) ? null : new HubSafetensors { Total = HubCount.Of(Convert.ToInt64(reader.GetValue(10), CultureInfo.InvariantCulture)) },
        };
    }

    /// <summary>
    /// A count as the live client reads the Hub's JSON number: a whole number is a count, a fraction is not (left
    /// unknown, as <see cref="HubCountConverter"/> does); <see cref="HubCountState.Null"/> for a null cell and
    /// <see cref="HubCountState.Missing"/> for a column the file lacks.
    /// </summary>
    private HubCount Count(DbDataReader reader, int ordinal, string column)
    {
        if (!_columns.ContainsKey(column))
        {
            return default;
        }

        if (reader.IsDBNull(ordinal))
        {
            return new HubCount(HubCountState.Null, 0);
        }

        return reader.GetValue(ordinal) switch
        {
            long whole => HubCount.Of(whole),
            int whole => HubCount.Of(whole),
            ulong whole when whole <= long.MaxValue => HubCount.Of((long)whole),
            double real when real == Math.Floor(real) && Math.Abs(real) < 9e15 => HubCount.Of((long)real),
            float real when real == MathF.Floor(real) && MathF.Abs(real) < 9e15f => HubCount.Of((long)real),
            _ => new HubCount(HubCountState.Invalid, 0),
        };
    }

    /// <summary>The card's <c>license</c> as DuckDB extracted it: a string, or the first of a list; null when empty.</summary>
    public static string? CardLicense(string extracted)
    {
        if (extracted.StartsWith('['))
        {
            try
            {
                using var list = JsonDocument.Parse(extracted);
                extracted = list.RootElement.EnumerateArray().FirstOrDefault(item => item.ValueKind == JsonValueKind.String).GetString() ?? "";
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return extracted.Trim() is { Length: > 0 and <= 100 } license && !license.Contains(' ', StringComparison.Ordinal) ? license.ToLowerInvariant() : null;
    }

    private static void Require(string path, Dictionary<string, string> columns, string name, string types, string meaning)
    {
        if (!columns.TryGetValue(name, out var type))
        {
            throw new ImportFileException(path, $"the column \"{name}\" ({meaning}) is missing.");
        }

        if (!types.Split('|').Contains(type))
        {
            throw new ImportFileException(path, $"the column \"{name}\" has type {type}, not one the hub-stats format uses ({types.Replace("|", ", ", StringComparison.Ordinal)}).");
        }
    }

    private static async Task<bool> HasParquetMagicAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        if (stream.Length < 12)
        {
            return false;
        }

        var head = new byte[4];
        var tail = new byte[4];
        await stream.ReadExactlyAsync(head, cancellationToken);
        stream.Seek(-4, SeekOrigin.End);
        await stream.ReadExactlyAsync(tail, cancellationToken);
        return head.AsSpan().SequenceEqual("PAR1"u8) && tail.AsSpan().SequenceEqual("PAR1"u8);
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
