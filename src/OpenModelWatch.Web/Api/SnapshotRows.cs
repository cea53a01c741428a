using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Api;

/// <summary>A model's snapshot in one run, with its model and lab: what every leaderboard is computed from.</summary>
public sealed class SnapshotRow
{
    public int ModelId { get; init; }
    public required string HubId { get; init; }
    public required string Namespace { get; init; }
    public string? LabId { get; init; }
    public string? LabName { get; init; }

    /// <summary>The lab's country; null when the namespace is not registered.</summary>
    public string? Country { get; init; }
    public string? Task { get; init; }
    public string? Library { get; init; }
    public string? License { get; init; }
    public DateTime? CreatedAt { get; init; }
    public long? Parameters { get; init; }
    public string? BaseModel { get; init; }
    public string? Relation { get; init; }
    public long Downloads30d { get; init; }
    public long? DownloadsAllTime { get; init; }
    public long Likes { get; init; }
    public long? TrendingScore { get; init; }
}

public static class SnapshotRows
{
    private static readonly string[] _namedRegionCountries =
        [.. Regions.CountriesOf(Regions.China), .. Regions.CountriesOf(Regions.Us), .. Regions.CountriesOf(Regions.Europe)];

    /// <summary>The run's snapshots, filtered by country, region, lab and task; one SQL query, no N+1.</summary>
    public static IQueryable<SnapshotRow> Of(OpenModelWatchDb db, int runId, ListParameters filter)
    {
        var rows =
            from s in db.Snapshots.AsNoTracking()
            where s.RunId == runId
            join m in db.Models on s.ModelId equals m.Id
            from l in db.Labs.Where(l => l.Id == m.LabId).DefaultIfEmpty()
            select new SnapshotRow
            {
                ModelId = m.Id,
                HubId = m.HubId,
                Namespace = m.Namespace,
                LabId = m.LabId,
                LabName = l == null ? null : l.Name,
                Country = l == null ? null : l.Country,
                Task = m.Task,
                Library = m.Library,
                License = m.License,
                CreatedAt = m.CreatedAt,
                Parameters = m.Parameters,
                BaseModel = m.BaseModel,
                Relation = m.Relation,
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
            rows = rows.Where(r => r.LabId == lab);
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
