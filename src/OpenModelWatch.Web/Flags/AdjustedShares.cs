using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Flags;

/// <summary>
/// An item of <c>GET /api/v1/adjusted-shares</c>: a group's 30-day downloads and share as the Hub served them, beside the
/// same with the flagged models' excess left out. The raw figures are always there; the adjusted ones never replace them.
/// </summary>
/// <param name="Key">The group: a region name, a country code (XX unknown) or a lab id ("none": models of no registered lab).</param>
/// <param name="Region">The group's region (for a region, itself).</param>
/// <param name="Downloads30d">The group's 30-day downloads at the run, raw.</param>
/// <param name="Share">Its share of the view's 30-day downloads, raw, 0–1.</param>
/// <param name="FlaggedModels">Models of the group flagged at the run by the inflated-count rule.</param>
/// <param name="Excess">Their downloads above their usual level (the rule's excess), summed.</param>
/// <param name="AdjustedDownloads30d">downloads30d − excess.</param>
/// <param name="AdjustedShare">adjustedDownloads30d ÷ (the view's downloads − the view's excess), 0–1.</param>
public sealed record AdjustedShareItem(string Key, string Region, long Downloads30d, double Share, int FlaggedModels, long Excess,
    long AdjustedDownloads30d, double AdjustedShare);

/// <summary>What the adjusted view groups by (<c>by=</c>).</summary>
public enum ShareGroup
{
    Region,
    Country,
    Lab,
}

/// <summary>
/// The adjusted view of shares (<c>adjusted=true</c> on a page, <c>/api/v1/adjusted-shares</c>, <c>/exports/adjusted-shares</c>):
/// for the run and the view (filters, attribution, scope), each group's raw downloads and share, and the same with the
/// excess of the models the inflated-count rule flags <em>at that run</em> taken out of the group and of the whole.
/// A flagged model outside the view's filters adjusts nothing. Raw sums come from the run's stored totals when the view
/// has no filters, else from its rows; the flags from <see cref="FlagsQuery"/>, kept per run (a succeeded run and its
/// window do not change).
/// </summary>
public sealed class AdjustedShares(IDbContextFactory<OpenModelWatchDb> dbFactory, FlagsQuery flags)
{
    public static readonly IReadOnlyList<string> SortFields = ["adjustedShare", "share", "excess", "downloads30d", "adjustedDownloads30d"];

    /// <summary>The lab key of models of no registered lab.</summary>
    public const string NoLab = "none";

    /// <summary>The most runs whose flags are kept in memory.</summary>
    public const int KeptRuns = 64;

    private readonly ConcurrentDictionary<int, IReadOnlyList<FlagItem>> _flagsAtRun = new();

