using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Derivatives;

/// <summary>Derivatives of one group (a lab or a country), split by relation. A derivative is a model with a parent.</summary>
public sealed record DerivativeGroup(
    string Key,
    string Name,
    string Country,
    string Region,
    int Derivatives,
    long Downloads30d,
    int Finetunes,
    int Quantizations,
    int Adapters,
    int Merges,
    long FinetuneDownloads30d,
    long QuantizedDownloads30d,
    long AdapterDownloads30d,
    long MergeDownloads30d);

/// <summary>A base model ranked by its direct derivatives in the run.</summary>
public sealed record BaseModelItem(string Id, string? Lab, string Country, string Region, int Derivatives, long Downloads30d);

/// <summary>New derivatives created in one month, by the region of their origin lab.</summary>
public sealed record MonthItem(string Month, string Region, int Derivatives, double Share);

/// <summary>
/// Models a registered lab uploaded in one month (by creation date, UTC), by the lab's region: its releases, with the
/// originals (no declared parent) apart from the lab's own derivatives (its quantizations, finetunes of its own models).
/// </summary>
public sealed record ReleaseMonthItem(string Month, string Region, int Models, int Originals, double Share);

/// <summary>A model's place in its family: its chain of parents up to the root, the lab it counts for by origin, and its most downloaded children.</summary>
public sealed record FamilyTree(string Id, string? Origin, string? OriginLab, IReadOnlyList<FamilyMember> Parents, IReadOnlyList<FamilyMember> Children);

/// <summary>A relative in a model's family tree.</summary>
public sealed record FamilyMember(string Id, string? Relation, string? Lab, long? Downloads30d, string? Fix = null);

/// <summary>
/// Adoption through derivatives: quantizations, finetunes, adapters and merges made by anyone, counted for the lab at
/// their origin (the registered link closest to the root of their lineage: origin attribution), from the as-of run.
/// </summary>
public sealed class DerivativesQuery(IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, LineageFixes fixes)
{
    public static readonly IReadOnlyList<string> GroupSortFields = ["downloads30d", "derivatives"];
    public static readonly IReadOnlyList<string> BaseSortFields = ["derivatives", "downloads30d"];

    /// <summary>Per origin lab (<paramref name="byCountry"/> false) or per origin country.</summary>
    public Task<ListPage<DerivativeGroup>> GroupsAsync(ListParameters parameters, bool byCountry, CancellationToken cancellationToken) =>
        ListPage<DerivativeGroup>.OfWholeListAsync(dbFactory, parameters,
            (db, runId) => GroupsOfRunAsync(db, runId, parameters, byCountry, cancellationToken),
            items => (parameters.Sort == "derivatives"
                    ? (parameters.Ascending ? items.OrderBy(i => i.Derivatives) : items.OrderByDescending(i => i.Derivatives))
                    : (parameters.Ascending ? items.OrderBy(i => i.Downloads30d) : items.OrderByDescending(i => i.Downloads30d)))
                .ThenBy(i => i.Key, StringComparer.Ordinal),
            cancellationToken);

    private async Task<List<DerivativeGroup>> GroupsOfRunAsync(OpenModelWatchDb db, int runId, ListParameters parameters, bool byCountry, CancellationToken cancellationToken)
    {
        var rows = SnapshotRows.Of(db, runId, parameters with { Attribution = Attribution.Origin }).Where(r => r.BaseModel != null);
        var groups = await rows
            .GroupBy(r => byCountry ? r.Country : r.LabId)
            .Select(g => new
            {
                g.Key,
                Count = g.Count(),
                Downloads = g.Sum(r => r.Downloads30d),
                Finetunes = g.Count(r => r.Relation == "finetune"),
                Quantizations = g.Count(r => r.Relation == "quantized"),
                Adapters = g.Count(r => r.Relation == "adapter"),
                Merges = g.Count(r => r.Relation == "merge"),
                FinetuneDownloads = g.Sum(r => r.Relation == "finetune" ? r.Downloads30d : 0),
                QuantizedDownloads = g.Sum(r => r.Relation == "quantized" ? r.Downloads30d : 0),
                AdapterDownloads = g.Sum(r => r.Relation == "adapter" ? r.Downloads30d : 0),
                MergeDownloads = g.Sum(r => r.Relation == "merge" ? r.Downloads30d : 0),
            })
            .ToListAsync(cancellationToken);
        return groups.Select(g =>
        {
            var lab = byCountry ? null : registry.ById(g.Key);
            var country = byCountry ? g.Key ?? Regions.UnknownCountry : lab?.Country ?? Regions.UnknownCountry;
            var key = g.Key ?? Regions.UnknownCountry;
            return new DerivativeGroup(key, lab?.Name ?? (byCountry ? key : "Unknown origin"), country, Regions.Of(country == Regions.UnknownCountry ? null : country),
                g.Count, g.Downloads, g.Finetunes, g.Quantizations, g.Adapters, g.Merges,
                g.FinetuneDownloads, g.QuantizedDownloads, g.AdapterDownloads, g.MergeDownloads);
        }).ToList();
    }

