using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Models;

/// <summary>A model's counts at one succeeded run: a point of <c>GET /api/v1/models/{namespace}/{name}/history</c>.</summary>
public sealed record ModelPoint(int RunId, DateTime At, RunTrigger Trigger, RunSource Source, long Downloads30d, long? DownloadsAllTime, long? Likes, long? TrendingScore);

/// <summary>
/// An item of <c>GET /api/v1/models/{namespace}/{name}/history</c>: the model's counts at one succeeded run. A model's
/// own counts are the Hub's whichever source read them, so its history spans every source; <see cref="Source"/> says
/// which one each point comes from.
/// </summary>
public sealed record ModelHistoryItem(DateTime At, int RunId, string Trigger, string Source, long Downloads30d, long? DownloadsAllTime, long? Likes, long? TrendingScore)
{
    public static ModelHistoryItem Of(ModelPoint point) =>
        new(point.At, point.RunId, point.Trigger.ToString(), point.Source.Key(), point.Downloads30d, point.DownloadsAllTime, point.Likes, point.TrendingScore);
}

public static class ModelHistory
{
    /// <summary>A model's points, oldest first, up to <paramref name="asOf"/> and within the days given; null when the store never saw it.</summary>
    public static async Task<IReadOnlyList<ModelHistoryItem>?> ItemsAsync(
        IDbContextFactory<OpenModelWatchDb> dbFactory, string hubId, AsOfRun? asOf, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Models.AnyAsync(m => m.HubId == hubId, cancellationToken))
        {
            return null;
        }

        var points = await PointsAsync(db, hubId, cancellationToken);
        return points.Where(point => (asOf is null || point.At <= asOf.At) && RunHistory.InDays(point.At, from, to)).Select(ModelHistoryItem.Of).ToArray();
    }

    /// <summary>
    /// One point per succeeded run that saw the model, oldest first; empty when the model is unknown. Uses the unique
    /// index on the Hub id, the model's count ranges (keyed by model) and the runs each covers: a few rows read,
    /// whatever the size of the store.
    /// </summary>
    public static async Task<IReadOnlyList<ModelPoint>> PointsAsync(OpenModelWatchDb db, string hubId, CancellationToken cancellationToken)
    {
        var points =
            from m in db.Models.AsNoTracking()
            where m.HubId == hubId
            join s in db.Counts on m.Id equals s.ModelId
            from r in db.Runs
            where r.Id >= s.FromRunId && (s.ToRunId == null || r.Id < s.ToRunId) && r.Status == RunStatus.Succeeded
            orderby r.FinishedAt, r.Id
            select new ModelPoint(r.Id, r.FinishedAt!.Value, r.Trigger, r.Source, s.Downloads30d, s.DownloadsAllTime, s.Likes, s.TrendingScore);
        return await points.ToListAsync(cancellationToken);
    }

}
