using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Models;

/// <summary>
/// The models' charts, from the very queries of their pages: the first models of the models list
/// (<see cref="ModelLeaderboard"/>) and a model's counts at every run (<see cref="ModelHistory"/>).
/// </summary>
/// <param name="names">The ids in memory (<see cref="ModelNameIndex"/>): when they hold the as-of run, the top models are paged there (on PostgreSQL; SQLite walks its indexes); null, by the store alone.</param>
public sealed class ModelCharts(IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, ModelNameIndex? names = null)
{
    public const int MaxTopModels = 50;

    public static readonly IReadOnlyList<string> ModelMetrics = [Metrics.Downloads30d, Metrics.DownloadsAllTime, Metrics.Likes, Metrics.TrendingScore];

    /// <summary>The first models of the models list, with its filters and order, coloured by region: the models page and the overview's top 10.</summary>
    public async Task<Chart?> TopModelsAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, [Metrics.Downloads30d], ModelLeaderboard.SortFields);
        var n = ListParametersParser.Integer(query, "n", 10, 1, MaxTopModels);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await PinnedRun.ResolveAsync(db, p.Run, cancellationToken);
        var sort = p.Parameters.Sort ?? Metrics.Downloads30d;
        var valueField = sort is "createdAt" ? Metrics.Downloads30d : sort;
        IReadOnlyList<ModelItem> models = asOf is null
            ? []
            : (await ModelLeaderboard.PageAsync(db, asOf, p.Parameters with { Limit = n, Offset = 0 }, cancellationToken, names)).Items;
        // As the overview does: a model without the ranked value (no trending score in an older snapshot) is not ranked.
        models = models.Where(model => ValueOf(model, sort) is not null).ToArray();
        var regions = p.Parameters.Attribution.Regions();
        var bars = models.Select((model, i) => new BarItem(i + 1, model.Id, model.Region, ValueOf(model, valueField) ?? 0, RegionColors.Of(model.Region))).ToArray();
        var legend = regions.Select(region => new LegendEntry($"{FileTexts.Region(region)}: {bars.Count(bar => bar.Group == region)}", RegionColors.Of(region))).ToArray();
        var sortLabel = FilterWords.SortLabel(sort);
        var title = FileTexts.Get(sort is "createdAt"
            ? p.Parameters.Ascending ? "Chart.TopModels.Oldest" : "Chart.TopModels.Newest"
            : p.Parameters.Ascending ? "Chart.TopModels.Lowest" : "Chart.TopModels.Title", n, sortLabel);
        var definitions = new List<string> { Metrics.Definition(valueField) };
        if (sort is not "createdAt" && sort != valueField)
        {
            definitions.Add(Metrics.Definition(sort));
        }

        definitions.Add(FileTexts.Get("Chart.RegionDefinition", FileTexts.Translate("Term.Region", Terms.Region)));
        var info = ExportInfo.For(title, asOf, FilterWords.Of(p.Parameters, registry), definitions, links, "attribution");
        var page = "/models" + QueryString.Create(ListUrl.ToPairs(p.Parameters, ModelLeaderboard.SortFields[0])).Value;
        return new Chart("top-models", info, new BarBody(bars, Metrics.Label(valueField), ValueFormat.Count, legend), page);
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

        var asOf = await PinnedRun.ResolveAsync(db, p.Run, cancellationToken);
        var points = RunHistory.Window(await ModelHistory.PointsAsync(db, model.HubId, cancellationToken), point => point.At, asOf, p.From, p.To, int.MaxValue);
        var values = points.Select(point => p.Metric switch
        {
            Metrics.DownloadsAllTime => point.DownloadsAllTime,
            Metrics.Likes => point.Likes,
            Metrics.TrendingScore => point.TrendingScore,
            _ => (double?)point.Downloads30d,
        }).ToArray();
        var region = Regions.Of(model.Country);
        var title = FileTexts.Get("Chart.OverTime.Title", model.HubId, FileTexts.MetricInSentence(p.Metric));
        var who = model.LabName is { } name ? $"{name} · {model.Country} ({FileTexts.Region(region)})" : FileTexts.Get("Chart.NotInRegistry", model.Namespace);
        var subtitle = $"{who} · {FilterWords.Range(p.From, p.To) ?? FileTexts.Get("Chart.EveryRunThatSawIt")}";
        var info = ExportInfo.For(title, asOf, subtitle, [Metrics.Definition(p.Metric)], links, "downloads", RunHistory.SourcesOf(points.Select(point => new HistoryRun(point.RunId, point.At, point.Trigger, point.Source))));
        var page = ModelLinks.Page(model.HubId) + (p.Metric == Metrics.Downloads30d ? "" : "?metric=" + p.Metric);
        var runs = points.Select(point => new ChartRun(point.RunId, point.At, point.Source)).ToArray();
        return new Chart("model-history", info, new LineBody(runs, [new LineSeries(model.HubId, values, RegionColors.Of(region))], Metrics.Label(p.Metric), ValueFormat.Count), page);
    }

    private static double? ValueOf(ModelItem model, string field) => field switch
    {
        "downloadsAllTime" => model.DownloadsAllTime,
        "likes" => model.Likes,
        "trendingScore" => model.TrendingScore,
        "parameters" => model.Parameters,
        "createdAt" => model.CreatedAt is null ? null : model.Downloads30d,
        _ => model.Downloads30d,
    };
}
