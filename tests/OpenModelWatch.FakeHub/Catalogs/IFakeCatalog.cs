namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>The models a fake Hub serves. Implementations must page in O(page size) for large catalogs.</summary>
public interface IFakeCatalog
{
    /// <summary>Namespaces that own at least one model.</summary>
    IReadOnlyList<string> Authors { get; }

    /// <summary>
    /// The public records of one author (case-insensitive; an unknown author gives an empty list) or,
    /// when <paramref name="author"/> is null, of the whole Hub, in the order of <paramref name="sort"/>
    /// (descending; ties and <see cref="ModelSort.None"/> in the catalog's stable order).
    /// </summary>
    IReadOnlyList<CatalogRecord> List(string? author, ModelSort sort);

    /// <summary>A model by id (case-insensitive), private ones included; null if there is none.</summary>
    FakeModel? Find(string id);

    /// <summary>Totals of what listing these authors serves.</summary>
    CatalogTotals Sum(IEnumerable<string> authors);

    /// <summary>Totals of what listing every author serves.</summary>
    CatalogTotals Sum();

    /// <summary>The malformed records of an author's listing, by position.</summary>
    IReadOnlyList<MalformedRecord> MalformedIn(string author);
}
