using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Reading;

/// <summary>A model's snapshot in one run, with its model and lab: what every leaderboard is computed from.</summary>
public sealed class SnapshotRow
{
    public int ModelId { get; init; }
    public required string HubId { get; init; }
    public required string Namespace { get; init; }
    /// <summary>The lab the model counts for under the requested attribution: its uploader's, or its origin's.</summary>
    public string? LabId { get; init; }
    public string? LabName { get; init; }

    /// <summary>The lab's country; null when that lab is unknown (an unregistered namespace, or an unresolved origin).</summary>
    public string? Country { get; init; }
    public string? Task { get; init; }
    public string? Library { get; init; }
    public string? License { get; init; }
    public DateTime? CreatedAt { get; init; }
    public long? Parameters { get; init; }
    public string? BaseModel { get; init; }
    public string? Relation { get; init; }

    /// <summary>The root of the model's lineage; null when unresolved (a cycle, or not resolved yet).</summary>
    public string? OriginId { get; init; }
    public bool InCensus { get; init; }

    /// <summary>How <see cref="LabId"/> was chosen; decides whether a row of no lab is Community or Unknown.</summary>
    public Attribution Attribution { get; init; }
    public long Downloads30d { get; init; }
    public long? DownloadsAllTime { get; init; }
    public long? Likes { get; init; }
    public long? TrendingScore { get; init; }
}

public static class SnapshotRows
{
    private static readonly string[] _namedRegionCountries =
        [.. Regions.CountriesOf(Regions.China), .. Regions.CountriesOf(Regions.Us), .. Regions.CountriesOf(Regions.Europe)];

    /// <summary>
    /// The run's models under the filters and the attribution (each row's lab is its uploader's or its origin's);
    /// one SQL query, no N+1. The latest run reads the models' own denormalised columns (indexed: a page of the grid
    /// reads an index range); an earlier run reads the count ranges covering it (<see cref="RunCounts"/>).
    /// </summary>
    /// <param name="walkOrder">
    /// For a page of rows in an order (not a count or a grouping), on SQLite, of the latest run: the rows say
    /// <c>Listed = @listed</c> and every filter is written so that no index serves it (<c>COALESCE(column, …)</c>), which
    /// leaves SQLite one plan: walking the order's <c>(Listed, column)</c> index and testing each row until the page is
    /// full. SQLite keeps no statistics here (the app never runs <c>ANALYZE</c>), so it judges indexes by the query's shape
    /// alone: unfiltered, a bare <c>Downloads30d IS NOT NULL</c> let it use no index for the order and sort the whole run;
    /// filtered, it reads every match through the filter's index and sorts them. The caller walks only when the matches
    /// are a large part of the run (<see cref="Models.ModelLeaderboard.WalkOrder"/>), so that few rows are tested per row of the page.
    /// The default order's index also holds the columns those filters test (countries under both attributions, the
    /// census flag, creation date, size: <see cref="OpenModelWatchDb"/>), so its walk tests and skips entries without
    /// reading a model's row.
    /// </param>
    /// <param name="count">
    /// For counting the rows, or, with <paramref name="walkOrder"/>, choosing the ids of a walked page (whose rows are
    /// then read by id: <see cref="Models.ModelLeaderboard.PageAsync"/>), not reading them: the latest run's rows come
    /// without their lab's name (a join that cannot change the count, but reads each model's row for its lab id), and, when the view has no equality filter (none
    /// or only ranges, no text), say <c>Listed = @listed</c> so that a count reads one <c>(Listed, column)</c> index and nothing
    /// else: at 3 million models a size range's 1.35 million matches are counted in 0.08 s that way, 1.0 s through
    /// <c>Downloads30d IS NOT NULL</c> and the join (<c>sqlite3</c> shell, docs/performance.md). An equality keeps the
    /// <c>Downloads30d IS NOT NULL</c> form its <c>(column, Downloads30d)</c> index covers.
    /// </param>
    public static IQueryable<SnapshotRow> Of(OpenModelWatchDb db, int runId, ListParameters filter, bool walkOrder = false, bool count = false)
    {
        var latest = RunCounts.CurrentRunId(db) == runId;
        var walk = walkOrder && Walks(db, runId, filter);
        var rows = latest ? Latest(db, filter, walk, count) : Past(db, runId, filter);
        return Filter(rows, filter, walk);
    }

