using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Models;

/// <summary>An item of <c>GET /api/v1/models</c>.</summary>
public sealed record ModelItem(
    string Id,
    string Namespace,
    string? Lab,
    string? LabName,
    string Country,
    string Region,
    string? Task,
    string? Library,
    string? License,
    DateTime? CreatedAt,
    long? Parameters,
    long Downloads30d,
    long? DownloadsAllTime,
    long? Likes,
    long? TrendingScore,
    string? BaseModel,
    string? Relation,
    string? Origin,
    bool InCensus);

/// <summary>The models leaderboard: the query the API, the page and the exports share.</summary>
public sealed class ModelLeaderboard(IDbContextFactory<OpenModelWatchDb> dbFactory, ModelNameIndex names)
{
    public static readonly IReadOnlyList<string> SortFields =
        ["downloads30d", "downloadsAllTime", "likes", "trendingScore", "createdAt", "parameters"];

    public async Task<ListPage<ModelItem>> ListAsync(ListParameters parameters, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await PinnedRun.ResolveAsync(db, parameters.Run, cancellationToken);
        if (asOf is null)
        {
            return new ListPage<ModelItem>(null, null, 0, []);
        }

        return await PageAsync(db, asOf, parameters, cancellationToken, names);
    }

    /// <summary>A page of the models of one run: for views that already hold the as-of run and must not mix two runs.</summary>
    /// <param name="names">
    /// When given and loaded for the store's current run (<see cref="ModelNameIndex"/>), a search of that run is
    /// answered from the ids in memory, count and page in any order, when its other filters are held there (places, a
    /// task, a licence, ranges and the scope), else through its matches (narrowed to the held filters; or, for a text in
    /// most ids, the ids that lack it) given to the store's query. So is a view of held filters with no text that the
    /// run's totals cannot count (two filters, or a range).
    /// </param>
    public static async Task<ListPage<ModelItem>> PageAsync(OpenModelWatchDb db, AsOfRun asOf, ListParameters parameters, CancellationToken cancellationToken, ModelNameIndex? names = null)
    {
        // The ids in memory are of the store's current run.
        var memory = names is not null && RunCounts.CurrentRunId(db) == asOf.Id ? names : null;
        // On PostgreSQL every held view is answered there, a text or none: its plans for a deep page of a large view sort
        // the view (unfiltered by likes, page 100, at 100,000 models: 205–300 ms, against 2–8 ms from memory;
        // docs/performance.md), where SQLite walks the order's index.
        if (memory is not null && (ModelNameIndex.Answers(parameters) || (db.OnPostgres && ModelNameIndex.Holds(parameters)))
            && memory.Find(asOf.Id, parameters) is { } found)
        {
            return await FoundPageAsync(db, asOf, parameters, found, cancellationToken);
        }

        // The run's totals know how many models it has under the view's attribution and scope, and by lab, so in a
        // country, region or lab; counting them would read the whole run or a filter's index. Otherwise the matches are
        // counted (through the filter's index).
        // Read once: the view's totals give the run's listed models and, by lab, a place's count.
        var totals = await StoredTotals.OfAsync(db, asOf.Id, new ListParameters { Attribution = parameters.Attribution, Scope = parameters.Scope }, cancellationToken);
        long? listed = totals?.Sum(t => (long)t.Models);
        // A search with another filter or in another order: its matches from the ids in memory, when loaded, in place
        // of the trigram index's candidates (which are then each checked against the model's id). A text found in most
        // ids is the view without its text, less the ids that lack it: counted and paged as that view is (from the
        // totals, by walking its order's index), not by reading millions of rows by id.
        var matches = memory is not null && parameters.Q is { } q && ModelNameIndex.Searchable(q) ? memory.Matches(asOf.Id, parameters) : null;
        var view = matches is { Excluded: true } ? parameters with { Q = null } : parameters;
        // A text whose other filters are held: its matches, narrowed to them in memory, are the view's rows.
        int? known = Exact(parameters, matches) ? matches.Ids.Length
            : totals is null ? null
            : StoredTotals.Answer(view) ? (int)listed!.Value
            : await StoredTotals.CountAsync(db, asOf.Id, view, totals, cancellationToken);
        // A view of several filters (or a range) with no text, all held in memory: counted and paged there rather than
        // by reading a filter's index and each entry's row (region, task and size range at 3 million models: 1.7–2.5 s
        // counted so; sorted by likes, page 100 walked 1.3 million rows, 3.9 s, or read 22,460 keys by id, 156 ms).
        // So is a filtered view whose page the store would read thousands of rows for (FromMemory).
        if (parameters.Q is null && memory is not null && ModelNameIndex.Holds(parameters)
            && (known is null || FromMemory(parameters, known.Value, listed))
            && memory.Find(asOf.Id, parameters) is { } counted)
        {
            return await FoundPageAsync(db, asOf, parameters, counted, cancellationToken);
        }
        var total = known ?? await Rows(db, asOf.Id, view, count: true, matches: matches is { Excluded: true } ? null : matches).CountAsync(cancellationToken);
        if (matches is { Excluded: true, Ids.Length: > 0 })
        {
            var lacking = matches.Ids;
            total -= await Rows(db, asOf.Id, view, count: true).CountAsync(r => EF.Parameter(lacking).Contains(r.ModelId), cancellationToken);
        }

        var page = (WalkOrder(view, total, listed) || WalkMatches(parameters, matches, total, listed)) && SnapshotRows.Walks(db, asOf.Id, view)
            ? await WalkedPage(db, asOf.Id, view, matches).ToListAsync(cancellationToken)
            : await Sort(Rows(db, asOf.Id, view, matches: matches), parameters.Sort, parameters.Ascending, db.OnPostgres)
                .Skip(parameters.Offset).Take(parameters.Limit)
                .ToListAsync(cancellationToken);
        return new ListPage<ModelItem>(asOf.At, asOf.Id, total, page.Select(ToItem).ToArray());
    }

