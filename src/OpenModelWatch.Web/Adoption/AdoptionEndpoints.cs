using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Adoption;

/// <summary>
/// Size- and age-fair adoption end to end: ATOM's reviewed metadata, the query and the field documentation
/// (<see cref="AddAdoption"/>); its API routes, chart, embed and table file (<see cref="MapAdoption"/>). Its pages are
/// <c>AdoptionPage.razor</c> (the "punching above its weight" leaderboard) and the model page's <c>AdoptionPanel.razor</c>.
/// </summary>
public static class AdoptionEndpoints
{
    public const int MaxChartModels = 50;

    public const string Definition =
        "Adoption ratio: a model's 30-day downloads ÷ the median of its peers', the registered labs' models of the same size class and age band in the run (itself included); a model younger than 30 days counts as if it had the whole window (× 30 / days since release); given only for groups of at least 10 models with a median above 0.";

    private static readonly QueryParameter _sizeClass = new("sizeClass", "One size class only (total parameters): " + string.Join(", ", SizeClasses.All.Select(band => $"{band.Key} ({band.Label})")) + ", unknown.", Values: SizeClasses.Keys);
    private static readonly QueryParameter _ageBand = new("ageBand", "One age band only (time since release at the run): " + string.Join(", ", AgeBands.All.Select(band => $"{band.Key} ({band.Label})")) + ", unknown.", Values: AgeBands.Keys);
    private static readonly QueryParameter _topN = new("n", $"How many models the chart ranks, 1 to {MaxChartModels}.", Microsoft.OpenApi.JsonSchemaType.Integer, Default: "20") { Minimum = 1, Maximum = MaxChartModels };