    /// <summary>
    /// Whether <see cref="Of"/> walks an order's index when asked (<c>walkOrder</c>): on SQLite, for the latest run, and
    /// when no range's bound is a walked filter's stand-in for an unknown value.
    /// </summary>
    public static bool Walks(OpenModelWatchDb db, int runId, ListParameters filter) =>
        !db.OnPostgres && RunCounts.CurrentRunId(db) == runId && StandInsMatchNothing(filter);

    /// <summary>
    /// Whether the view filters by no equality (country, region, lab, task, licence) and no text: at most ranges. A text
    /// search is counted from its trigram index's candidates, which a <c>(Listed, …)</c> index would lead SQLite away from
    /// (a count of <c>q=model-00123</c> at 3M models: 0.5 s that way, against 0.1 s).
    /// </summary>
    private static bool NoEquality(ListParameters filter) =>
        filter.Countries.Count == 0 && filter.Region is null && filter.Lab is null && filter.Task is null && filter.License is null && filter.Q is null;

    /// <summary>Whether no bound of the view's ranges is a walked filter's stand-in for an unknown value (<see cref="Filter"/>).</summary>
    private static bool StandInsMatchNothing(ListParameters filter) =>
        filter.MinParameters != long.MinValue && filter.MaxParameters != long.MaxValue && filter.CreatedFrom != DateOnly.MinValue;

    private static IQueryable<SnapshotRow> Latest(OpenModelWatchDb db, ListParameters filter, bool walk, bool count)
    {
        // Listed models are exactly those with latest counts (RunPublisher clears them when a model is no longer
        // listed): said this way, every (filter, Downloads30d) index covers the condition, so counts read indexes only.
        // An equality with a parameter, not the bare column, says the same to the first column of every (Listed, …) index.
        var listed = true;
        var byListed = count && NoEquality(filter);
        var models = byListed
            ? db.Models.AsNoTracking().Where(m => m.Listed == listed)
            : db.Models.AsNoTracking().Where(m => m.Downloads30d != null);
        // On PostgreSQL a page's rows say it too, so that its planner can read the (Listed, Downloads30d) index backwards
        // for a page in the default order: with the bare condition it read and sorted the whole run (the overview's top
        // 25 at 100,000 models: 45 ms, against 0.5 ms; docs/performance.md). A filter's index stays open to it.
        if ((walk || (db.OnPostgres && !count)) && !byListed)
        {
            models = models.Where(m => m.Listed == listed);
        }

        if (filter.Scope == Scope.Census)
        {
            models = models.Where(m => m.InCensus);
        }

        if (count)
        {
            // No lab names: nothing counted or walked depends on them (Filter reads the model's own columns); the counts,
            // for the sorts of a walked page's ids.
            return filter.Attribution == Attribution.Origin
                ? models.Select(m => new SnapshotRow
                {
                    ModelId = m.Id, HubId = m.HubId, Namespace = m.Namespace, LabId = m.OriginLabId, Country = m.OriginCountry, Task = m.Task,
                    License = m.License, CreatedAt = m.CreatedAt, Parameters = m.Parameters, InCensus = m.InCensus,
                    Attribution = Attribution.Origin, Downloads30d = m.Downloads30d!.Value, DownloadsAllTime = m.DownloadsAllTime,
                    Likes = m.Likes, TrendingScore = m.TrendingScore,
                })
                : models.Select(m => new SnapshotRow
                {
                    ModelId = m.Id, HubId = m.HubId, Namespace = m.Namespace, LabId = m.LabId, Country = m.Country, Task = m.Task,
                    License = m.License, CreatedAt = m.CreatedAt, Parameters = m.Parameters, InCensus = m.InCensus,
                    Attribution = Attribution.Uploader, Downloads30d = m.Downloads30d!.Value, DownloadsAllTime = m.DownloadsAllTime,
                    Likes = m.Likes, TrendingScore = m.TrendingScore,
                });
        }

        // Two queries, not one with a condition on the attribution: each filters and sorts on its own indexed columns.
        return filter.Attribution == Attribution.Origin
            ? from m in models
              from l in db.Labs.Where(l => l.Id == m.OriginLabId).DefaultIfEmpty()
              select new SnapshotRow
              {
                  ModelId = m.Id, HubId = m.HubId, Namespace = m.Namespace, LabId = m.OriginLabId, LabName = l == null ? null : l.Name,
                  Country = m.OriginCountry, Task = m.Task, Library = m.Library, License = m.License, CreatedAt = m.CreatedAt,
                  Parameters = m.Parameters, BaseModel = m.BaseModel, Relation = m.Relation, OriginId = m.OriginId, InCensus = m.InCensus,
                  Attribution = Attribution.Origin, Downloads30d = m.Downloads30d!.Value, DownloadsAllTime = m.DownloadsAllTime,
                  Likes = m.Likes, TrendingScore = m.TrendingScore,
              }
            : from m in models
              from l in db.Labs.Where(l => l.Id == m.LabId).DefaultIfEmpty()
              select new SnapshotRow
              {
                  ModelId = m.Id, HubId = m.HubId, Namespace = m.Namespace, LabId = m.LabId, LabName = l == null ? null : l.Name,
                  Country = m.Country, Task = m.Task, Library = m.Library, License = m.License, CreatedAt = m.CreatedAt,
                  Parameters = m.Parameters, BaseModel = m.BaseModel, Relation = m.Relation, OriginId = m.OriginId, InCensus = m.InCensus,
                  Attribution = Attribution.Uploader, Downloads30d = m.Downloads30d!.Value, DownloadsAllTime = m.DownloadsAllTime,
                  Likes = m.Likes, TrendingScore = m.TrendingScore,
              };
    }

