using System.Collections.Concurrent;

namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>
/// About eighty hand-written models of well-known labs and community quantizers, for demos and for
/// tests that want recognisable ids; Qwen has enough of them to span pages at a small page size.
/// </summary>
public sealed class RealisticCatalog : IFakeCatalog
{
    private readonly Dictionary<string, FakeModel> _byId;
    private readonly ConcurrentDictionary<(string? Author, ModelSort Sort), CatalogRecord[]> _listings = new();

    public RealisticCatalog()
        : this(RealisticModels.Create())
    {
    }

    /// <summary>A catalog of exactly these models, for tests that need a particular shape (lineage chains, cycles).</summary>
    public RealisticCatalog(IReadOnlyList<FakeModel> models)
    {
        Models = models;
        _byId = Models.ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);
        Authors = [.. Models.Where(m => !m.Private).Select(m => m.Author).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Every model, private ones included, in the catalog's order.</summary>
    public IReadOnlyList<FakeModel> Models { get; }

    public IReadOnlyList<string> Authors { get; }

    public IReadOnlyList<CatalogRecord> List(string? author, ModelSort sort) =>
        _listings.GetOrAdd((author?.ToLowerInvariant(), sort), key =>
        [
            .. Models
                .Where(m => !m.Private && (key.Author is null || m.Author.Equals(key.Author, StringComparison.OrdinalIgnoreCase)))
                .OrderByDescending(m => key.Sort.KeyOf(m))
                .Select(m => new CatalogRecord(m)),
        ]);

    public FakeModel? Find(string id) => _byId.GetValueOrDefault(id);

    public CatalogTotals Sum(IEnumerable<string> authors)
    {
        var totals = authors
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .SelectMany(a => List(a, ModelSort.None))
            .Aggregate(default(ModelTotals), (sum, r) => sum + ModelTotals.Of(r.Model));
        return new CatalogTotals(totals, totals);
    }

    public CatalogTotals Sum() => Sum(Authors);

    public IReadOnlyList<MalformedRecord> MalformedIn(string author) => [];
}
