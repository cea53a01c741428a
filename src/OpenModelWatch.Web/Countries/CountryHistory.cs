using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Countries;

/// <summary>One run's countries, as <c>/api/v1/countries</c> lists them (<see cref="CountryLeaderboard.CountriesAsync"/>), and their regions.</summary>
/// <param name="LikeLabs">When compared like with like across sources: the number of labs the run was restricted to (their shares are of those labs); null for the run's own totals.</param>
public sealed record CountryTotals(HistoryRun Run, CountingView View, IReadOnlyList<CountryItem> Countries, int? LikeLabs = null)
{
    /// <summary>A run's countries summed from some of its labs (a run compared like with like), shares of their sum.</summary>
    public static CountryTotals OfLabs(LabTotals labs, CountingView view, int likeLabs)
    {
        var all = labs.Labs.Sum(lab => lab.Downloads30d);
        var countries = labs.Labs.GroupBy(lab => lab.Country).Select(g => new CountryItem(
                g.Key, view.Attribution.RegionOf(g.Key), g.Count(), g.Sum(lab => lab.Models), g.Sum(lab => lab.Downloads30d),
                g.All(lab => lab.DownloadsAllTime is null) ? null : g.Sum(lab => lab.DownloadsAllTime ?? 0), g.Sum(lab => lab.Likes),
                all == 0 ? 0 : (double)g.Sum(lab => lab.Downloads30d) / all))
            .ToArray();
        return new CountryTotals(labs.Run, view, countries, likeLabs);
    }

    public IReadOnlyList<RegionItem> Regions { get; } = RegionItem.RollUp(Countries, View.Attribution);

    /// <summary>Share of 30-day downloads attributed to a known country: known downloads over all, as <see cref="RunHistory.CoverageAsync(int, CountingView, CancellationToken)"/> computes it.</summary>
    public double Coverage => RunHistory.Coverage(
        Countries.Where(c => c.Country != Registry.Regions.UnknownCountry).Sum(c => c.Downloads30d), Countries.Sum(c => c.Downloads30d));

    public RegionItem Region(string region) => Regions.FirstOrDefault(r => r.Region == region) ?? RegionItem.Of(region, []);
}

/// <summary>
/// An item of <c>GET /api/v1/history/countries</c>: a country's (or, with <c>group=region</c>, a region's) totals at
/// one run, as <c>/api/v1/countries</c> listed them then; <see cref="Value"/> and <see cref="Share"/> are of the
/// requested metric, the share of the run's total over every country.
/// </summary>
public sealed record CountryHistoryItem(
    DateTime At,
    int RunId,
    string Source,
    string? Country,
    string Region,
    int Labs,
    int Models,
    long Downloads30d,
    long? DownloadsAllTime,
    long Likes,
    double? Value,
    double? Share);

/// <summary>The runs of a history and, compared like with like, how many labs each was restricted to.</summary>
public sealed record ComparedRuns(IReadOnlyList<HistoryRun> Runs, int? LikeLabs);

/// <summary>The countries list of every succeeded run, unfiltered, per view: computed once per run (<see cref="RunHistory.PerRunAsync"/>).</summary>
public sealed class CountryHistory(RunHistory history, LabHistory labHistory) : IViewWarmup
{
    /// <summary>
    /// The region-share series of the default view over its default window (every run, up to
    /// <see cref="RunHistory.MaxRuns"/>): its runs' totals read now and kept, not by its first visitor. The overview
    /// reads its last 30 runs only; a year-old store's series read the other runs' totals on its first request (3 million
    /// models × 365 runs: 113 / 154 ms median / p90 with nothing cached, 0.9 / 1.8 ms once read; docs/performance.md).
    /// </summary>
    public Task WarmAsync(AsOfRun asOf, CancellationToken cancellationToken) =>
        ItemsAsync(asOf, new ListParameters(), Metrics.Downloads30d, byRegion: true, null, null, cancellationToken);

    public static readonly IReadOnlyList<string> CountryMetrics = [Metrics.Downloads30d, Metrics.DownloadsAllTime, Metrics.Likes];

    /// <summary>Every country (or region) at every run of the window, oldest run first; countries by the metric, regions in chart order.</summary>
    public async Task<IReadOnlyList<CountryHistoryItem>> ItemsAsync(
        AsOfRun? asOf, ListParameters filter, string metric, bool byRegion, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var view = new CountingView(filter.Attribution, filter.Scope);
        var items = new List<CountryHistoryItem>();
        foreach (var totals in await WindowAsync(asOf, from, to, RunHistory.MaxRuns, view, filter.Compare, cancellationToken))
        {
            var run = totals.Run;
            var whole = totals.Countries.Select(c => Value(c.Downloads30d, c.DownloadsAllTime, c.Likes, metric)).ToArray();
            long? sum = whole.Any(value => value is null) ? null : whole.Sum(value => value ?? 0);
            if (byRegion)
            {
                items.AddRange(totals.Regions
                    .Where(region => Selected(filter, null, region.Region))
                    .Select(region => Item(run, null, region.Region, region.Labs, region.Models, region.Downloads30d, region.DownloadsAllTime, region.Likes, metric, sum)));
            }
            else
            {
                items.AddRange(totals.Countries
                    .Where(country => Selected(filter, country.Country, country.Region))
                    .Select(country => Item(run, country.Country, country.Region, country.Labs, country.Models, country.Downloads30d, country.DownloadsAllTime, country.Likes, metric, sum))
                    .OrderByDescending(item => item.Value ?? -1).ThenBy(item => item.Country, StringComparer.Ordinal));
            }
        }

        return items;
    }

