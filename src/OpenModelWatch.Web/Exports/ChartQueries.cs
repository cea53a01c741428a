using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.History;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Overview;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Exports;

/// <summary>What every chart reads from its address besides its own parameters: the view, the runs it spans, the run it is pinned to.</summary>
/// <param name="Parameters">The list parameters, read by the API's own parser (attribution, scope, filters, sort).</param>
/// <param name="From">First day (UTC) of the runs shown, inclusive.</param>
/// <param name="To">Last day (UTC) of the runs shown, inclusive.</param>
/// <param name="Run">The run the chart is as of (<c>run=</c>); null for the latest.</param>
public sealed record ChartParameters(ListParameters Parameters, string Metric, DateOnly? From, DateOnly? To, int? Run)
{
    public CountingView View => new(Parameters.Attribution, Parameters.Scope, Parameters.IncludeCommunity);

    /// <summary>Reads a chart's parameters; throws <see cref="ParameterException"/> naming the one at fault.</summary>
    public static ChartParameters Parse(IQueryCollection query, IReadOnlyList<string> metrics, IReadOnlyList<string>? sortFields = null)
    {
        var parameters = ListParametersParser.Parse(query, sortFields ?? ["none"], sortFields?[0] ?? "none");
        var metric = ListParametersParser.Single(query, "metric") ?? metrics[0];
        if (!metrics.Contains(metric))
        {
            throw new ParameterException("metric", $"\"{(metric.Length > 40 ? metric[..40] + "…" : metric)}\" is not a metric of this chart (one of {string.Join(", ", metrics)}).");
        }

        var from = ListParametersParser.Date(query, "from");
        var to = ListParametersParser.Date(query, "to");
        if (from > to)
        {
            throw new ParameterException("from", "is after to.");
        }

        return new ChartParameters(parameters, metric, from, to, ExportRuns.Parse(query));
    }
}

/// <summary>
/// The data of every chart the dashboard draws, from the very queries of its pages: region shares and comparisons from
/// <see cref="RunHistory"/>'s per-run country totals (the rows of <c>/api/v1/countries</c>), lab history from its
/// per-run lab totals (<c>/api/v1/labs</c>), model history from <see cref="ModelHistory"/>, top models from
/// <see cref="ModelLeaderboard"/>. A chart spans the page's number of recent runs, or every run between
/// <c>from</c> and <c>to</c> (at most <see cref="MaxRuns"/>, the most recent).
/// </summary>
public sealed class ChartQueries(IDbContextFactory<OpenModelWatchDb> dbFactory, RunHistory history, LabRegistry registry)
{
    public const int MaxRuns = 400;
    public const int MaxTopModels = 50;

    public static readonly IReadOnlyList<string> ShareMetrics = [Metrics.Downloads30d, Metrics.Likes, Metrics.DownloadsAllTime];
    public static readonly IReadOnlyList<string> LabMetrics = [Metrics.Downloads30d, Metrics.DownloadsAllTime, Metrics.Likes, Metrics.Share, Metrics.Rank];
    public static readonly IReadOnlyList<string> ModelMetrics = [Metrics.Downloads30d, Metrics.DownloadsAllTime, Metrics.Likes, Metrics.TrendingScore];
    public static readonly IReadOnlyList<string> CompareMetrics = [Metrics.Share, Metrics.Downloads30d];

    private static readonly string[] _sideColors = ["#e53935", "#1e88e5"];

