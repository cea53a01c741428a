using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Labs;

/// <summary>An item of <c>GET /api/v1/labs</c>; <see cref="Share"/> is of the run's filtered 30-day downloads, 0–1.</summary>
public sealed record LabItem(
    string Id,
    string Name,
    string Organization,
    string Country,
    string Region,
    int Models,
    long Downloads30d,
    long? DownloadsAllTime,
    long Likes,
    double Share);

public sealed class LabLeaderboard(IDbContextFactory<OpenModelWatchDb> dbFactory)
{
    public static readonly IReadOnlyList<string> SortFields = ["downloads30d", "downloadsAllTime", "likes", "models", "share"];

    public Task<ListPage<LabItem>> ListAsync(ListParameters parameters, CancellationToken cancellationToken) =>
        ListPage<LabItem>.OfWholeListAsync(dbFactory, parameters,
            (db, runId) => LabsAsync(db, runId, parameters, cancellationToken),
            items => Sort(items, parameters.Sort, parameters.Ascending), cancellationToken);

    /// <summary>The list's order: by the sort field, ties by id, so the API and the pages rank labs alike.</summary>
    public static IEnumerable<LabItem> Sort(IEnumerable<LabItem> labs, string? sort, bool ascending)
    {
        Func<LabItem, double> key = sort switch
        {
            "downloadsAllTime" => item => item.DownloadsAllTime ?? -1,
            "likes" => item => item.Likes,
            "models" => item => item.Models,
            _ => item => item.Downloads30d,
        };
        return (ascending ? labs.OrderBy(key) : labs.OrderByDescending(key)).ThenBy(item => item.Id, StringComparer.Ordinal);
    }

    /// <summary>
    /// Every registered lab with models in the run (and, with <c>community=include</c> and uploader attribution, every
    /// unregistered namespace as a community uploader); shares are of all filtered downloads.
    /// </summary>
    /// <param name="stored">The run's totals under the view when the caller read them already (<see cref="RunHistory.TotalsAsync"/>); empty or null: read here.</param>
    /// <param name="labs">The store's labs when the caller has them (<see cref="RunHistory.LabsAsync"/>); null: read here.</param>
    public static async Task<List<LabItem>> LabsAsync(OpenModelWatchDb db, int runId, ListParameters parameters, CancellationToken cancellationToken,
        IReadOnlyList<RunTotal>? stored = null, IReadOnlyDictionary<string, Lab>? labs = null)
    {
        var community = parameters.IncludeCommunity && parameters.Attribution == Attribution.Uploader;
        if (!community && (stored is { Count: > 0 } ? stored : await StoredTotals.OfAsync(db, runId, parameters, cancellationToken)) is { } totals)
        {
            var all = totals.Sum(t => t.Downloads30d);
            var registered = labs ?? await db.Labs.AsNoTracking().ToDictionaryAsync(lab => lab.Id, cancellationToken);
            return totals.Where(t => registered.ContainsKey(t.LabId)).Select(t =>
            {
                var lab = registered[t.LabId];
                return new LabItem(lab.Id, lab.Name, lab.Organization, lab.Country, Regions.Of(lab.Country), t.Models, t.Downloads30d,
                    t.AllTimeKnown == 0 ? null : t.DownloadsAllTime, t.Likes, all == 0 ? 0 : (double)t.Downloads30d / all);
            }).ToList();
        }

        var rows = SnapshotRows.Of(db, runId, parameters);
        var total = await rows.SumAsync(r => r.Downloads30d, cancellationToken);
        var groups = await rows
            .Select(r => new { Key = r.LabId ?? (community ? CommunityLab.Prefix + r.Namespace : null), r.Downloads30d, r.DownloadsAllTime, r.Likes })
            .Where(r => r.Key != null)
            .GroupBy(r => r.Key)
            .Select(g => new
            {
                LabId = g.Key!,
                Models = g.Count(),
                Downloads30d = g.Sum(r => r.Downloads30d),
                DownloadsAllTime = g.Sum(r => r.DownloadsAllTime),
                AllTimeKnown = g.Count(r => r.DownloadsAllTime != null),
                Likes = g.Sum(r => r.Likes),
            })
            .ToListAsync(cancellationToken);
        labs ??= await db.Labs.AsNoTracking().ToDictionaryAsync(lab => lab.Id, cancellationToken);
        return groups.Where(g => labs.ContainsKey(g.LabId) || CommunityLab.NamespaceOf(g.LabId) is not null).Select(g =>
        {
            var allTime = g.AllTimeKnown == 0 ? (long?)null : g.DownloadsAllTime;
            var share = total == 0 ? 0 : (double)g.Downloads30d / total;
            if (CommunityLab.NamespaceOf(g.LabId) is { } ns)
            {
                return new LabItem(g.LabId, ns, "community uploader", Regions.UnknownCountry, Regions.Community, g.Models, g.Downloads30d, allTime, g.Likes ?? 0, share);
            }

            var lab = labs[g.LabId];
            return new LabItem(lab.Id, lab.Name, lab.Organization, lab.Country, Regions.Of(lab.Country), g.Models, g.Downloads30d, allTime, g.Likes ?? 0, share);
        }).ToList();
    }
}
