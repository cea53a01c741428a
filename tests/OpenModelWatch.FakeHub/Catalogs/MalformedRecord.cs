namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>Ways a listed record can be wrong, in the order a catalog cycles through them.</summary>
public enum MalformedKind
{
    /// <summary><c>"downloads": null</c>.</summary>
    DownloadsNull,

    /// <summary><c>"likes": -5</c>.</summary>
    LikesNegative,

    /// <summary><c>"downloads": 1099511627776</c> (2^40), far beyond any real count.</summary>
    DownloadsHuge,

    /// <summary>No <c>id</c> (nor <c>modelId</c>); <c>_id</c> is still there.</summary>
    MissingId,

    /// <summary><c>"downloads": "12k"</c>, a string.</summary>
    DownloadsString,

    /// <summary>The previous record of the listing again, in place of the model that belongs there.</summary>
    Duplicate,

    // Faults of secondary counts only: not in GeneratedCatalog.DefaultMalformedKinds, a catalog asks for them.

    /// <summary><c>"downloadsAllTime": 1099511627776</c> (2^40), far beyond any real count; the rest of the record is sound.</summary>
    DownloadsAllTimeHuge,

    /// <summary><c>"trendingScore": "hot"</c>, a string; the rest of the record is sound.</summary>
    TrendingScoreString,

    /// <summary>
    /// Every secondary count broken at once (<c>downloadsAllTime</c> 2^40, <c>likes</c> -5, <c>trendingScore</c> "hot"),
    /// the id and 30-day downloads sound.
    /// </summary>
    SecondaryCountsBroken,

    /// <summary>
    /// A NUL (U+0000) at the end of <c>pipeline_tag</c>, <c>library_name</c> (each sent even when the model has none, as
    /// the NUL alone) and every tag (so the licence and each <c>base_model:</c> parent); the id and every count sound.
    /// PostgreSQL's text cannot hold a NUL.
    /// </summary>
    TextNul,
}

/// <summary>
/// One malformed record of an author listing. <see cref="Id"/> is the model whose record is broken;
/// for <see cref="MalformedKind.Duplicate"/> it is the repeated model, and the model that belongs
/// at <see cref="Position"/> is not served at all.
/// </summary>
public sealed record MalformedRecord(string Id, int Position, MalformedKind Kind);

/// <summary>A record as a listing serves it: the model, and how its record is broken if it is.</summary>
public readonly record struct CatalogRecord(FakeModel Model, MalformedKind? Malformation = null);

/// <summary>The wrong values malformed records carry.</summary>
public static class MalformedValues
{
    public const long HugeDownloads = 1L << 40;
    public const long NegativeLikes = -5;
    public const string DownloadsText = "12k";
    public const long HugeDownloadsAllTime = 1L << 40;
    public const string TrendingScoreText = "hot";

    /// <summary>What <see cref="MalformedKind.TextNul"/> appends to a text value.</summary>
    public const string Nul = "\u0000";
}
