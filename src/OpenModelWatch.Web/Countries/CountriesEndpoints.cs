using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Flags;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Countries;

/// <summary>
/// The countries feature end to end: its queries and field documentation (<see cref="AddCountries"/>); its API
/// routes, chart, embed and table files (<see cref="MapCountries"/>). Its page is <c>CountriesPage.razor</c>.
/// </summary>
public static class CountriesEndpoints
{
    /// <summary>The two sides the comparison chart draws.</summary>
    private static readonly QueryParameter[] _sides =
    [
        new("a", "The first side: a region (China, US, Europe, Other, Unknown, Community) or an ISO 3166-1 alpha-2 country code.", Default: "China"),
        new("b", "The second side, likewise.", Default: "US"),
    ];

    public static IHostApplicationBuilder AddCountries(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CountryLeaderboard>();
        builder.Services.AddSingleton<CountryHistory>();
        builder.Services.AddSingleton<IViewWarmup>(services => services.GetRequiredService<CountryHistory>());
        builder.Services.AddSingleton<CountryComparison>();
        builder.Services.AddSingleton<CountryCharts>();
        builder.Services.AddFieldDocs<CountryItem>(
            "A country's totals in the as-of run.",
            ("labs", "Labs of the country with models in the run."),
            ("share", "The country's share of the 30-day downloads of every model in view, 0–1."));
        builder.Services.AddFieldDocs<RegionItem>(null, ("share", "The region's share of the 30-day downloads of every model in view, 0–1."));
        builder.Services.AddFieldDocs<CountryHistoryItem>("A country's or a region's totals at one run.");
        return builder;
    }

    public static IEndpointRouteBuilder MapCountries(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();
        api.MapGet("/countries", (HttpContext context, CountryLeaderboard countries, CancellationToken ct) =>
                ApiLists.ListAsync(context, CountryLeaderboard.SortFields, parameters => countries.ListAsync(parameters, ct)))
            .Documented<CountryItem>("ListCountries", "Countries: each country's labs, models, downloads, likes and share of 30-day downloads")
            .WithQueryParameters(QueryParameters.List(CountryLeaderboard.SortFields), [AdjustedRoutes.Parameter])
            .WithAdjustedView(AdjustedSharesEndpoints.List(ShareGroup.Country));
        api.MapGet("/history/countries", HistoryAsync)
            .Documented<CountryHistoryItem>("CountryHistory", "Every country's (or region's, group=region) totals at every run, newest run first")
            .WithQueryParameters(
                [QueryParameters.Metric(CountryHistory.CountryMetrics), new QueryParameter("group", "One item per country, or per region.", Values: ["country", "region"], Default: "country")],
                QueryParameters.Window, [QueryParameters.Compare], QueryParameters.Counting, QueryParameters.Filters[..2], QueryParameters.Paging, [QueryParameters.Format, QueryParameters.Run]);

        app.MapChartGroup().MapGet("/country-comparison.{format}", (string format, HttpContext context, CountryCharts charts, CancellationToken ct) =>
                ChartFiles.AnswerAsync(context, format, links => charts.CountryComparisonAsync(context.Request.Query, links, ct)))
            .WithSummary("Two regions or countries over the runs (the countries page's chart)")
            .DocumentedChart([.. _sides, QueryParameters.Metric(CountryCharts.CompareMetrics), .. QueryParameters.Window, QueryParameters.Compare, .. QueryParameters.Counting]);

        app.MapEmbedGroup().MapGet("/country-comparison", (HttpContext context, CountryCharts charts, CancellationToken ct) =>
            EmbedPage.AnswerAsync(context, "country-comparison", links => charts.CountryComparisonAsync(context.Request.Query, links, ct)));

        var exports = app.MapExportGroup();
        exports.MapGet("/countries.{format}", TableAsync)
            .WithSummary("Every country of the countries list, with its filters and sort")
            .DocumentedTable([.. QueryParameters.Counting, .. QueryParameters.Filters, QueryParameters.Sort(CountryLeaderboard.SortFields), QueryParameters.Order, AdjustedRoutes.Parameter])
            .WithAdjustedView(AdjustedSharesEndpoints.Table(ShareGroup.Country));
        exports.MapGet("/countries/{key}/history.{format}", CountryHistoryTableAsync)
            .WithSummary("A country's (or a region's) totals and share at every run of the window: csv, json or parquet")
            .DocumentedTable([QueryParameters.Metric(CountryHistory.CountryMetrics), .. QueryParameters.Window, QueryParameters.Compare, .. QueryParameters.Counting]);
        exports.MapGet("/regions.{format}", RegionsTableAsync)
            .WithSummary("The regions table of the countries page: the sums of the countries list by region")
            .DocumentedTable([.. QueryParameters.Counting, .. QueryParameters.Filters, AdjustedRoutes.Parameter])
            .WithAdjustedView(AdjustedSharesEndpoints.Table(ShareGroup.Region));
        return app;
    }

