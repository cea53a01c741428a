using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Store;
using RegionNames = OpenModelWatch.Web.Labs.Regions;

namespace OpenModelWatch.Web.History;

/// <summary>A succeeded run, as a point of history.</summary>
public sealed record HistoryRun(int Id, DateTime At, RunTrigger Trigger)
{
    public bool IsSnapshot => Trigger == RunTrigger.Snapshot;
}

/// <summary>
/// The unfiltered country and lab totals of one run, computed by the very queries behind <c>/api/v1/countries</c>
/// and <c>/api/v1/labs</c> (<see cref="CountryLeaderboard.CountriesAsync"/>, <see cref="LabLeaderboard.LabsAsync"/>).
/// </summary>
public sealed record RunTotals(HistoryRun Run, IReadOnlyList<CountryItem> Countries, IReadOnlyList<LabItem> Labs)
{
    public IReadOnlyList<RegionItem> Regions { get; } = RegionItem.RollUp(Countries);

    public IReadOnlyDictionary<string, LabItem> LabsById { get; } = Labs.ToDictionary(lab => lab.Id, StringComparer.Ordinal);

    /// <summary>Share of 30-day downloads attributed to a known country.</summary>
    public double Coverage => Countries.Where(c => c.Country != RegionNames.UnknownCountry).Sum(c => c.Share);

    public RegionItem Region(string region) => Regions.First(r => r.Region == region);
}

/// <summary>
/// Totals per succeeded run, for the history charts and the change since the previous run. A succeeded run's
/// snapshot never changes afterwards (history is sacred) and the lab registry is loaded once per process, so a
/// run's totals are computed once and kept for the life of the process: the overview's chart over 30 runs of
/// 100,000 models would otherwise scan three million snapshots on every view.
/// </summary>
public sealed class RunHistory(IDbContextFactory<OpenModelWatchDb> dbFactory)
{
    private readonly ConcurrentDictionary<int, Lazy<Task<RunTotals>>> _totals = new();

    /// <summary>Every succeeded run of the same kind as <paramref name="asOf"/> (live runs, or bundled snapshot runs) up to it, oldest first.</summary>
    public async Task<IReadOnlyList<HistoryRun>> RunsAsync(AsOfRun asOf, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var succeeded = db.Runs.AsNoTracking().Where(run => run.Status == RunStatus.Succeeded && run.FinishedAt <= asOf.At);
        succeeded = asOf.IsSnapshot
            ? succeeded.Where(run => run.Trigger == RunTrigger.Snapshot)
            : succeeded.Where(run => run.Trigger != RunTrigger.Snapshot);
        var runs = await succeeded.OrderBy(run => run.FinishedAt).ThenBy(run => run.Id)
            .Select(run => new { run.Id, run.FinishedAt, run.Trigger })
            .ToListAsync(cancellationToken);
        return runs.Select(run => new HistoryRun(run.Id, run.FinishedAt!.Value, run.Trigger)).ToArray();
    }

    /// <summary>The last <paramref name="count"/> runs up to the as-of run, oldest first, with their totals.</summary>
    public async Task<IReadOnlyList<RunTotals>> RecentAsync(AsOfRun asOf, int count, CancellationToken cancellationToken)
    {
        var runs = await RunsAsync(asOf, cancellationToken);
        var recent = runs.Skip(Math.Max(0, runs.Count - count)).ToArray();
        var totals = new RunTotals[recent.Length];
        for (var i = 0; i < recent.Length; i++)
        {
            // One at a time: SQLite reads on two cores gain nothing from running these side by side.
            totals[i] = await TotalsAsync(recent[i], cancellationToken);
        }

        return totals;
    }

    public Task<RunTotals> TotalsAsync(HistoryRun run, CancellationToken cancellationToken) =>
        _totals.GetOrAdd(run.Id, _ => new Lazy<Task<RunTotals>>(() => ComputeAsync(run))).Value.WaitAsync(cancellationToken);

    public Task<RunTotals> TotalsAsync(AsOfRun asOf, CancellationToken cancellationToken) =>
        TotalsAsync(new HistoryRun(asOf.Id, asOf.At, asOf.Trigger), cancellationToken);

    // Not tied to a caller's token: the totals are shared, and a closed tab must not cancel them for the next view.
    private async Task<RunTotals> ComputeAsync(HistoryRun run)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var all = new ListParameters();
            var countries = await CountryLeaderboard.CountriesAsync(db, run.Id, all, CancellationToken.None);
            var labs = await LabLeaderboard.LabsAsync(db, run.Id, all, CancellationToken.None);
            return new RunTotals(run, countries, labs);
        }
        catch
        {
            // A failure (the store was busy, say) is not remembered: the next view tries again.
            _totals.TryRemove(run.Id, out _);
            throw;
        }
    }
}
