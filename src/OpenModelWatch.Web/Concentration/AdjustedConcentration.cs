using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Flags;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Concentration;

/// <summary>One group's concentration at the as-of run, raw and with the flagged models' excess left out.</summary>
public sealed record AdjustedConcentrationItem(string Group, ConcentrationItem Raw, ConcentrationItem Adjusted);

/// <summary>
/// An item of <c>/api/v1/concentration?adjusted=true</c>: one group's concentration at the run, raw beside adjusted
/// (the flagged models' excess left out of its labs' downloads).
/// </summary>
public sealed record AdjustedConcentrationRow(DateTime At, int RunId, string Source, string Group, int Labs, long Downloads30d, double? Hhi,
    double? Top1Share, double? Top5Share, long AdjustedDownloads30d, double? AdjustedHhi, double? AdjustedTop1Share, double? AdjustedTop5Share)
{
    public static AdjustedConcentrationRow Of(AdjustedConcentrationItem item) => new(item.Raw.At, item.Raw.RunId, item.Raw.Source, item.Group,
        item.Raw.Labs, item.Raw.Downloads30d, item.Raw.Hhi, item.Raw.Top1Share, item.Raw.Top5Share,
        item.Adjusted.Downloads30d, item.Adjusted.Hhi, item.Adjusted.Top1Share, item.Adjusted.Top5Share);
}

/// <summary>
/// The concentration page's adjusted view (<c>adjusted=true</c>), also the answer of <c>adjusted=true</c> on
/// <c>/api/v1/concentration</c> and <c>/exports/concentration</c>: the index and the top-1/top-5 shares of the as-of
/// run (or <c>run=</c>) computed twice from the same lab totals, once as the Hub served them and once with the excess
/// of the models the inflated-count rule flags at that run left out (<see cref="AdjustedShares"/>, by lab). Models of
/// no registered lab are left out of both, as in <see cref="LabConcentration"/>. One run only: a series of adjusted
/// runs would need each run's own window of flags.
/// </summary>
public static class AdjustedConcentration
{
    public const string Definition =
        "Adjusted: the same index and shares with the excess of the models flagged at this run by the inflated-count rule left out of their labs' 30-day downloads (excess = downloads − the model's usual level, the median at its other runs). The raw figures are the Hub's, unchanged.";

    public static IReadOnlyList<AdjustedConcentrationItem> Of(HistoryRun run, IReadOnlyList<AdjustedShareItem> labs)
    {
        var registered = labs.Where(lab => lab.Key != AdjustedShares.NoLab).ToArray();
        return [.. LabConcentration.Groups.Select(group =>
        {
            var inGroup = group == LabConcentration.All ? registered : registered.Where(lab => lab.Region == group).ToArray();
            return new AdjustedConcentrationItem(group,
                LabConcentration.Of(run, group, inGroup.Select(lab => (lab.Key, lab.Downloads30d))),
                LabConcentration.Of(run, group, inGroup.Select(lab => (lab.Key, lab.AdjustedDownloads30d))));
        })];
    }

    /// <summary>Every group at the run (one only with <c>region=</c>), raw beside adjusted.</summary>
    public static async Task<IReadOnlyList<AdjustedConcentrationRow>> RowsAsync(AdjustedShares shares, AsOfRun asOf, ListParameters parameters, CancellationToken cancellationToken)
    {
        var labs = await shares.ItemsAsync(asOf, CountingView.Of(parameters).Parameters, ShareGroup.Lab, cancellationToken);
        return [.. Of(new HistoryRun(asOf.Id, asOf.At, asOf.Trigger, asOf.Source), labs)
            .Where(item => parameters.Region is null || item.Group == parameters.Region)
            .Select(AdjustedConcentrationRow.Of)];
    }

    /// <summary><c>/api/v1/concentration?adjusted=true</c>.</summary>
    public static async Task<IResult> ListAsync(HttpContext context)
    {
        var services = context.RequestServices;
        try
        {
            var query = context.Request.Query;
            var parameters = ListParametersParser.Parse(query, ["at"], "at");
            var asOf = await PinnedRun.ResolveAsync(services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>(), parameters.Run, context.RequestAborted);
            var rows = asOf is null ? [] : await RowsAsync(services.GetRequiredService<AdjustedShares>(), asOf, parameters, context.RequestAborted);
            var page = new ListPage<AdjustedConcentrationRow>(asOf?.At, asOf?.Id, rows.Count, [.. rows.Skip(parameters.Offset).Take(parameters.Limit)]);
            return await ApiLists.AnswerAsync(context, page, parameters, ApiLists.IsCsv(query));
        }
        catch (ParameterException exception)
        {
            return exception.ToProblem();
        }
    }

    /// <summary><c>/exports/concentration.{format}?adjusted=true</c>.</summary>
    public static Task<IResult> TableAsync(HttpContext context)
    {
        var services = context.RequestServices;
        return TableExport.AnswerAsync(context, context.Request.RouteValues["format"] as string ?? "", ["none"], services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>(), async (_, asOf, p) =>
        {
            var rows = asOf is null ? [] : await RowsAsync(services.GetRequiredService<AdjustedShares>(), asOf, p, context.RequestAborted);
            var group = p.Region is { } region ? $" · {region} only" : "";
            return new Table<AdjustedConcentrationRow>("concentration-adjusted", FileTexts.Get("Export.Concentration.AdjustedTitle"),
                $"{FilterWords.View(p.Attribution, p.Scope)}{group}",
                [FileTexts.Translate("Export.Concentration.Definition", ConcentrationEndpoints.Definition), FileTexts.Translate("Export.Concentration.AdjustedDefinition", Definition)],
                "adjusted", rows.Count, ExportFiles.InMemory(rows));
        });
    }
}
