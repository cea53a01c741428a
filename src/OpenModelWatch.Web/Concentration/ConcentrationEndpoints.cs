using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Flags;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Concentration;

/// <summary>
/// The concentration feature end to end: its query and field documentation (<see cref="AddConcentration"/>); its API
/// route, chart, embed and table files (<see cref="MapConcentration"/>). Its page is <c>ConcentrationPage.razor</c>.
/// </summary>
public static class ConcentrationEndpoints
{
    public const string Hhi = "hhi";
    public const string Top1Share = "top1Share";
    public const string Top5Share = "top5Share";
    public const string EffectiveLabs = "effectiveLabs";

    /// <summary>The most runs the page, the chart and the table span when no window is given.</summary>
    public const int HistoryRuns = 90;

    public static readonly IReadOnlyList<string> ChartMetrics = [Hhi, Top1Share, Top5Share, EffectiveLabs];

    public const string Definition =
        "HHI: the Herfindahl–Hirschman index of 30-day downloads across a group's registered labs, the sum of the labs' squared shares in percent (0–10,000; 10,000 = one lab has everything). Effective labs: 10,000 / HHI. Top-1 and top-5 share: the largest lab's and the five largest labs' share of the group's downloads.";

    private static readonly QueryParameter _metric = new("metric",
        "What the chart draws: hhi (0–10,000), top1Share or top5Share (percent of the group's downloads), effectiveLabs (10,000 / HHI).",
        Values: ChartMetrics, Default: Hhi);

    public static IHostApplicationBuilder AddConcentration(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LabConcentration>();
        builder.Services.AddSingleton<ConcentrationCharts>();
        builder.Services.AddFieldDocs<AdjustedConcentrationRow>(
            "One group's concentration at the run, raw beside the same with the excess of the models flagged at the run left out (adjusted=true).",
            ("source", "The run's source (hub-api, hub-stats, radar-snapshot, osir-monthly)."),
            ("group", "All (every registered lab) or a region: China, US, Europe, Other."),
            ("labs", "Registered labs of the group with 30-day downloads in the run."),
            ("downloads30d", "The group's 30-day downloads, raw."),
            ("hhi", "Herfindahl–Hirschman index, raw, 0–10,000."),
            ("top1Share", "The most downloaded lab's share, raw, 0–1."),
            ("top5Share", "The five most downloaded labs' share, raw, 0–1."),
            ("adjustedDownloads30d", "downloads30d less the excess of the group's flagged models."),
            ("adjustedHhi", "The index of the adjusted downloads."),
            ("adjustedTop1Share", "The largest lab's share of the adjusted downloads, 0–1."),
            ("adjustedTop5Share", "The five largest labs' share of the adjusted downloads, 0–1."));
        builder.Services.AddFieldDocs<ConcentrationItem>(
            "How concentrated one group's 30-day downloads are across its registered labs at one run.",
            ("source", "The run's source (hub-api, hub-stats, radar-snapshot, osir-monthly); sources cover different labs, so compare runs of one source."),
            ("group", "All (every registered lab) or a region: China, US, Europe, Other."),
            ("labs", "Registered labs of the group with 30-day downloads in the run."),
            ("downloads30d", "The group's 30-day downloads: the sum over those labs (community and unknown uploaders are not labs and are left out)."),
            ("hhi", "Herfindahl–Hirschman index: the sum of the labs' squared shares in percent, 0–10,000; null when the group has no downloads."),
            ("effectiveLabs", "10,000 / HHI: how many equal-sized labs would be as concentrated."),
            ("topLab", "The registry id of the group's most downloaded lab."),
            ("top1Share", "The most downloaded lab's share of the group's downloads, 0–1."),
            ("top5Share", "The five most downloaded labs' share of the group's downloads, 0–1."));
        return builder;
    }

    public static IEndpointRouteBuilder MapConcentration(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup().MapGet("/concentration", ListAsync)
            .Documented<ConcentrationItem>("Concentration", "Concentration of downloads across labs, for all labs and for each region, at every run: HHI, effective labs, top-1 and top-5 shares, newest run first")
            .WithQueryParameters(QueryParameters.Window, QueryParameters.Counting, [RegionOnly], QueryParameters.Paging, [QueryParameters.Format, QueryParameters.Run, Adjusted])
            .WithAdjustedView(AdjustedConcentration.ListAsync);

        app.MapChartGroup().MapGet("/concentration.{format}", (string format, HttpContext context, ConcentrationCharts charts, CancellationToken ct) =>
                ChartFiles.AnswerAsync(context, format, links => charts.ChartAsync(context.Request.Query, links, ct)))
            .WithSummary("Concentration of downloads across labs over the runs, one line per group (the concentration page's chart)")
            .DocumentedChart([_metric, .. QueryParameters.Window, .. QueryParameters.Counting]);

        app.MapEmbedGroup().MapGet("/concentration", (HttpContext context, ConcentrationCharts charts, CancellationToken ct) =>
            EmbedPage.AnswerAsync(context, "concentration", links => charts.ChartAsync(context.Request.Query, links, ct)));

        app.MapExportGroup().MapGet("/concentration.{format}", TableAsync)
            .WithSummary("Concentration at every run of the window, one row per group and run: the concentration page's table")
            .DocumentedTable([.. QueryParameters.Counting, .. QueryParameters.Window, RegionOnly, Adjusted])
            .WithAdjustedView(AdjustedConcentration.TableAsync);
        return app;
    }

    private static readonly QueryParameter Adjusted = new(AdjustedRoutes.QueryKey,
        "true answers the as-of run only (or run=), each group's HHI and top-1/top-5 shares raw beside the same with the excess of the models flagged at the run left out (adjustedDownloads30d, adjustedHhi, adjustedTop1Share, adjustedTop5Share). See /methodology#adjusted.",
        Values: ["false", "true"], Default: "false");

