using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using OpenModelWatch.Hub;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Snapshot;

/// <summary>
/// The bundled real Hub snapshot of August 2026 (HF//RADAR, CC BY 4.0): 13 times over four days of the Hub's trending
/// and top models plus the tracked labs', with their metadata and lineage. A stand-in for a store with no run of its
/// own, so a dashboard that cannot reach the Hub opens on real numbers.
/// </summary>
public sealed class RadarSnapshot(IOptions<SnapshotOptions> options) : BundledDataset
{
    public override string Name => "Hub snapshot (August 2026)";
    public override RunSource Source => RunSource.RadarSnapshot;
    public override string Host => "bundled snapshot hub-snapshot-2026-08";
    public override string KeyPrefix => "hf-radar";
    public override bool HasMetadata => true;
    public override bool OnlyIntoEmptyStore => true;

    public override async Task<IReadOnlyList<BundledRun>> ReadAsync(CancellationToken cancellationToken)
    {
        var folder = SnapshotOptions.Resolve(options.Value.Path);
        var models = await ReadModelsAsync(System.IO.Path.Combine(folder, "models.jsonl.gz"), cancellationToken);
        var path = System.IO.Path.Combine(folder, "history.csv.gz");
        var history = CsvRows(path, "at,id,downloads30d,likes")
            .Select(row => (
                At: Time(path, row.Line, "at", row.Fields[0]),
                Model: models.TryGetValue(row.Fields[1], out var model) ? model : throw new InvalidDataException($"{path}, line {row.Line}: {row.Fields[1]} is not in models.jsonl.gz."),
                Downloads30d: Count(path, row.Line, "downloads30d", row.Fields[2]),
                Likes: Count(path, row.Line, "likes", row.Fields[3])))
            .ToList();
        var lastTime = history.Max(row => row.At);
        return history.GroupBy(row => row.At).OrderBy(time => time.Key)
            .Select(time => new BundledRun(time.Key, time.Select(row => new HubModel
            {
                Id = row.Model.Id,
                CreatedAt = row.Model.CreatedAt,
                PipelineTag = row.Model.PipelineTag,
                LibraryName = row.Model.LibraryName,
                Tags = Tags(row.Model),
                Safetensors = row.Model.Parameters is { } parameters ? new HubSafetensors { Total = HubCount.Of(parameters) } : null,
                Downloads = HubCount.Of(row.Downloads30d),
                Likes = HubCount.Of(row.Likes),
                // The file's trending scores are its latest state: they belong to its last time only.
                TrendingScore = time.Key == lastTime && row.Model.TrendingScore is { } trending ? HubCount.Of(trending) : default,
            }).ToArray()))
            .ToArray();
    }

    /// <summary>The model's tags, with its licence and base model as tags when only the fields have them, as the Hub would list them.</summary>
    private static IReadOnlyList<string?> Tags(SnapshotModel model)
    {
        var tags = model.Tags ?? [];
        if (model.License is { Length: > 0 } license && HubTags.License(tags) is null)
        {
            tags = [.. tags, "license:" + license];
        }

        if (model.BaseModel is { Length: > 0 } baseModel && HubTags.Lineage(tags).Count == 0)
        {
            tags = [.. tags, "base_model:" + baseModel];
        }

        return tags;
    }

    private static async Task<Dictionary<string, SnapshotModel>> ReadModelsAsync(string path, CancellationToken cancellationToken)
    {
        var models = new Dictionary<string, SnapshotModel>(StringComparer.Ordinal);
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0 && JsonSerializer.Deserialize(line, SnapshotJsonContext.Default.SnapshotModel) is { Id: not null } model)
            {
                models[model.Id] = model;
            }
        }

        return models;
    }
}

/// <summary>A model of the August 2026 snapshot's <c>models.jsonl.gz</c>: its latest state, with the Hub's field names.</summary>
public sealed class SnapshotModel
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("author")] public string? Author { get; init; }
    [JsonPropertyName("createdAt")] public string? CreatedAt { get; init; }
    [JsonPropertyName("pipeline_tag")] public string? PipelineTag { get; init; }
    [JsonPropertyName("library_name")] public string? LibraryName { get; init; }
    [JsonPropertyName("license")] public string? License { get; init; }
    [JsonPropertyName("tags")] public IReadOnlyList<string?>? Tags { get; init; }
    [JsonPropertyName("likes")] public long Likes { get; init; }
    [JsonPropertyName("downloads")] public long Downloads { get; init; }
    [JsonPropertyName("trendingScore")] public long? TrendingScore { get; init; }
    [JsonPropertyName("parameters")] public long? Parameters { get; init; }
    [JsonPropertyName("gated")] public bool? Gated { get; init; }
    [JsonPropertyName("baseModel")] public string? BaseModel { get; init; }
    [JsonPropertyName("removed")] public bool Removed { get; init; }
}

[JsonSerializable(typeof(SnapshotModel))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;
