using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;

namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>
/// A catalog of any size whose models are computed from (seed, index) when asked for, never stored.
/// Model i belongs to <c>namespaces[i % n]</c> and is named <c>gen-model-{i:D7}</c>; the j-th model of
/// namespace k is index <c>j * n + k</c>, so an author's page costs O(page). Downloads never increase
/// with the index, so the Hub-wide downloads order is index order.
/// </summary>
public sealed partial class GeneratedCatalog : IFakeCatalog
{
    internal const string NamePrefix = "gen-model-";

    private readonly string[] _namespaces;
    private readonly Dictionary<string, int> _namespaceIndex;
    private readonly ulong _seed;
    private readonly Lazy<IReadOnlyDictionary<int, MalformedKind>[]> _malformed;
    private readonly ConcurrentDictionary<(int Author, ModelSort Sort), Lazy<int[]>> _orders = new();
    private readonly ConcurrentDictionary<int, CatalogTotals> _totals = new();

    public GeneratedCatalog(int modelCount, IReadOnlyList<string> namespaces, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(modelCount);
        ArgumentOutOfRangeException.ThrowIfZero(namespaces.Count);
        if (namespaces.Any(ns => string.IsNullOrWhiteSpace(ns) || ns.Contains('/')))
        {
            throw new ArgumentException("Namespaces must be non-empty and contain no '/'.", nameof(namespaces));
        }

        _namespaces = [.. namespaces];
        _namespaceIndex = _namespaces.Select((ns, k) => (ns, k)).ToDictionary(p => p.ns, p => p.k, StringComparer.OrdinalIgnoreCase);
        _seed = unchecked((ulong)seed);
        ModelCount = modelCount;
        Authors = _namespaces[..Math.Min(_namespaces.Length, modelCount)];
        _malformed = new(() => [.. Enumerable.Range(0, _namespaces.Length).Select(k => MalformedSlots.Place(CountOf(k), MalformedEvery, MalformedKinds))]);
    }

    public int ModelCount { get; }

    public IReadOnlyList<string> Authors { get; }