    /// <summary>Each region's share of a metric at every run: the overview's chart.</summary>
    public async Task<Chart?> RegionShareAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, ShareMetrics);
        var view = p.View with { IncludeCommunity = false };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await ExportRuns.ResolveAsync(db, p.Run, cancellationToken);
        var totals = await CountryTotalsAsync(asOf, p, OverviewQuery.HistoryRuns, view, cancellationToken);
        var series = view.Regions.Select(region => new LineSeries(
                region,
                totals.Select(run => ShareOf(run, region, p.Metric)).ToArray(),
                RegionColors.Of(region)))
            .ToArray();
        var title = $"Share of {Metrics.Label(p.Metric).ToLowerInvariant()} by region";
        var info = Info(title, asOf, Window(FilterWords.View(p.Parameters.Attribution, p.Parameters.Scope), p, totals.Count, OverviewQuery.HistoryRuns),
            [Metrics.Definition(p.Metric), "Region: " + Terms.Region], links, "denominators");
        var page = QueryString.Create(ViewQuery(p.Parameters)).Value;
        return new Chart("region-share", info, new LineBody(Runs(totals.Select(t => t.Run)), series, "Share (%)", ValueFormat.Percent), "/" + page);
    }

    /// <summary>The first models of the models list, with its filters and order, coloured by region: the models page and the overview's top 10.</summary>
    public async Task<Chart?> TopModelsAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, [Metrics.Downloads30d], ModelLeaderboard.SortFields);
        var n = ListParametersParser.Integer(query, "n", 10, 1, MaxTopModels);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await ExportRuns.ResolveAsync(db, p.Run, cancellationToken);
        var sort = p.Parameters.Sort ?? Metrics.Downloads30d;
        var valueField = sort is "createdAt" ? Metrics.Downloads30d : sort;
        IReadOnlyList<ModelItem> models = asOf is null
            ? []
            : (await ModelLeaderboard.PageAsync(db, asOf, p.Parameters with { Limit = n, Offset = 0 }, cancellationToken)).Items;
        // As the overview does: a model without the ranked value (no trending score in an older snapshot) is not ranked.
        models = models.Where(model => ValueOf(model, sort) is not null).ToArray();
        var regions = RegionItem.RegionsOf(p.Parameters.Attribution);
        var bars = models.Select((model, i) => new BarItem(i + 1, model.Id, model.Region, ValueOf(model, valueField) ?? 0, RegionColors.Of(model.Region))).ToArray();
        var legend = regions.Select(region => new LegendEntry($"{region}: {bars.Count(bar => bar.Group == region)}", RegionColors.Of(region))).ToArray();
        var sortLabel = SortLabel(sort);
        var title = sort is "createdAt"
            ? $"The {n} {(p.Parameters.Ascending ? "oldest" : "newest")} models"
            : p.Parameters.Ascending ? $"The {n} models with the lowest {sortLabel}" : $"Top {n} models by {sortLabel}";
        var definitions = new List<string> { Metrics.Definition(valueField) };
        if (sort is not "createdAt" && sort != valueField)
        {
            definitions.Add(Metrics.Definition(sort));
        }

        definitions.Add("Region: " + Terms.Region);
        var info = Info(title, asOf, FilterWords.Of(p.Parameters, registry), definitions, links, "attribution");
        var page = "/models" + QueryString.Create(ListQuery(p.Parameters, ModelLeaderboard.SortFields[0])).Value;
        return new Chart("top-models", info, new BarBody(bars, Metrics.Label(valueField), ValueFormat.Count, legend), page);
    }

    /// <summary>A lab's totals or rank at every run: the lab page's chart. Null when the registry has no such lab.</summary>
    public async Task<Chart?> LabHistoryAsync(string labId, IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, LabMetrics);
        if (registry.ById(labId) is not { } lab)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await ExportRuns.ResolveAsync(db, p.Run, cancellationToken);
        var runs = await RunsAsync(asOf, p, LabDetailQuery.HistoryRuns, cancellationToken);
        var totals = new List<LabTotals>();
        foreach (var run in runs)
        {
            totals.Add(await history.LabsAsync(run, p.View, cancellationToken));
        }

        var values = totals.Select(run => LabValue(run, lab.Id, p.Metric)).ToArray();
        var title = $"{lab.Name}: {Metrics.Label(p.Metric).ToLowerInvariant()} over time";
        var definitions = new List<string> { Metrics.Definition(p.Metric) };
        if (p.Metric is Metrics.Share or Metrics.Rank)
        {
            definitions.Add(Metrics.Definition(Metrics.Downloads30d));
        }

        var subtitle = $"{lab.Organization} · {lab.Country} ({lab.Region}) · {FilterWords.View(p.Parameters.Attribution, p.Parameters.Scope)}";
        var info = Info(title, asOf, Window(subtitle, p, runs.Count, LabDetailQuery.HistoryRuns), definitions, links, "labs");
        var pageQuery = ViewQuery(p.Parameters);
        if (p.Metric != Metrics.Downloads30d)
        {
            pageQuery.Add(new("metric", p.Metric));
        }

        var page = $"/labs/{Uri.EscapeDataString(lab.Id)}" + QueryString.Create(pageQuery).Value;
        var valueTitle = p.Metric switch
        {
            Metrics.Share => "Share (%)",
            Metrics.Rank => "Rank (1 = first)",
            _ => Metrics.Label(p.Metric),
        };
        var format = p.Metric switch { Metrics.Share => ValueFormat.Percent, Metrics.Rank => ValueFormat.Rank, _ => ValueFormat.Count };
        return new Chart("lab-history", info, new LineBody(Runs(runs), [new LineSeries(lab.Name, values, RegionColors.Of(lab.Region))], valueTitle, format), page);
    }

    /// <summary>A model's counts at every succeeded run that saw it: the model page's chart. Null when the store never saw it.</summary>
    public async Task<Chart?> ModelHistoryAsync(string hubId, IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, ModelMetrics);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var model = await db.Models.AsNoTracking().Where(m => m.HubId == hubId)
            .Select(m => new { m.HubId, m.Namespace, LabName = m.Lab == null ? null : m.Lab.Name, Country = m.Lab == null ? null : m.Lab.Country })
            .FirstOrDefaultAsync(cancellationToken);
        if (model is null)
        {
            return null;
        }

        var asOf = await ExportRuns.ResolveAsync(db, p.Run, cancellationToken);
        var points = Window(await ModelHistory.PointsAsync(db, model.HubId, cancellationToken), point => point.At, asOf, p, int.MaxValue);
        var values = points.Select(point => p.Metric switch
        {
            Metrics.DownloadsAllTime => point.DownloadsAllTime,
            Metrics.Likes => point.Likes,
            Metrics.TrendingScore => point.TrendingScore,
            _ => (double?)point.Downloads30d,
        }).ToArray();
        var region = Regions.Of(model.Country);
        var title = $"{model.HubId}: {Metrics.Label(p.Metric).ToLowerInvariant()} over time";
        var who = model.LabName is { } name ? $"{name} · {model.Country} ({region})" : $"{model.Namespace} (not in the lab registry: Unknown)";
        var subtitle = FilterWords.Range(p.From, p.To) is { } range ? $"{who} · {range}" : $"{who} · every run that saw it";
        var info = Info(title, asOf, subtitle, [Metrics.Definition(p.Metric)], links, "downloads");
        var page = ModelLinks.Page(model.HubId) + (p.Metric == Metrics.Downloads30d ? "" : "?metric=" + p.Metric);
        var runs = points.Select(point => new ChartRun(point.RunId, point.At)).ToArray();
        return new Chart("model-history", info, new LineBody(runs, [new LineSeries(model.HubId, values, RegionColors.Of(region))], Metrics.Label(p.Metric), ValueFormat.Count), page);
    }

    /// <summary>Two regions or countries over the runs: the countries page's chart.</summary>
    public async Task<Chart?> CountryComparisonAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, CompareMetrics);
        var a = CompareKey.Parse(ListParametersParser.Single(query, "a"), "a", Regions.China);
        var b = CompareKey.Parse(ListParametersParser.Single(query, "b"), "b", Regions.Us);
        var view = p.View with { IncludeCommunity = false };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await ExportRuns.ResolveAsync(db, p.Run, cancellationToken);
        var totals = await CountryTotalsAsync(asOf, p, CountryComparison.HistoryRuns, view, cancellationToken);
        var series = new[] { a, b }.Select((key, i) => new LineSeries(
                key.Label,
                totals.Select(run => p.Metric == Metrics.Share ? Sum(run, key).Share * 100 : (double?)Sum(run, key).Downloads30d).ToArray(),
                key.IsRegion ? RegionColors.Of(key.Value) : _sideColors[i]))
            .ToArray();
        var title = $"{a.Label} vs {b.Label}: {Metrics.Label(p.Metric).ToLowerInvariant()}";
        var definitions = p.Metric == Metrics.Share
            ? new[] { Metrics.Definition(Metrics.Share), Metrics.Definition(Metrics.Downloads30d), "Region: " + Terms.Region }
            : [Metrics.Definition(Metrics.Downloads30d), "Region: " + Terms.Region];
        var info = Info(title, asOf, Window(FilterWords.View(p.Parameters.Attribution, p.Parameters.Scope), p, totals.Count, CountryComparison.HistoryRuns), definitions, links, "denominators");
        var pageQuery = ViewQuery(p.Parameters);
        pageQuery.Insert(0, new("a", a.Value));
        pageQuery.Insert(1, new("b", b.Value));
        if (p.Metric != Metrics.Share)
        {
            pageQuery.Add(new("metric", p.Metric));
        }

        var valueTitle = p.Metric == Metrics.Share ? "Share (%)" : "30-day downloads";
        return new Chart("country-comparison", info,
            new LineBody(Runs(totals.Select(t => t.Run)), series, valueTitle, p.Metric == Metrics.Share ? ValueFormat.Percent : ValueFormat.Count),
            "/countries" + QueryString.Create(pageQuery).Value);
    }

    /// <summary>The label of a models sort field in a sentence: <c>30-day downloads</c>.</summary>
    public static string SortLabel(string sort) => sort switch
    {
        "parameters" => "size (parameters)",
        "createdAt" => "creation date",
        _ => Metrics.Label(sort).ToLowerInvariant(),
    };

    /// <summary>A region or a country's sum at one run, as the countries page computes it.</summary>
    public static RegionItem Sum(CountryTotals run, CompareKey key) =>
        key.IsRegion ? run.Region(key.Value) : RegionItem.Of(key.Value, run.Countries.Where(c => c.Country == key.Value).ToArray());

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

    private static double? ShareOf(CountryTotals run, string region, string metric)
    {
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

    private static double? ValueOf(ModelItem model, string field) => field switch
    {
        "downloadsAllTime" => model.DownloadsAllTime,
        "likes" => model.Likes,
        "trendingScore" => model.TrendingScore,
        "parameters" => model.Parameters,
        "createdAt" => model.CreatedAt is null ? null : model.Downloads30d,
        _ => model.Downloads30d,
    };

    private async Task<IReadOnlyList<CountryTotals>> CountryTotalsAsync(AsOfRun? asOf, ChartParameters p, int recent, CountingView view, CancellationToken cancellationToken)
    {
        var totals = new List<CountryTotals>();
        foreach (var run in await RunsAsync(asOf, p, recent, cancellationToken))
        {
            // One at a time, as the pages do: SQLite reads on two cores gain nothing side by side.
            totals.Add(await history.CountriesAsync(run, view, cancellationToken));
        }

        return totals;
    }

    /// <summary>The runs of the chart: the page's <paramref name="recent"/> last runs, or those between from and to.</summary>
    private async Task<IReadOnlyList<HistoryRun>> RunsAsync(AsOfRun? asOf, ChartParameters p, int recent, CancellationToken cancellationToken) =>
        asOf is null ? [] : Window(await history.RunsAsync(asOf, cancellationToken), run => run.At, asOf, p, recent);

    private static IReadOnlyList<T> Window<T>(IReadOnlyList<T> items, Func<T, DateTime> at, AsOfRun? asOf, ChartParameters p, int recent)
    {
        // By UTC day, so 9999-12-31 is a day like any other.
        var inRange = items.Where(item => (asOf is null || at(item) <= asOf.At)
            && (p.From is null || DateOnly.FromDateTime(at(item)) >= p.From) && (p.To is null || DateOnly.FromDateTime(at(item)) <= p.To)).ToArray();
        var count = p.From is null && p.To is null ? Math.Min(recent, MaxRuns) : MaxRuns;
        return inRange.Skip(Math.Max(0, inRange.Length - count)).ToArray();
    }

    private static string Window(string subtitle, ChartParameters p, int runs, int recent) =>
        subtitle + " · " + (FilterWords.Range(p.From, p.To) ?? (runs < recent ? $"every run ({runs.ToString(CultureInfo.InvariantCulture)})" : $"last {recent.ToString(CultureInfo.InvariantCulture)} runs"));

    private static ChartRun[] Runs(IEnumerable<HistoryRun> runs) => runs.Select(run => new ChartRun(run.Id, run.At)).ToArray();

    private static ExportInfo Info(string title, AsOfRun? asOf, string filters, IReadOnlyList<string> definitions, ExportLinks links, string section) =>
        new(title, asOf, filters, definitions, links.Method(section), links.Permalink(asOf));

    /// <summary>How a page counts, in its address: <c>attribution=origin&amp;scope=census</c>, defaults left out.</summary>
    private static List<KeyValuePair<string, string?>> ViewQuery(ListParameters p)
    {
        var query = new List<KeyValuePair<string, string?>>();
        if (p.Attribution == Attribution.Origin)
        {
            query.Add(new("attribution", "origin"));
        }

        if (p.Scope == Scope.Census)
        {
            query.Add(new("scope", "census"));
        }

        return query;
    }

    /// <summary>The models page address of a view, as the page writes it.</summary>
    private static List<KeyValuePair<string, string?>> ListQuery(ListParameters p, string defaultSort) =>
        ListUrl.ToQuery(p, defaultSort)
            .Where(pair => pair.Key is not ("page" or "size"))
            .SelectMany(pair => pair.Value switch
            {
                string[] values => values.Select(value => new KeyValuePair<string, string?>(pair.Key, value)),
                string value => [new KeyValuePair<string, string?>(pair.Key, value)],
                _ => [],
            })
            .ToList();
}
