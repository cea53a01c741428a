using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Flags;

/// <summary>
/// The adjusted view as a chart (<c>/charts/adjusted-shares</c>, <c>/embed/adjusted-shares</c>): one column per group,
/// as tall as its raw 30-day downloads, split into what is left with inflated counts left out (below) and the flagged
/// models' excess (on top), so the raw and the adjusted figure are read off the same column, side by side.
/// </summary>
public sealed class AdjustedCharts(IDbContextFactory<OpenModelWatchDb> dbFactory, AdjustedShares shares, LabRegistry registry)
{
    public const int DefaultColumns = 10;
    public const int MaxColumns = 20;

    /// <summary>Dark grey and reddish purple (Okabe–Ito): apart from the region colours and from each other for colour-blind readers.</summary>
    public const string AdjustedColor = "#4d4d4d";

    public const string ExcessColor = "#cc79a7";

    public static readonly QueryParameter ColumnsParameter = new("n", $"How many groups the chart shows, 1 to {MaxColumns}: the largest by adjusted downloads.",
        Microsoft.OpenApi.JsonSchemaType.Integer, Default: "10") { Minimum = 1, Maximum = MaxColumns };

    public async Task<Chart?> ChartAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, [Metrics.Downloads30d]);
        var by = AdjustedSharesEndpoints.By(query);
        var n = ListParametersParser.Integer(query, "n", DefaultColumns, 1, MaxColumns);
        var asOf = await PinnedRun.ResolveAsync(dbFactory, p.Run, cancellationToken);
        var items = asOf is null ? [] : await shares.ItemsAsync(asOf, p.Parameters, by, cancellationToken);
        var shown = Columns(items, n);
        var body = new ColumnBody(
            [.. shown.Select(item => Name(item, by))],
            [
                new ColumnSeries("adjusted", [.. shown.Select(item => (double)item.AdjustedDownloads30d)], AdjustedColor, FileTexts.Get("Chart.Adjusted.AdjustedSeries")),
                new ColumnSeries("excess", [.. shown.Select(item => (double)item.Excess)], ExcessColor, FileTexts.Get("Chart.Adjusted.ExcessSeries")),
            ],
            FileTexts.Get("Adjusted.Column." + by), Metrics.Label(Metrics.Downloads30d), ValueFormat.Count);
        var flagged = items.Sum(item => item.FlaggedModels);
        var filters = FilterWords.Of(p.Parameters, registry) + " · " + FileTexts.Get(flagged == 1 ? "Chart.Adjusted.Flagged.One" : "Chart.Adjusted.Flagged.Other", flagged);
        var info = ExportInfo.For(FileTexts.Get("Chart.Adjusted.Title." + by), asOf, filters,
            [FileTexts.Translate("Export.Adjusted.Definition", AdjustedSharesEndpoints.Definition), Metrics.Definition(Metrics.Downloads30d)], links, "adjusted");
        var pagePath = by switch { ShareGroup.Country => "/countries", ShareGroup.Lab => "/labs", _ => "/" };
        var page = pagePath + QueryString.Create(ListUrl.ToPairs(p.Parameters with { Adjusted = true, Sort = null }, "none")).Value;
        return new Chart("adjusted-shares", info, body, page);
    }

    /// <summary>The groups a chart shows: those with downloads, the largest by adjusted downloads first, at most <paramref name="n"/>.</summary>
    public static IReadOnlyList<AdjustedShareItem> Columns(IEnumerable<AdjustedShareItem> items, int n) =>
        [.. items.Where(item => item.Downloads30d > 0)
            .OrderByDescending(item => item.AdjustedDownloads30d).ThenBy(item => item.Key, StringComparer.Ordinal).Take(n)];

    private string Name(AdjustedShareItem item, ShareGroup by) => by switch
    {
        // A lab's short name under its column ("Qwen", not "Qwen (Alibaba Cloud)"); the full one is in the table file.
        ShareGroup.Lab => registry.ById(item.Key)?.Name.Split(" (")[0] ?? FileTexts.Get("Adjusted.NoLab"),
        ShareGroup.Country => PlaceNames.Country(item.Key),
        _ => FileTexts.Region(item.Key),
    };
}