    public async Task<IReadOnlyList<AdjustedShareItem>> ItemsAsync(AsOfRun asOf, ListParameters parameters, ShareGroup by, CancellationToken cancellationToken)
    {
        var flagged = await FlagsAtAsync(asOf, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var raw = await RawAsync(db, asOf.Id, parameters, cancellationToken);
        var excess = await ExcessAsync(db, asOf.Id, parameters, flagged, cancellationToken);
        return Adjust(raw, excess, parameters.Attribution, by);
    }

    /// <summary>
    /// The adjusted view from its parts: the raw sums per (lab, country) and the flagged models' (lab, country, excess).
    /// Pure, so the tests check it against their own arithmetic.
    /// </summary>
    public static IReadOnlyList<AdjustedShareItem> Adjust(IReadOnlyList<(string? LabId, string? Country, long Downloads30d)> raw,
        IReadOnlyList<(string? LabId, string? Country, long Excess)> excess, Attribution attribution, ShareGroup by)
    {
        string KeyOf(string? labId, string? country) => by switch
        {
            ShareGroup.Lab => string.IsNullOrEmpty(labId) ? NoLab : labId,
            ShareGroup.Country => country ?? Regions.UnknownCountry,
            _ => attribution.RegionOf(country),
        };

        var total = raw.Sum(r => r.Downloads30d);
        var totalExcess = excess.Sum(e => e.Excess);
        var flaggedBy = excess.GroupBy(e => KeyOf(e.LabId, e.Country)).ToDictionary(g => g.Key, g => (Models: g.Count(), Excess: g.Sum(e => e.Excess)));
        var groups = raw.GroupBy(r => KeyOf(r.LabId, r.Country))
            .Select(g => (Key: g.Key, Country: g.First().Country, Downloads: g.Sum(r => r.Downloads30d)))
            .ToDictionary(g => g.Key);
        if (by == ShareGroup.Region)
        {
            foreach (var region in attribution.Regions().Where(region => !groups.ContainsKey(region)))
            {
                groups[region] = (region, null, 0);
            }
        }

        return [.. groups.Values.Select(group =>
        {
            var (models, groupExcess) = flaggedBy.GetValueOrDefault(group.Key);
            var adjusted = group.Downloads - groupExcess;
            var region = by == ShareGroup.Region ? group.Key : attribution.RegionOf(group.Country);
            return new AdjustedShareItem(group.Key, region, group.Downloads, Share(group.Downloads, total), models, groupExcess,
                adjusted, Share(adjusted, total - totalExcess));
        })];
    }

    /// <summary>The view's items in the order of its <c>sort</c> and <c>order</c> (adjusted share, largest first, by default).</summary>
    public async Task<IReadOnlyList<AdjustedShareItem>> SortedAsync(AsOfRun asOf, ListParameters parameters, ShareGroup by, CancellationToken cancellationToken) =>
        [.. Sort(await ItemsAsync(asOf, parameters, by, cancellationToken), parameters.Sort, parameters.Ascending)];

    public static IEnumerable<AdjustedShareItem> Sort(IEnumerable<AdjustedShareItem> items, string? sort, bool ascending)
    {
        Func<AdjustedShareItem, double> key = sort switch
        {
            "share" => item => item.Share,
            "excess" => item => item.Excess,
            "downloads30d" => item => item.Downloads30d,
            "adjustedDownloads30d" => item => item.AdjustedDownloads30d,
            _ => item => item.AdjustedShare,
        };
        return (ascending ? items.OrderBy(key) : items.OrderByDescending(key)).ThenBy(item => item.Key, StringComparer.Ordinal);
    }

    /// <summary>The models the rule flags at this run (its window ends at it), read once per run.</summary>
    public async Task<IReadOnlyList<FlagItem>> FlagsAtAsync(AsOfRun asOf, CancellationToken cancellationToken)
    {
        if (_flagsAtRun.TryGetValue(asOf.Id, out var known))
        {
            return known;
        }

        var atRun = (await flags.ItemsAsync(asOf, cancellationToken)).Where(item => item.RunId == asOf.Id).ToArray();
        _flagsAtRun[asOf.Id] = atRun;
        // Pinned answers of many runs must not grow it for ever: beyond the bound, the oldest run is read again when asked.
        while (_flagsAtRun.Count > KeptRuns && _flagsAtRun.Keys.DefaultIfEmpty().Min() is var oldest and > 0)
        {
            _flagsAtRun.TryRemove(oldest, out _);
        }

        return atRun;
    }

    /// <summary>The models of the view flagged at the run, largest excess first: what the adjusted view leaves out of it.</summary>
    /// <param name="registeredUploadsOnly">Only models a registered lab uploaded (the adoption page's population).</param>
    public async Task<IReadOnlyList<FlagItem>> FlaggedInViewAsync(AsOfRun asOf, ListParameters parameters, bool registeredUploadsOnly, CancellationToken cancellationToken)
    {
        var flagged = await FlagsAtAsync(asOf, cancellationToken);
        if (flagged.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = InView(db, asOf.Id, parameters, flagged);
        if (registeredUploadsOnly)
        {
            var registered = db.Models.Where(m => m.LabId != null).Select(m => m.Id);
            rows = rows.Where(r => registered.Contains(r.ModelId));
        }

        var inView = (await rows.Select(r => r.HubId).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. flagged.Where(item => inView.Contains(item.Id)).OrderByDescending(item => item.Excess).ThenBy(item => item.Id, StringComparer.Ordinal)];
    }

    private static double Share(long part, long whole) => whole <= 0 ? 0 : (double)part / whole;

    /// <summary>The view's raw 30-day downloads per (lab, country): stored totals when it has no filters, else its rows.</summary>
    private static async Task<IReadOnlyList<(string? LabId, string? Country, long Downloads30d)>> RawAsync(
        OpenModelWatchDb db, int runId, ListParameters parameters, CancellationToken cancellationToken)
    {
        if (await StoredTotals.OfAsync(db, runId, parameters, cancellationToken) is { } totals)
        {
            var countryOf = await db.Labs.AsNoTracking().ToDictionaryAsync(lab => lab.Id, lab => lab.Country, cancellationToken);
            return [.. totals.Select(t => (
                (string?)(t.LabId.Length == 0 ? null : t.LabId),
                string.IsNullOrEmpty(t.LabId) ? null : countryOf.GetValueOrDefault(t.LabId),
                t.Downloads30d))];
        }

        var groups = await SnapshotRows.Of(db, runId, parameters)
            .GroupBy(r => new { r.LabId, r.Country })
            .Select(g => new { g.Key.LabId, g.Key.Country, Downloads30d = g.Sum(r => r.Downloads30d) })
            .ToListAsync(cancellationToken);
        return [.. groups.Select(g => (g.LabId, g.Country, g.Downloads30d))];
    }

    /// <summary>The flagged models that are in the view, with the lab and country they count for under its attribution.</summary>
    private static async Task<IReadOnlyList<(string? LabId, string? Country, long Excess)>> ExcessAsync(
        OpenModelWatchDb db, int runId, ListParameters parameters, IReadOnlyList<FlagItem> flagged, CancellationToken cancellationToken)
    {
        if (flagged.Count == 0)
        {
            return [];
        }

        var excessOf = flagged.ToDictionary(item => item.Id, item => item.Excess, StringComparer.OrdinalIgnoreCase);
        var rows = await InView(db, runId, parameters, flagged).Select(r => new { r.HubId, r.LabId, r.Country }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.LabId, r.Country, excessOf[r.HubId]))];
    }

    /// <summary>The run's rows of the view that are flagged models: what both the excess and the flagged list read.</summary>
    private static IQueryable<SnapshotRow> InView(OpenModelWatchDb db, int runId, ListParameters parameters, IReadOnlyList<FlagItem> flagged)
    {
        var ids = flagged.Select(item => item.Id).ToList();
        return SnapshotRows.Of(db, runId, parameters).Where(r => ids.Contains(r.HubId));
    }
}
