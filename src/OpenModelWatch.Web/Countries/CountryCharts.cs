using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Countries;

/// <summary>The countries page's chart: two regions or countries over the runs, from the countries list of every run.</summary>
public sealed class CountryCharts(IDbContextFactory<OpenModelWatchDb> dbFactory, CountryHistory history)
{
    public static readonly IReadOnlyList<string> CompareMetrics = [Metrics.Share, Metrics.Downloads30d];

    // The first two colours of the region palette (Okabe–Ito), told apart by colour-blind readers too.
    private static readonly string[] _sideColors = ["#d55e00", "#0072b2"];

    /// <summary>Two regions or countries over the runs: the countries page's chart.</summary>
    public async Task<Chart?> CountryComparisonAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, CompareMetrics);
        var a = CompareKey.Parse(ListParametersParser.Single(query, "a"), "a", Regions.China);
        var b = CompareKey.Parse(ListParametersParser.Single(query, "b"), "b", Regions.Us);
        var view = p.View with { IncludeCommunity = false };
        var asOf = await PinnedRun.ResolveAsync(dbFactory, p.Run, cancellationToken);
        var totals = await history.WindowAsync(asOf, p.From, p.To, CountryComparison.HistoryRuns, view, p.Parameters.Compare, cancellationToken);
        var runs = totals.Select(t => t.Run).ToArray();
        var series = new[] { a, b }.Select((key, i) => new LineSeries(
                key.Label,
                totals.Select(run => p.Metric == Metrics.Share ? CountryComparison.Sum(run, key).Share * 100 : (double?)CountryComparison.Sum(run, key).Downloads30d).ToArray(),
                key.IsRegion ? RegionColors.Of(key.Value) : _sideColors[i],
                Side(key)))
            .ToArray();
        var title = FileTexts.Get("Chart.Comparison.Title", Side(a), Side(b), FileTexts.MetricInSentence(p.Metric));
        var definitions = p.Metric == Metrics.Share
            ? new[] { Metrics.Definition(Metrics.Share), Metrics.Definition(Metrics.Downloads30d), FileTexts.Get("Chart.RegionDefinition", FileTexts.Translate("Term.Region", Terms.Region)) }
            : [Metrics.Definition(Metrics.Downloads30d), FileTexts.Get("Chart.RegionDefinition", FileTexts.Translate("Term.Region", Terms.Region))];
        var filters = FilterWords.WithComparison(
            FilterWords.Window(FilterWords.View(p.Parameters.Attribution, p.Parameters.Scope), p.From, p.To, totals.Count, CountryComparison.HistoryRuns),
            runs, p.Parameters.Compare, totals.FirstOrDefault()?.LikeLabs);
        var info = ExportInfo.For(title, asOf, filters, definitions, links, "denominators", RunHistory.SourcesOf(runs));
        var pageQuery = ListUrl.ViewQuery(p.Parameters);
        pageQuery.Insert(0, new("a", a.Value));
        pageQuery.Insert(1, new("b", b.Value));
        if (p.Metric != Metrics.Share)
        {
            pageQuery.Add(new("metric", p.Metric));
        }

        var valueTitle = p.Metric == Metrics.Share ? FileTexts.Get("Chart.ShareAxis") : FileTexts.Get("Chart.Downloads30dAxis");
        return new Chart("country-comparison", info,
            new LineBody(ChartRun.Of(runs), series, valueTitle, p.Metric == Metrics.Share ? ValueFormat.Percent : ValueFormat.Count),
            "/countries" + QueryString.Create(pageQuery).Value);
    }

    /// <summary>A side as the title and legend name it, in the file's language: a region by its name, a country by its code.</summary>
    private static string Side(CompareKey key) =>
        key.IsRegion ? FileTexts.Region(key.Value) : key.Value == Regions.UnknownCountry ? FileTexts.Get("Chart.UnknownCountry") : key.Label;
}
