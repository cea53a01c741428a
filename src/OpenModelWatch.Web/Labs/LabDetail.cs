using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Labs;

/// <summary>A lab at one run: its totals as <c>/api/v1/labs</c> lists them, and its rank by 30-day downloads among all labs.</summary>
public sealed record LabPoint(HistoryRun Run, LabItem? Totals, int? Rank);

/// <summary>Everything the lab page shows.</summary>
/// <param name="Totals">The lab's item in the as-of run; null when none of its models was seen.</param>
/// <param name="LikeLabs">When the history crosses sources: the labs its shares and ranks are among (<see cref="LabHistory.ComparedAsync"/>); null otherwise.</param>
/// <param name="Rank">Its place among <paramref name="RankedLabs"/> labs by 30-day downloads, as <c>/api/v1/labs</c> orders them.</param>
public sealed record LabDetailData(
    AsOfRun AsOf,
    LabEntry Lab,
    LabItem? Totals,
    int? Rank,
    int RankedLabs,
    IReadOnlyList<LabPoint> History,
    ListPage<ModelItem> Models,
    int? LikeLabs);

/// <param name="names">The ids in memory (<see cref="ModelNameIndex"/>): when they hold the as-of run, the top models are paged there (on PostgreSQL; SQLite walks its indexes); null, by the store alone.</param>
public sealed class LabDetailQuery(IDbContextFactory<OpenModelWatchDb> dbFactory, RunHistory runs, LabHistory history, LabRegistry registry, ModelNameIndex? names = null)
{
    public const int HistoryRuns = 60;

    /// <summary>Null when the lab is not in the registry; <see cref="LabDetailData.AsOf"/> is never null (no run → null result too).</summary>
    public async Task<(LabEntry? Lab, LabDetailData? Data)> GetAsync(string labId, ListParameters models, CancellationToken cancellationToken)
    {
        var lab = registry.ById(labId);
        if (lab is null)
        {
            return (null, null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await AsOf.LatestAsync(db, cancellationToken);
        if (asOf is null)
        {
            return (lab, null);
        }

        var view = CountingView.Of(models);
        // Share and rank over time compared like with like (the labs present in every run, when the runs cross
        // sources); the lab's current rank is among all labs of the as-of run, as the labs list ranks it.
        var recent = await history.ComparedAsync(await runs.WindowAsync(asOf, from: null, to: null, HistoryRuns, cancellationToken), view, Compare.Like, cancellationToken, keep: lab.Id);
        var points = recent.Runs.Select(run => Point(run, lab.Id)).ToArray();
        var latest = await history.LabsAsync(asOf, view, cancellationToken);
        var current = Point(latest, lab.Id);
        var ranked = latest.Labs.Count;
        var page = await ModelLeaderboard.PageAsync(db, asOf, models with { Lab = lab.Id }, cancellationToken, names);
        return (lab, new LabDetailData(asOf, lab, current.Totals, current.Rank, ranked, points, page, recent.LikeLabs));
    }

    private static LabPoint Point(LabTotals run, string labId)
    {
        if (!run.ById.TryGetValue(labId, out var item))
        {
            return new LabPoint(run.Run, null, null);
        }

        var rank = LabLeaderboard.Sort(run.Labs, "downloads30d", ascending: false).TakeWhile(lab => lab.Id != labId).Count() + 1;
        return new LabPoint(run.Run, item, rank);
    }
}