    /// <summary>
    /// Whether a view's matches from the ids in memory are exactly its rows (not the ids lacking a text, and every filter
    /// held there): then their number is its count and the store tests no filter again.
    /// </summary>
    private static bool Exact(ListParameters parameters, [NotNullWhen(true)] ModelNameIndex.Matched? matches) =>
        matches is { Excluded: false } && ModelNameIndex.Holds(parameters);

    /// <summary>A page whose count and ids the ids in memory found: its rows read by id.</summary>
    private static async Task<ListPage<ModelItem>> FoundPageAsync(OpenModelWatchDb db, AsOfRun asOf, ListParameters parameters, ModelNameIndex.Found found, CancellationToken cancellationToken)
    {
        var items = await FoundRowsAsync(db, asOf.Id, parameters, found.Ids, cancellationToken);
        return new ListPage<ModelItem>(asOf.At, asOf.Id, found.Total, items.Select(ToItem).ToArray());
    }

    /// <summary>
    /// A page that walks its order's index (<see cref="WalkOrder"/>), in two steps in one statement: the page's ids,
    /// chosen from the walk's rows without their labs' names (<see cref="SnapshotRows.Of"/>'s <c>count</c>), then the
    /// rows of those ids with their labs. A skipped row then costs an index entry: with the lab's name in the walk, each
    /// skipped row was read from the table for its lab id (region Europe's page 100 at 3 million models: 324 ms, against
    /// 18 ms for the ids alone, in the <c>sqlite3</c> shell; docs/performance.md).
    /// </summary>
    /// <param name="matches">A search's matches (<see cref="Rows"/>); the walk tests them as it tests the filters.</param>
    public static IQueryable<SnapshotRow> WalkedPage(OpenModelWatchDb db, int runId, ListParameters parameters, ModelNameIndex.Matched? matches = null)
    {
        var ids = Sort(Rows(db, runId, parameters, walkOrder: true, count: true, matches: matches), parameters.Sort, parameters.Ascending)
            .Skip(parameters.Offset).Take(parameters.Limit)
            .Select(r => r.ModelId);
        var rows = SnapshotRows.Of(db, runId, new ListParameters { Attribution = parameters.Attribution }).Where(r => ids.Contains(r.ModelId));
        return Sort(rows, parameters.Sort, parameters.Ascending);
    }

    /// <summary>The rows of a page's ids, in the page's order.</summary>
    private static Task<List<SnapshotRow>> FoundRowsAsync(OpenModelWatchDb db, int runId, ListParameters parameters, int[] ids, CancellationToken cancellationToken) =>
        Sort(SnapshotRows.Of(db, runId, new ListParameters { Attribution = parameters.Attribution }).Where(r => ids.Contains(r.ModelId)), parameters.Sort, parameters.Ascending, db.OnPostgres)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Whether a page reads its rows by walking its order's index and testing each row against the filters
    /// (<see cref="SnapshotRows.Of"/>'s <c>walkOrder</c>) rather than reading every match through a filter's index and
    /// sorting them. The walk tests about (offset + limit) × <paramref name="listed"/> / <paramref name="total"/> rows, the
    /// filter's index reads <paramref name="total"/> and sorts them: the walk is taken when it reads fewer. Never for a
    /// text search (its trigram index finds the candidates) or a community namespace (its namespace's index), and not
    /// when one equality's <c>(column, Downloads30d)</c> index already reads the matches in the default order.
    /// </summary>
    public static bool WalkOrder(ListParameters parameters, long total, long? listed)
    {
        if (parameters.Q is not null || listed is not { } all || total == 0
            || (parameters.Lab is { } lab && CommunityLab.NamespaceOf(lab) is not null))
        {
            return false;
        }

        if (ByDownloads(parameters) && OneEquality(parameters))
        {
            return false;
        }

        return (double)(parameters.Offset + parameters.Limit) * all < (double)total * total;
    }

