using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;

namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>
/// One day of a <see cref="DailyCatalog"/>: exactly what the fake Hub serves that day, listings, look-ups and sums
/// alike. Immutable; a listing reads a page in O(page) from orders made once (catalog order at once, the others when
/// first asked for: 4 bytes a model each).
/// </summary>
public sealed class GeneratedDay : IFakeCatalog
{
    private readonly DailyCatalog _catalog;
    private readonly int[] _slots;
    private readonly int[] _byAuthor;
    private readonly int[] _authorStart;
    private readonly Dictionary<int, int> _renames;
    private readonly ConcurrentDictionary<(int Author, ModelSort Sort), Lazy<int[]>> _orders = new();
    private readonly ConcurrentDictionary<int, ModelTotals> _totals = new();

    /// <param name="slots">The catalog numbers of the day's models, ascending.</param>
    /// <param name="renames">How many times each renamed model was renamed by the day.</param>
    internal GeneratedDay(DailyCatalog catalog, int day, int[] slots, Dictionary<int, int> renames)
    {
        _catalog = catalog;
        Day = day;
        _slots = slots;
        _renames = renames;

        // Catalog order within each namespace (a counting sort, which keeps the ascending order).
        var n = catalog.NamespaceCount;
        _authorStart = new int[n + 1];
        foreach (var slot in slots)
        {
            _authorStart[(slot % n) + 1]++;
        }

        for (var k = 0; k < n; k++)
        {
            _authorStart[k + 1] += _authorStart[k];
        }

        _byAuthor = new int[slots.Length];
        var next = _authorStart[..n];
        foreach (var slot in slots)
        {
            _byAuthor[next[slot % n]++] = slot;
        }

        Authors = [.. Enumerable.Range(0, n).Where(k => _authorStart[k + 1] > _authorStart[k]).Select(k => catalog.NamespaceOf(k))];
    }

    public int Day { get; }

    /// <summary>The day's date: <see cref="DailyCatalog.FirstDate"/> plus <see cref="Day"/> days.</summary>
    public DateTimeOffset Date => DailyCatalog.DateOf(Day);

    /// <summary>Models served on the day.</summary>
    public int ModelCount => _slots.Length;

    public IReadOnlyList<string> Authors { get; }

    /// <summary>Every model served on the day, in catalog order.</summary>
    public IEnumerable<FakeModel> Models => List(null, ModelSort.None).Select(record => record.Model);

    /// <summary>The id and counts of every model served on the day, in catalog order: cheaper than <see cref="Models"/>.</summary>
    public IEnumerable<(string Id, DayCounts Counts)> Counts => _slots.Select(slot => (IdOf(slot), _catalog.CountsOf(slot, Day)));

    public IReadOnlyList<CatalogRecord> List(string? author, ModelSort sort)
    {
        var k = -1;
        if (author is not null && (k = _catalog.NamespaceIndexOf(author)) < 0)
        {
            return [];
        }

        if (sort == ModelSort.None)
        {
            return k < 0
                ? new Listing(this, _slots, 0, _slots.Length)
                : new Listing(this, _byAuthor, _authorStart[k], _authorStart[k + 1] - _authorStart[k]);
        }

        var order = OrderFor(k, sort);
        return new Listing(this, order, 0, order.Length);
    }

    /// <summary>
    /// A model by its id, or by a former id of a renamed model (answered under its new id, as the Hub's redirect
    /// does); null when there is no such model on the day (never was, not yet, or removed).
    /// </summary>
    public FakeModel? Find(string id)
    {
        var slash = id.IndexOf('/');
        if (slash < 0 || !id.AsSpan(slash + 1).StartsWith(GeneratedCatalog.NamePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = id[(slash + 1 + GeneratedCatalog.NamePrefix.Length)..];
        var dash = rest.IndexOf('-');
        var digits = dash < 0 ? rest : rest[..dash];
        var renames = 0;
        if (dash >= 0)
        {
            var suffix = rest[(dash + 1)..];
            if (suffix.Length < 2 || char.ToLowerInvariant(suffix[0]) != 'r'
                || !int.TryParse(suffix.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out renames)
                || renames < 1 || suffix[1..] != renames.ToString(CultureInfo.InvariantCulture))
            {
                return null;
            }
        }

        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var slot)
            || digits != slot.ToString("D7", CultureInfo.InvariantCulture)
            || !_catalog.NamespaceOf(slot).Equals(id[..slash], StringComparison.OrdinalIgnoreCase)
            || !Exists(slot)
            || renames > RenamesOf(slot))
        {
            return null;
        }

        return ModelAt(slot);
    }

