using System.Net;
using OpenModelWatch.FakeHub.Catalogs;

namespace OpenModelWatch.Tests.FakeHub;

public class DailyCatalogTests
{
    private static readonly string[] _namespaces = ["alpha", "beta", "gamma"];

    [Fact]
    public void DayZeroIsTheGeneratedCatalog()
    {
        var generated = new GeneratedCatalog(6_000, _namespaces, seed: 7);
        var day0 = new DailyCatalog(6_000, _namespaces, seed: 7).At(0);

        Assert.Equal(Served(generated.List(null, ModelSort.Downloads)), Served(day0.List(null, ModelSort.Downloads)));
        Assert.Equal(Served(generated.List("beta", ModelSort.None)), Served(day0.List("beta", ModelSort.None)));
        Assert.Equal(Served(generated.List(null, ModelSort.Likes)), Served(day0.List(null, ModelSort.Likes)));
        Assert.Equal(generated.Sum(), day0.Sum());
        Assert.All(new[] { 0, 1, 2_345, 5_999 }, i => Assert.Equivalent(generated.ModelAt(i), day0.Find(generated.IdOf(i)), strict: true));
    }

    [Fact]
    public void FromOneDayToTheNextExactlyTheStatedModelsAreNewRemovedAndRenamedAndAboutAThirdChange()
    {
        // Seed 42, N = 30,000: 60 new, 15 removed and 3 renamed a day (0.2%, 0.05%, 0.01% of N).
        var catalog = new DailyCatalog(30_000, _namespaces, seed: 42);
        var (before, after) = (catalog.At(11), catalog.At(12));

        // Told apart by what the fake serves only: a model's _id stays the same through a rename.
        var was = before.Models.ToDictionary(m => m.ObjectId);
        var now = after.Models.ToDictionary(m => m.ObjectId);
        var continuing = now.Keys.Where(was.ContainsKey).ToList();
        var renamed = continuing.Where(key => was[key].Id != now[key].Id).ToList();
        var changed = continuing.Count(key => Counts(was[key]) != Counts(now[key]));
        var served = new DayChanges(12, now.Count, now.Keys.Count(key => !was.ContainsKey(key)), was.Keys.Count(key => !now.ContainsKey(key)), renamed.Count, changed, continuing.Count - changed);

        Assert.Equal((60, 15, 3), (catalog.NewPerDay, catalog.RemovedPerDay, catalog.RenamedPerDay));
        Assert.Equal(new DayChanges(12, 30_540, 60, 15, 3, 9_471, 21_009), served);
        Assert.Equal(served, catalog.ChangesOn(12));
        Assert.InRange(changed / (double)continuing.Count, 0.304, 0.324); // 31.4% expected

        // Counts move as stated: downloads always differ on a change, all-time and likes never fall.
        Assert.All(continuing, key =>
        {
            Assert.True(now[key].DownloadsAllTime >= was[key].DownloadsAllTime && now[key].Likes >= was[key].Likes, was[key].Id);
            Assert.Equal(Counts(was[key]) != Counts(now[key]), was[key].Downloads != now[key].Downloads);
        });
        Assert.Contains(continuing, key => now[key].DownloadsAllTime > was[key].DownloadsAllTime);
        Assert.Contains(continuing, key => now[key].Downloads != was[key].Downloads && now[key].DownloadsAllTime == was[key].DownloadsAllTime);

        // A renamed model: the old id is gone from the listings, a GET of it answers the new one; a removed model is gone.
        Assert.All(renamed, key =>
        {
            Assert.Matches(@"-r[0-9]+$", now[key].Id);
            Assert.Equal(now[key].Id, after.Find(was[key].Id)?.Id);
            Assert.DoesNotContain(after.Models, m => m.Id == was[key].Id);
            Assert.Equal(was[key].CreatedAt, now[key].CreatedAt);
        });
        Assert.All(was.Keys.Where(key => !now.ContainsKey(key)), key => Assert.Null(after.Find(was[key].Id)));
        Assert.All(now.Keys.Where(key => !was.ContainsKey(key)), key =>
            Assert.InRange(now[key].CreatedAt, DailyCatalog.DateOf(11), DailyCatalog.DateOf(12)));
    }

