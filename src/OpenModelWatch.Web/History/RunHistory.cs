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

    public static HistoryRun Of(AsOfRun asOf) => new(asOf.Id, asOf.At, asOf.Trigger);
}

/// <summary>How a view counts models: which lab a model counts for, which models count, and whether labs list community uploaders.</summary>
public sealed record CountingView(Attribution Attribution, Scope Scope, bool IncludeCommunity = false)
{
    public static readonly CountingView Default = new(Attribution.Uploader, Scope.All);

    public static CountingView Of(ListParameters parameters) => new(parameters.Attribution, parameters.Scope, parameters.IncludeCommunity);

    /// <summary>The unfiltered list parameters of this view, as the API would read them.</summary>
    public ListParameters Parameters => new() { Attribution = Attribution, Scope = Scope, IncludeCommunity = IncludeCommunity };

    /// <summary>The regions a view's charts show: models of no known lab are Community by uploader, Unknown by origin.</summary>
    public IReadOnlyList<string> Regions => RegionItem.RegionsOf(Attribution);
}

/// <summary>One run's countries, as <c>/api/v1/countries</c> lists them (<see cref="CountryLeaderboard.CountriesAsync"/>), and their regions.</summary>
public sealed record CountryTotals(HistoryRun Run, CountingView View, IReadOnlyList<CountryItem> Countries)
{
    public IReadOnlyList<RegionItem> Regions { get; } = RegionItem.RollUp(Countries, View.Attribution);

    /// <summary>Share of 30-day downloads attributed to a known country.</summary>
    public double Coverage => Countries.Where(c => c.Country != RegionNames.UnknownCountry).Sum(c => c.Share);

    public RegionItem Region(string region) => Regions.FirstOrDefault(r => r.Region == region) ?? RegionItem.Of(region, []);
}

/// <summary>One run's labs, as <c>/api/v1/labs</c> lists them (<see cref="LabLeaderboard.LabsAsync"/>).</summary>
public sealed record LabTotals(HistoryRun Run, IReadOnlyList<LabItem> Labs)
{
    public IReadOnlyDictionary<string, LabItem> ById { get; } = Labs.ToDictionary(lab => lab.Id, StringComparer.Ordinal);
}

/// <summary>
/// Unfiltered totals per succeeded run, for the history charts and the change since the previous run, computed by the
/// very queries behind the API. A succeeded run's snapshot never changes afterwards (history is sacred) and the lab
/// registry is loaded once per process, so each run's totals are computed once per view and kept for the life of the
/// process: a chart over 30 runs of 100,000 models would otherwise read three million snapshots on every view.
/// </summary>
public sealed class RunHistory(IDbContextFactory<OpenModelWatchDb> dbFactory)
{
    private readonly ConcurrentDictionary<(int Run, CountingView View), Lazy<Task<CountryTotals>>> _countries = new();
    private readonly ConcurrentDictionary<(int Run, CountingView View), Lazy<Task<LabTotals>>> _labs = new();

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

    /// <summary>The country totals of the last <paramref name="count"/> runs up to the as-of run, oldest first.</summary>
    public async Task<IReadOnlyList<CountryTotals>> RecentCountriesAsync(AsOfRun asOf, int count, CountingView view, CancellationToken cancellationToken)
    {
        var totals = new List<CountryTotals>();
        foreach (var run in Last(await RunsAsync(asOf, cancellationToken), count))
        {
            // One at a time: SQLite reads on two cores gain nothing from running these side by side.
            totals.Add(await CountriesAsync(run, view, cancellationToken));
        }

        return totals;
    }

    /// <summary>The lab totals of the last <paramref name="count"/> runs up to the as-of run, oldest first.</summary>
    public async Task<IReadOnlyList<LabTotals>> RecentLabsAsync(AsOfRun asOf, int count, CountingView view, CancellationToken cancellationToken)
    {
        var totals = new List<LabTotals>();
        foreach (var run in Last(await RunsAsync(asOf, cancellationToken), count))
        {
            totals.Add(await LabsAsync(run, view, cancellationToken));
        }

        return totals;
    }

    public Task<CountryTotals> CountriesAsync(HistoryRun run, CountingView view, CancellationToken cancellationToken) =>
        Cached(_countries, run, view, async db => new CountryTotals(run, view, await CountryLeaderboard.CountriesAsync(db, run.Id, view.Parameters, CancellationToken.None)))
            .WaitAsync(cancellationToken);

    public Task<LabTotals> LabsAsync(HistoryRun run, CountingView view, CancellationToken cancellationToken) =>
        Cached(_labs, run, view, async db => new LabTotals(run, await LabLeaderboard.LabsAsync(db, run.Id, view.Parameters, CancellationToken.None)))
            .WaitAsync(cancellationToken);

    public Task<CountryTotals> CountriesAsync(AsOfRun asOf, CountingView view, CancellationToken cancellationToken) =>
        CountriesAsync(HistoryRun.Of(asOf), view, cancellationToken);

    public Task<LabTotals> LabsAsync(AsOfRun asOf, CountingView view, CancellationToken cancellationToken) =>
        LabsAsync(HistoryRun.Of(asOf), view, cancellationToken);

    private static IEnumerable<HistoryRun> Last(IReadOnlyList<HistoryRun> runs, int count) => runs.Skip(Math.Max(0, runs.Count - count));

    // Not tied to a caller's token: the totals are shared, and a closed tab must not cancel them for the next view.
    private Task<T> Cached<T>(ConcurrentDictionary<(int, CountingView), Lazy<Task<T>>> cache, HistoryRun run, CountingView view, Func<OpenModelWatchDb, Task<T>> compute) =>
        cache.GetOrAdd((run.Id, view), key => new Lazy<Task<T>>(async () =>
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                return await compute(db);
            }
            catch
            {
                // A failure (the store was busy, say) is not remembered: the next view tries again.
                cache.TryRemove(key, out _);
                throw;
            }
        })).Value;
}
