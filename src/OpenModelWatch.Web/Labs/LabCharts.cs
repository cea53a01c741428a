using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Labs;

/// <summary>
/// A row of the lab page's run-by-run table: the lab's <c>/api/v1/labs</c> item at one run (nulls when it had no
/// models), with the run's source. Its own counts are the Hub's whichever source read them; its share and rank are,
/// across sources, among the labs present in every run (<c>compare=like</c>).
/// </summary>
public sealed record LabHistoryItem(DateTime At, int RunId, string Source, int? Models, long? Downloads30d, long? DownloadsAllTime, long? Likes, double? Share, int? Rank);

/// <summary>
/// A row of <c>/exports/history.{format}</c>: one lab's <c>/api/v1/labs</c> item at one run, with the run's source and
/// the lab's rank among the run's labs (compared like with like across sources, as the lab page ranks it).
/// </summary>
public sealed record LabRunItem(DateTime At, int RunId, string Source, string Lab, string Name, string Country, string Region, int Models, long Downloads30d, long? DownloadsAllTime, long Likes, double Share, int Rank);

/// <summary>Every lab at every run of a window, with the runs and how they were compared.</summary>
public sealed record LabRunHistory(IReadOnlyList<HistoryRun> Runs, IReadOnlyList<LabRunItem> Rows, int? LikeLabs);

/// <summary>The lab page's run-by-run table, with the runs it spans and how they were compared.</summary>
public sealed record LabTable(IReadOnlyList<HistoryRun> Runs, IReadOnlyList<LabHistoryItem> Rows, int? LikeLabs);

/// <summary>A lab's chart and its run-by-run table, from the per-run lab totals of the labs list (<see cref="LabHistory"/>).</summary>
public sealed class LabCharts(RunHistory runHistory, LabHistory history, LabRegistry registry, IDbContextFactory<OpenModelWatchDb> dbFactory, LabLeaderboard leaderboard)
{
    public static readonly IReadOnlyList<string> LabMetrics = [Metrics.Downloads30d, Metrics.DownloadsAllTime, Metrics.Likes, Metrics.Share, Metrics.Rank];

    /// <summary>A lab's totals or rank at every run: the lab page's chart. Null when the registry has no such lab.</summary>
    public const int MaxTopLabs = 50;

