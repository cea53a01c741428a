using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Models;

/// <summary>A value a filter can take, with how many models of the run have it.</summary>
public sealed record FacetValue(string Value, int Models);

/// <summary>A registered lab with models in the run, as the lab filter offers it.</summary>
public sealed record LabChoice(string Id, string Name);

/// <summary>
/// The choices of the models page's filters in a run, as uploaders (the default view) list them: tasks and licences,
/// most common first; countries by code (XX for models of no known lab); registered labs by name.
/// </summary>
public sealed record ModelFacetValues(IReadOnlyList<FacetValue> Tasks, IReadOnlyList<FacetValue> Licenses, IReadOnlyList<string> Countries, IReadOnlyList<LabChoice> Labs);

/// <summary>Facets per run; a succeeded run never changes, so each is computed once.</summary>
public sealed class ModelFacets(IDbContextFactory<OpenModelWatchDb> dbFactory) : IViewWarmup
{
    private readonly ConcurrentDictionary<int, Lazy<Task<ModelFacetValues>>> _byRun = new();

    public Task WarmAsync(AsOfRun asOf, CancellationToken cancellationToken) => GetAsync(asOf.Id, cancellationToken);

    public Task<ModelFacetValues> GetAsync(int runId, CancellationToken cancellationToken) =>
        _byRun.GetOrAdd(runId, id => new Lazy<Task<ModelFacetValues>>(() => ComputeAsync(id))).Value.WaitAsync(cancellationToken);

    private async Task<ModelFacetValues> ComputeAsync(int runId)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            return await FromTotalsAsync(db, runId, CancellationToken.None) ?? await FromRowsAsync(db, runId, CancellationToken.None);
        }
        catch
        {
            _byRun.TryRemove(runId, out _);
            throw;
        }
    }

    /// <summary>
    /// The latest run's choices from what it wrote when it succeeded: its counts per task and licence
    /// (<see cref="RunFacet"/>) and its totals per lab (<see cref="RunTotal"/>), a few hundred rows; null for an earlier
    /// run or one without them. Reading the run's rows instead takes about 17 s at 3 million models (docs/performance.md).
    /// </summary>
    internal static async Task<ModelFacetValues?> FromTotalsAsync(OpenModelWatchDb db, int runId, CancellationToken cancellationToken)
    {
        if (RunCounts.CurrentRunId(db) != runId)
        {
            return null;
        }

        var facets = await db.RunFacets.AsNoTracking().Where(f => f.RunId == runId && f.Scope == nameof(Scope.All)).ToListAsync(cancellationToken);
        var totals = await StoredTotals.OfAsync(db, runId, new ListParameters(), cancellationToken);
        if (facets.Count == 0 || totals is null)
        {
            return null;
        }

        var labs = await db.Labs.AsNoTracking().ToDictionaryAsync(lab => lab.Id, cancellationToken);
        FacetValue[] Values(string facet) => Ordered(facets.Where(f => f.Facet == facet && f.Value.Length > 0).Select(f => new FacetValue(f.Value, f.Models)));
        var registered = totals.Where(t => t.Models > 0 && labs.ContainsKey(t.LabId)).Select(t => labs[t.LabId]).ToList();
        var countries = registered.Select(lab => lab.Country).ToHashSet(StringComparer.Ordinal);
        if (totals.Any(t => t.Models > 0 && !labs.ContainsKey(t.LabId)))
        {
            countries.Add(Regions.UnknownCountry);
        }

        return new ModelFacetValues(
            Values("Task"),
            Values("License"),
            countries.Order(StringComparer.Ordinal).ToArray(),
            registered.Select(lab => new LabChoice(lab.Id, lab.Name)).OrderBy(lab => lab.Name, StringComparer.OrdinalIgnoreCase).ToArray());
    }

    /// <summary>The run's choices from its rows (an earlier run, or one without counts per task and licence).</summary>
    internal static async Task<ModelFacetValues> FromRowsAsync(OpenModelWatchDb db, int runId, CancellationToken cancellationToken)
    {
        var rows = SnapshotRows.Of(db, runId, new ListParameters());
        var tasks = await rows.Where(r => r.Task != null).GroupBy(r => r.Task!)
            .Select(g => new FacetValue(g.Key, g.Count())).ToListAsync(cancellationToken);
        var licenses = await rows.Where(r => r.License != null).GroupBy(r => r.License!)
            .Select(g => new FacetValue(g.Key, g.Count())).ToListAsync(cancellationToken);
        var countries = await rows.Select(r => r.Country).Distinct().ToListAsync(cancellationToken);
        var labIds = await rows.Where(r => r.LabId != null).Select(r => r.LabId!).Distinct().ToListAsync(cancellationToken);
        var names = await db.Labs.AsNoTracking().ToDictionaryAsync(lab => lab.Id, lab => lab.Name, cancellationToken);
        var labs = labIds.Where(names.ContainsKey).Select(id => new { LabId = id, LabName = names[id] }).ToList();
        return new ModelFacetValues(
            Ordered(tasks),
            Ordered(licenses),
            countries.Select(country => country ?? Regions.UnknownCountry).Order(StringComparer.Ordinal).ToArray(),
            labs.Select(lab => new LabChoice(lab.LabId!, lab.LabName!)).OrderBy(lab => lab.Name, StringComparer.OrdinalIgnoreCase).ToArray());
    }

    private static FacetValue[] Ordered(IEnumerable<FacetValue> values) =>
        values.OrderByDescending(v => v.Models).ThenBy(v => v.Value, StringComparer.Ordinal).ToArray();
}
