using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Models;

/// <summary>A model's counts at one succeeded run: a point of <c>GET /api/v1/models/{namespace}/{name}/history</c>.</summary>
public sealed record ModelPoint(int RunId, DateTime At, RunTrigger Trigger, long Downloads30d, long? DownloadsAllTime, long Likes, long? TrendingScore);

public static class ModelHistory
{
    /// <summary>
    /// One point per succeeded run that saw the model, oldest first; empty when the model is unknown. Uses the unique
    /// index on the Hub id and the (model, run) index of snapshots: a few rows read, whatever the size of the store.
    /// </summary>
    public static async Task<IReadOnlyList<ModelPoint>> PointsAsync(OpenModelWatchDb db, string hubId, CancellationToken cancellationToken)
    {
        var points =
            from m in db.Models.AsNoTracking()
            where m.HubId == hubId
            join s in db.Snapshots on m.Id equals s.ModelId
            join r in db.Runs on s.RunId equals r.Id
            where r.Status == RunStatus.Succeeded
            orderby r.FinishedAt, r.Id
            select new ModelPoint(r.Id, r.FinishedAt!.Value, r.Trigger, s.Downloads30d, s.DownloadsAllTime, s.Likes, s.TrendingScore);
        return await points.ToListAsync(cancellationToken);
    }
}
