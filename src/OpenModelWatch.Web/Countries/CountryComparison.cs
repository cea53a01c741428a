using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Countries;

/// <summary>What can be compared: a region (<c>China</c>) or a country (<c>FR</c>, <c>XX</c> for unknown).</summary>
public sealed record CompareKey(string Value, bool IsRegion)
{
    public string Label => IsRegion ? Value : Value == Regions.UnknownCountry ? "Unknown country (XX)" : Value;

    /// <summary>The API filter that selects it: <c>region=China</c> or <c>country=FR</c>.</summary>
    public ListParameters FilterIn(CountingView view) => IsRegion ? view.Parameters with { Region = Value } : view.Parameters with { Countries = [Value] };

    public bool Includes(LabItem lab) => IsRegion ? lab.Region == Value : lab.Country == Value;

    /// <summary>Reads a region name (any case) or an alpha-2 code; throws <see cref="ParameterException"/> naming <paramref name="parameter"/>.</summary>
    public static CompareKey Parse(string? text, string parameter, string fallback)
    {
        text = string.IsNullOrWhiteSpace(text) ? fallback : text.Trim();
        if (Regions.TryNormalize(text, out var region))
        {
            return new CompareKey(region, IsRegion: true);
        }

        if (CountryCodes.TryNormalize(text, out var code))
        {
            return new CompareKey(code, IsRegion: false);
        }

        throw new ParameterException(parameter, $"\"{(text.Length > 40 ? text[..40] + "…" : text)}\" is neither a region ({string.Join(", ", Regions.All)}) nor an ISO 3166-1 alpha-2 country code.");
    }
}

/// <summary>One side of a comparison.</summary>
/// <param name="Totals">The sum of the side's <c>/api/v1/countries</c> items.</param>
/// <param name="TopModels">The first items of <c>/api/v1/models</c> with the side's filter.</param>
/// <param name="Shares">The side's share of 30-day downloads at each run of <see cref="ComparisonData.Runs"/>.</param>
/// <param name="Downloads30d">The side's 30-day downloads at each run.</param>
public sealed record CompareSide(
    CompareKey Key,
    RegionItem Totals,
    IReadOnlyList<ModelItem> TopModels,
    IReadOnlyList<LabItem> TopLabs,
    IReadOnlyList<double> Shares,
    IReadOnlyList<long> Downloads30d);

public sealed record ComparisonData(
    AsOfRun AsOf,
    CountingView View,
    double Coverage,
    CompareSide A,
    CompareSide B,
    IReadOnlyList<HistoryRun> Runs,
    IReadOnlyList<RegionItem> Regions,
    IReadOnlyList<CountryItem> Countries);

/// <summary>Two regions or countries side by side, from the same queries as the API.</summary>
/// <param name="names">The ids in memory (<see cref="ModelNameIndex"/>): when they hold the as-of run, the top models are paged there (on PostgreSQL; SQLite walks its indexes); null, by the store alone.</param>
public sealed class CountryComparison(IDbContextFactory<OpenModelWatchDb> dbFactory, CountryHistory history, LabHistory labHistory, ModelNameIndex? names = null)
{
    public const int Top = 5;
    public const int HistoryRuns = 30;

    /// <summary>Null when no run has succeeded yet.</summary>
    public async Task<ComparisonData?> GetAsync(CompareKey a, CompareKey b, CountingView view, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var asOf = await AsOf.LatestAsync(db, cancellationToken);
        if (asOf is null)
        {
            return null;
        }

        var countries = await history.CountriesAsync(asOf, view, cancellationToken);
        var labs = await labHistory.LabsAsync(asOf, view, cancellationToken);
        var recent = await history.RecentCountriesAsync(asOf, HistoryRuns, view, cancellationToken);
        return new ComparisonData(
            asOf,
            view,
            countries.Coverage,
            await SideAsync(db, asOf, view, countries, labs, recent, a, names, cancellationToken),
            await SideAsync(db, asOf, view, countries, labs, recent, b, names, cancellationToken),
            recent.Select(run => run.Run).ToArray(),
            countries.Regions,
            countries.Countries.OrderByDescending(c => c.Downloads30d).ThenBy(c => c.Country, StringComparer.Ordinal).ToArray());
    }

    private static async Task<CompareSide> SideAsync(
        OpenModelWatchDb db, AsOfRun asOf, CountingView view, CountryTotals totals, LabTotals labs, IReadOnlyList<CountryTotals> recent,
        CompareKey key, ModelNameIndex? names, CancellationToken cancellationToken)
    {
        var models = await ModelLeaderboard.PageAsync(db, asOf, key.FilterIn(view) with { Sort = "downloads30d", Limit = Top }, cancellationToken, names);
        return new CompareSide(
            key,
            Sum(totals, key),
            models.Items,
            LabLeaderboard.Sort(labs.Labs.Where(key.Includes), "downloads30d", ascending: false).Take(Top).ToArray(),
            recent.Select(run => Sum(run, key).Share).ToArray(),
            recent.Select(run => Sum(run, key).Downloads30d).ToArray());
    }

    /// <summary>A region or a country's sum at one run.</summary>
    public static RegionItem Sum(CountryTotals run, CompareKey key) =>
        key.IsRegion ? run.Region(key.Value) : RegionItem.Of(key.Value, run.Countries.Where(c => c.Country == key.Value).ToArray());
}
