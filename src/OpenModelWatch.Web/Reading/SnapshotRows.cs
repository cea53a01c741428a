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
    public long Likes { get; init; }
    public long? TrendingScore { get; init; }
}

public static class SnapshotRows
{
    private static readonly string[] _namedRegionCountries =
        [.. Regions.CountriesOf(Regions.China), .. Regions.CountriesOf(Regions.Us), .. Regions.CountriesOf(Regions.Europe)];

    /// <summary>
    /// The run's snapshots under the filters and the attribution (each row's lab is its uploader's or its origin's);
    /// one SQL query, no N+1.
    /// </summary>
    public static IQueryable<SnapshotRow> Of(OpenModelWatchDb db, int runId, ListParameters filter)
    {
        var byOrigin = filter.Attribution == Attribution.Origin;
        var censusOnly = filter.Scope == Scope.Census;
        var rows =
            from s in db.Snapshots.AsNoTracking()
            where s.RunId == runId && (!censusOnly || s.InCensus)
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

        if (filter.Countries.Count > 0)
        {
            var known = filter.Countries.Where(code => code != Regions.UnknownCountry).ToArray();
            var withUnknown = filter.Countries.Contains(Regions.UnknownCountry);
            rows = rows.Where(r => (r.Country != null && known.Contains(r.Country)) || (withUnknown && r.Country == null));
        }

        if (filter.Region is { } region)
        {
            rows = region switch
            {
                Regions.Unknown or Regions.Community => rows.Where(r => r.Country == null),
                Regions.Other => rows.Where(r => r.Country != null && !_namedRegionCountries.Contains(r.Country)),
                _ => FilterCountries(rows, Regions.CountriesOf(region).ToArray()),
            };
        }

        if (filter.Lab is { } lab)
        {
            rows = CommunityLab.NamespaceOf(lab) is { } ns
                ? rows.Where(r => r.LabId == null && r.Namespace == ns)
                : rows.Where(r => r.LabId == lab);
        }

        if (filter.Task is { } task)
        {
            rows = rows.Where(r => r.Task == task);
        }

        if (filter.License is { } license)
        {
            rows = rows.Where(r => r.License == license);
        }

        if (filter.MinParameters is { } minParameters)
        {
            rows = rows.Where(r => r.Parameters >= minParameters);
        }

        if (filter.MaxParameters is { } maxParameters)
        {
            rows = rows.Where(r => r.Parameters <= maxParameters);
        }

        if (filter.CreatedFrom is { } createdFrom)
        {
            var start = createdFrom.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            rows = rows.Where(r => r.CreatedAt >= start);
        }

        if (filter.CreatedTo is { } createdTo && createdTo < DateOnly.MaxValue)
        {
            var end = createdTo.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            rows = rows.Where(r => r.CreatedAt < end);
        }

        return rows;
    }

    private static IQueryable<SnapshotRow> FilterCountries(IQueryable<SnapshotRow> rows, string[] countries) =>
        rows.Where(r => r.Country != null && countries.Contains(r.Country));
}