    /// <summary>The runs of a history list's window and how they compare (<see cref="ItemsAsync"/> spans the same runs).</summary>
    public async Task<ComparedRuns> WindowRunsAsync(AsOfRun? asOf, ListParameters filter, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var runs = await history.WindowAsync(asOf, from, to, RunHistory.MaxRuns, cancellationToken);
        return new ComparedRuns(runs, RunHistory.LikeWithLike(runs, filter.Compare)
            ? (await labHistory.ComparedAsync(runs, new CountingView(filter.Attribution, filter.Scope), filter.Compare, cancellationToken)).LikeLabs
            : null);
    }

    private static CountryHistoryItem Item(HistoryRun run, string? country, string region, int labs, int models, long downloads30d, long? downloadsAllTime, long likes, string metric, long? sum)
    {
        var value = Value(downloads30d, downloadsAllTime, likes, metric);
        return new CountryHistoryItem(run.At, run.Id, run.SourceKey, country, region, labs, models, downloads30d, downloadsAllTime, likes, value,
            value is { } v && sum is > 0 ? v / (double)sum.Value : null);
    }

    private static long? Value(long downloads30d, long? downloadsAllTime, long likes, string metric) => metric switch
    {
        Metrics.DownloadsAllTime => downloadsAllTime,
        Metrics.Likes => likes,
        _ => downloads30d,
    };

    private static bool Selected(ListParameters filter, string? country, string region) =>
        (filter.Region is null || filter.Region == region)
        && (filter.Countries.Count == 0 || (country is not null ? filter.Countries.Contains(country) : filter.Countries.Any(c => Regions.Of(c) == region)));


    public Task<CountryTotals> CountriesAsync(HistoryRun run, CountingView view, CancellationToken cancellationToken) =>
        history.PerRunAsync(run.Id, view, async db => new CountryTotals(run, view, await CountryLeaderboard.CountriesAsync(db, run.Id, view.Parameters, CancellationToken.None)), cancellationToken);

    public Task<CountryTotals> CountriesAsync(AsOfRun asOf, CountingView view, CancellationToken cancellationToken) =>
        CountriesAsync(HistoryRun.Of(asOf), view, cancellationToken);

    /// <summary>The country totals of the last <paramref name="count"/> runs up to the as-of run, oldest first, compared like with like.</summary>
    public Task<IReadOnlyList<CountryTotals>> RecentCountriesAsync(AsOfRun asOf, int count, CountingView view, CancellationToken cancellationToken) =>
        WindowAsync(asOf, from: null, to: null, count, view, Compare.Like, cancellationToken);

    /// <summary>
    /// The totals of the runs of a chart or history list (<see cref="RunHistory.Window"/>), oldest first, compared as
    /// <paramref name="compare"/> asks: like with like across sources sums each run's countries from the registered labs
    /// present in every run of the window (<see cref="LabHistory.ComparedAsync"/>), so shares are of the same labs.
    /// </summary>
    public async Task<IReadOnlyList<CountryTotals>> WindowAsync(AsOfRun? asOf, DateOnly? from, DateOnly? to, int recent, CountingView view, Compare compare, CancellationToken cancellationToken)
    {
        var runs = await history.WindowAsync(asOf, from, to, recent, cancellationToken);
        if (!RunHistory.LikeWithLike(runs, compare))
        {
            return await CountriesAsync(runs, view, cancellationToken);
        }

        var labs = await labHistory.ComparedAsync(runs, view with { IncludeCommunity = false }, compare, cancellationToken);
        return labs.Runs.Select(run => CountryTotals.OfLabs(run, view, labs.LikeLabs ?? 0)).ToArray();
    }

    /// <summary>The totals of several runs, oldest first.</summary>
    public async Task<IReadOnlyList<CountryTotals>> CountriesAsync(IEnumerable<HistoryRun> runs, CountingView view, CancellationToken cancellationToken)
    {
        // The runs' stored totals in one query (RunHistory.TotalsAsync), the labs once.
        var window = runs.ToArray();
        var stored = await history.TotalsAsync(window.Select(run => run.Id), view.Parameters, cancellationToken);
        var labs = await history.LabsAsync(cancellationToken);
        var totals = new List<CountryTotals>();
        foreach (var run in window)
        {
            // One at a time: SQLite reads on two cores gain nothing from running these side by side.
            totals.Add(await history.PerRunAsync(run.Id, view,
                async db => new CountryTotals(run, view, await CountryLeaderboard.CountriesAsync(db, run.Id, view.Parameters, CancellationToken.None, stored[run.Id], labs)),
                cancellationToken));
        }

        return totals;
    }
}
