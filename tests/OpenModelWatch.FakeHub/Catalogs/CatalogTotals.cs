namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>Exact sums over a set of models; an unknown all-time count adds 0, as a missing value does.</summary>
public readonly record struct ModelTotals(long Models, long Downloads, long DownloadsAllTime, long Likes)
{
    public static ModelTotals Of(FakeModel model) => new(1, model.Downloads, model.DownloadsAllTime ?? 0, model.Likes);

    public static ModelTotals operator +(ModelTotals a, ModelTotals b) =>
        new(a.Models + b.Models, a.Downloads + b.Downloads, a.DownloadsAllTime + b.DownloadsAllTime, a.Likes + b.Likes);
}

/// <summary>
/// What listing some authors yields. <see cref="Valid"/> counts each well-formed model once: what a
/// careful client should store with every count. (A careful client also stores a model whose only fault is a
/// secondary count, <see cref="MalformedKind.LikesNegative"/> for one, with that count unknown: <see cref="Valid"/>
/// leaves those models out, so a test adds them itself.) <see cref="Served"/> counts every record sent, duplicates and
/// malformed ones included, summing numbers as sent (a null, a string or a missing value counts 0).
/// Without malformed records the two are equal.
/// </summary>
public readonly record struct CatalogTotals(ModelTotals Valid, ModelTotals Served)
{
    public static CatalogTotals operator +(CatalogTotals a, CatalogTotals b) => new(a.Valid + b.Valid, a.Served + b.Served);
}
