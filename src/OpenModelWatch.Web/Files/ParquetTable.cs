using System.Globalization;
using System.Text.Json;
using OpenModelWatch.Web.Reading;
using Parquet;
using Parquet.Schema;

namespace OpenModelWatch.Web.Files;

/// <summary>
/// Rows as an Apache Parquet file (Parquet.Net), the one Parquet writer of every export: the columns are the API's JSON
/// fields, named and ordered as the CSV and JSON files name them, typed so that pandas, Polars, DuckDB and R
/// (arrow) read the file in one line: whole numbers as <c>int64</c>, fractions as <c>double</c>, times as UTC
/// timestamps (microseconds, <c>isAdjustedToUTC</c>), text as UTF-8 strings; a value the API gives as null (unknown)
/// is a Parquet null, never 0. The file's key-value metadata holds what the JSON file's header holds (title, as-of,
/// run, filters in words, sources and their coverage, definitions, method, credit, permalink), under the same names.
/// <para>
/// Rows are read as the file is written, <see cref="RowGroupSize"/> at a time into one row group each, so a whole-Hub
/// models file never sits in memory; the file is assembled in a temporary file (its footer is written last) and
/// then sent.
/// </para>
/// </summary>
public static class ParquetTable
{
    public const int RowGroupSize = 100_000;

    public static async Task WriteAsync<T>(Stream body, ExportInfo info, int total, IAsyncEnumerable<T> rows, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var columns = TableFile.ColumnsOf(typeof(T), json).Select(column => new ParquetColumn(column, KindOf(column.Type))).ToArray();
        var schema = new ParquetSchema(columns.Select(column => column.Field).ToArray());
        var path = Path.Combine(Path.GetTempPath(), $"openmodelwatch-{Guid.NewGuid():N}.parquet");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (var writer = await ParquetWriter.CreateAsync(schema, file, cancellationToken: cancellationToken))
        {
            writer.CustomMetadata = Metadata(info, total, json);
            var buffer = new List<object>(Math.Min(total, RowGroupSize));
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                buffer.Add(row!);
                if (buffer.Count == RowGroupSize)
                {
                    await WriteGroupAsync(writer, columns, buffer, cancellationToken);
                    buffer.Clear();
                }
            }

            if (buffer.Count > 0)
            {
                await WriteGroupAsync(writer, columns, buffer, cancellationToken);
            }
        }

        file.Position = 0;
        await file.CopyToAsync(body, cancellationToken);
    }

    /// <summary>The file's key-value metadata: the JSON file's header fields (its keys for machines, its text in the file's language), arrays as JSON text written as the JSON file writes them.</summary>
    public static Dictionary<string, string> Metadata(ExportInfo info, int total, JsonSerializerOptions json) => new()
    {
        ["title"] = info.Title,
        ["asOf"] = info.AsOfIso ?? "",
        ["runId"] = info.AsOf?.Id.ToString(CultureInfo.InvariantCulture) ?? "",
        ["runTrigger"] = info.AsOf?.Trigger.ToString() ?? "",
        ["filters"] = info.Filters,
        ["source"] = ExportInfo.SourceText,
        ["sources"] = JsonSerializer.Serialize(info.DataSources.Select(source => new Dictionary<string, string> { ["source"] = source.Key(), ["coverage"] = FileTexts.Coverage(source) }), json),
        ["definitions"] = JsonSerializer.Serialize(info.Definitions, json),
        ["method"] = info.Method,
        ["credit"] = info.Credit ?? "",
        ["permalink"] = info.Permalink,
        ["total"] = total.ToString(CultureInfo.InvariantCulture),
    };

    private static async Task WriteGroupAsync(ParquetWriter writer, ParquetColumn[] columns, List<object> rows, CancellationToken cancellationToken)
    {
        using var group = writer.CreateRowGroup();
        foreach (var column in columns)
        {
            var values = rows.Select(column.Source.Value);
            var field = column.Field;
            switch (column.Kind)
            {
                case Kind.Int64:
                    await group.WriteAsync(field, new ReadOnlyMemory<long?>(values.Select(value => value is null ? (long?)null : Convert.ToInt64(value, CultureInfo.InvariantCulture)).ToArray()), cancellationToken: cancellationToken);
                    break;
                case Kind.Double:
                    await group.WriteAsync(field, new ReadOnlyMemory<double?>(values.Select(value => value is null ? (double?)null : Convert.ToDouble(value, CultureInfo.InvariantCulture)).ToArray()), cancellationToken: cancellationToken);
                    break;
                case Kind.Boolean:
                    await group.WriteAsync(field, new ReadOnlyMemory<bool?>(values.Select(value => (bool?)value).ToArray()), cancellationToken: cancellationToken);
                    break;
                case Kind.Timestamp:
                    await group.WriteAsync(field, new ReadOnlyMemory<DateTime?>(values.Select(value => value is DateTime at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : (DateTime?)null).ToArray()), cancellationToken: cancellationToken);
                    break;
                default:
                    await group.WriteAsync(field, values.Select(value => value?.ToString()).ToArray()!);
                    break;
            }
        }
    }

    private static Kind KindOf(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        return plain == typeof(long) || plain == typeof(int) || plain == typeof(short) ? Kind.Int64
            : plain == typeof(double) || plain == typeof(float) || plain == typeof(decimal) ? Kind.Double
            : plain == typeof(bool) ? Kind.Boolean
            : plain == typeof(DateTime) ? Kind.Timestamp
            : Kind.String;
    }

    private enum Kind
    {
        Int64,
        Double,
        Boolean,
        Timestamp,
        String,
    }

    /// <summary>A column and its Parquet field: every field is optional, as unknown values are nulls.</summary>
    private sealed record ParquetColumn(TableFile.Column Source, Kind Kind)
    {
        public DataField Field { get; } = Kind switch
        {
            Kind.Int64 => new DataField(Source.Name, typeof(long), isNullable: true),
            Kind.Double => new DataField(Source.Name, typeof(double), isNullable: true),
            Kind.Boolean => new DataField(Source.Name, typeof(bool), isNullable: true),
            Kind.Timestamp => new DateTimeDataField(Source.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
            _ => new DataField(Source.Name, typeof(string), isNullable: true),
        };
    }
}