    public static IHostApplicationBuilder AddAdoption(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdoptionOptions>().BindConfiguration(AdoptionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(provider => AtomMetadata.Load(provider.GetRequiredService<IOptions<AdoptionOptions>>().Value.ResolvedPath));
        // Loaded at start, so a malformed line stops the app rather than the first visitor's page.
        builder.Services.AddHostedService<AtomMetadataCheck>();
        builder.Services.AddSingleton<AdoptionQuery>();
        builder.Services.AddSingleton<AdoptionCharts>();
        builder.Services.AddFieldDocs<AdoptionItem>(
            "A registered lab's model in the as-of run, with its size class, its age and its downloads compared with its peers'.",
            ("lab", "The id of the lab the model counts for under the requested attribution; null when that lab is unknown (by origin)."),
            ("parameters", "Total parameters: ATOM's reviewed total when ATOM lists the model, else the Hub's safetensors total; null when unknown."),
            ("parametersSource", "Where parameters comes from: atom or hub; null when unknown."),
            ("sizeClass", "The size class of parameters: " + string.Join(", ", SizeClasses.All.Select(band => $"{band.Key} ({band.Label})")) + ", or unknown."),
            ("released", "The release day (UTC): ATOM's corrected release date when it has one, else the Hub's createdAt."),
            ("releasedSource", "Where released comes from: atom or hub; null when unknown."),
            ("ageDays", "Whole days from the release to the run's as-of time; negative when the release is after the run."),
            ("ageBand", "The band of ageDays: " + string.Join(", ", AgeBands.All.Select(band => $"{band.Key} ({band.Label})")) + ", or unknown."),
            ("peers", "Models in the peer group (the registered labs' models of the same size class and age band in the run), itself included."),
            ("downloads30dEquivalent", "downloads30d as if the model had existed the whole 30-day window: × 30 / (ageDays + 1) under 29 days old, else downloads30d itself; null when the age is unknown."),
            ("peerMedian", "The peer group's median downloads30dEquivalent."),
            ("ratio", "downloads30dEquivalent ÷ peerMedian: 1 = a typical model of its size and age; null when not given (see note)."),
            ("note", "Why there is no ratio (size unknown, release date unknown, released after the run, a peer group under 10 models, a peer median of 0); null when there is one."));
        builder.Services.AddFieldDocs<PeerGroupItem>(
            "A peer group of the run: the registered labs' models of one size class and one age band.",
            ("sizeClass", "The size class: " + string.Join(", ", SizeClasses.All.Select(band => $"{band.Key} ({band.Label})")) + "."),
            ("ageBand", "The age band: " + string.Join(", ", AgeBands.All.Select(band => $"{band.Key} ({band.Label})")) + "."),
            ("models", "Models in the group."),
            ("median30dEquivalent", "The median of their 30-day-equivalent downloads (downloads30d × 30 / (ageDays + 1) under 29 days old; the mean of the two middle values for an even count)."),
            ("downloads30d", "The sum of their 30-day downloads."));
        return builder;
    }

    public static IEndpointRouteBuilder MapAdoption(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();
        api.MapGet("/adoption", (HttpContext context, AdoptionQuery adoption, CancellationToken ct) =>
                ApiLists.ListAsync(context, AdoptionQuery.SortFields, parameters => adoption.ListAsync(parameters, AdoptionFilter.Parse(context.Request.Query), ct)))
            .Documented<AdoptionItem>("Adoption", "Size- and age-fair adoption: registered labs' models with their 30-day downloads over the median of their peers of the same size class and age band, highest first")
            .WithQueryParameters(QueryParameters.List(AdoptionQuery.SortFields), [_sizeClass, _ageBand]);
        api.MapGet("/adoption/peer-groups", (HttpContext context, AdoptionQuery adoption, CancellationToken ct) =>
                ApiLists.ListAsync(context, ["none"], parameters => adoption.GroupsAsync(parameters, ct)))
            .Documented<PeerGroupItem>("AdoptionPeerGroups", "The peer groups of the adoption ratio: models and median 30-day downloads of each size class and age band")
            .WithQueryParameters(QueryParameters.Paging, [QueryParameters.Format, QueryParameters.Run]);

        app.MapChartGroup().MapGet("/adoption.{format}", (string format, HttpContext context, AdoptionCharts charts, CancellationToken ct) =>
                ChartFiles.AnswerAsync(context, format, links => charts.TopAsync(context.Request.Query, links, ct)))
            .WithSummary("The models punching above their weight: the highest adoption ratios, coloured by region (the adoption page's chart)")
            .DocumentedChart([_topN, .. QueryParameters.Counting, .. QueryParameters.Filters, _sizeClass, _ageBand]);

        app.MapEmbedGroup().MapGet("/adoption", (HttpContext context, AdoptionCharts charts, CancellationToken ct) =>
            EmbedPage.AnswerAsync(context, "adoption", links => charts.TopAsync(context.Request.Query, links, ct)));

        app.MapExportGroup().MapGet("/adoption.{format}", TableAsync)
            .WithSummary("Every model of the adoption list, with its filters and sort")
            .DocumentedTable([.. QueryParameters.Counting, .. QueryParameters.Filters, _sizeClass, _ageBand, QueryParameters.Sort(AdoptionQuery.SortFields), QueryParameters.Order]);
        return app;
    }

    /// <summary>The filters of a view in words, with the adoption list's own.</summary>
    public static string Filters(ListParameters parameters, AdoptionFilter filter, LabRegistry registry)
    {
        var words = FilterWords.Of(parameters, registry);
        var own = new[]
        {
            filter.SizeClass is { } size ? "size " + SizeClasses.Label(size) : null,
            filter.AgeBand is { } age ? "age " + AgeBands.Label(age) : null,
        }.OfType<string>();
        return string.Join(" · ", own.Prepend(words));
    }

    private static Task<IResult> TableAsync(string format, HttpContext context, IDbContextFactory<OpenModelWatchDb> dbFactory, AdoptionQuery adoption, LabRegistry registry, CancellationToken cancellationToken) =>
        TableExport.AnswerAsync(context, format, AdoptionQuery.SortFields, dbFactory, async (_, asOf, p) =>
        {
            var filter = AdoptionFilter.Parse(context.Request.Query);
            var view = asOf is null ? null : await adoption.ViewAsync(p with { Run = asOf.Id }, filter, cancellationToken);
            var rows = view is null ? [] : AdoptionQuery.Sort(view.Items, p.Sort, p.Ascending).ToArray();
            return new Table<AdoptionItem>("adoption", FileTexts.Get("Export.Adoption.Title"), Filters(p, filter, registry),
                [FileTexts.Translate("Export.Adoption.Definition", Definition), Metrics.Definition(Metrics.Downloads30d), FileTexts.Translate("Export.Adoption.Credit", AtomMetadata.Credit)], "adoption", rows.Length, ExportFiles.InMemory(rows));
        });
}

/// <summary>The adoption page's chart: the highest ratios of the view, coloured by region.</summary>
public sealed class AdoptionCharts(AdoptionQuery adoption, LabRegistry registry)
{
    public async Task<Chart?> TopAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        // The page's sort comes along from its export menu; the chart ranks by ratio whatever it is.
        var p = ChartParameters.Parse(query, ["ratio"], AdoptionQuery.SortFields);
        var filter = AdoptionFilter.Parse(query);
        var n = ListParametersParser.Integer(query, "n", 20, 1, AdoptionEndpoints.MaxChartModels);
        var view = await adoption.ViewAsync(p.Parameters, filter, cancellationToken);
        var top = view is null ? [] : AdoptionQuery.Sort(view.Items, AdoptionQuery.Ratio, ascending: false).Where(item => item.Ratio is not null).Take(n).ToArray();
        var bars = top.Select((item, i) => new BarItem(i + 1, $"{item.Id} · {SizeClasses.Label(item.SizeClass)} · {AgeBands.Label(item.AgeBand)}", item.Region, item.Ratio!.Value, RegionColors.Of(item.Region))).ToArray();
        var legend = p.Parameters.Attribution.Regions().Select(region => new LegendEntry($"{FileTexts.Region(region)}: {bars.Count(bar => bar.Group == region)}", RegionColors.Of(region))).ToArray();
        var info = ExportInfo.For(FileTexts.Get("Chart.Adoption.Title", n), view?.AsOf, AdoptionEndpoints.Filters(p.Parameters, filter, registry),
            [FileTexts.Translate("Export.Adoption.Definition", AdoptionEndpoints.Definition), FileTexts.Translate("Export.Adoption.Credit", AtomMetadata.Credit)], links, "adoption");
        var pairs = ListUrl.ToPairs(p.Parameters with { Sort = AdoptionQuery.Ratio }, AdoptionQuery.Ratio);
        if (filter.SizeClass is { } size)
        {
            pairs.Add(new("sizeClass", size));
        }

        if (filter.AgeBand is { } age)
        {
            pairs.Add(new("ageBand", age));
        }

        var page = "/adoption" + QueryString.Create(pairs).Value;
        return new Chart("adoption", info, new BarBody(bars, FileTexts.Get("Chart.Adoption.ValueAxis"), ValueFormat.Count, legend), page);
    }
}

/// <summary>Loads ATOM's metadata when the app starts: a malformed file stops it with the file and line named.</summary>
public sealed class AtomMetadataCheck(AtomMetadata metadata, ILogger<AtomMetadataCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("ATOM metadata: {Parameters} reviewed parameter counts, {Released} release dates", metadata.ParameterCounts, metadata.ReleaseDates);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