    /// <summary>Base models ranked by how many derivatives in the run name them as first parent, and those derivatives' downloads.</summary>
    public async Task<ListPage<BaseModelItem>> BaseModelsAsync(ListParameters parameters, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await PinnedRun.ResolveAsync(db, parameters.Run, cancellationToken) is not { } asOf)
        {
            return new ListPage<BaseModelItem>(null, null, 0, []);
        }

        var grouped = SnapshotRows.Of(db, asOf.Id, parameters with { Attribution = Attribution.Origin })
            .Where(r => r.BaseModel != null)
            .GroupBy(r => r.BaseModel!)
            .Select(g => new { Id = g.Key, Count = g.Count(), Downloads = g.Sum(r => r.Downloads30d) });
        var total = await grouped.CountAsync(cancellationToken);
        var ordered = (parameters.Sort, parameters.Ascending) switch
        {
            ("downloads30d", false) => grouped.OrderByDescending(g => g.Downloads).ThenBy(g => g.Id),
            ("downloads30d", true) => grouped.OrderBy(g => g.Downloads).ThenBy(g => g.Id),
            (_, true) => grouped.OrderBy(g => g.Count).ThenBy(g => g.Id),
            _ => grouped.OrderByDescending(g => g.Count).ThenBy(g => g.Id),
        };
        var page = await ordered.Skip(parameters.Offset).Take(parameters.Limit).ToListAsync(cancellationToken);
        var items = page.Select(g =>
        {
            var lab = registry.ForNamespace(g.Id[..Math.Max(g.Id.IndexOf('/'), 0)]);
            return new BaseModelItem(g.Id, lab?.Id, lab?.Country ?? Regions.UnknownCountry, Regions.Of(lab?.Country), g.Count, g.Downloads);
        }).ToArray();
        return new ListPage<BaseModelItem>(asOf.At, asOf.Id, total, items);
    }

    /// <summary>Derivatives in the run by creation month (UTC) and origin region, with each region's share of its month.</summary>
    public Task<ListPage<MonthItem>> MonthsAsync(ListParameters parameters, CancellationToken cancellationToken) =>
        PerMonthAndRegionAsync(parameters with { Attribution = Attribution.Origin }, rows => rows.Where(r => r.BaseModel != null),
            (month, region, count, _, share) => new MonthItem(month, region, count, share), cancellationToken);

    /// <summary>
    /// Release activity: the models registered labs uploaded, by creation month (UTC) and the uploader's region, with
    /// each region's share of its month. Always by uploader (a release is the lab's own upload); only models still on the
    /// Hub at the run are counted, so a month's count is of what survived, not of what was published then.
    /// </summary>
    public Task<ListPage<ReleaseMonthItem>> ReleasesAsync(ListParameters parameters, CancellationToken cancellationToken) =>
        PerMonthAndRegionAsync(parameters with { Attribution = Attribution.Uploader }, rows => rows.Where(r => r.LabId != null),
            (month, region, count, originals, share) => new ReleaseMonthItem(month, region, count, originals, share), cancellationToken);

    /// <summary>
    /// The run's rows that <paramref name="select"/> keeps, counted by creation month (UTC) and region (originals, with no
    /// declared parent, apart), each with its share of its month; months, then regions, in order.
    /// </summary>
    private async Task<ListPage<T>> PerMonthAndRegionAsync<T>(
        ListParameters parameters, Func<IQueryable<SnapshotRow>, IQueryable<SnapshotRow>> select,
        Func<string, string, int, int, double, T> item, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await PinnedRun.ResolveAsync(db, parameters.Run, cancellationToken) is not { } asOf)
        {
            return new ListPage<T>(null, null, 0, []);
        }

        var rows = await select(SnapshotRows.Of(db, asOf.Id, parameters))
            .Where(r => r.CreatedAt != null)
            .GroupBy(r => new { r.CreatedAt!.Value.Year, r.CreatedAt!.Value.Month, r.Country, Original = r.BaseModel == null })
            .Select(g => new { g.Key.Year, g.Key.Month, g.Key.Country, g.Key.Original, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var items = rows
            .GroupBy(r => (Month: $"{r.Year:D4}-{r.Month:D2}", Region: Regions.Of(r.Country)))
            .Select(g => (g.Key.Month, g.Key.Region, Count: g.Sum(r => r.Count), Originals: g.Where(r => r.Original).Sum(r => r.Count)))
            .GroupBy(r => r.Month)
            .SelectMany(month =>
            {
                var total = month.Sum(r => r.Count);
                return month.Select(r => (r.Month, r.Region, r.Count, r.Originals, Share: (double)r.Count / total));
            })
            .OrderBy(r => r.Month, StringComparer.Ordinal).ThenBy(r => r.Region, StringComparer.Ordinal)
            .Select(r => item(r.Month, r.Region, r.Count, r.Originals, r.Share))
            .ToList();
        return new ListPage<T>(asOf.At, asOf.Id, items.Count, items.Skip(parameters.Offset).Take(parameters.Limit).ToArray());
    }

    /// <summary>
    /// The chain of first parents up to the root (cycles cut) as the origin walk follows it: the declared first parent,
    /// else the curated fix of a model that declares none; and the most downloaded direct children in the as-of run.
    /// </summary>
    public async Task<FamilyTree?> FamilyAsync(string id, int children, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.HubId == id, cancellationToken);
        if (model is null)
        {
            return null;
        }

        var asOf = await AsOf.LatestAsync(db, cancellationToken);
        var parents = new List<FamilyMember>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { model.HubId };
        var (next, relation, fix) = FirstParent(model.HubId, model.BaseModel, model.Relation);
        while (next is { } current && seen.Add(current) && parents.Count < SnapshotWriter.MaxLineageDepth)
        {
            var parent = await db.Models.AsNoTracking().Where(m => m.HubId == current)
                .Select(m => new { m.Id, m.BaseModel, m.Relation }).FirstOrDefaultAsync(cancellationToken);
            long? downloads = parent is null || asOf is null ? null
                : await SnapshotRows.Of(db, asOf.Id, new ListParameters()).Where(r => r.ModelId == parent.Id).Select(r => (long?)r.Downloads30d).FirstOrDefaultAsync(cancellationToken);
            parents.Add(new FamilyMember(current, relation, registry.ForNamespace(current.Split('/')[0])?.Id, downloads, fix));
            (next, relation, fix) = FirstParent(current, parent?.BaseModel, parent?.Relation);
        }

        var kids = asOf is null ? [] : await (
                from r in SnapshotRows.Of(db, asOf.Id, new ListParameters())
                where r.BaseModel == id
                orderby r.Downloads30d descending, r.HubId
                select new { r.HubId, r.Relation, r.LabId, r.Downloads30d })
            .Take(children).ToListAsync(cancellationToken);
        return new FamilyTree(model.HubId, model.OriginId, model.OriginLabId, parents,
            kids.Select(k => new FamilyMember(k.HubId, k.Relation, k.LabId, k.Downloads30d)).ToArray());
    }

    /// <summary>The declared first parent, else the curated fix's upstream (with its evidence) for a model that declares none.</summary>
    private (string? Id, string? Relation, string? Fix) FirstParent(string id, string? declared, string? relation) =>
        declared is not null ? (declared, relation, null)
        : fixes.For(id) is { } fix ? (fix.Upstream, fix.Relation, fix.Source)
        : (null, null, null);
}