    private static bool ByDownloads(ListParameters parameters) => parameters.Sort is null or "downloads30d";

    /// <summary>Whether one equality's <c>(column, Downloads30d)</c> index reads the view's matches in the default order.</summary>
    private static bool OneEquality(ListParameters parameters) =>
        (parameters.Countries.Count == 1 && parameters.Countries[0] != Regions.UnknownCountry)
        || parameters.Lab is not null || parameters.Task is not null || parameters.License is not null;

    /// <summary>
    /// Whether a filtered view of <paramref name="total"/> matches, whose filters the ids in memory hold and whose count
    /// is known, is paged there rather than by the store: when the store would read more than
    /// <see cref="MemoryRows"/> rows for its page. In the default order with one equality the filter's index gives
    /// the page's rows, each read (offset + limit); in another order the store walks that order's index reading each
    /// entry's row to test the filter, about (offset + limit) × <paramref name="listed"/> / <paramref name="total"/>;
    /// in the default order otherwise the walk tests what its index holds and reads no skipped row. The ids in memory
    /// mark the view's lines in its order in a pass over the run (15–45 ms at 3 million models), where the store reads
    /// a row in about 20 µs at random (page 100 of a licence by all-time downloads, 75,000 rows: 361 ms).
    /// </summary>
    public static bool FromMemory(ListParameters parameters, long total, long? listed)
    {
        // Unfiltered but for the attribution: the walk tests nothing and reads no skipped row.
        if ((parameters.Scope == Scope.All && StoredTotals.Answer(parameters with { Q = null })) || total == 0)
        {
            return false;
        }

        double page = parameters.Offset + parameters.Limit;
        var rows = !ByDownloads(parameters) ? (listed is { } all ? page * all / total : double.PositiveInfinity)
            : OneEquality(parameters) ? page : 0;
        return rows > MemoryRows;
    }

    /// <summary>The rows a page may read from the store before the ids in memory are cheaper (<see cref="FromMemory"/>).</summary>
    public const int MemoryRows = 2_000;

    /// <summary>
    /// Whether a search's page, given its matches (not excluded), walks its order's index testing each entry's id against
    /// them rather than reading every match's row by id and sorting them. The walk reads about (offset + limit) ×
    /// <paramref name="listed"/> / <paramref name="total"/> index entries, the other way every match's row; an entry costs
    /// about a quarter of a row read by id (a broad search sorted by likes at 3 million models, 124,329 matches, in the
    /// <c>sqlite3</c> shell: page 1 41 ms walked against 219 ms by id, page 100 122–144 ms against 291–342 ms).
    /// </summary>
    public static bool WalkMatches(ListParameters parameters, ModelNameIndex.Matched? matches, long total, long? listed) =>
        matches is { Excluded: false } && listed is { } all && total > 0
        && (double)(parameters.Offset + parameters.Limit) * all / total < 4.0 * matches.Ids.Length;