    private static IQueryable<SnapshotRow> Past(OpenModelWatchDb db, int runId, ListParameters filter)
    {
        var byOrigin = filter.Attribution == Attribution.Origin;
        var censusOnly = filter.Scope == Scope.Census;
        return
            from s in RunCounts.Ranges(db, runId)
            where !censusOnly || s.InCensus
            join m in db.Models on s.ModelId equals m.Id
            let labId = byOrigin ? m.OriginLabId : m.LabId
            from l in db.Labs.Where(l => l.Id == labId).DefaultIfEmpty()
            select new SnapshotRow
            {
                ModelId = m.Id,
                HubId = m.HubId,
                Namespace = m.Namespace,
                LabId = labId,
                LabName = l == null ? null : l.Name,
                Country = l == null ? null : l.Country,
                Task = m.Task,
                Library = m.Library,
                License = m.License,
                CreatedAt = m.CreatedAt,
                Parameters = m.Parameters,
                BaseModel = m.BaseModel,
                Relation = m.Relation,
                OriginId = m.OriginId,
                InCensus = s.InCensus,
                Attribution = filter.Attribution,
                Downloads30d = s.Downloads30d,
                DownloadsAllTime = s.DownloadsAllTime,
                Likes = s.Likes,
                TrendingScore = s.TrendingScore,
            };
    }

    /// <summary>
    /// Whether a model of lab <paramref name="labId"/> (null: none) in <paramref name="country"/> (null: unknown) passes the
    /// view's country, region and lab filters, as <see cref="Filter"/> writes them in SQL (a community namespace aside).
    /// </summary>
    public static bool InPlace(ListParameters filter, string? labId, string? country)
    {
        if (filter.Countries.Count > 0
            && !(country is null ? filter.Countries.Contains(Regions.UnknownCountry) : filter.Countries.Contains(country)))
        {
            return false;
        }

        if (filter.Region is { } region && !(region switch
            {
                Regions.Unknown or Regions.Community => country is null,
                Regions.Other => country is not null && !_namedRegionCountries.Contains(country),
                _ => country is not null && Regions.CountriesOf(region).Contains(country),
            }))
        {
            return false;
        }

        return filter.Lab is null || filter.Lab == labId;
    }

