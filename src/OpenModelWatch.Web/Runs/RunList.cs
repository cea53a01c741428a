using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Runs;

public sealed class RunList(IDbContextFactory<OpenModelWatchDb> dbFactory)
{
    public static readonly IReadOnlyList<string> SortFields = ["startedAt"];

    /// <summary>Runs, newest first.</summary>
    public async Task<ListPage<RunItem>> ListAsync(ListParameters parameters, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await AsOf.LatestAsync(db, cancellationToken);
        var runs = db.Runs.AsNoTracking();
        var total = await runs.CountAsync(cancellationToken);
        var ordered = parameters.Ascending ? runs.OrderBy(run => run.Id) : runs.OrderByDescending(run => run.Id);
        var items = await ordered.Skip(parameters.Offset).Take(parameters.Limit)
            .Select(RunItem.Of)
            .ToListAsync(cancellationToken);
        return new ListPage<RunItem>(asOf?.At, asOf?.Id, total, items);
    }
}
