using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Reading;

/// <summary>
/// The per-lab totals a run wrote when it succeeded (<see cref="RunTotal"/>): what an unfiltered labs, countries or
/// overview view of that run reads instead of the run's models. A filtered view (a country, a task, a size…) is
/// computed from the models, as before.
/// </summary>
public static class StoredTotals
{
    /// <summary>Whether the view asks only for an attribution and a scope (paging and order aside): what totals answer.</summary>
    public static bool Answer(ListParameters parameters) =>
        parameters.Countries.Count == 0 && parameters.Region is null && parameters.Lab is null && parameters.Task is null
        && parameters.Q is null && parameters.License is null && parameters.MinParameters is null && parameters.MaxParameters is null
        && parameters.CreatedFrom is null && parameters.CreatedTo is null;

    /// <summary>The run's totals per lab under the view (the empty lab id: models of no registered lab); null when the view has filters or the run wrote none.</summary>
    public static async Task<IReadOnlyList<RunTotal>?> OfAsync(OpenModelWatchDb db, int runId, ListParameters parameters, CancellationToken cancellationToken)
    {
        if (!Answer(parameters))
        {
            return null;
        }

        var attribution = parameters.Attribution.ToString();
        var scope = parameters.Scope.ToString();
        var totals = await db.RunTotals.AsNoTracking()
            .Where(t => t.RunId == runId && t.Attribution == attribution && t.Scope == scope)
            .ToListAsync(cancellationToken);
        return totals.Count == 0 ? null : totals;
    }
}
