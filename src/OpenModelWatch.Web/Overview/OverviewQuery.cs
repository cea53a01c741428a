using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Overview;

/// <summary>One region's share of the 30-day downloads at each run.</summary>
public sealed record RegionSeries(string Region, IReadOnlyList<double> Shares);

/// <summary>The share of each region over the recorded runs, oldest first.</summary>
/// <param name="LikeLabs">When the runs cross sources and are compared like with like: the labs every run was restricted to; null otherwise.</param>
public sealed record RegionHistory(IReadOnlyList<HistoryRun> Runs, IReadOnlyList<RegionSeries> Series, int? LikeLabs = null);

public sealed record OverviewData(
    AsOfRun AsOf,
    CountingView View,
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
/// The overview page's data, from the same queries as the API, for the same view (attribution, scope): region totals
/// are sums of <c>/api/v1/countries</c> items; the top-N compositions are the first items of <c>/api/v1/models</c>
/// sorted by 30-day downloads or by trending score; the top labs the first items of <c>/api/v1/labs</c>; Qwen against
/// Llama is <see cref="OverviewHeadlines.QwenVsLlamaAsync"/>. All of it depends only on the as-of run, which never
/// changes once it succeeded, so each view's overview is kept until a newer run succeeds.
/// </summary>
/// <param name="names">The ids in memory (<see cref="ModelNameIndex"/>): when they hold the as-of run, the top models are paged there (on PostgreSQL; SQLite walks its indexes); null, by the store alone.</param>
public sealed class OverviewQuery(IDbContextFactory<OpenModelWatchDb> dbFactory, CountryHistory history, LabHistory labHistory, ModelNameIndex? names = null) : IViewWarmup
{
    public const int HistoryRuns = 30;
    private const int TopLabs = 10;

    private readonly ConcurrentDictionary<CountingView, OverviewData> _last = new();

    /// <summary>The default view: uploader attribution, all tracked models.</summary>
    public Task WarmAsync(AsOfRun asOf, CancellationToken cancellationToken) => GetAsync(CountingView.Default, cancellationToken);

    /// <summary>Null when no run has succeeded yet.</summary>
    public async Task<OverviewData?> GetAsync(CountingView view, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await AsOf.LatestAsync(db, cancellationToken);
        if (asOf is null)
        {
            return null;
        }

        if (_last.TryGetValue(view, out var last) && last.AsOf == asOf)
        {
            return last;
        }

        var countries = await history.CountriesAsync(asOf, view, cancellationToken);
        var labs = await labHistory.LabsAsync(asOf, view, cancellationToken);
        var top50 = await ModelLeaderboard.PageAsync(db, asOf, view.Parameters with { Sort = "downloads30d", Limit = 50 }, cancellationToken, names);
        var trending = await ModelLeaderboard.PageAsync(db, asOf, view.Parameters with { Sort = "trendingScore", Limit = OverviewHeadlines.TopByTrendingSize }, cancellationToken, names);
        var recent = await history.RecentCountriesAsync(asOf, HistoryRuns, view, cancellationToken);
        var overview = new OverviewData(
            asOf,
            view,
            countries.Coverage,
            countries.Regions,
            new TopComposition(OverviewHeadlines.TopByDownloadsSize, top50.Items.Take(OverviewHeadlines.TopByDownloadsSize).ToArray()),
            new TopComposition(50, top50.Items),
            // A run without trending scores (the bundled snapshot's older times) ranks none: leave them out, as the headline does.
            new TopComposition(OverviewHeadlines.TopByTrendingSize, trending.Items.Where(model => model.TrendingScore is not null).ToArray()),
            await OverviewHeadlines.QwenVsLlamaAsync(db, asOf.Id, cancellationToken),
            LabLeaderboard.Sort(labs.Labs, "downloads30d", ascending: false).Take(TopLabs).ToArray(),
            labs.Labs.Count,
            ToHistory(recent, view));
        _last[view] = overview;
        return overview;
    }

    /// <summary>The regions' shares; compared like with like, unregistered uploaders (Community, Unknown) are left out rather than drawn at zero.</summary>
    public static RegionHistory ToHistory(IReadOnlyList<CountryTotals> runs, CountingView view)
    {
        var likeLabs = runs.FirstOrDefault()?.LikeLabs;
        var regions = likeLabs is null ? view.Regions : view.Regions.Where(region => region is not (Regions.Community or Regions.Unknown));
        return new(
            runs.Select(run => run.Run).ToArray(),
            regions.Select(region => new RegionSeries(region, runs.Select(run => run.Region(region).Share).ToArray())).ToArray(),
            likeLabs);
    }
}
