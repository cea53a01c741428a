using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Labs;

/// <summary>One run's labs, as <c>/api/v1/labs</c> lists them (<see cref="LabLeaderboard.LabsAsync"/>).</summary>
public sealed record LabTotals(HistoryRun Run, IReadOnlyList<LabItem> Labs)
{
    public IReadOnlyDictionary<string, LabItem> ById { get; } = Labs.ToDictionary(lab => lab.Id, StringComparer.Ordinal);

    /// <summary>Only some labs, their shares taken of those labs' 30-day downloads: a run compared like with like.</summary>
    public LabTotals Among(IReadOnlySet<string> labs)
    {
        var kept = Labs.Where(lab => labs.Contains(lab.Id)).ToArray();
        var all = kept.Sum(lab => lab.Downloads30d);
        return new LabTotals(Run, kept.Select(lab => lab with { Share = all == 0 ? 0 : (double)lab.Downloads30d / all }).ToArray());
    }
}

/// <summary>
/// The lab totals of a window of runs, compared as <c>compare=</c> asks (<see cref="RunHistory.LikeWithLike"/>).
/// </summary>
/// <param name="LikeLabs">When compared like with like: how many labs each run was restricted to; null when each run's own totals are taken.</param>
public sealed record ComparedLabs(IReadOnlyList<LabTotals> Runs, int? LikeLabs);

/// <summary>The labs list of every succeeded run, unfiltered, per view: computed once per run (<see cref="RunHistory.PerRunAsync"/>).</summary>
public sealed class LabHistory(RunHistory history)
{
    public Task<LabTotals> LabsAsync(HistoryRun run, CountingView view, CancellationToken cancellationToken) =>
        history.PerRunAsync(run.Id, view, async db => new LabTotals(run, await LabLeaderboard.LabsAsync(db, run.Id, view.Parameters, CancellationToken.None)), cancellationToken);

    public Task<LabTotals> LabsAsync(AsOfRun asOf, CountingView view, CancellationToken cancellationToken) =>
        LabsAsync(HistoryRun.Of(asOf), view, cancellationToken);

    /// <summary>The lab totals of the last <paramref name="count"/> runs up to the as-of run, oldest first.</summary>
    public async Task<IReadOnlyList<LabTotals>> RecentLabsAsync(AsOfRun asOf, int count, CountingView view, CancellationToken cancellationToken) =>
        await LabsAsync(await history.WindowAsync(asOf, from: null, to: null, count, cancellationToken), view, cancellationToken);

    /// <summary>
    /// The totals of a window of runs, oldest first, compared as <paramref name="compare"/> asks: like with like (when
    /// the runs cross sources) restricts every run to the registered labs present in all of them, plus
    /// <paramref name="keep"/> (a lab page's own lab, present or not), so a share never moves only because the
    /// source changed.
    /// </summary>
    public async Task<ComparedLabs> ComparedAsync(IReadOnlyList<HistoryRun> runs, CountingView view, Compare compare, CancellationToken cancellationToken, string? keep = null)
    {
        var totals = await LabsAsync(runs, view, cancellationToken);
        if (!RunHistory.LikeWithLike(runs, compare))
        {
            return new ComparedLabs(totals, null);
        }

        // Community uploaders are never "the same lab" in two sources: like with like counts registered labs only.
        var registered = view.IncludeCommunity ? await LabsAsync(runs, view with { IncludeCommunity = false }, cancellationToken) : totals;
        var common = new HashSet<string>(RunHistory.CommonLabs(registered.Select(run => run.Labs.Select(lab => lab.Id))), StringComparer.Ordinal);
        if (keep is not null)
        {
            common.Add(keep);
        }

        return new ComparedLabs(registered.Select(run => run.Among(common)).ToArray(), common.Count);
    }

    /// <summary>The totals of several runs, oldest first, their stored totals read in one query (<see cref="RunHistory.TotalsAsync"/>).</summary>
    public async Task<IReadOnlyList<LabTotals>> LabsAsync(IEnumerable<HistoryRun> runs, CountingView view, CancellationToken cancellationToken)
    {
        var window = runs.ToArray();
        var stored = await history.TotalsAsync(window.Select(run => run.Id), view.Parameters, cancellationToken);
        var labs = await history.LabsAsync(cancellationToken);
        var totals = new List<LabTotals>();
        foreach (var run in window)
        {
            totals.Add(await history.PerRunAsync(run.Id, view,
                async db => new LabTotals(run, await LabLeaderboard.LabsAsync(db, run.Id, view.Parameters, CancellationToken.None, stored[run.Id], labs)), cancellationToken));
        }

        return totals;
    }
}