    private static async Task<IResult> HistoryAsync(HttpContext context, CountryHistory history, IDbContextFactory<OpenModelWatchDb> dbFactory, CancellationToken ct)
    {
        try
        {
            var query = context.Request.Query;
            var parameters = ListParametersParser.Parse(query, ["at"], "at");
            var csv = ApiLists.IsCsv(query);
            var (from, to) = ListParametersParser.Days(query);
            var metric = MetricOf(query);

            var byRegion = ListParametersParser.Single(query, "group") switch
            {
                null or "country" => false,
                "region" => true,
                var other => throw new ParameterException("group", $"\"{ExportFiles.Short(other)}\" is not country or region."),
            };
            var asOf = await PinnedRun.ResolveAsync(dbFactory, parameters.Run, ct);
            var items = await history.ItemsAsync(asOf, parameters, metric, byRegion, from, to, ct);
            return await ApiLists.AnswerAsync(context, ApiLists.Page(asOf, parameters, items, item => item.RunId), parameters, csv);
        }
        catch (ParameterException exception)
        {
            return exception.ToProblem();
        }
    }

    private static Task<IResult> CountryHistoryTableAsync(string key, string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, CountryHistory history, CancellationToken cancellationToken) =>
        TableExport.AnswerAsync(context, format, ["none"], dbFactory, async (db, asOf, p) =>
        {
            var side = CompareKey.Parse(key, "key", Regions.China);
            var metric = MetricOf(context.Request.Query);
            var (from, to) = ListParametersParser.Days(context.Request.Query);
            var filter = side.IsRegion ? p with { Region = side.Value } : p with { Countries = [side.Value] };
            var items = await history.ItemsAsync(asOf, filter, metric, side.IsRegion, from, to, cancellationToken);
            var runs = await history.WindowRunsAsync(asOf, p, from, to, cancellationToken);
            var window = FilterWords.Range(from, to) ?? FileTexts.Get("Export.LastRuns", RunHistory.MaxRuns);
            var filters = FilterWords.WithComparison($"{side.Label} · {FilterWords.View(p.Attribution, p.Scope)} · share of {Metrics.Label(metric).ToLowerInvariant()} · {window}", runs.Runs, p.Compare, runs.LikeLabs);
            return new Table<CountryHistoryItem>($"{side.Value.ToLowerInvariant()}-history", FileTexts.Get("Export.TotalsByRun", side.IsRegion ? FileTexts.Region(side.Value) : side.Label), filters,
                [.. TableExport.CountDefinitions, Metrics.Definition(Metrics.Share), FileTexts.Get("Chart.RegionDefinition", FileTexts.Translate("Term.Region", Terms.Region))], "sources", items.Count, ExportFiles.InMemory(items))
            {
                Sources = RunHistory.SourcesOf(runs.Runs),
            };
        });

    private static string MetricOf(IQueryCollection query)
    {
        var metric = ListParametersParser.Single(query, "metric") ?? Metrics.Downloads30d;
        return CountryHistory.CountryMetrics.Contains(metric)
            ? metric
            : throw new ParameterException("metric", $"\"{ExportFiles.Short(metric)}\" is not a metric of this list (one of {string.Join(", ", CountryHistory.CountryMetrics)}).");
    }

    private static Task<IResult> TableAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, CancellationToken cancellationToken) =>
        TableExport.AnswerAsync(context, format, CountryLeaderboard.SortFields, dbFactory, async (db, asOf, p) =>
        {
            var countries = asOf is null ? [] : CountryLeaderboard.Sort(await CountryLeaderboard.CountriesAsync(db, asOf.Id, p, cancellationToken), p.Sort, p.Ascending).ToArray();
            return new Table<CountryItem>("countries", FileTexts.Get("Export.Countries.Title"), FilterWords.Of(p, registry, FilterWords.SortLabel(p.Sort ?? Metrics.Downloads30d)),
                [.. TableExport.CountDefinitions, Metrics.Definition(Metrics.Share), FileTexts.Get("Export.CountryDefinition", FileTexts.Translate("Term.Country", Terms.Country)), FileTexts.Get("Chart.RegionDefinition", FileTexts.Translate("Term.Region", Terms.Region))], "labs", countries.Length, ExportFiles.InMemory(countries));
        });

    private static Task<IResult> RegionsTableAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, CancellationToken cancellationToken) =>
        TableExport.AnswerAsync(context, format, ["none"], dbFactory, async (db, asOf, p) =>
        {
            var regions = asOf is null ? [] : RegionItem.RollUp(await CountryLeaderboard.CountriesAsync(db, asOf.Id, p, cancellationToken), p.Attribution).ToArray();
            return new Table<RegionItem>("regions", FileTexts.Get("Export.Regions.Title"), FilterWords.Of(p, registry),
                [.. TableExport.CountDefinitions, Metrics.Definition(Metrics.Share), FileTexts.Get("Chart.RegionDefinition", FileTexts.Translate("Term.Region", Terms.Region))], "denominators", regions.Length, ExportFiles.InMemory(regions));
        });
}
