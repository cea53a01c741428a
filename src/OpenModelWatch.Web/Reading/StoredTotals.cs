using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenModelWatch.Web.Registry;
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

    /// <summary>
    /// How many models of the run the view has, from the run's totals per lab, when the view filters by nothing but
    /// countries, a region or a registered lab (each lab's country from the registry, as the models carry it; the empty
    /// lab id is the models of no registered lab, of no country); null for any other filter, a run without totals, or
    /// an earlier run by origin.
    /// Counting the matches instead reads a filter index's entries: at 3 million models about 0.4 s for China's.
    /// </summary>
    /// <param name="viewTotals">The run's totals under the view's attribution and scope (<see cref="OfAsync"/> of the unfiltered view), already read by the caller.</param>
    public static async Task<int?> CountAsync(OpenModelWatchDb db, int runId, ListParameters parameters, IReadOnlyList<RunTotal> viewTotals, CancellationToken cancellationToken)
    {
        if (FacetOf(parameters) is { } facet)
        {
            return RunCounts.CurrentRunId(db) == runId ? await FacetCountAsync(db, runId, parameters.Scope.ToString(), facet.Name, facet.Value, cancellationToken) : null;
        }

        // A past run's totals by origin hold the origins of its day; its rows are read with today's (SnapshotRows).
        if (!Answer(parameters with { Countries = [], Region = null, Lab = null }) || CommunityLab.NamespaceOf(parameters.Lab) is not null
            || (parameters.Attribution == Attribution.Origin && RunCounts.CurrentRunId(db) != runId))
        {
            return null;
        }

        var countries = await db.Labs.AsNoTracking().ToDictionaryAsync(lab => lab.Id, lab => lab.Country, cancellationToken);
        return viewTotals
            .Where(total => SnapshotRows.InPlace(parameters, total.LabId.Length == 0 ? null : total.LabId, countries.GetValueOrDefault(total.LabId)))
            .Sum(total => total.Models);
    }

    /// <summary>The view's one task or one licence when it filters by nothing else (attribution and scope aside).</summary>
    private static (string Name, string Value)? FacetOf(ListParameters parameters) =>
        parameters.Task is { } task && Answer(parameters with { Task = null }) ? ("Task", task)
        : parameters.License is { } license && Answer(parameters with { License = null }) ? ("License", license)
        : null;

    /// <summary>
    /// The latest run's models with the task or licence, from its counts per task and licence (<see cref="RunFacet"/>);
    /// null when the run has none (then the matches are counted). Counting them instead reads the filter index's
    /// entries: about 1 s for text-generation's million at 3 million models.
    /// </summary>
    private static async Task<int?> FacetCountAsync(OpenModelWatchDb db, int runId, string scope, string facet, string value, CancellationToken cancellationToken)
    {
        var count = await db.RunFacets.AsNoTracking()
            .Where(f => f.RunId == runId && f.Scope == scope && f.Facet == facet && f.Value == value)
            .Select(f => (int?)f.Models)
            .SingleOrDefaultAsync(cancellationToken);
        // No row: no model of the run has the value, or the run has no counts per task and licence at all.
        return count ?? (await db.RunFacets.AnyAsync(f => f.RunId == runId, cancellationToken) ? 0 : null);
    }

    /// <summary>The run's totals per lab under the view (the empty lab id: models of no registered lab); null when the view has filters or the run wrote none.</summary>
    public static async Task<IReadOnlyList<RunTotal>?> OfAsync(OpenModelWatchDb db, int runId, ListParameters parameters, CancellationToken cancellationToken)
    {
        if (!Answer(parameters))
        {
            return null;
        }

        var totals = await OfRunsAsync(db, [runId], parameters.Attribution, parameters.Scope, cancellationToken);
        return totals.Count == 0 ? null : totals;
    }

    /// <summary>
    /// The stored totals of some runs under one attribution and scope, in no particular order. Read with a plain
    /// command, not EF Core's materializer, and each run's rows sought by their key's prefix (the ids, integers, are
    /// written into the statement): a lab's history reads 60 runs' totals (11,160 rows at 3M models), which took EF Core
    /// 50–190 ms over the range of run ids on this machine, the plain reader of the ids' rows about 30 ms with its
    /// context (docs/performance.md).
    /// </summary>
    public static async Task<List<RunTotal>> OfRunsAsync(OpenModelWatchDb db, IReadOnlyCollection<int> runIds, Attribution attribution, Scope scope, CancellationToken cancellationToken)
    {
        var totals = new List<RunTotal>();
        if (runIds.Count == 0)
        {
            return totals;
        }

        // Opened here and closed after, as EF Core does around its own queries (a connection the caller opened, e.g.
        // for a read transaction, stays open).
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().Command(db.Database.CurrentTransaction?.GetDbTransaction(), $"""
                SELECT RunId, LabId, Models, Downloads30d, DownloadsAllTime, AllTimeKnown, Likes FROM RunTotals
                WHERE RunId IN ({string.Join(',', runIds.Distinct().Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)))})
                  AND Attribution = @attribution AND Scope = @scope
                """);
            var attributionText = attribution.ToString();
            var scopeText = scope.ToString();
            command.Parameter("@attribution", attributionText);
            command.Parameter("@scope", scopeText);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                totals.Add(new RunTotal
                {
                    RunId = reader.GetInt32(0), Attribution = attributionText, Scope = scopeText, LabId = reader.GetString(1),
                    Models = reader.GetInt32(2), Downloads30d = reader.GetInt64(3), DownloadsAllTime = reader.GetInt64(4),
                    AllTimeKnown = reader.GetInt32(5), Likes = reader.GetInt64(6),
                });
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return totals;
    }
}
