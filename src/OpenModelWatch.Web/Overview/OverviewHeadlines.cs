using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Overview;

/// <summary>How many models of a top-N list come from each region; <see cref="Models"/> in rank order.</summary>
public sealed record TopComposition(int Size, IReadOnlyList<ModelItem> Models)
{
    /// <summary>Every region of <see cref="Regions.All"/> and <see cref="Regions.Community"/> (uploader attribution's unregistered namespaces), zeros included.</summary>
    public IReadOnlyDictionary<string, int> ByRegion { get; } =
        Regions.All.Append(Regions.Community).Distinct().ToDictionary(region => region, region => Models.Count(m => m.Region == region));

    public int CountOf(string region) => ByRegion.GetValueOrDefault(region);
}

/// <summary>One side of a comparison: what it counts, in words, and its sums in the run.</summary>
public sealed record ComparedModels(string Name, string Definition, int Models, long Downloads30d);

/// <summary>Qwen against Llama in one run; <see cref="Ratio"/> is Qwen's 30-day downloads over Llama's.</summary>
public sealed record QwenVsLlama(ComparedModels Qwen, ComparedModels Llama)
{
    public double? Ratio => Llama.Downloads30d == 0 ? null : (double)Qwen.Downloads30d / Llama.Downloads30d;
}

/// <summary>A region's 30-day downloads in the run and its share of them all, 0–1.</summary>
public sealed record RegionShare(string Region, long Downloads30d, double Share);

/// <summary>The overview's headline numbers, all from one run.</summary>
public sealed record Headlines(
    AsOfRun AsOf,
    TopComposition TopByDownloads,
    TopComposition TopByTrending,
    QwenVsLlama QwenVsLlama,
    IReadOnlyList<RegionShare> RegionShares);

/// <summary>
/// The questions the overview answers — how many of the top 10 by 30-day downloads are Chinese or American, how many
/// of the top 5 trending are Chinese, Qwen against Llama, each region's share — from the same rows as every leaderboard
/// (<see cref="SnapshotRows"/>), with uploader attribution over all the run's models: a namespace outside the registry
/// counts as Community.
/// </summary>
public sealed class OverviewHeadlines(IDbContextFactory<OpenModelWatchDb> dbFactory)
{
    public const int TopByDownloadsSize = 10;
    public const int TopByTrendingSize = 5;

    /// <summary>The registry lab whose namespaces are "Qwen".</summary>
    public const string QwenLabId = "alibaba-qwen";

    /// <summary>"Llama" is Meta's own Llama repositories: the <c>meta-llama</c> namespace, not the rest of Meta nor community derivatives.</summary>
    public const string LlamaNamespace = "meta-llama";

    /// <summary>The headlines of the as-of run; null when the store has no successful run.</summary>
    public async Task<Headlines?> ForAsOfAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await AsOf.LatestAsync(db, cancellationToken) is { } asOf ? await ForRunAsync(db, asOf, cancellationToken) : null;
    }

    public static async Task<Headlines> ForRunAsync(OpenModelWatchDb db, AsOfRun asOf, CancellationToken cancellationToken) => new(
        asOf,
        await TopByDownloadsAsync(db, asOf.Id, TopByDownloadsSize, cancellationToken),
        await TopByTrendingAsync(db, asOf.Id, TopByTrendingSize, cancellationToken),
        await QwenVsLlamaAsync(db, asOf.Id, cancellationToken),
        await RegionSharesAsync(db, asOf.Id, cancellationToken));

    /// <summary>The run's most downloaded models (30 days), ties by the store's model id as in the models list; read by walking the order's index (<see cref="SnapshotRows.Of"/>).</summary>
    public static async Task<TopComposition> TopByDownloadsAsync(OpenModelWatchDb db, int runId, int size, CancellationToken cancellationToken) =>
        await TopAsync(
            SnapshotRows.Of(db, runId, new ListParameters(), walkOrder: true).OrderByDescending(r => r.Downloads30d).ThenByDescending(r => r.ModelId),
            size,
            cancellationToken);

    /// <summary>The run's highest trending scores, ties by the store's model id; models without a score are left out (a run may have none). Read by walking the order's index.</summary>
    public static async Task<TopComposition> TopByTrendingAsync(OpenModelWatchDb db, int runId, int size, CancellationToken cancellationToken) =>
        await TopAsync(
            SnapshotRows.Of(db, runId, new ListParameters(), walkOrder: true).Where(r => r.TrendingScore != null).OrderByDescending(r => r.TrendingScore).ThenByDescending(r => r.ModelId),
            size,
            cancellationToken);

    public static async Task<QwenVsLlama> QwenVsLlamaAsync(OpenModelWatchDb db, int runId, CancellationToken cancellationToken)
    {
        var rows = SnapshotRows.Of(db, runId, new ListParameters());
        var qwen = rows.Where(r => r.LabId == QwenLabId);
        // The namespace as the Hub spells it (ids keep their case): an indexed equality, not a scan of the run.
        var llama = rows.Where(r => r.Namespace == LlamaNamespace);
        return new QwenVsLlama(
            new ComparedModels("Qwen", $"models of the registry lab {QwenLabId} (Alibaba's Qwen namespaces)",
                await qwen.CountAsync(cancellationToken), await qwen.SumAsync(r => r.Downloads30d, cancellationToken)),
            new ComparedModels("Llama", $"models of the {LlamaNamespace} namespace (Meta's own Llama repositories)",
                await llama.CountAsync(cancellationToken), await llama.SumAsync(r => r.Downloads30d, cancellationToken)));
    }

    /// <summary>
    /// The uploader view's regions (China, US, Europe, Other, Community) with their shares of the run's 30-day
    /// downloads: the countries leaderboard's items rolled up, as the overview's region totals are.
    /// </summary>
    public static async Task<IReadOnlyList<RegionShare>> RegionSharesAsync(OpenModelWatchDb db, int runId, CancellationToken cancellationToken)
    {
        var countries = await CountryLeaderboard.CountriesAsync(db, runId, new ListParameters(), cancellationToken);
        return [.. RegionItem.RollUp(countries, Attribution.Uploader).Select(r => new RegionShare(r.Region, r.Downloads30d, r.Share))];
    }

    private static async Task<TopComposition> TopAsync(IQueryable<SnapshotRow> ordered, int size, CancellationToken cancellationToken)
    {
        var rows = await ordered.Take(size).ToListAsync(cancellationToken);
        return new TopComposition(size, [.. rows.Select(ModelLeaderboard.ToItem)]);
    }
}
