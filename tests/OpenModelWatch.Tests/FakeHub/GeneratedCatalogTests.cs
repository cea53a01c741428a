using System.Diagnostics;
using System.Text.Json;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Endpoints;

namespace OpenModelWatch.Tests.FakeHub;

public class GeneratedCatalogTests
{
    [Fact]
    public async Task AMillionModelCatalogServesTheLastPageOfAnAuthorQuickly()
    {
        var clock = Stopwatch.StartNew();
        var catalog = new GeneratedCatalog(1_000_000, ["Qwen", "meta-llama", "deepseek-ai"]);
        await using var hub = await FakeHubKit.StartAsync(catalog);
        using var http = new HttpClient();

        // Qwen owns indexes 0, 3, 6, … 999,999: 333,334 models, so the page from 333,000 is its last.
        using var authorPage = await http.GetAsync(hub, $"api/models?author=Qwen&expand=downloads&cursor={PageCursor.Encode(333_000)}");
        using var hubWidePage = await http.GetAsync(hub, $"api/models?sort=downloads&expand=downloads&cursor={PageCursor.Encode(999_500)}");
        var elapsed = clock.Elapsed;

        Assert.Equal(
            Enumerable.Range(333_000, 334).Select(j => catalog.IdOf(j * 3)),
            (await FakeHubKit.ReadJsonAsync(authorPage)).EnumerateArray().Select(i => i.Id()));
        Assert.Null(FakeHubKit.NextLink(authorPage));
        Assert.Equal(
            Enumerable.Range(999_500, 500).Select(catalog.IdOf),
            (await FakeHubKit.ReadJsonAsync(hubWidePage)).EnumerateArray().Select(i => i.Id()));
        Assert.True(elapsed < TimeSpan.FromSeconds(3), $"took {elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public void DownloadsNeverIncreaseAlongTheCatalogAndAllTimeCoversThem()
    {
        var catalog = new GeneratedCatalog(1_000_000, ["a", "b", "c"], seed: 7);
        var indexes = Enumerable.Range(0, 20_000).Concat(Enumerable.Range(20_000, 979_999).Where(i => i % 997 == 0)).Append(999_998);

        Assert.All(indexes, i =>
        {
            var (model, next) = (catalog.ModelAt(i), catalog.ModelAt(i + 1));
            Assert.True(model.Downloads >= next.Downloads, $"downloads rise from {i} to {i + 1}");
            Assert.True(model.DownloadsAllTime >= model.Downloads);
            Assert.True(model.Likes >= 0 && model.TrendingScore >= 0);
            Assert.InRange(model.CreatedAt, new DateTimeOffset(2022, 3, 2, 23, 29, 4, TimeSpan.Zero), new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero));
            Assert.True(model.LastModified >= model.CreatedAt);
        });
    }

    [Fact]
    public void TheSameSeedGivesTheSameCatalog()
    {
        var one = new GeneratedCatalog(1_000, ["a", "b"], seed: 3);
        var again = new GeneratedCatalog(1_000, ["a", "b"], seed: 3);
        var other = new GeneratedCatalog(1_000, ["a", "b"], seed: 4);

        Assert.All(Enumerable.Range(0, 1_000), i => Assert.Equivalent(one.ModelAt(i), again.ModelAt(i)));
        Assert.Contains(Enumerable.Range(0, 1_000), i => one.ModelAt(i).Likes != other.ModelAt(i).Likes);
    }

    [Fact]
    public void LineagePointsToEarlierModelsAndChildrenCountsAgree()
    {
        var catalog = new GeneratedCatalog(20_000, ["a", "b", "c"]);
        var models = Enumerable.Range(0, catalog.ModelCount).Select(catalog.ModelAt).ToList();
        var index = models.Select((m, i) => (m.Id, i)).ToDictionary(p => p.Id, p => p.i);

        var derived = models.Where(m => m.BaseModels is not null).ToList();
        Assert.InRange(derived.Count, 4_000, 8_000);
        Assert.All(derived, model =>
        {
            var lineage = model.BaseModels!;
            var parent = Assert.Single(lineage.Models);
            Assert.True(index[parent.Id] < index[model.Id]);
            Assert.Equal(models[index[parent.Id]].ObjectId, parent.ObjectId);
            Assert.Contains(lineage.Relation, new[] { "finetune", "quantized", "adapter" });
            Assert.Contains($"base_model:{parent.Id}", model.Tags);
            Assert.Contains($"base_model:{lineage.Relation}:{parent.Id}", model.Tags);
        });
        var expectedChildren = derived
            .GroupBy(m => (m.BaseModels!.Models[0].Id, m.BaseModels.Relation))
            .ToDictionary(g => g.Key, g => g.Count());
        var reportedChildren = models
            .SelectMany(m => m.ChildrenModelCount.Select(c => (Key: (m.Id, c.Key), Count: c.Value)))
            .ToDictionary(c => c.Key, c => c.Count);
        Assert.Equal(expectedChildren.OrderBy(c => c.Key), reportedChildren.OrderBy(c => c.Key));
        Assert.All(models, m => Assert.Single(m.Tags, t => t.StartsWith("license:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SumEqualsWhatListingEachAuthorServes()
    {
        var catalog = new GeneratedCatalog(4_000, ["a", "b", "c"]);
        await using var hub = await FakeHubKit.StartAsync(catalog);
        using var http = new HttpClient();

        var listed = default(ModelTotals);
        foreach (var author in catalog.Authors)
        {
            var items = (await FakeHubKit.ReadAllPagesAsync(http, new Uri(hub.BaseAddress, $"api/models?author={author}&expand=downloads&expand=downloadsAllTime&expand=likes")))
                .SelectMany(p => p.Items)
                .ToList();
            var totals = new ModelTotals(
                items.Count,
                items.Sum(i => i.GetProperty("downloads").GetInt64()),
                items.Sum(i => i.GetProperty("downloadsAllTime").GetInt64()),
                items.Sum(i => i.GetProperty("likes").GetInt64()));
            Assert.Equal(new CatalogTotals(totals, totals), catalog.Sum([author]));
            listed += totals;
        }

        Assert.Equal(4_000, listed.Models);
        Assert.Equal(new CatalogTotals(listed, listed), catalog.Sum());
        Assert.Equal(catalog.Sum(), catalog.Sum(["A", "b", "c", "b", "nobody"]));
    }

    [Fact]
    public async Task MalformedRecordsAreServedWhereTheCatalogSaysAndValidTotalsLeaveThemOut()
    {
        var catalog = new GeneratedCatalog(3 * 6_900, ["a", "b", "c"]) { MalformedEvery = 997 };
        await using var hub = await FakeHubKit.StartAsync(catalog);
        using var http = new HttpClient();

        var items = (await FakeHubKit.ReadAllPagesAsync(http, new Uri(hub.BaseAddress, "api/models?author=a&expand=downloads&expand=downloadsAllTime&expand=likes")))
            .SelectMany(p => p.Items)
            .ToList();
        var malformed = catalog.MalformedIn("a");

        Assert.Equal(6_900, items.Count);
        Assert.Equal(GeneratedCatalog.DefaultMalformedKinds, malformed.Select(m => m.Kind));
        Assert.Equal([996, 1_993, 2_990, 3_987, 4_984, 6_000], malformed.Select(m => m.Position));
        Assert.Equal(malformed.Select(m => (m.Position, m.Kind)), items.Select((item, position) => (position, Kind: KindOf(item, items, position))).Where(p => p.Kind is not null).Select(p => (p.position, p.Kind!.Value)));
        Assert.All(malformed, m => Assert.Equal(m.Id, items[m.Position].Id() ?? catalog.IdOf(m.Position * 3)));

        // A careful client: skip what it cannot trust, keep the first of duplicates.
        var kept = items
            .Where(i => i.Id() is not null
                && i.GetProperty("downloads") is { ValueKind: JsonValueKind.Number } d && d.GetInt64() < MalformedValues.HugeDownloads
                && i.GetProperty("likes").GetInt64() >= 0)
            .DistinctBy(i => i.Id())
            .ToList();
        var served = new ModelTotals(
            items.Count,
            items.Sum(i => i.GetProperty("downloads") is { ValueKind: JsonValueKind.Number } d ? d.GetInt64() : 0),
            items.Sum(i => i.GetProperty("downloadsAllTime").GetInt64()),
            items.Sum(i => i.GetProperty("likes").GetInt64()));
        Assert.Equal(
            new CatalogTotals(
                new ModelTotals(
                    kept.Count,
                    kept.Sum(i => i.GetProperty("downloads").GetInt64()),
                    kept.Sum(i => i.GetProperty("downloadsAllTime").GetInt64()),
                    kept.Sum(i => i.GetProperty("likes").GetInt64())),
                served),
            catalog.Sum(["a"]));
        Assert.Equal(6_900 - 6, catalog.Sum(["a"]).Valid.Models);
    }

    private static MalformedKind? KindOf(JsonElement item, List<JsonElement> items, int position) => item switch
    {
        _ when item.Id() is null => MalformedKind.MissingId,
        _ when item.GetProperty("downloads").ValueKind == JsonValueKind.Null => MalformedKind.DownloadsNull,
        _ when item.GetProperty("downloads").ValueKind == JsonValueKind.String => MalformedKind.DownloadsString,
        _ when item.GetProperty("downloads").GetInt64() == MalformedValues.HugeDownloads => MalformedKind.DownloadsHuge,
        _ when item.GetProperty("likes").GetInt64() < 0 => MalformedKind.LikesNegative,
        _ when position > 0 && items[position - 1].Id() == item.Id() => MalformedKind.Duplicate,
        _ => null,
    };
}
