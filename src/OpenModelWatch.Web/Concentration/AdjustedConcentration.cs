using OpenModelWatch.Web.Flags;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Concentration;

/// <summary>One group's concentration at the as-of run, raw and with the flagged models' excess left out.</summary>
public sealed record AdjustedConcentrationItem(string Group, ConcentrationItem Raw, ConcentrationItem Adjusted);

/// <summary>
/// The concentration page's adjusted view (<c>adjusted=true</c>): the index and the top-1/top-5 shares of the as-of run
/// computed twice from the same lab totals, once as the Hub served them and once with the excess of the models the
/// inflated-count rule flags at that run left out (<see cref="AdjustedShares"/>, by lab). Models of no registered lab
/// are left out of both, as in <see cref="LabConcentration"/>.
/// </summary>
public static class AdjustedConcentration
{
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
}
