using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Countries;

/// <summary>An item of <c>GET /api/v1/countries</c>; <see cref="Share"/> is of the filtered 30-day downloads, 0–1.</summary>
public sealed record CountryItem(string Country, string Region, int Labs, int Models, long Downloads30d, long? DownloadsAllTime, long Likes, double Share);

public sealed class CountryLeaderboard(IDbContextFactory<OpenModelWatchDb> dbFactory)
{
    public static readonly IReadOnlyList<string> SortFields = ["downloads30d", "downloadsAllTime", "likes", "models", "labs", "share"];

    public Task<ListPage<CountryItem>> ListAsync(ListParameters parameters, CancellationToken cancellationToken) =>
        ListPage<CountryItem>.OfWholeListAsync(dbFactory, parameters,
            (db, runId) => CountriesAsync(db, runId, parameters, cancellationToken),
            items => Sort(items, parameters.Sort, parameters.Ascending), cancellationToken);

    /// <summary>Every country of the run under the filters, with shares of their sum.</summary>
    /// <param name="stored">The run's totals under the view when the caller read them already (<see cref="RunHistory.TotalsAsync"/>); empty or null: read here.</param>
    /// <param name="labs">The store's labs when the caller has them (<see cref="RunHistory.LabsAsync"/>); null: read here.</param>
    public static async Task<List<CountryItem>> CountriesAsync(OpenModelWatchDb db, int runId, ListParameters parameters, CancellationToken cancellationToken,
        IReadOnlyList<RunTotal>? stored = null, IReadOnlyDictionary<string, Lab>? labs = null)
    {
        if ((stored is { Count: > 0 } ? stored : await StoredTotals.OfAsync(db, runId, parameters, cancellationToken)) is { } totals)
        {
            // A lab's totals count for its country; models of no registered lab (or of a lab no longer registered) for none.
            var countryOf = labs?.ToDictionary(lab => lab.Key, lab => lab.Value.Country, StringComparer.Ordinal)
                ?? await db.Labs.AsNoTracking().ToDictionaryAsync(lab => lab.Id, lab => lab.Country, cancellationToken);
            var byCountry = totals.GroupBy(t => countryOf.GetValueOrDefault(t.LabId)).Select(g => new
            {
                Country = g.Key,
                Labs = g.Key is null ? 0 : g.Count(),
                Models = g.Sum(t => t.Models),
                Downloads30d = g.Sum(t => t.Downloads30d),
                DownloadsAllTime = g.Sum(t => t.DownloadsAllTime),
                AllTimeKnown = g.Sum(t => t.AllTimeKnown),
                Likes = g.Sum(t => t.Likes),
            }).ToList();
            var all = byCountry.Sum(g => g.Downloads30d);
            return byCountry.Select(g => new CountryItem(
                    g.Country ?? Regions.UnknownCountry, parameters.Attribution.RegionOf(g.Country), g.Labs, g.Models,
                    g.Downloads30d, g.AllTimeKnown == 0 ? null : g.DownloadsAllTime, g.Likes, all == 0 ? 0 : (double)g.Downloads30d / all))
                .ToList();
        }

        var groups = await SnapshotRows.Of(db, runId, parameters)
            .GroupBy(r => r.Country)
            .Select(g => new
            {
                Country = g.Key,
                Labs = g.Select(r => r.LabId).Distinct().Count(),
                Models = g.Count(),
                Downloads30d = g.Sum(r => r.Downloads30d),
                DownloadsAllTime = g.Sum(r => r.DownloadsAllTime),
                AllTimeKnown = g.Count(r => r.DownloadsAllTime != null),
                Likes = g.Sum(r => r.Likes),
            })
            .ToListAsync(cancellationToken);
        var total = groups.Sum(g => g.Downloads30d);
        return groups.Select(g => new CountryItem(
                g.Country ?? Regions.UnknownCountry, parameters.Attribution.RegionOf(g.Country), g.Labs, g.Models,
                g.Downloads30d, g.AllTimeKnown == 0 ? null : g.DownloadsAllTime, g.Likes ?? 0, total == 0 ? 0 : (double)g.Downloads30d / total))
            .ToList();
    }

    public static IEnumerable<CountryItem> Sort(IEnumerable<CountryItem> items, string? sort, bool ascending)
    {
        Func<CountryItem, double> key = sort switch
        {
            "downloadsAllTime" => item => item.DownloadsAllTime ?? -1,
            "likes" => item => item.Likes,
            "models" => item => item.Models,
            "labs" => item => item.Labs,
            _ => item => item.Downloads30d,
        };
        return (ascending ? items.OrderBy(key) : items.OrderByDescending(key)).ThenBy(item => item.Country, StringComparer.Ordinal);
    }
}
