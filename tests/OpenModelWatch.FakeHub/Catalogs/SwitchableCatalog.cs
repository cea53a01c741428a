namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>A catalog whose models can be swapped between two runs, so a test's histories have different points.</summary>
public sealed class SwitchableCatalog(IFakeCatalog current) : IFakeCatalog
{
    public IFakeCatalog Current { get; set; } = current;

    public IReadOnlyList<string> Authors => Current.Authors;

    public IReadOnlyList<CatalogRecord> List(string? author, ModelSort sort) => Current.List(author, sort);

    public FakeModel? Find(string id) => Current.Find(id);

    public CatalogTotals Sum(IEnumerable<string> authors) => Current.Sum(authors);

    public CatalogTotals Sum() => Current.Sum();

    public IReadOnlyList<MalformedRecord> MalformedIn(string author) => Current.MalformedIn(author);
}
