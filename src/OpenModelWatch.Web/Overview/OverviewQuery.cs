using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.History;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Overview;

/// <summary>One region's share of the 30-day downloads at each run.</summary>
public sealed record RegionSeries(string Region, IReadOnlyList<double> Shares);

/// <summary>The share of each region over the recorded runs, oldest first.</summary>
public sealed record RegionHistory(IReadOnlyList<HistoryRun> Runs, IReadOnlyList<RegionSeries> Series);

public sealed record OverviewData(
    AsOfRun AsOf,
    double Coverage,
    IReadOnlyList<RegionItem> Regions,
    TopComposition Top10,
    TopComposition Top50,
    TopComposition Trending5,
    QwenVsLlama QwenVsLlama,
    IReadOnlyList<LabItem> TopLabs,
    int LabCount,
    RegionHistory History);

/// <summary>
/// The overview page's data, from the same queries as the API: region totals are sums of <c>/api/v1/countries</c>
/// items, the top-N compositions and Qwen against Llama are <see cref="OverviewHeadlines"/> (the first items of
/// <c>/api/v1/models</c> by 30-day downloads or trending score), the top labs the first items of <c>/api/v1/labs</c>.
/// Everything in it depends only on the as-of run, which never changes once it succeeded, so the last one computed
/// is kept until a newer run succeeds.
/// </summary>
public sealed class OverviewQuery(IDbContextFactory<OpenModelWatchDb> dbFactory, RunHistory history)
{
    public const int HistoryRuns = 30;

    private OverviewData? _last;

    /// <summary>Null when no run has succeeded yet.</summary>
    public async Task<OverviewData?> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await AsOf.LatestAsync(db, cancellationToken);
        if (asOf is null)
        {
            return null;
        }

        if (_last is { } last && last.AsOf == asOf)
        {
            return last;
        }

        var totals = await history.TotalsAsync(asOf, cancellationToken);
        var top50 = await OverviewHeadlines.TopByDownloadsAsync(db, asOf.Id, 50, cancellationToken);
        var trending = await OverviewHeadlines.TopByTrendingAsync(db, asOf.Id, OverviewHeadlines.TopByTrendingSize, cancellationToken);
        var qwenVsLlama = await OverviewHeadlines.QwenVsLlamaAsync(db, asOf.Id, cancellationToken);
        var recent = await history.RecentAsync(asOf, HistoryRuns, cancellationToken);
        var overview = new OverviewData(
            asOf,
            totals.Coverage,
            totals.Regions,
            new TopComposition(OverviewHeadlines.TopByDownloadsSize, top50.Models.Take(OverviewHeadlines.TopByDownloadsSize).ToArray()),
            top50,
            trending,
            qwenVsLlama,
            LabLeaderboard.Sort(totals.Labs, "downloads30d", ascending: false).Take(10).ToArray(),
            totals.Labs.Count,
            ToHistory(recent));
        _last = overview;
        return overview;
    }

    public static RegionHistory ToHistory(IReadOnlyList<RunTotals> runs) => new(
        runs.Select(run => run.Run).ToArray(),
        Regions.All.Select(region => new RegionSeries(region, runs.Select(run => run.Region(region).Share).ToArray())).ToArray());
}