    /// <summary>
    /// The view's filters; <paramref name="walk"/>: each written through <c>COALESCE</c> with a stand-in no filter matches
    /// (an unknown value is still never a match), so that no index can serve it (see <see cref="Of"/>).
    /// </summary>
    private static IQueryable<SnapshotRow> Filter(IQueryable<SnapshotRow> rows, ListParameters filter, bool walk)
    {
        if (filter.Countries.Count > 0)
        {
            var known = filter.Countries.Where(code => code != Regions.UnknownCountry).ToArray();
            var withUnknown = filter.Countries.Contains(Regions.UnknownCountry);
            rows = walk
                ? rows.Where(r => known.Contains(r.Country ?? "") || (withUnknown && (r.Country ?? "") == ""))
                : rows.Where(r => (r.Country != null && known.Contains(r.Country)) || (withUnknown && r.Country == null));
        }

        if (filter.Region is { } region)
        {
            rows = region switch
            {
                Regions.Unknown or Regions.Community => walk ? rows.Where(r => (r.Country ?? "") == "") : rows.Where(r => r.Country == null),
                Regions.Other => walk
                    ? rows.Where(r => (r.Country ?? "") != "" && !_namedRegionCountries.Contains(r.Country ?? ""))
                    : rows.Where(r => r.Country != null && !_namedRegionCountries.Contains(r.Country)),
                _ => FilterCountries(rows, Regions.CountriesOf(region).ToArray(), walk),
            };
        }

        if (filter.Lab is { } lab)
        {
            // A community namespace's filter is never walked (ModelLeaderboard): its namespace's index finds its models.
            rows = CommunityLab.NamespaceOf(lab) is { } ns
                ? rows.Where(r => r.LabId == null && r.Namespace == ns)
                : walk ? rows.Where(r => (r.LabId ?? "") == lab) : rows.Where(r => r.LabId == lab);
        }

        if (filter.Task is { } task)
        {
            rows = walk ? rows.Where(r => (r.Task ?? "") == task) : rows.Where(r => r.Task == task);
        }

        if (filter.License is { } license)
        {
            rows = walk ? rows.Where(r => (r.License ?? "") == license) : rows.Where(r => r.License == license);
        }

        // A range: the stand-in for an unknown value is the bound no range passes.
        if (filter.MinParameters is { } minParameters)
        {
            rows = walk ? rows.Where(r => (r.Parameters ?? long.MinValue) >= minParameters) : rows.Where(r => r.Parameters >= minParameters);
        }

        if (filter.MaxParameters is { } maxParameters)
        {
            rows = walk ? rows.Where(r => (r.Parameters ?? long.MaxValue) <= maxParameters) : rows.Where(r => r.Parameters <= maxParameters);
        }

        if (filter.CreatedFrom is { } createdFrom)
        {
            var start = createdFrom.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            rows = walk ? rows.Where(r => (r.CreatedAt ?? DateTime.MinValue) >= start) : rows.Where(r => r.CreatedAt >= start);
        }

        if (filter.CreatedTo is { } createdTo && createdTo < DateOnly.MaxValue)
        {
            var end = createdTo.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            rows = walk ? rows.Where(r => (r.CreatedAt ?? DateTime.MaxValue) < end) : rows.Where(r => r.CreatedAt < end);
        }

        return rows;
    }

    private static IQueryable<SnapshotRow> FilterCountries(IQueryable<SnapshotRow> rows, string[] countries, bool walk) => walk
        ? rows.Where(r => countries.Contains(r.Country ?? ""))
        : rows.Where(r => r.Country != null && countries.Contains(r.Country));
}