    private static QueryParameter RegionOnly => new("region", "One group only: a region; all groups when absent.", Values: ["China", "US", "Europe", "Other"]);

    private static async Task<IResult> ListAsync(HttpContext context, LabConcentration concentration, IDbContextFactory<OpenModelWatchDb> dbFactory, CancellationToken ct)
    {
        try
        {
            var query = context.Request.Query;
            var parameters = ListParametersParser.Parse(query, ["at"], "at");
            var csv = ApiLists.IsCsv(query);
            var (from, to) = ListParametersParser.Days(query);
            var asOf = await PinnedRun.ResolveAsync(dbFactory, parameters.Run, ct);
            var items = await concentration.ItemsAsync(asOf, parameters, from, to, RunHistory.MaxRuns, ct);
            return await ApiLists.AnswerAsync(context, ApiLists.Page(asOf, parameters, items, item => item.RunId), parameters, csv);
        }
        catch (ParameterException exception)
        {
            return exception.ToProblem();
        }
    }

    private static Task<IResult> TableAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabConcentration concentration, CancellationToken cancellationToken) =>
        TableExport.AnswerAsync(context, format, ["none"], dbFactory, async (db, asOf, p) =>
        {
            var (from, to) = ListParametersParser.Days(context.Request.Query);
            var rows = await concentration.ItemsAsync(asOf, p, from, to, HistoryRuns, cancellationToken);
            var window = FilterWords.Range(from, to) ?? FileTexts.Get("Export.LastRuns", HistoryRuns);
            var group = p.Region is { } region ? $" · {region} only" : "";
            return new Table<ConcentrationItem>("concentration", FileTexts.Get("Export.Concentration.Title"),
                $"{FilterWords.View(p.Attribution, p.Scope)}{group} · {window}", [FileTexts.Translate("Export.Concentration.Definition", Definition), Metrics.Definition(Metrics.Downloads30d)], "concentration",
                rows.Count, ExportFiles.InMemory(rows));
        });
}

/// <summary>The concentration page's chart: one line per group (all labs, each region) over the runs.</summary>
public sealed class ConcentrationCharts(IDbContextFactory<OpenModelWatchDb> dbFactory, RunHistory runHistory, LabConcentration concentration)
{
    public async Task<Chart?> ChartAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, ConcentrationEndpoints.ChartMetrics);
        var asOf = await PinnedRun.ResolveAsync(dbFactory, p.Run, cancellationToken);
        var runs = await runHistory.WindowAsync(asOf, p.From, p.To, ConcentrationEndpoints.HistoryRuns, cancellationToken);
        var items = await concentration.ItemsAsync(asOf, p.Parameters, p.From, p.To, ConcentrationEndpoints.HistoryRuns, cancellationToken);
        var byRun = items.ToLookup(item => item.RunId);
        var series = LabConcentration.Groups
            .Where(group => p.Parameters.Region is null || group == p.Parameters.Region)
            .Select(group => new LineSeries(group == LabConcentration.All ? "All labs" : group,
                runs.Select(run => Value(byRun[run.Id].FirstOrDefault(item => item.Group == group), p.Metric)).ToArray(),
                group == LabConcentration.All ? "#455a64" : RegionColors.Of(group),
                group == LabConcentration.All ? FileTexts.Get("Chart.Concentration.AllLabs") : FileTexts.Region(group)))
            .ToArray();
        var (title, valueTitle, format) = p.Metric switch
        {
            ConcentrationEndpoints.Top1Share => (FileTexts.Get("Chart.Concentration.Top1.Title"), FileTexts.Get("Chart.Concentration.Top1.Axis"), ValueFormat.Percent),
            ConcentrationEndpoints.Top5Share => (FileTexts.Get("Chart.Concentration.Top5.Title"), FileTexts.Get("Chart.Concentration.Top5.Axis"), ValueFormat.Percent),
            ConcentrationEndpoints.EffectiveLabs => (FileTexts.Get("Chart.Concentration.Effective.Title"), FileTexts.Get("Chart.Concentration.Effective.Axis"), ValueFormat.Count),
            _ => (FileTexts.Get("Chart.Concentration.Hhi.Title"), FileTexts.Get("Chart.Concentration.Hhi.Axis"), ValueFormat.Count),
        };
        var info = ExportInfo.For(title, asOf, FilterWords.Window(FilterWords.View(p.Parameters.Attribution, p.Parameters.Scope), p.From, p.To, runs.Count, ConcentrationEndpoints.HistoryRuns),
            [FileTexts.Translate("Export.Concentration.Definition", ConcentrationEndpoints.Definition)], links, "concentration");
        var pageQuery = ListUrl.ViewQuery(p.Parameters);
        if (p.Metric != ConcentrationEndpoints.Hhi)
        {
            pageQuery.Add(new("metric", p.Metric));
        }

        return new Chart("concentration", info, new LineBody(ChartRun.Of(runs), series, valueTitle, format), "/concentration" + QueryString.Create(pageQuery).Value);
    }

    /// <summary>An item's value for a metric, in the chart's unit (shares in percent).</summary>
    public static double? Value(ConcentrationItem? item, string metric) => item is null ? null : metric switch
    {
        ConcentrationEndpoints.Top1Share => item.Top1Share * 100,
        ConcentrationEndpoints.Top5Share => item.Top5Share * 100,
        ConcentrationEndpoints.EffectiveLabs => item.EffectiveLabs,
        _ => item.Hhi,
    };
}
