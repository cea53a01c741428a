using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Models;

/// <summary>What the store knows of a model, whether or not the as-of run saw it.</summary>
public sealed record ModelRecord(string Id, string Namespace, string? Lab, string? LabName, string? Country, string? Task, string? Library,
    string? License, DateTime? CreatedAt, long? Parameters, string? BaseModel, string? Relation, int LastSeenRunId);

/// <summary>Everything the model page shows.</summary>
/// <param name="Current">The model's item in the as-of run, as <c>/api/v1/models</c> lists it; null when that run did not see it.</param>
/// <param name="Rank">Its place by 30-day downloads in the as-of run, in the order of <c>/api/v1/models</c>.</param>
/// <param name="Base">The base model's item in the as-of run, when that model is tracked too.</param>
/// <param name="Derivatives">Tracked models that declare this one as their base, most downloaded first (at most 10).</param>
public sealed record ModelDetailData(
    AsOfRun? AsOf,
    ModelRecord Model,
    ModelItem? Current,
    int? Rank,
    int RankedModels,
    IReadOnlyList<ModelPoint> History,
    ModelItem? Base,
    IReadOnlyList<ModelItem> Derivatives,
    int DerivativeCount);

/// <param name="names">When given and loaded for the run, a listed model's rank is its place there (<see cref="ModelNameIndex.PlaceOf"/>).</param>
public sealed class ModelDetailQuery(IDbContextFactory<OpenModelWatchDb> dbFactory, ModelNameIndex? names = null)
{
    private const int MaxDerivatives = 10;

    /// <summary>Null when the store has never seen a model with this id.</summary>
    public async Task<ModelDetailData?> GetAsync(string hubId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var model = await db.Models.AsNoTracking().Where(m => m.HubId == hubId)
            .Select(m => new ModelRecord(m.HubId, m.Namespace, m.LabId, m.Lab == null ? null : m.Lab.Name, m.Lab == null ? null : m.Lab.Country,
                m.Task, m.Library, m.License, m.CreatedAt, m.Parameters, m.BaseModel, m.Relation, m.LastSeenRunId))
            .FirstOrDefaultAsync(cancellationToken);
        if (model is null)
        {
            return null;
        }

        var history = await ModelHistory.PointsAsync(db, hubId, cancellationToken);
        var asOf = await AsOf.LatestAsync(db, cancellationToken);
        if (asOf is null)
        {
            return new ModelDetailData(null, model, null, null, 0, history, null, [], 0);
        }

        var all = new ListParameters();
        var rows = SnapshotRows.Of(db, asOf.Id, all);
        var current = await rows.Where(r => r.HubId == hubId).FirstOrDefaultAsync(cancellationToken);
        // The run's totals know how many models it has; counting them reads the whole run (3 million at the Hub's size).
        var counted = SnapshotRows.Of(db, asOf.Id, all, count: true);
        var ranked = (await StoredTotals.OfAsync(db, asOf.Id, all, cancellationToken))?.Sum(t => t.Models) ?? await counted.CountAsync(cancellationToken);
        int? rank = null;
        if (current is not null && names is not null && RunCounts.CurrentRunId(db) == asOf.Id)
        {
            rank = names.PlaceOf(asOf.Id, current.ModelId);
        }

        if (current is not null && rank is null)
        {
            // Ahead of it in /api/v1/models?sort=downloads30d (ModelLeaderboard.Sort): more downloads, or as many and a
            // larger store id (ties go by the store's id in the sort's direction). Two counts, each a range of the
            // (Listed, Downloads30d) index on SQLite (SnapshotRows.Of's count form), read up to the model's place.
            var (downloads, id) = (current.Downloads30d, current.ModelId);
            rank = await counted.CountAsync(r => r.Downloads30d > downloads, cancellationToken)
                + await counted.CountAsync(r => r.Downloads30d == downloads && r.ModelId > id, cancellationToken) + 1;
        }

        var baseRow = model.BaseModel is { } baseId ? await rows.Where(r => r.HubId == baseId).FirstOrDefaultAsync(cancellationToken) : null;
        var derivatives = rows.Where(r => r.BaseModel == hubId);
        var derivativeCount = await derivatives.CountAsync(cancellationToken);
        var topDerivatives = await derivatives.OrderByDescending(r => r.Downloads30d).ThenBy(r => r.HubId).Take(MaxDerivatives).ToListAsync(cancellationToken);
        return new ModelDetailData(
            asOf,
            model,
            current is null ? null : ModelLeaderboard.ToItem(current),
            rank,
            ranked,
            history,
            baseRow is null ? null : ModelLeaderboard.ToItem(baseRow),
            topDerivatives.Select(ModelLeaderboard.ToItem).ToArray(),
            derivativeCount);
    }
}
