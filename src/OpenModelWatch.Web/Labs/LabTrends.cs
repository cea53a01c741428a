using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Labs;

/// <summary>A lab over the recent runs: its 30-day downloads at each (null where it had no models), and its item at the previous run.</summary>
public sealed record LabTrend(IReadOnlyList<long?> Downloads30d, LabItem? Previous)
{
    /// <summary>Relative change of 30-day downloads since the previous run; null when the lab is new or there is no previous run.</summary>
    public double? ChangeFrom(LabItem current) =>
        Previous is { Downloads30d: > 0 } previous ? (current.Downloads30d - previous.Downloads30d) / (double)previous.Downloads30d : null;
}

/// <summary>The labs leaderboard as a page shows it: the API's list (<c>/api/v1/labs</c>), plus each lab's recent trend.</summary>
public sealed record LabsView(AsOfRun AsOf, ListPage<LabItem> Page, HistoryRun? PreviousRun, IReadOnlyDictionary<string, LabTrend> Trends);

public sealed class LabTrends(IDbContextFactory<OpenModelWatchDb> dbFactory, LabHistory history) : IViewWarmup
{
    public const int TrendRuns = 10;

    /// <summary>The labs page as it opens: every lab, by 30-day downloads.</summary>
    public Task WarmAsync(AsOfRun asOf, CancellationToken cancellationToken) =>
        GetAsync(new ListParameters { Limit = ListParameters.MaxLimit }, cancellationToken);

    /// <summary>Null when no run has succeeded yet.</summary>
    public async Task<LabsView?> GetAsync(ListParameters parameters, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await AsOf.LatestAsync(db, cancellationToken);
        if (asOf is null)
        {
            return null;
        }

        // The same query and order as GET /api/v1/labs, on the same run.
        var all = await LabLeaderboard.LabsAsync(db, asOf.Id, parameters, cancellationToken);
        var items = LabLeaderboard.Sort(all, parameters.Sort, parameters.Ascending).Skip(parameters.Offset).Take(parameters.Limit).ToArray();
        var page = new ListPage<LabItem>(asOf.At, asOf.Id, all.Count, items);

        // A lab's own totals do not depend on the region or country filter, only on how models are counted. Trends and
        // "since the previous run" compare runs of the as-of run's source only: a change of source (a curated list, a
        // slice, this install's census) would otherwise show as a move.
        var recent = (await history.RecentLabsAsync(asOf, TrendRuns, CountingView.Of(parameters), cancellationToken))
            .Reverse().TakeWhile(run => run.Run.Source == asOf.Source).Reverse().ToArray();
        var previous = recent.Length >= 2 ? recent[^2] : null;
        var trends = items.ToDictionary(
            lab => lab.Id,
            lab => new LabTrend(
                recent.Select(run => run.ById.TryGetValue(lab.Id, out var item) ? item.Downloads30d : (long?)null).ToArray(),
                previous?.ById.GetValueOrDefault(lab.Id)),
            StringComparer.Ordinal);
        return new LabsView(asOf, page, previous?.Run, trends);
    }
}
