using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Pipelines;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using CsvHelper;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Files;

public enum TableFormat
{
    Csv,
    Json,

    /// <summary>Apache Parquet, for analysts' tools (<see cref="ParquetTable"/>).</summary>
    Parquet,
}

/// <summary>
/// Rows as a file. The columns are the API's JSON fields, named and ordered as the API names them, so a CSV parsed
/// back equals the JSON. CSV is RFC 4180 in UTF-8 with a header row (CsvHelper); a text cell that a spreadsheet would
/// run as a formula (starting with <c>= + - @</c>, tab or carriage return) gets a leading <c>'</c> and quotes, while
/// numbers stay numbers (<c>-3</c>). A file for people (an export) opens with a metadata block — one
/// <c>key,value</c> record per line, then a blank line, then the table — and a byte order mark, so spreadsheets read
/// it as UTF-8; a file for programs (the API's <c>format=csv</c>) is the bare table.
/// </summary>
public static class TableFile
{
    private static readonly ConcurrentDictionary<(Type, JsonNamingPolicy?), Column[]> _columns = new();
    private static readonly byte[] _newLine = "\r\n"u8.ToArray();

    public static async Task WriteCsvAsync<T>(Stream body, ExportInfo? info, int total, IAsyncEnumerable<T> rows, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (info is not null)
        {
            await using (var block = CsvWriter.Create(body, Options(byteOrderMark: true, sameFieldCount: false), leaveOpen: true))
            {
                foreach (var (key, value) in Metadata(info, total))
                {
                    block.WriteField(key);
                    block.WriteField(value.ReplaceLineEndings(" "));
                    await block.EndRecordAsync(cancellationToken);
                }
            }

            await body.WriteAsync(_newLine, cancellationToken);
        }

        await using var csv = CsvWriter.Create(body, Options(byteOrderMark: false, sameFieldCount: true), leaveOpen: true);
        var columns = ColumnsOf(typeof(T), json);
        foreach (var column in columns)
        {
            csv.WriteField(column.Name);
        }

        await csv.EndRecordAsync(cancellationToken);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            foreach (var column in columns)
            {
                switch (column.Value(row!))
                {
                    case DateTime time:
                        csv.WriteField(time.ToUniversalTime(), "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'");
                        break;
                    case DateTimeOffset time:
                        csv.WriteField(time.ToUniversalTime(), "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'");
                        break;
                    case var value:
                        csv.WriteField(value);
                        break;
                }
            }

            await csv.EndRecordAsync(cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }

    public static async Task WriteJsonAsync<T>(Stream body, ExportInfo info, int total, IAsyncEnumerable<T> rows, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        // A pipe in front of the response: the serializer's flushes fill it, and only the awaited flushes write.
        var pipe = PipeWriter.Create(body, new StreamPipeWriterOptions(leaveOpen: true));
        await using (var writer = new Utf8JsonWriter(pipe, new JsonWriterOptions { Indented = false, Encoder = json.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString("title", info.Title);
            writer.WriteString("asOf", info.AsOfIso);
            if (info.AsOf is { } run)
            {
                writer.WriteNumber("runId", run.Id);
                writer.WriteString("runTrigger", run.Trigger.ToString());
            }
            else
            {
                writer.WriteNull("runId");
                writer.WriteNull("runTrigger");
            }

            writer.WriteString("filters", info.Filters);
            writer.WriteString("source", ExportInfo.SourceText);
            writer.WriteStartArray("sources");
            foreach (var source in info.DataSources)
            {
                writer.WriteStartObject();
                writer.WriteString("source", source.Key());
                writer.WriteString("coverage", FileTexts.Coverage(source));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("definitions");
            foreach (var definition in info.Definitions)
            {
                writer.WriteStringValue(definition);
            }

            writer.WriteEndArray();
            writer.WriteString("method", info.Method);
            writer.WriteString("credit", info.Credit);
            writer.WriteString("permalink", info.Permalink);
            writer.WriteNumber("total", total);
            writer.WriteStartArray("items");
            var written = 0;
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                JsonSerializer.Serialize(writer, row, json);
                if (++written % 1000 == 0)
                {
                    await pipe.FlushAsync(cancellationToken);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await pipe.FlushAsync(cancellationToken);
        await pipe.CompleteAsync();
    }

    /// <summary>The app's JSON settings for responses, so files name fields exactly as the API does.</summary>
    public static JsonSerializerOptions JsonOf(IServiceProvider services) => services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    private static CsvWriterOptions Options(bool byteOrderMark, bool sameFieldCount) => new()
    {
        Injection = CsvInjection.Escape,
        TrueValue = "true",
        FalseValue = "false",
        WriteByteOrderMark = byteOrderMark,
        ValidateFieldCount = sameFieldCount,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    /// <summary>
    /// The block a file for people opens with; its last line says where the table starts. Its keys are the same in
    /// every language (a script reads the block by key); its human-readable values follow the file's language
    /// (<c>lang=</c>: title, filters, source, definitions, method, credits); its values that programs read (the ISO as-of time, the run, the row count, the links,
    /// the line the table starts on) and its number of lines do not, and neither does the table after it.
    /// </summary>
    private static List<(string Key, string Value)> Metadata(ExportInfo info, int total)
    {
        var lines = new List<(string Key, string Value)>
        {
            ("OpenModelWatch export", info.Title),
            ("As of", info.AsOfIso ?? FileTexts.Get("Export.NoRun")),
            ("Run", info.AsOf is { } run ? $"{run.Id.ToString(CultureInfo.InvariantCulture)} ({run.Trigger})" : ""),
            ("Filters", info.Filters),
            ("Rows", total.ToString(CultureInfo.InvariantCulture)),
            ("Source", ExportInfo.SourceText),
        };
        lines.AddRange(info.SourceLines.Select(line => ("Data source", line)));
        lines.AddRange(info.Definitions.Select(definition => ("Definition", definition)));
        lines.Add(("Method", info.Method));
        lines.AddRange(info.Credits.Select(credit => ("Credit", credit)));

        lines.Add(("Permalink", info.Permalink));
        // Counting this line, the blank line and the header line: pandas.read_csv(url, skiprows=line - 1).
        lines.Add(("Table starts on line", (lines.Count + 3).ToString(CultureInfo.InvariantCulture)));
        return lines;
    }

    /// <summary>A row type's columns: its public properties, named as the API's JSON names them, in declaration order.</summary>
    public static IReadOnlyList<Column> ColumnsOf(Type type, JsonSerializerOptions json) =>
        _columns.GetOrAdd((type, json.PropertyNamingPolicy), key => key.Item1
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetIndexParameters().Length == 0 && property.GetMethod is not null)
            .Select(property => new Column(key.Item2?.ConvertName(property.Name) ?? property.Name, property.PropertyType, Getter(property)))
            .ToArray());

    /// <summary>A compiled getter: a file of 100,000 rows reads millions of cells.</summary>
    private static Func<object, object?> Getter(PropertyInfo property)
    {
        var item = Expression.Parameter(typeof(object), "item");
        var value = Expression.Property(Expression.Convert(item, property.DeclaringType!), property);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(value, typeof(object)), item).Compile();
    }

    /// <summary>A column of a file: its name, its property's type and a compiled getter.</summary>
    public sealed record Column(string Name, Type Type, Func<object, object?> Value);
}