    /// <summary>
    /// Every this-many-th record of each author's listing (and of the Hub-wide listing, which shows
    /// the same records) is malformed, cycling through <see cref="MalformedKinds"/>; 0, the default, for none.
    /// </summary>
    public int MalformedEvery
    {
        get;
        init
        {
            if (value is < 0 or 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "MalformedEvery is 0 (none) or at least 2.");
            }

            field = value;
        }
    }

    /// <summary>The record faults <see cref="MalformedEvery"/> cycles through, in order: the record-level ones unless a catalog asks otherwise.</summary>
    public static IReadOnlyList<MalformedKind> DefaultMalformedKinds { get; } =
    [
        MalformedKind.DownloadsNull, MalformedKind.LikesNegative, MalformedKind.DownloadsHuge,
        MalformedKind.MissingId, MalformedKind.DownloadsString, MalformedKind.Duplicate,
    ];

    /// <summary>What the malformed records are, in the order slots take them (at least one kind).</summary>
    public IReadOnlyList<MalformedKind> MalformedKinds
    {
        get;
        init
        {
            if (value.Count == 0)
            {
                throw new ArgumentException("MalformedKinds needs at least one kind.", nameof(value));
            }

            field = [.. value];
        }
    } = DefaultMalformedKinds;

    private int NamespaceCount => _namespaces.Length;

    public IReadOnlyList<CatalogRecord> List(string? author, ModelSort sort)
    {
        if (author is null)
        {
            return new Listing(this, -1, OrderFor(-1, sort), ModelCount);
        }

        return _namespaceIndex.TryGetValue(author, out var k) ? new Listing(this, k, OrderFor(k, sort), CountOf(k)) : [];
    }

    public FakeModel? Find(string id)
    {
        var slash = id.IndexOf('/');
        var name = id[(slash + 1)..];
        if (slash < 0 || !name.StartsWith(NamePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var digits = name[NamePrefix.Length..];
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || index >= ModelCount
            || digits != index.ToString("D7", CultureInfo.InvariantCulture)
            || !_namespaces[index % NamespaceCount].Equals(id[..slash], StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return ModelAt(index);
    }

    public CatalogTotals Sum(IEnumerable<string> authors) =>
        authors
            .Select(a => _namespaceIndex.TryGetValue(a, out var k) ? k : -1)
            .Where(k => k >= 0)
            .Distinct()
            .Select(k => _totals.GetOrAdd(k, TotalsOf))
            .Aggregate(default(CatalogTotals), (sum, t) => sum + t);

    public CatalogTotals Sum() => Sum(Authors);

    public IReadOnlyList<MalformedRecord> MalformedIn(string author)
    {
        if (!_namespaceIndex.TryGetValue(author, out var k))
        {
            return [];
        }

        return
        [
            .. _malformed.Value[k]
                .OrderBy(slot => slot.Key)
                .Select(slot => new MalformedRecord(
                    IdOf(slot.Value == MalformedKind.Duplicate ? IndexOf(k, slot.Key - 1) : IndexOf(k, slot.Key)), slot.Key, slot.Value)),
        ];
    }

    private int CountOf(int k) => ModelCount <= k ? 0 : (ModelCount - k + NamespaceCount - 1) / NamespaceCount;

    private int IndexOf(int k, int position) => position * NamespaceCount + k;

    private CatalogRecord RecordAt(int index)
    {
        var (position, k) = Math.DivRem(index, NamespaceCount);
        if (MalformedEvery > 0 && _malformed.Value[k].TryGetValue(position, out var kind))
        {
            return new CatalogRecord(ModelAt(kind == MalformedKind.Duplicate ? index - NamespaceCount : index), kind);
        }

        return new CatalogRecord(ModelAt(index));
    }

    // Index order already is downloads order; other sorts are computed once per (author, sort) and
    // kept as an index permutation, 4 bytes a model.
    private int[]? OrderFor(int author, ModelSort sort)
    {
        if (sort is ModelSort.None or ModelSort.Downloads)
        {
            return null;
        }

        return _orders.GetOrAdd((author, sort), key => new Lazy<int[]>(() => key.Author < 0
            ? SortAll(key.Sort)
            : [.. OrderFor(-1, key.Sort)!.Where(i => i % NamespaceCount == key.Author)])).Value;
    }

    private int[] SortAll(ModelSort sort)
    {
        // (key descending, index ascending) packed into one ulong, so a plain Array.Sort is fast and stable.
        var packed = new ulong[ModelCount];
        for (var i = 0; i < packed.Length; i++)
        {
            var key = (uint)Math.Clamp(SortKeyOf(i, sort), 0, uint.MaxValue);
            packed[i] = ((ulong)(uint.MaxValue - key) << 32) | (uint)i;
        }

        Array.Sort(packed);
        return Array.ConvertAll(packed, p => (int)(uint)p);
    }

    private long SortKeyOf(int index, ModelSort sort) => sort switch
    {
        ModelSort.Downloads => DownloadsOf(index),
        ModelSort.Likes => LikesOf(index),
        ModelSort.TrendingScore => TrendingScoreOf(index),
        ModelSort.CreatedAt => CreatedAtOf(index).ToUnixTimeSeconds(),
        ModelSort.LastModified => LastModifiedOf(index).ToUnixTimeSeconds(),
        _ => 0,
    };

    private CatalogTotals TotalsOf(int k)
    {
        var slots = _malformed.Value[k];
        var valid = default(ModelTotals);
        var served = default(ModelTotals);
        for (var position = 0; position < CountOf(k); position++)
        {
            var index = IndexOf(k, position);
            if (!slots.TryGetValue(position, out var kind))
            {
                valid += TotalsAt(index);
                served += TotalsAt(index);
                continue;
            }

            served += kind switch
            {
                MalformedKind.DownloadsNull or MalformedKind.DownloadsString => TotalsAt(index) with { Downloads = 0 },
                MalformedKind.DownloadsHuge => TotalsAt(index) with { Downloads = MalformedValues.HugeDownloads },
                MalformedKind.LikesNegative => TotalsAt(index) with { Likes = MalformedValues.NegativeLikes },
                MalformedKind.DownloadsAllTimeHuge => TotalsAt(index) with { DownloadsAllTime = MalformedValues.HugeDownloadsAllTime },
                MalformedKind.SecondaryCountsBroken => TotalsAt(index) with { DownloadsAllTime = MalformedValues.HugeDownloadsAllTime, Likes = MalformedValues.NegativeLikes },
                MalformedKind.Duplicate => TotalsAt(index - NamespaceCount),
                _ => TotalsAt(index),
            };
        }

        return new CatalogTotals(valid, served);
    }

    private ModelTotals TotalsAt(int index) => new(1, DownloadsOf(index), DownloadsAllTimeOf(index), LikesOf(index));

    /// <summary>A listing that computes each record when it is read.</summary>
    private sealed class Listing(GeneratedCatalog catalog, int author, int[]? order, int count) : IReadOnlyList<CatalogRecord>
    {
        public int Count => count;

        public CatalogRecord this[int position]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(position);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, count);
                return catalog.RecordAt(order?[position] ?? (author < 0 ? position : catalog.IndexOf(author, position)));
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
