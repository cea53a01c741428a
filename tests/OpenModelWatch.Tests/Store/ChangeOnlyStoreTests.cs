using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Store;

/// <summary>
/// Four days of a small Hub, one run a day, against the real store: a model that does not move for days, one that
/// vanishes and comes back, one renamed (old id gone, new id listed), new ones. Every run answers exactly what the fake
/// Hub served that day, while the store keeps only what changed. On both stores.
/// </summary>
public abstract class ChangeOnlyStoreTests(StoreProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : ChangeOnlyStoreTests(StoreProvider.Sqlite);

    public sealed class OnPostgres() : ChangeOnlyStoreTests(StoreProvider.PostgreSQL);

    private readonly TempFolder _folder = new(provider);
    private FakeHubServer _hub = null!;
    private AppFactory _app = null!;

    /// <summary>What the fake Hub serves each day: id → (30-day downloads, likes).</summary>
    private static readonly Dictionary<string, (long Downloads, long Likes)>[] _days =
    [
        new() { ["Qwen/steady"] = (100_000, 50), ["Qwen/mover"] = (200_000, 70), ["meta-llama/away"] = (300_000, 90), ["fan/tune"] = (5_000, 3), ["fan/old-name"] = (4_000, 2) },
        new() { ["Qwen/steady"] = (100_000, 50), ["Qwen/mover"] = (210_000, 70), ["meta-llama/away"] = (300_000, 90), ["fan/tune"] = (5_000, 3), ["fan/new-name"] = (4_000, 2), ["fan/fresh"] = (1_000, 0) },
        new() { ["Qwen/steady"] = (100_000, 50), ["Qwen/mover"] = (210_000, 71), ["fan/tune"] = (5_500, 3), ["fan/new-name"] = (4_000, 2), ["fan/fresh"] = (1_000, 0) },
        new() { ["Qwen/steady"] = (100_000, 50), ["Qwen/mover"] = (210_000, 71), ["meta-llama/away"] = (300_000, 90), ["fan/tune"] = (5_500, 3), ["fan/new-name"] = (4_000, 2), ["fan/fresh"] = (1_000, 0) },
    ];

    private readonly List<int> _runs = [];

    private static IFakeCatalog Day(int day) => new RealisticCatalog(_days[day].Select(pair =>
    {
        var model = LineageModels.Model(pair.Key, pair.Value.Downloads, pair.Key == "fan/tune" ? ["finetune:Qwen/steady"] : []);
        return model with { Likes = pair.Value.Likes, DownloadsAllTime = pair.Value.Downloads * 3 };
    }).ToArray());

    public async ValueTask InitializeAsync()
    {
        var catalog = new SwitchableCatalog(Day(0));
        _hub = await FakeHubServer.StartAsync(new FakeHubOptions { Catalog = catalog });
        _app = new AppFactory(_folder, _hub.BaseAddress, _folder.WriteRegistry(("Qwen", "CN"), ("meta-llama", "US")),
            new Dictionary<string, string?> { ["Census:TopN"] = "100" });
        _runs.AddRange(await DailyRuns.RecordAsync(_app, catalog, _days.Length, Day));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _hub.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task EveryRunReadsBackExactlyWhatTheHubServedThatDay()
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        for (var day = 0; day < _days.Length; day++)
        {
            var stored = await db.Snapshots.Where(s => s.RunId == _runs[day])
                .Select(s => new { s.Model!.HubId, s.Downloads30d, s.Likes, s.DownloadsAllTime })
                .ToListAsync(TestContext.Current.CancellationToken);
            Assert.Equal(
                _days[day].OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value.Downloads} {p.Value.Likes} {p.Value.Downloads * 3}"),
                stored.OrderBy(s => s.HubId, StringComparer.Ordinal).Select(s => $"{s.HubId} {s.Downloads30d} {s.Likes} {s.DownloadsAllTime}"));
        }
    }

    [Fact]
    public async Task TheApiAnswersEveryPastRunExactlyAsItWasServed()
    {
        using var http = _app.CreateClient();
        for (var day = 0; day < _days.Length; day++)
        {
            var answer = await http.GetFromJsonAsync<JsonElement>($"/api/v1/models?run={_runs[day]}&limit=1000", TestContext.Current.CancellationToken);
            Assert.Equal(_days[day].Count, answer.GetProperty("total").GetInt32());
            var items = answer.GetProperty("items").EnumerateArray()
                .Select(item => $"{item.GetProperty("id").GetString()} {item.GetProperty("downloads30d").GetInt64()} {item.GetProperty("likes").GetInt64()}");
            Assert.Equal(
                _days[day].OrderByDescending(p => p.Value.Downloads).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value.Downloads} {p.Value.Likes}"),
                items);
        }
    }

    [Fact]
    public async Task TheStoreKeepsOnlyWhatChangedAndEachRunSaysHowMuch()
    {
        // Day 1: 5 new. Day 2: mover changed, new-name and fresh new (+3), old-name gone. Day 3: mover's likes and
        // tune changed (+2), away gone. Day 4: away back (+1). 11 ranges for 22 model-days.
        if (provider == StoreProvider.Sqlite)
        {
            Assert.Equal("ok", string.Join("; ", Rows("PRAGMA integrity_check")));
        }

        Assert.Equal("11", Scalar("SELECT COUNT(*) FROM Counts"));
        Assert.Equal("22", Scalar("SELECT COUNT(*) FROM Snapshots"));
        Assert.Equal("5 0|3 1|2 1|1 0", string.Join('|', Rows($"SELECT Changed || ' ' || Removed FROM Runs WHERE Id IN ({string.Join(',', _runs)}) ORDER BY Id")));
        // steady never moved: one open range from the first run.
        Assert.Equal($"{_runs[0]} ", Scalar("SELECT c.FromRunId || ' ' || COALESCE(CAST(c.ToRunId AS TEXT), '') FROM Counts c JOIN Models m ON m.Id = c.ModelId WHERE m.HubId = 'Qwen/steady'"));
        // away: listed, gone on day 3, back on day 4: two ranges, the first closed at day 3's run.
        Assert.Equal($"{_runs[0]}-{_runs[2]}|{_runs[3]}-", string.Join('|', Rows("SELECT c.FromRunId || '-' || COALESCE(CAST(c.ToRunId AS TEXT), '') FROM Counts c JOIN Models m ON m.Id = c.ModelId WHERE m.HubId = 'meta-llama/away' ORDER BY c.FromRunId")));
        // The renamed model's old id is not listed any more and is counted once per run under the id the Hub served.
        Assert.Equal("0|1", $"{Scalar("SELECT Listed FROM Models WHERE HubId = 'fan/old-name'")}|{Scalar("SELECT Listed FROM Models WHERE HubId = 'fan/new-name'")}");
    }

    [Fact]
    public void TheTotalsWrittenAtTheEndOfEachRunEqualTheSumsOfItsRows()
    {
        foreach (var run in _runs)
        {
            foreach (var (attribution, lab) in new[] { ("Uploader", "m.LabId"), ("Origin", "m.OriginLabId") })
            {
                foreach (var (scope, where) in new[] { ("All", "true"), ("Census", "s.InCensus") })
                {
                    var fromRows = Rows($"""
                        SELECT COALESCE({lab}, '') || ' ' || COUNT(*) || ' ' || SUM(s.Downloads30d) || ' ' || SUM(COALESCE(s.DownloadsAllTime, 0)) || ' ' || SUM(COALESCE(s.Likes, 0))
                        FROM Snapshots s JOIN Models m ON m.Id = s.ModelId WHERE s.RunId = {run} AND {where}
                        GROUP BY COALESCE({lab}, '') ORDER BY 1
                        """);
                    var written = Rows($"""
                        SELECT LabId || ' ' || Models || ' ' || Downloads30d || ' ' || DownloadsAllTime || ' ' || Likes
                        FROM RunTotals WHERE RunId = {run} AND Attribution = '{attribution}' AND Scope = '{scope}' ORDER BY 1
                        """);
                    Assert.NotEmpty(fromRows);
                    Assert.Equal(fromRows, written);
                }
            }
        }

        // By hand, the last run: Qwen 100,000 + 210,000 under the uploader; under the origin, fan/tune (a Qwen finetune) too.
        Assert.Equal("lab-qwen 2 310000", Scalar($"SELECT LabId || ' ' || Models || ' ' || Downloads30d FROM RunTotals WHERE RunId = {_runs[3]} AND Attribution = 'Uploader' AND Scope = 'All' AND LabId = 'lab-qwen'"));
        Assert.Equal("lab-qwen 3 315500", Scalar($"SELECT LabId || ' ' || Models || ' ' || Downloads30d FROM RunTotals WHERE RunId = {_runs[3]} AND Attribution = 'Origin' AND Scope = 'All' AND LabId = 'lab-qwen'"));
    }

    [Fact]
    public void TheCountsPerTaskAndLicenceAreTheLatestRunsAndEqualItsRows()
    {
        // Only the latest run's: an earlier run's rows carry today's task and licence, not the ones it counted.
        Assert.Equal([_runs[3].ToString(System.Globalization.CultureInfo.InvariantCulture)], Rows("SELECT DISTINCT RunId FROM RunFacets"));
        foreach (var (facet, column) in new[] { ("Task", "m.Task"), ("License", "m.License") })
        {
            foreach (var (scope, where) in new[] { ("All", "true"), ("Census", "s.InCensus") })
            {
                var fromRows = Rows($"""
                    SELECT COALESCE({column}, '') || ' ' || COUNT(*) || ' ' || SUM(s.Downloads30d)
                    FROM Snapshots s JOIN Models m ON m.Id = s.ModelId WHERE s.RunId = {_runs[3]} AND {where}
                    GROUP BY COALESCE({column}, '') ORDER BY 1
                    """);
                var written = Rows($"SELECT Value || ' ' || Models || ' ' || Downloads30d FROM RunFacets WHERE Facet = '{facet}' AND Scope = '{scope}' ORDER BY 1");
                Assert.NotEmpty(fromRows);
                Assert.Equal(fromRows, written);
            }
        }

        // By hand: the last day's six models, 620,500 downloads in 30 days between them.
        Assert.Equal("6 620500", Scalar("SELECT SUM(Models) || ' ' || SUM(Downloads30d) FROM RunFacets WHERE Facet = 'Task' AND Scope = 'All'"));
    }

    private string? Scalar(string sql) => Rows(sql).SingleOrDefault();

    private List<string> Rows(string sql) => Sql.Rows(_folder, sql);
}