    [Fact]
    public void ADayIsTheSameWhicheverWayItIsReached()
    {
        var direct = new DailyCatalog(8_000, _namespaces, seed: 5).At(40);
        var stepped = new DailyCatalog(8_000, _namespaces, seed: 5);
        stepped.At(3);
        for (var day = 1; day <= 40; day += 13)
        {
            stepped.MoveTo(day);
        }

        var other = new DailyCatalog(8_000, _namespaces, seed: 6).At(40);

        Assert.Equal(direct.Counts, stepped.MoveTo(40).Counts);
        Assert.Equal(direct.Counts, new DailyCatalog(8_000, _namespaces, seed: 5, day: 40).Current.Counts);
        Assert.NotEqual(direct.Counts, other.Counts);
        Assert.Equal(8_000 + (40 * (16 - 4)), direct.ModelCount);
    }

    [Fact]
    public void TheCatalogGrowsByTheNetRateEveryDayAndAllTimeCountsNeverFall()
    {
        var catalog = new DailyCatalog(20_000, _namespaces, seed: 9);
        var first = catalog.At(0).Counts.ToDictionary(c => c.Id, c => c.Counts);
        var last = catalog.At(60).Counts.ToDictionary(c => c.Id, c => c.Counts);

        Assert.All(Enumerable.Range(1, 60), day =>
        {
            var changes = catalog.ChangesOn(day);
            Assert.Equal((20_000 + (day * 30), 40, 10, 2), (changes.Models, changes.New, changes.Removed, changes.Renamed));
            Assert.InRange(changes.Changed / (double)(changes.Changed + changes.Unchanged), 0.30, 0.33);
        });
        Assert.All(first.Where(pair => last.ContainsKey(pair.Key)), pair =>
            Assert.True(last[pair.Key].DownloadsAllTime > pair.Value.DownloadsAllTime, pair.Key));
    }

    [Fact]
    public async Task TheFakeHubServesTheDayItIsMovedTo()
    {
        var catalog = new DailyCatalog(2_500, _namespaces, seed: 3);
        await using var hub = await FakeHubKit.StartAsync(catalog, maxPageSize: 500);
        using var http = new HttpClient();

        using var moved = await http.PostAsync(new Uri(hub.BaseAddress, "_fake/day?day=4"), null, TestContext.Current.CancellationToken);
        var day = await FakeHubKit.ReadJsonAsync(moved);
        using var next = await http.PostAsync(new Uri(hub.BaseAddress, "_fake/day?day=next"), null, TestContext.Current.CancellationToken);
        using var bad = await http.PostAsync(new Uri(hub.BaseAddress, "_fake/day?day=soon"), null, TestContext.Current.CancellationToken);
        var pages = await FakeHubKit.ReadAllPagesAsync(http, new Uri(hub.BaseAddress, "api/models?sort=downloads&expand=downloads&expand=downloadsAllTime&expand=likes"));

        Assert.Equal((4, 2_500 + (4 * 4)), (day.GetProperty("day").GetInt32(), day.GetProperty("models").GetInt32()));
        Assert.Equal(catalog.ChangesOn(4).Changed, day.GetProperty("changes").GetProperty("changed").GetInt32());
        Assert.Equal(5, (await FakeHubKit.ReadJsonAsync(next)).GetProperty("day").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(
            catalog.At(5).List(null, ModelSort.Downloads).Select(r => ((string?)r.Model.Id, r.Model.Downloads, r.Model.DownloadsAllTime, r.Model.Likes)),
            pages.SelectMany(p => p.Items).Select(i => (i.Id(), i.GetProperty("downloads").GetInt64(), (long?)i.GetProperty("downloadsAllTime").GetInt64(), i.GetProperty("likes").GetInt64())));
        Assert.Equal(6, pages.Count);
        Assert.Equal(0, hub.Counters.TooManyRequests);
    }

    [Fact]
    public async Task TheDayEndpointSaysWhenTheCatalogDoesNotChangeByDay()
    {
        await using var hub = await FakeHubKit.StartAsync(new GeneratedCatalog(10, ["solo"]));
        using var http = new HttpClient();

        using var answer = await http.PostAsync(new Uri(hub.BaseAddress, "_fake/day?day=1"), null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    private static (long Downloads, long? AllTime, long Likes, int Trending) Counts(FakeModel model) =>
        (model.Downloads, model.DownloadsAllTime, model.Likes, model.TrendingScore);

    private static List<(string Id, long Downloads, long? AllTime, long Likes, int Trending, string ObjectId)> Served(IEnumerable<CatalogRecord> records) =>
        [.. records.Select(r => (r.Model.Id, r.Model.Downloads, r.Model.DownloadsAllTime, r.Model.Likes, r.Model.TrendingScore, r.Model.ObjectId))];
}