    /// <summary>The first labs of the labs list, with its filters and order, coloured by region: the labs page's chart.</summary>
    public async Task<Chart?> TopLabsAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, [Metrics.Downloads30d], LabLeaderboard.SortFields);
        var n = ListParametersParser.Integer(query, "n", 10, 1, MaxTopLabs);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await PinnedRun.ResolveAsync(db, p.Run, cancellationToken);
        var sort = p.Parameters.Sort ?? Metrics.Downloads30d;
        var labs = asOf is null ? [] : (await leaderboard.ListAsync(p.Parameters with { Limit = n, Offset = 0 }, cancellationToken)).Items;
        double Value(LabItem lab) => sort switch
        {
            "downloadsAllTime" => lab.DownloadsAllTime ?? 0,
            "likes" => lab.Likes,
            "models" => lab.Models,
            "share" => lab.Share * 100,
            _ => lab.Downloads30d,
        };
        var bars = labs.Select((lab, i) => new BarItem(i + 1, lab.Name, lab.Region, Value(lab), RegionColors.Of(lab.Region))).ToArray();
        var legend = p.Parameters.Attribution.Regions()
            .Select(region => new LegendEntry($"{FileTexts.Region(region)}: {bars.Count(bar => bar.Group == region)}", RegionColors.Of(region))).ToArray();
        var sortLabel = FilterWords.SortLabel(sort);
        var title = FileTexts.Get(p.Parameters.Ascending ? "Chart.TopLabs.Lowest" : "Chart.TopLabs.Title", n, sortLabel);
        var definitions = new List<string> { Metrics.Definition(sort == "share" ? Metrics.Share : sort == "models" ? Metrics.Downloads30d : sort), FileTexts.Get("Chart.RegionDefinition", FileTexts.Translate("Term.Region", Terms.Region)) };
        var info = ExportInfo.For(title, asOf, FilterWords.Of(p.Parameters, registry), definitions, links, "labs");
        var page = "/labs" + QueryString.Create(ListUrl.ToPairs(p.Parameters, LabLeaderboard.SortFields[0])).Value;
        var (valueTitle, format) = sort switch
        {
            "share" => (FileTexts.Get("Chart.ShareOfDownloadsAxis"), ValueFormat.Percent),
            "models" => (FileTexts.Get("Chart.ModelsAxis"), ValueFormat.Count),
            _ => (Metrics.Label(sort), ValueFormat.Count),
        };
        return new Chart("top-labs", info, new BarBody(bars, valueTitle, format, legend), page);
    }

    public async Task<Chart?> LabHistoryAsync(string labId, IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, LabMetrics);
        if (registry.ById(labId) is not { } lab)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await PinnedRun.ResolveAsync(db, p.Run, cancellationToken);
        var runs = await runHistory.WindowAsync(asOf, p.From, p.To, LabDetailQuery.HistoryRuns, cancellationToken);
        var compared = await history.ComparedAsync(runs, p.View, p.Parameters.Compare, cancellationToken, keep: lab.Id);
        var totals = compared.Runs;

        var values = totals.Select(run => LabValue(run, lab.Id, p.Metric)).ToArray();
        var title = FileTexts.Get("Chart.OverTime.Title", lab.Name, FileTexts.MetricInSentence(p.Metric));
        var definitions = new List<string> { Metrics.Definition(p.Metric) };
        if (p.Metric is Metrics.Share or Metrics.Rank)
        {
            definitions.Add(Metrics.Definition(Metrics.Downloads30d));
        }

        var subtitle = $"{lab.Organization} · {lab.Country} ({FileTexts.Region(lab.Region)}) · {FilterWords.View(p.Parameters.Attribution, p.Parameters.Scope)}";
        var window = FilterWords.Window(subtitle, p.From, p.To, runs.Count, LabDetailQuery.HistoryRuns);
        // The lab's own counts are the Hub's in every source; only its share and rank depend on which labs are beside it.
        var filters = p.Metric is Metrics.Share or Metrics.Rank ? FilterWords.WithComparison(window, runs, p.Parameters.Compare, compared.LikeLabs) : window;
        var info = ExportInfo.For(title, asOf, filters, definitions, links, "labs", RunHistory.SourcesOf(runs));
        var pageQuery = ListUrl.ViewQuery(p.Parameters);
        if (p.Metric != Metrics.Downloads30d)
        {
            pageQuery.Add(new("metric", p.Metric));
        }

        var page = $"/labs/{Uri.EscapeDataString(lab.Id)}" + QueryString.Create(pageQuery).Value;
        var valueTitle = p.Metric switch
        {
            Metrics.Share => FileTexts.Get("Chart.ShareAxis"),
            Metrics.Rank => FileTexts.Get("Chart.RankAxis"),
            _ => Metrics.Label(p.Metric),
        };
        var format = p.Metric switch { Metrics.Share => ValueFormat.Percent, Metrics.Rank => ValueFormat.Rank, _ => ValueFormat.Count };
        return new Chart("lab-history", info, new LineBody(ChartRun.Of(runs), [new LineSeries(lab.Name, values, RegionColors.Of(lab.Region))], valueTitle, format), page);
    }

    /// <summary>The lab page's table: one row per run of the window, oldest first.</summary>
    public async Task<LabTable> TableAsync(string labId, AsOfRun? asOf, CountingView view, Compare compare, DateOnly? from, DateOnly? to, int recent, CancellationToken cancellationToken)
    {
        var runs = await runHistory.WindowAsync(asOf, from, to, recent, cancellationToken);
        var compared = await history.ComparedAsync(runs, view, compare, cancellationToken, keep: labId);
        var rows = compared.Runs.Select(totals => totals.ById.TryGetValue(labId, out var item)
                ? new LabHistoryItem(totals.Run.At, totals.Run.Id, totals.Run.SourceKey, item.Models, item.Downloads30d, item.DownloadsAllTime, item.Likes, item.Share,
                    (int?)LabValue(totals, labId, Metrics.Rank))
                : new LabHistoryItem(totals.Run.At, totals.Run.Id, totals.Run.SourceKey, null, null, null, null, null, null))
            .ToArray();
        return new LabTable(runs, rows, compared.LikeLabs);
    }

    /// <summary>
    /// Every lab at every run of the window (the last <see cref="RunHistory.MaxRuns"/> when open), oldest run first and
    /// by 30-day downloads within a run; the view's countries, region and lab choose which labs are listed, not their shares.
    /// </summary>
    public async Task<LabRunHistory> AllLabsAsync(AsOfRun? asOf, ListParameters p, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var runs = await runHistory.WindowAsync(asOf, from, to, RunHistory.MaxRuns, cancellationToken);
        var compared = await history.ComparedAsync(runs, CountingView.Of(p), p.Compare, cancellationToken);
        var rows = compared.Runs.SelectMany(run => LabLeaderboard.Sort(run.Labs, Metrics.Downloads30d, ascending: false)
                .Select((lab, i) => new LabRunItem(run.Run.At, run.Run.Id, run.Run.SourceKey, lab.Id, lab.Name, lab.Country, lab.Region, lab.Models,
                    lab.Downloads30d, lab.DownloadsAllTime, lab.Likes, lab.Share, i + 1))
                .Where(item => (p.Countries.Count == 0 || p.Countries.Contains(item.Country)) && (p.Region is null || p.Region == item.Region) && (p.Lab is null || p.Lab == item.Lab)))
            .ToArray();
        return new LabRunHistory(runs, rows, compared.LikeLabs);
    }

    /// <summary>A lab's value at one run; its rank is its place by 30-day downloads, as the lab page ranks it.</summary>
    public static double? LabValue(LabTotals run, string labId, string metric)
    {
        if (!run.ById.TryGetValue(labId, out var item))
        {
            return null;
        }

        return metric switch
        {
            Metrics.DownloadsAllTime => item.DownloadsAllTime,
            Metrics.Likes => item.Likes,
            Metrics.Share => item.Share * 100,
            Metrics.Rank => LabLeaderboard.Sort(run.Labs, Metrics.Downloads30d, ascending: false).TakeWhile(other => other.Id != labId).Count() + 1,
            _ => item.Downloads30d,
        };
    }
}
