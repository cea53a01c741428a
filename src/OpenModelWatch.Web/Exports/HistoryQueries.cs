using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.History;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Exports;

/// <summary>An item of <c>GET /api/v1/models/{namespace}/{name}/history</c>: the model's counts at one succeeded run.</summary>
public sealed record ModelHistoryItem(DateTime At, int RunId, string Trigger, long Downloads30d, long? DownloadsAllTime, long Likes, long? TrendingScore)
{
    public static ModelHistoryItem Of(ModelPoint point) =>
        new(point.At, point.RunId, point.Trigger.ToString(), point.Downloads30d, point.DownloadsAllTime, point.Likes, point.TrendingScore);
}

/// <summary>A row of the lab page's run-by-run table: the lab's <c>/api/v1/labs</c> item at one run (nulls when it had no models).</summary>
public sealed record LabHistoryItem(DateTime At, int RunId, int? Models, long? Downloads30d, long? DownloadsAllTime, long? Likes, double? Share, int? Rank);

/// <summary>
/// An item of <c>GET /api/v1/history/countries</c>: a country's (or, with <c>group=region</c>, a region's) totals at
/// one run, as <c>/api/v1/countries</c> listed them then; <see cref="Value"/> and <see cref="Share"/> are of the
/// requested metric, the share of the run's total over every country.
/// </summary>
public sealed record CountryHistoryItem(
    DateTime At,
    int RunId,
    string? Country,
    string Region,
    int Labs,
    int Models,
    long Downloads30d,
    long? DownloadsAllTime,
    long Likes,
    double? Value,
    double? Share);

/// <summary>The history lists of the API and the exports, from the same per-run totals as the charts and the pages.</summary>
public sealed class HistoryQueries(IDbContextFactory<OpenModelWatchDb> dbFactory, RunHistory history)
{
    public static readonly IReadOnlyList<string> CountryMetrics = [Metrics.Downloads30d, Metrics.DownloadsAllTime, Metrics.Likes];

    /// <summary>A model's points, oldest first, up to <paramref name="asOf"/> and within the days given; null when the store never saw it.</summary>
    public async Task<IReadOnlyList<ModelHistoryItem>?> ModelAsync(string hubId, AsOfRun? asOf, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Models.AnyAsync(m => m.HubId == hubId, cancellationToken))
        {
            return null;
        }

        var points = await ModelHistory.PointsAsync(db, hubId, cancellationToken);
        return points.Where(point => (asOf is null || point.At <= asOf.At) && InDays(point.At, from, to)).Select(ModelHistoryItem.Of).ToArray();
    }

    /// <summary>The lab page's table: one row per run of the window, oldest first.</summary>
    public async Task<IReadOnlyList<LabHistoryItem>> LabAsync(string labId, AsOfRun? asOf, CountingView view, DateOnly? from, DateOnly? to, int recent, CancellationToken cancellationToken)
    {
        var rows = new List<LabHistoryItem>();
        foreach (var run in await RunsAsync(asOf, from, to, recent, cancellationToken))
        {
            var totals = await history.LabsAsync(run, view, cancellationToken);
            rows.Add(totals.ById.TryGetValue(labId, out var item)
                ? new LabHistoryItem(run.At, run.Id, item.Models, item.Downloads30d, item.DownloadsAllTime, item.Likes, item.Share,
                    (int?)ChartQueries.LabValue(totals, labId, Metrics.Rank))
                : new LabHistoryItem(run.At, run.Id, null, null, null, null, null, null));
        }

        return rows;
    }

    /// <summary>Every country (or region) at every run of the window, oldest run first; countries by the metric, regions in chart order.</summary>
    public async Task<IReadOnlyList<CountryHistoryItem>> CountriesAsync(
        AsOfRun? asOf, ListParameters filter, string metric, bool byRegion, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var view = new CountingView(filter.Attribution, filter.Scope);
        var items = new List<CountryHistoryItem>();
        foreach (var run in await RunsAsync(asOf, from, to, ChartQueries.MaxRuns, cancellationToken))
        {
            var totals = await history.CountriesAsync(run, view, cancellationToken);
            var whole = totals.Countries.Select(c => Value(c.Downloads30d, c.DownloadsAllTime, c.Likes, metric)).ToArray();
            long? sum = whole.Any(value => value is null) ? null : whole.Sum(value => value ?? 0);
            if (byRegion)
            {
                items.AddRange(totals.Regions
                    .Where(region => Selected(filter, null, region.Region))
                    .Select(region => Item(run, null, region.Region, region.Labs, region.Models, region.Downloads30d, region.DownloadsAllTime, region.Likes, metric, sum)));
            }
            else
            {
                items.AddRange(totals.Countries
                    .Where(country => Selected(filter, country.Country, country.Region))
                    .Select(country => Item(run, country.Country, country.Region, country.Labs, country.Models, country.Downloads30d, country.DownloadsAllTime, country.Likes, metric, sum))
                    .OrderByDescending(item => item.Value ?? -1).ThenBy(item => item.Country, StringComparer.Ordinal));
            }
        }

        return items;
    }

    private static CountryHistoryItem Item(HistoryRun run, string? country, string region, int labs, int models, long downloads30d, long? downloadsAllTime, long likes, string metric, long? sum)
    {
        var value = Value(downloads30d, downloadsAllTime, likes, metric);
        return new CountryHistoryItem(run.At, run.Id, country, region, labs, models, downloads30d, downloadsAllTime, likes, value,
            value is { } v && sum is > 0 ? v / (double)sum.Value : null);
    }

    private static long? Value(long downloads30d, long? downloadsAllTime, long likes, string metric) => metric switch
    {
        Metrics.DownloadsAllTime => downloadsAllTime,
        Metrics.Likes => likes,
        _ => downloads30d,
    };

    private static bool Selected(ListParameters filter, string? country, string region) =>
        (filter.Region is null || filter.Region == region)
        && (filter.Countries.Count == 0 || (country is not null ? filter.Countries.Contains(country) : filter.Countries.Any(c => Regions.Of(c) == region)));

    private async Task<IReadOnlyList<HistoryRun>> RunsAsync(AsOfRun? asOf, DateOnly? from, DateOnly? to, int recent, CancellationToken cancellationToken)
    {
        if (asOf is null)
        {
            return [];
        }

        var runs = (await history.RunsAsync(asOf, cancellationToken)).Where(run => InDays(run.At, from, to)).ToArray();
        var count = from is null && to is null ? recent : ChartQueries.MaxRuns;
        return runs.Skip(Math.Max(0, runs.Length - count)).ToArray();
    }

    private static bool InDays(DateTime at, DateOnly? from, DateOnly? to)
    {
        var day = DateOnly.FromDateTime(at);
        return (from is null || day >= from) && (to is null || day <= to);
    }
}