    public CatalogTotals Sum(IEnumerable<string> authors)
    {
        var totals = authors
            .Select(_catalog.NamespaceIndexOf)
            .Where(k => k >= 0)
            .Distinct()
            .Select(k => _totals.GetOrAdd(k, TotalsOf))
            .Aggregate(default(ModelTotals), (sum, t) => sum + t);
        return new CatalogTotals(totals, totals);
    }

    public CatalogTotals Sum() => Sum(Authors);

    public IReadOnlyList<MalformedRecord> MalformedIn(string author) => [];

    /// <summary>Makes the Hub-wide downloads order now rather than at the first census page.</summary>
    internal void Prepare() => OrderFor(-1, ModelSort.Downloads);

    private bool Exists(int slot) => Array.BinarySearch(_slots, slot) >= 0;

    private int RenamesOf(int slot) => _renames.GetValueOrDefault(slot);

    private string IdOf(int slot) => _catalog.IdOf(slot, RenamesOf(slot));

    private FakeModel ModelAt(int slot) => _catalog.ModelOf(slot, Day, RenamesOf(slot), Exists);

    private int[] OrderFor(int author, ModelSort sort) =>
        _orders.GetOrAdd((author, sort), key => new Lazy<int[]>(() =>
        {
            if (key.Author >= 0)
            {
                var n = _catalog.NamespaceCount;
                return [.. OrderFor(-1, key.Sort).Where(slot => slot % n == key.Author)];
            }

            // (key descending, catalog number ascending) packed into one ulong: a plain sort, stable on ties.
            var packed = new ulong[_slots.Length];
            for (var i = 0; i < packed.Length; i++)
            {
                var value = (uint)Math.Clamp(SortKeyOf(_slots[i], key.Sort), 0, uint.MaxValue);
                packed[i] = ((ulong)(uint.MaxValue - value) << 32) | (uint)_slots[i];
            }

            Array.Sort(packed);
            return Array.ConvertAll(packed, p => (int)(uint)p);
        })).Value;

    private long SortKeyOf(int slot, ModelSort sort) => sort switch
    {
        ModelSort.Downloads => _catalog.CountsOf(slot, Day).Downloads,
        ModelSort.Likes => _catalog.CountsOf(slot, Day).Likes,
        ModelSort.TrendingScore => _catalog.CountsOf(slot, Day).TrendingScore,
        ModelSort.CreatedAt => _catalog.CreatedAtOf(slot).ToUnixTimeSeconds(),
        ModelSort.LastModified => _catalog.LastModifiedOf(slot).ToUnixTimeSeconds(),
        _ => 0,
    };

    private ModelTotals TotalsOf(int author)
    {
        var totals = default(ModelTotals);
        for (var i = _authorStart[author]; i < _authorStart[author + 1]; i++)
        {
            var counts = _catalog.CountsOf(_byAuthor[i], Day);
            totals += new ModelTotals(1, counts.Downloads, counts.DownloadsAllTime, counts.Likes);
        }

        return totals;
    }

    /// <summary>A listing that computes each record when it is read.</summary>
    private sealed class Listing(GeneratedDay day, int[] slots, int offset, int count) : IReadOnlyList<CatalogRecord>
    {
        public int Count => count;

        public CatalogRecord this[int position]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(position);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, count);
                return new CatalogRecord(day.ModelAt(slots[offset + position]));
            }
        }

        public IEnumerator<CatalogRecord> GetEnumerator()
        {
            for (var position = 0; position < count; position++)
            {
                yield return this[position];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
