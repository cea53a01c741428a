using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Concentration;

/// <summary>
/// An item of <c>GET /api/v1/concentration</c>: how concentrated one group's 30-day downloads are across its registered
/// labs at one run. <see cref="Group"/> is <c>All</c> (every registered lab) or a region.
/// </summary>
/// <param name="Hhi">The Herfindahl–Hirschman index: the sum of the labs' squared shares in percent, 0–10,000 (10,000: one lab has everything).</param>
/// <param name="EffectiveLabs">10,000 / HHI: the number of equal-sized labs that would be as concentrated.</param>
/// <param name="TopLab">The lab with the most downloads (registry id); null when the group has none.</param>
/// <param name="Top1Share">That lab's share of the group's downloads, 0–1.</param>
/// <param name="Top5Share">The five largest labs' share of the group's downloads, 0–1.</param>
/// <param name="Source">The run's source (hub-api, hub-stats, radar-snapshot, osir-monthly): sources cover different labs, so compare runs of one source.</param>
public sealed record ConcentrationItem(
    DateTime At,
    int RunId,
    string Source,
    string Group,
    int Labs,
    long Downloads30d,
    double? Hhi,
    double? EffectiveLabs,
    string? TopLab,
    double? Top1Share,
    double? Top5Share);

/// <summary>
/// Concentration of downloads across labs, per run, for every registered lab together and for each region: "is a
/// region's lead a few labs or a broad ecosystem?". Computed from the runs' lab totals (<see cref="LabHistory"/>), so
/// it follows the counting view (attribution, scope) and costs a few hundred rows a run. Models of no registered lab
/// (community uploaders, unknown namespaces) are not a lab and are left out of both the shares and the index.
/// </summary>
public sealed class LabConcentration(RunHistory runHistory, LabHistory history)
{
    public const string All = "All";

    /// <summary>The groups in the order lists and charts show them: all labs, then the regions that have labs.</summary>
    public static readonly IReadOnlyList<string> Groups = [All, .. Regions.All.Where(region => region != Regions.Unknown)];

    /// <summary>Every group at every run of the window, oldest run first; one region only with <c>region=</c>.</summary>
    public async Task<IReadOnlyList<ConcentrationItem>> ItemsAsync(
        AsOfRun? asOf, ListParameters filter, DateOnly? from, DateOnly? to, int recent, CancellationToken cancellationToken)
    {
        var view = CountingView.Of(filter) with { IncludeCommunity = false };
        var items = new List<ConcentrationItem>();
        foreach (var run in await runHistory.WindowAsync(asOf, from, to, recent, cancellationToken))
        {
            var totals = await history.LabsAsync(run, view, cancellationToken);
            items.AddRange(Of(run, totals.Labs).Where(item => filter.Region is null || item.Group == filter.Region));
        }

        return items;
    }

    /// <summary>The groups of one run, in <see cref="Groups"/> order.</summary>
    public static IEnumerable<ConcentrationItem> Of(HistoryRun run, IReadOnlyList<LabItem> labs) =>
        Groups.Select(group => Of(run, group, group == All ? labs : labs.Where(lab => lab.Region == group).ToArray()));

    /// <summary>One group's concentration: shares of the labs with downloads in the run.</summary>
    public static ConcentrationItem Of(HistoryRun run, string group, IReadOnlyList<LabItem> labs) =>
        Of(run, group, labs.Select(lab => (lab.Id, lab.Downloads30d)));

    /// <summary>One group's concentration from its labs' downloads (the raw ones, or the adjusted view's).</summary>
    public static ConcentrationItem Of(HistoryRun run, string group, IEnumerable<(string Id, long Downloads30d)> labs)
    {
        var active = labs.Where(lab => lab.Downloads30d > 0)
            .OrderByDescending(lab => lab.Downloads30d).ThenBy(lab => lab.Id, StringComparer.Ordinal).ToArray();
        var total = active.Sum(lab => lab.Downloads30d);
        if (total == 0)
        {
            return new ConcentrationItem(run.At, run.Id, run.Source.Key(), group, 0, 0, null, null, null, null, null);
        }

        var hhi = active.Sum(lab => Math.Pow(100.0 * lab.Downloads30d / total, 2));
        return new ConcentrationItem(run.At, run.Id, run.Source.Key(), group, active.Length, total, hhi, 10_000 / hhi, active[0].Id,
            (double)active[0].Downloads30d / total, (double)active.Take(5).Sum(lab => lab.Downloads30d) / total);
    }

    /// <summary>
/// What a reader should take from an HHI, in the bands of the 1992 US Horizontal Merger Guidelines (below 1,000
/// unconcentrated, 1,000–1,800 moderately, above 1,800 highly concentrated; the 2023 Merger Guidelines keep 1,800 as
/// the line for "highly"). A convention for markets, used here only as words for a number.
/// </summary>
    public static string Reading(double? hhi) => hhi switch
    {
        null => "no downloads",
        > 1800 => "highly concentrated",
        >= 1000 => "moderately concentrated",
        _ => "unconcentrated",
    };
}
