namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>Listing orders; every sort is descending, as on the Hub.</summary>
public enum ModelSort
{
    /// <summary>The catalog's own stable order (no <c>sort</c> parameter).</summary>
    None,
    Downloads,
    Likes,
    TrendingScore,
    CreatedAt,
    LastModified,
}

public static class ModelSorts
{
    /// <summary>The <c>sort</c> query values the Hub accepts, mapped to their order.</summary>
    public static IReadOnlyDictionary<string, ModelSort> ByQueryValue { get; } = new Dictionary<string, ModelSort>
    {
        ["downloads"] = ModelSort.Downloads,
        ["likes"] = ModelSort.Likes,
        ["trendingScore"] = ModelSort.TrendingScore,
        ["createdAt"] = ModelSort.CreatedAt,
        ["lastModified"] = ModelSort.LastModified,
    };

    /// <summary>The value a listing sorted by <paramref name="sort"/> orders on, larger first.</summary>
    public static long KeyOf(this ModelSort sort, FakeModel model) => sort switch
    {
        ModelSort.Downloads => model.Downloads,
        ModelSort.Likes => model.Likes,
        ModelSort.TrendingScore => model.TrendingScore,
        ModelSort.CreatedAt => model.CreatedAt.ToUnixTimeSeconds(),
        ModelSort.LastModified => model.LastModified.ToUnixTimeSeconds(),
        _ => 0,
    };
}
