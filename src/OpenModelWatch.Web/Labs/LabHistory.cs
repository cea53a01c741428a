using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Labs;

/// <summary>One run's labs, as <c>/api/v1/labs</c> lists them (<see cref="LabLeaderboard.LabsAsync"/>).</summary>
public sealed record LabTotals(HistoryRun Run, IReadOnlyList<LabItem> Labs)
{
    public IReadOnlyDictionary<string, LabItem> ById { get; } = Labs.ToDictionary(lab => lab.Id, StringComparer.Ordinal);
}

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

    /// <summary>The totals of several runs, oldest first, one at a time.</summary>
    public async Task<IReadOnlyList<LabTotals>> LabsAsync(IEnumerable<HistoryRun> runs, CountingView view, CancellationToken cancellationToken)
    {
        var totals = new List<LabTotals>();
        foreach (var run in runs)
        {
            totals.Add(await LabsAsync(run, view, cancellationToken));
        }

        return totals;
    }
}
