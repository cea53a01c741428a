using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Overview;

/// <summary>The overview's chart: each region's share at every run, from the countries list of every run (<see cref="CountryHistory"/>).</summary>
public sealed class OverviewCharts(IDbContextFactory<OpenModelWatchDb> dbFactory, CountryHistory history)
{
    public static readonly IReadOnlyList<string> ShareMetrics = [Metrics.Downloads30d, Metrics.Likes, Metrics.DownloadsAllTime];

    /// <summary>Each region's share of a metric at every run: the overview's chart.</summary>
    public async Task<Chart?> RegionShareAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, ShareMetrics);
        var view = p.View with { IncludeCommunity = false };
        var asOf = await PinnedRun.ResolveAsync(dbFactory, p.Run, cancellationToken);
        var totals = await history.WindowAsync(asOf, p.From, p.To, OverviewQuery.HistoryRuns, view, p.Parameters.Compare, cancellationToken);
        var runs = totals.Select(t => t.Run).ToArray();
        var series = view.Regions.Select(region => new LineSeries(
                region,
                totals.Select(run => ShareOf(run, region, p.Metric)).ToArray(),
                RegionColors.Of(region),
                FileTexts.Region(region)))
            .ToArray();
        var title = FileTexts.Get("Chart.RegionShare.Title", FileTexts.MetricInSentence(p.Metric));
        var filters = FilterWords.WithComparison(
            FilterWords.Window(FilterWords.View(p.Parameters.Attribution, p.Parameters.Scope), p.From, p.To, totals.Count, OverviewQuery.HistoryRuns),
            runs, p.Parameters.Compare, totals.FirstOrDefault()?.LikeLabs);
        var info = ExportInfo.For(title, asOf, filters, [Metrics.Definition(p.Metric), FileTexts.Get("Chart.RegionDefinition", FileTexts.Translate("Term.Region", Terms.Region))], links, "denominators", RunHistory.SourcesOf(runs));
        var page = QueryString.Create(ListUrl.ViewQuery(p.Parameters)).Value;
        return new Chart("region-share", info, new LineBody(ChartRun.Of(runs), series, FileTexts.Get("Chart.ShareAxis"), ValueFormat.Percent), "/" + page);
    }

    private static double? ShareOf(CountryTotals run, string region, string metric)
    {
        if (run.LikeLabs is not null && region is Regions.Community or Regions.Unknown)
        {
            // Compared like with like: unregistered uploaders are left out, not shown as nobody.
            return null;
        }

        var item = run.Region(region);
        return metric switch
        {
            // The overview's number: the sum of the region's country shares.
            Metrics.Downloads30d => item.Share * 100,
            Metrics.Likes => Ratio(item.Likes, run.Regions.Sum(r => r.Likes)),
            _ => run.Regions.Any(r => r.DownloadsAllTime is null) ? null : Ratio(item.DownloadsAllTime ?? 0, run.Regions.Sum(r => r.DownloadsAllTime ?? 0)),
        };
    }

    private static double? Ratio(long part, long whole) => whole == 0 ? null : 100.0 * part / whole;
}