    /// <summary>The run's rows under every filter the models list takes, text search included.</summary>
    /// <param name="walkOrder">For a page of a large part of the run: see <see cref="WalkOrder"/>.</param>
    /// <param name="count">For counting the rows, not reading them (<see cref="SnapshotRows.Of"/>'s <c>count</c>).</param>
    /// <param name="matches">The view's text's matches, from <see cref="ModelNameIndex.Matches"/>; null: found through the trigram index.</param>
    public static IQueryable<SnapshotRow> Rows(OpenModelWatchDb db, int runId, ListParameters parameters, bool walkOrder = false, bool count = false, ModelNameIndex.Matched? matches = null)
    {
        // A search walked with its matches (WalkMatches): they stand for its text, tested on each entry of the walk.
        var walkMatches = walkOrder && matches is { Excluded: false };
        // Matches of a view whose every filter is held in memory are exactly its rows: no filter is tested again (so
        // that SQLite reads them by id, or tests only ids on the order's index entries, never a filter's index).
        var tested = Exact(parameters, matches) ? new ListParameters { Attribution = parameters.Attribution } : walkMatches ? parameters with { Q = null } : parameters;
        var rows = SnapshotRows.Of(db, runId, tested, walkOrder && (parameters.Q is null || walkMatches), count);
        if (matches is not null)
        {
            // One parameter however many (a JSON array on SQLite, an array on PostgreSQL), not one per id. Walked, the
            // id is written "+ 0" so that SQLite cannot seek the matches' rows by id instead of walking the order.
            var ids = matches.Ids;
            return matches.Excluded ? rows.Where(r => !EF.Parameter(ids).Contains(r.ModelId))
                : walkMatches ? rows.Where(r => EF.Parameter(ids).Contains(r.ModelId + 0))
                : rows.Where(r => EF.Parameter(ids).Contains(r.ModelId));
        }

        if (parameters.Q is { } q)
        {
            // The trigram index finds the candidates (its pattern unescaped: a wildcard there only widens the match);
            // the exact, escaped pattern then keeps the ids that contain q as typed.
            var loose = "%" + q + "%";
            var pattern = "%" + q.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            if (db.OnPostgres)
            {
                // SQLite's LIKE ignores ASCII case, PostgreSQL's does not: there the index holds lower-cased ids.
                var lower = pattern.ToLowerInvariant();
                var looseLower = loose.ToLowerInvariant();
                var search = db.ModelSearch.Where(s => EF.Functions.Like(s.HubId, looseLower)).Select(s => s.RowId);
                return rows.Where(r => search.Contains(r.ModelId) && EF.Functions.Like(r.HubId.ToLower(), lower, "\\"));
            }

            var candidates = db.ModelSearch.Where(s => EF.Functions.Like(s.HubId, loose)).Select(s => s.RowId);
            rows = rows.Where(r => candidates.Contains(r.ModelId) && EF.Functions.Like(r.HubId, pattern, "\\"));
        }

        return rows;
    }

    public static ModelItem ToItem(SnapshotRow r) => new(
        r.HubId, r.Namespace, r.LabId, r.LabName, r.Country ?? Regions.UnknownCountry, r.Attribution.RegionOf(r.Country),
        r.Task, r.Library, r.License, r.CreatedAt, r.Parameters,
        r.Downloads30d, r.DownloadsAllTime, r.Likes, r.TrendingScore, r.BaseModel, r.Relation, r.OriginId, r.InCensus);

    /// <summary>
    /// Ties broken by the store's model id (the order models were first recorded), in the sort's direction, so paging is stable: every
    /// <c>(column, …)</c> index of the models ends with it, so a page in any order is read from an index without sorting a
    /// group of ties (by the Hub id, "0 likes" at the start of an ascending sort meant sorting most of the Hub to show
    /// 50 models). An unknown value sorts as SQLite sorts it, lowest (first going up, last
    /// going down), on PostgreSQL too (<paramref name="postgres"/>), whose own order is the other way round: both
    /// stores answer the same.
    /// </summary>
    public static IQueryable<SnapshotRow> Sort(IQueryable<SnapshotRow> rows, string? sort, bool ascending, bool postgres = false)
    {
        var ordered = sort switch
        {
            "downloadsAllTime" => Order(rows, r => r.DownloadsAllTime, ascending, postgres),
            "likes" => Order(rows, r => r.Likes, ascending, postgres),
            "trendingScore" => Order(rows, r => r.TrendingScore, ascending, postgres),
            "createdAt" => Order(rows, r => r.CreatedAt, ascending, postgres),
            "parameters" => Order(rows, r => r.Parameters, ascending, postgres),
            _ => Order(rows, r => r.Downloads30d, ascending, postgres),
        };
        // In the sort's direction: an index read backwards gives its ties newest first.
        return ascending ? ordered.ThenBy(r => r.ModelId) : ordered.ThenByDescending(r => r.ModelId);
    }

    private static IOrderedQueryable<SnapshotRow> Order<T>(IQueryable<SnapshotRow> rows, Expression<Func<SnapshotRow, T>> key, bool ascending, bool postgres)
    {
        if (postgres && default(T) is null)
        {
            var known = Expression.Lambda<Func<SnapshotRow, bool>>(Expression.NotEqual(key.Body, Expression.Constant(null, typeof(T))), key.Parameters);
            return ascending ? rows.OrderBy(known).ThenBy(key) : rows.OrderByDescending(known).ThenByDescending(key);
        }

        return ascending ? rows.OrderBy(key) : rows.OrderByDescending(key);
    }
}
