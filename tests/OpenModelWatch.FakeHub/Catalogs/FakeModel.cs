namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>One model as the fake Hub knows it; the endpoints choose which properties to show.</summary>
public sealed record FakeModel
{
    /// <summary>The repository id, <c>namespace/name</c>.</summary>
    public required string Id { get; init; }

    public string Author => Id[..Id.IndexOf('/')];

    /// <summary>
    /// The Hub's <c>_id</c>. Like a MongoDB ObjectId it starts with the creation time, so the
    /// derived value agrees with the real ones in HUB-API.md; the rest is derived from the id.
    /// Computed on read rather than cached, so record equality does not depend on what was read.
    /// </summary>
    public string ObjectId
    {
        get => field ?? ModelIdentifiers.ObjectId(Id, CreatedAt);
        init;
    }

    /// <summary>The head commit; derived from the id.</summary>
    public string Sha => ModelIdentifiers.Sha(Id);

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset LastModified { get; init; }

    /// <summary>Downloads over the last 30 days.</summary>
    public required long Downloads { get; init; }

    /// <summary>Downloads since creation; null when the catalog does not know it, and the endpoints then leave it out.</summary>
    public required long? DownloadsAllTime { get; init; }

    public required long Likes { get; init; }

    public required int TrendingScore { get; init; }

    public string? PipelineTag { get; init; }

    public string? LibraryName { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Parameter counts by dtype; null when the repository has no safetensors weights.</summary>
    public IReadOnlyDictionary<string, long>? SafetensorsParameters { get; init; }

    /// <summary>
    /// The safetensors parameter total: the sum of <see cref="SafetensorsParameters"/>, or set alone when a catalog
    /// knows the total but not its split by dtype (the endpoints then send an empty <c>parameters</c> object).
    /// </summary>
    public long? SafetensorsTotal
    {
        get => field ?? SafetensorsParameters?.Values.Sum();
        init;
    }

    /// <summary><c>"auto"</c> or <c>"manual"</c>; null when the model is not gated.</summary>
    public string? Gated { get; init; }

    /// <summary>Private models are neither listed nor found, as for an anonymous caller.</summary>
    public bool Private { get; init; }

    public ModelLineage? BaseModels { get; init; }

    /// <summary>Models derived from this one, by relation (finetune, quantized, adapter, merge); zeros left out.</summary>
    public IReadOnlyDictionary<string, int> ChildrenModelCount { get; init; } = new Dictionary<string, int>();
}

/// <summary>What a model derives from: the Hub's <c>baseModels</c> expand property.</summary>
public sealed record ModelLineage(string Relation, IReadOnlyList<ModelReference> Models);

public sealed record ModelReference(string ObjectId, string Id);
