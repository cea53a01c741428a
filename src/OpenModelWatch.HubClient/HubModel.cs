using System.Text.Json.Serialization;

namespace OpenModelWatch.Hub;

/// <summary>
/// One model as the Hub lists it. Fields are nullable and counts are <see cref="HubCount"/> because the Hub,
/// a mirror or a proxy can send anything: a record is validated by whoever stores it, never silently fixed here.
/// </summary>
public sealed class HubModel
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>ISO 8601 as sent; parsed by <see cref="CreatedAtUtc"/> so one bad date does not fail a page.</summary>
    [JsonPropertyName("createdAt")]
    public string? CreatedAt { get; init; }

    /// <summary>Downloads over the last 30 days.</summary>
    [JsonPropertyName("downloads")]
    public HubCount Downloads { get; init; }

    [JsonPropertyName("downloadsAllTime")]
    public HubCount DownloadsAllTime { get; init; }

    [JsonPropertyName("likes")]
    public HubCount Likes { get; init; }

    [JsonPropertyName("trendingScore")]
    public HubCount TrendingScore { get; init; }

    [JsonPropertyName("pipeline_tag")]
    public string? PipelineTag { get; init; }

    [JsonPropertyName("library_name")]
    public string? LibraryName { get; init; }

    [JsonPropertyName("tags")]
    public IReadOnlyList<string?>? Tags { get; init; }

    [JsonPropertyName("safetensors")]
    public HubSafetensors? Safetensors { get; init; }

    /// <summary>The uploader: the part of the id before the slash, or empty for a legacy id without one.</summary>
    [JsonIgnore]
    public string Namespace => Id is { } id && id.IndexOf('/') is var slash and > 0 ? id[..slash] : "";

    [JsonIgnore]
    public DateTimeOffset? CreatedAtUtc =>
        DateTimeOffset.TryParse(CreatedAt, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null;

    [JsonIgnore]
    public long? Parameters => Safetensors?.Total is { IsValid: true } total ? total.Value : null;

    [JsonIgnore]
    public string? License => HubTags.License(Tags);

    [JsonIgnore]
    public IReadOnlyList<HubLineageEdge> Lineage => HubTags.Lineage(Tags);
}

public sealed class HubSafetensors
{
    [JsonPropertyName("total")]
    public HubCount Total { get; init; }
}
