using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Models;

/// <summary>A value a filter can take, with how many models of the run have it.</summary>
public sealed record FacetValue(string Value, int Models);

/// <summary>The tasks and licences of a run's models, most common first: the choices of the models page's filters.</summary>
public sealed record ModelFacetValues(IReadOnlyList<FacetValue> Tasks, IReadOnlyList<FacetValue> Licenses);

/// <summary>Facets per run; a succeeded run never changes, so each is computed once.</summary>
public sealed class ModelFacets(IDbContextFactory<OpenModelWatchDb> dbFactory)
{
    private readonly ConcurrentDictionary<int, Lazy<Task<ModelFacetValues>>> _byRun = new();

    public Task<ModelFacetValues> GetAsync(int runId, CancellationToken cancellationToken) =>
        _byRun.GetOrAdd(runId, id => new Lazy<Task<ModelFacetValues>>(() => ComputeAsync(id))).Value.WaitAsync(cancellationToken);

    private async Task<ModelFacetValues> ComputeAsync(int runId)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var rows = SnapshotRows.Of(db, runId, new ListParameters());
            var tasks = await rows.Where(r => r.Task != null).GroupBy(r => r.Task!)
                .Select(g => new FacetValue(g.Key, g.Count())).ToListAsync(CancellationToken.None);
            var licenses = await rows.Where(r => r.License != null).GroupBy(r => r.License!)
                .Select(g => new FacetValue(g.Key, g.Count())).ToListAsync(CancellationToken.None);
            return new ModelFacetValues(Ordered(tasks), Ordered(licenses));
        }
        catch
        {
            _byRun.TryRemove(runId, out _);
            throw;
        }
    }

    private static FacetValue[] Ordered(IEnumerable<FacetValue> values) =>
        values.OrderByDescending(v => v.Models).ThenBy(v => v.Value, StringComparer.Ordinal).ToArray();
}
