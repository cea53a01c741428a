namespace OpenModelWatch.FakeHub.Endpoints;

/// <summary>Properties a model item can show besides <c>_id</c> and <c>id</c>.</summary>
internal enum ModelField
{
    Author,
    BaseModels,
    ChildrenModelCount,
    CreatedAt,
    Downloads,
    DownloadsAllTime,
    Gated,
    LastModified,
    LibraryName,
    Likes,
    PipelineTag,
    Private,
    Safetensors,
    Sha,
    Tags,
    TrendingScore,

    /// <summary>Only in the default shape: the id again, under its legacy name.</summary>
    ModelId,
}

/// <summary>Which properties a request asks for: the <c>expand</c> rules of the Hub.</summary>
internal static class ModelFields
{
    /// <summary>The shape without <c>expand</c>, in the Hub's order (after <c>_id</c> and <c>id</c>).</summary>
    public static IReadOnlyList<ModelField> Default { get; } =
    [
        ModelField.Likes, ModelField.TrendingScore, ModelField.Private, ModelField.Downloads, ModelField.Tags,
        ModelField.PipelineTag, ModelField.LibraryName, ModelField.CreatedAt, ModelField.ModelId,
    ];

    private static readonly Dictionary<string, ModelField> _expandable = new(StringComparer.Ordinal)
    {
        ["author"] = ModelField.Author,
        ["baseModels"] = ModelField.BaseModels,
        ["childrenModelCount"] = ModelField.ChildrenModelCount,
        ["createdAt"] = ModelField.CreatedAt,
        ["downloads"] = ModelField.Downloads,
        ["downloadsAllTime"] = ModelField.DownloadsAllTime,
        ["gated"] = ModelField.Gated,
        ["lastModified"] = ModelField.LastModified,
        ["library_name"] = ModelField.LibraryName,
        ["likes"] = ModelField.Likes,
        ["pipeline_tag"] = ModelField.PipelineTag,
        ["private"] = ModelField.Private,
        ["safetensors"] = ModelField.Safetensors,
        ["sha"] = ModelField.Sha,
        ["tags"] = ModelField.Tags,
        ["trendingScore"] = ModelField.TrendingScore,
    };

    // Accepted by the real Hub but not modelled here: refused, so a client that needs one finds out
    // from the fake instead of reading made-up data.
    private static readonly HashSet<string> _notModelled = new(StringComparer.Ordinal)
    {
        "cardData", "config", "disabled", "evalResults", "gguf", "inference", "inferenceProviderMapping", "mask_token",
        "model-index", "resourceGroup", "siblings", "spaces", "transformersInfo", "usedStorage", "widgetData",
    };

    /// <summary>
    /// The fields asked by <c>expand</c> / <c>expand[]</c> (repeatable), in a canonical order, or the
    /// default shape without them; an error for unknown values or for <c>expand</c> combined with
    /// <c>full</c>, <c>cardData</c> or <c>config</c>.
    /// </summary>
    public static (IReadOnlyList<ModelField>? Fields, string? Error) Parse(IQueryCollection query)
    {
        string?[] asked = [.. query["expand"], .. query["expand[]"]];
        if (asked.Length == 0)
        {
            return (Default, null);
        }

        if (query.ContainsKey("full") || query.ContainsKey("cardData") || query.ContainsKey("config"))
        {
            return (null, "The 'expand' parameter cannot be combined with 'full', 'cardData' or 'config'.");
        }

        var fields = new SortedSet<ModelField>();
        foreach (var value in asked)
        {
            if (value is not null && _expandable.TryGetValue(value, out var field))
            {
                fields.Add(field);
            }
            else if (value is not null && _notModelled.Contains(value))
            {
                return (null, $"The fake Hub does not model the expand property '{value}'.");
            }
            else
            {
                return (null, $"Invalid expand value: '{value}'. Expected one of: {string.Join(", ", _expandable.Keys)}.");
            }
        }

        return ([.. fields], null);
    }
}
