using System.Globalization;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace OpenModelWatch.FakeHub.HubStats;

/// <summary>One model as a row of a hub-stats <c>models.parquet</c>; null is a null cell.</summary>
public sealed record HubStatsRow(string? Id)
{
    public DateTime? CreatedAt { get; init; }
    public DateTime? LastModified { get; init; }
    public long? Downloads { get; init; }
    public long? DownloadsAllTime { get; init; }
    public long? Likes { get; init; }
    public double? TrendingScore { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public string? CardData { get; init; }
    public long? SafetensorsTotal { get; init; }

    /// <summary>finetune, adapter, quantized or merge; with <see cref="Parents"/>, the <c>baseModels</c> struct.</summary>
    public string? Relation { get; init; }
    public IReadOnlyList<string>? Parents { get; init; }
    public string? PipelineTag { get; init; }
    public string? LibraryName { get; init; }
}

/// <summary>The columns that come and go across the eras of the hub-stats files.</summary>
[Flags]
public enum HubStatsColumns
{
    /// <summary>The oldest files: no all-time downloads, no trending score, no card data.</summary>
    Early = 0,
    DownloadsAllTime = 1,
    TrendingScore = 2,
    CardData = 4,
    Gated = 8,

    /// <summary>About 2024-10 to 2025-02-25.</summary>
    Late2024 = TrendingScore | CardData,

    /// <summary>From 2025-02-26.</summary>
    Current = DownloadsAllTime | TrendingScore | CardData,
}

/// <summary>
/// Writes files of the real hub-stats schema (column names, types and nesting as the real file's footer has them:
/// timestamps in microseconds without a time zone, <c>tags</c> a list of strings, <c>safetensors</c> a struct with a
/// <c>parameters</c> struct and <c>total</c>, <c>baseModels</c> a struct of <c>relation</c> and a list of
/// <c>{_id, id}</c>), row group by row group, with Parquet.Net.
/// </summary>
public static class HubStatsFileWriter
{
    public const int DefaultRowGroupSize = 122_880; // DuckDB's default, as the real files are written

    public static ParquetSchema Schema(HubStatsColumns columns)
    {
        var fields = new List<Field>
        {
            new DataField<string>("id"),
            new DataField<string>("author"),
            Timestamp("createdAt"),
            Timestamp("lastModified"),
            new DataField<long?>("downloads"),
        };
        if (columns.HasFlag(HubStatsColumns.DownloadsAllTime))
        {
            fields.Add(new DataField<long?>("downloadsAllTime"));
        }

        fields.Add(new DataField<long?>("likes"));
        if (columns.HasFlag(HubStatsColumns.TrendingScore))
        {
            fields.Add(new DataField<double?>("trendingScore"));
        }

        fields.Add(new ListField("tags", new DataField<string>("element")));
        if (columns.HasFlag(HubStatsColumns.CardData))
        {
            fields.Add(new DataField<string>("cardData"));
        }

        fields.Add(new StructField("safetensors",
            new StructField("parameters", new DataField<long?>("BF16"), new DataField<long?>("F32")),
            new DataField<long?>("total")));
        fields.Add(new DataField<string>("gguf"));
        fields.Add(new StructField("baseModels",
            new DataField<string>("relation"),
            new ListField("models", new StructField("element", new DataField<string>("_id"), new DataField<string>("id")))));
        fields.Add(new DataField<string>("pipeline_tag"));
        fields.Add(new DataField<string>("library_name"));
        if (columns.HasFlag(HubStatsColumns.Gated))
        {
            fields.Add(new DataField<string>("gated"));
        }

        return new ParquetSchema(fields);
    }

    /// <summary>Writes <paramref name="rows"/> to <paramref name="path"/> (replacing it), <paramref name="rowGroupSize"/> rows a row group.</summary>
    public static async Task WriteAsync(string path, IEnumerable<HubStatsRow> rows, HubStatsColumns columns, int rowGroupSize = DefaultRowGroupSize)
    {
        var schema = Schema(columns);
        File.Delete(path);
        var group = new List<IDictionary<string, object?>>(Math.Min(rowGroupSize, 200_000));
        var first = true;
        foreach (var row in rows)
        {
            group.Add(Cells(row, columns));
            if (group.Count == rowGroupSize)
            {
                await FlushAsync(path, schema, group, first);
                first = false;
                group.Clear();
            }
        }

        if (group.Count > 0 || first)
        {
            await FlushAsync(path, schema, group, first);
        }
    }

    private static async Task FlushAsync(string path, ParquetSchema schema, List<IDictionary<string, object?>> group, bool first)
    {
        await using var stream = new FileStream(path, first ? FileMode.CreateNew : FileMode.Open, FileAccess.ReadWrite);
        await ParquetSerializer.SerializeUntypedAsync(group, schema, stream, new ParquetOptions { Append = !first, RowGroupSize = Math.Max(1, group.Count) });
    }

    private static DateTimeDataField Timestamp(string name) =>
        new(name, DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Micros, isNullable: true);

    // Parquet.Net's untyped serialiser takes strings as ReadOnlyMemory<char>? and nested values as dictionaries and lists.
    private static ReadOnlyMemory<char>? Text(string? value) => value?.AsMemory();

    private static Dictionary<string, object?> Cells(HubStatsRow row, HubStatsColumns columns)
    {
        var slash = row.Id?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        var cells = new Dictionary<string, object?>
        {
            ["id"] = Text(row.Id),
            ["author"] = Text(slash > 0 ? row.Id![..slash] : null),
            ["createdAt"] = row.CreatedAt,
            ["lastModified"] = row.LastModified,
            ["downloads"] = row.Downloads,
            ["likes"] = row.Likes,
            ["tags"] = row.Tags?.Select(Text).ToList(),
            ["safetensors"] = row.SafetensorsTotal is { } total
                ? new Dictionary<string, object?> { ["parameters"] = new Dictionary<string, object?> { ["BF16"] = total, ["F32"] = null }, ["total"] = total }
                : null,
            ["gguf"] = null,
            ["baseModels"] = row.Parents is { Count: > 0 } parents
                ? new Dictionary<string, object?>
                {
                    ["relation"] = Text(row.Relation),
                    ["models"] = parents.Select((parent, i) => (IDictionary<string, object?>)new Dictionary<string, object?>
                    {
                        ["_id"] = Text(i.ToString("x24", CultureInfo.InvariantCulture)),
                        ["id"] = Text(parent),
                    }).ToList(),
                }
                : null,
            ["pipeline_tag"] = Text(row.PipelineTag),
            ["library_name"] = Text(row.LibraryName),
        };
        if (columns.HasFlag(HubStatsColumns.DownloadsAllTime))
        {
            cells["downloadsAllTime"] = row.DownloadsAllTime;
        }

        if (columns.HasFlag(HubStatsColumns.TrendingScore))
        {
            cells["trendingScore"] = row.TrendingScore;
        }

        if (columns.HasFlag(HubStatsColumns.CardData))
        {
            cells["cardData"] = Text(row.CardData);
        }

        if (columns.HasFlag(HubStatsColumns.Gated))
        {
            cells["gated"] = Text("false");
        }

        return cells;
    }
}
