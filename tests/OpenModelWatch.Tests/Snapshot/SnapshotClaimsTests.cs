using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Derivatives;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Overview;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Snapshot;

/// <summary>The app imports the bundled snapshot once for these tests; each test reads it as the overview does.</summary>
public sealed class ImportedSnapshot : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private AppFactory _app = null!;

    public IDbContextFactory<OpenModelWatchDb> Db => _app.Services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>();

    public OverviewHeadlines Overview => _app.Services.GetRequiredService<OverviewHeadlines>();

    public DerivativesQuery Derivatives => _app.Services.GetRequiredService<DerivativesQuery>();

    public ValueTask InitializeAsync()
    {
        _app = new AppFactory(_folder, new Uri("http://127.0.0.1:9/"), Repo.Path("seeds", "labs.json"),
            new Dictionary<string, string?> { ["Snapshot:ImportWhenEmpty"] = "true" });
        _ = _app.Services;
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _folder.Dispose();
    }
}

/// <summary>
/// The seeds' claims, checked: on the snapshot's last time, the overview's numbers (and, by origin, the leaderboards')
/// equal a computation made here from the raw gz files and <c>seeds/labs.json</c> with none of the app's code: the
/// region rules and the walk up first parents are restated below. The figures pinned here are the ones
/// docs/methodology.md quotes.
/// </summary>
public sealed class SnapshotClaimsTests(ImportedSnapshot imported) : IClassFixture<ImportedSnapshot>
{
    // The product's region buckets, restated: China is CN, HK and MO; Europe is geographic Europe with GB, CH and NO (Regions.cs
    // has the same list; a change there must be a decision, so it breaks this test).
    private static readonly HashSet<string> _europe =
    [
        "AD", "AL", "AT", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FO", "FR", "GB",
        "GG", "GI", "GR", "HR", "HU", "IE", "IM", "IS", "IT", "JE", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK",
        "MT", "NL", "NO", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "SM", "UA", "VA", "XK",
    ];

    private static readonly Lazy<Expected> _expected = new(Compute);

    private static Expected Independent => _expected.Value;

    [Fact]
    public async Task TheOverviewIsAsOfTheSnapshotsLastTimeAndSaysItIsTheSnapshot()
    {
        var headlines = await HeadlinesAsync();

        Assert.Equal(SnapshotFile.Times[^1], headlines.AsOf.At);
        Assert.True(headlines.AsOf.IsSnapshot);
        Assert.Equal(new DateTime(2026, 8, 22, 20, 0, 2, 251, DateTimeKind.Utc), headlines.AsOf.At);
    }

    [Fact]
    public async Task TheTop10By30DayDownloadsIsSixChineseThreeAmericanAndOneUnattributed()
    {
        var top = (await HeadlinesAsync()).TopByDownloads;

        Assert.Equal(Independent.Top10.Select(m => m.Id), top.Models.Select(m => m.Id));
        Assert.Equal(Independent.Top10.Select(m => m.Downloads), top.Models.Select(m => m.Downloads30d));
        Assert.Equal(RegionCounts(Independent.Top10), top.ByRegion.Where(p => p.Value > 0).OrderBy(p => p.Key).ToList());
        Assert.Equal((6, 3, 1), (top.CountOf(Regions.China), top.CountOf(Regions.Us), top.CountOf(Regions.Community)));
    }

    [Fact]
    public async Task TheTop5ByTrendingScoreHasOneChineseModelAndFourCommunityUploadsOfIt()
    {
        var top = (await HeadlinesAsync()).TopByTrending;

        Assert.Equal(Independent.Top5Trending.Select(m => m.Id), top.Models.Select(m => m.Id));
        Assert.Equal(Independent.Top5Trending.Select(m => (long?)m.TrendingScore), top.Models.Select(m => m.TrendingScore));
        Assert.Equal(RegionCounts(Independent.Top5Trending), top.ByRegion.Where(p => p.Value > 0).OrderBy(p => p.Key).ToList());
        Assert.Equal((1, 4), (top.CountOf(Regions.China), top.CountOf(Regions.Community)));
        Assert.Equal("Qwen/Qwen3.8-27B", top.Models[0].Id);
    }

    [Fact]
    public async Task QwenHasNineTimesLlamasDownloads()
    {
        var versus = (await HeadlinesAsync()).QwenVsLlama;

        Assert.Equal(Independent.Qwen, (versus.Qwen.Models, versus.Qwen.Downloads30d));
        Assert.Equal(Independent.Llama, (versus.Llama.Models, versus.Llama.Downloads30d));
        Assert.Equal((35, 151_785_241L), Independent.Qwen);
        Assert.Equal((7, 16_772_538L), Independent.Llama);
        Assert.Equal(9.05, versus.Ratio!.Value, 2);

        // The labs leaderboard agrees on Qwen, the lab being the sum of its namespaces.
        await using var db = await imported.Db.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var labs = await LabLeaderboard.LabsAsync(db, (await HeadlinesAsync()).AsOf.Id, new ListParameters(), TestContext.Current.CancellationToken);
        Assert.Equal(versus.Qwen.Downloads30d, labs.Single(l => l.Id == OverviewHeadlines.QwenLabId).Downloads30d);
    }

    [Fact]
    public async Task RegionSharesEqualTheFilesSumsByTheRegistrysCountries()
    {
        var shares = (await HeadlinesAsync()).RegionShares;

        Assert.Equal(Independent.RegionDownloads.OrderBy(p => p.Key), shares.Select(s => KeyValuePair.Create(s.Region, s.Downloads30d)).OrderBy(p => p.Key));
        var total = Independent.RegionDownloads.Values.Sum();
        Assert.Equal(911_022_508, total);
        Assert.All(shares, s => Assert.Equal((double)Independent.RegionDownloads[s.Region] / total, s.Share, 12));
        Assert.Equal(
            [("China", 27.29), ("Community", 19.49), ("Europe", 4.67), ("Other", 0.38), ("US", 48.17)],
            shares.OrderBy(s => s.Region, StringComparer.Ordinal).Select(s => (s.Region, Math.Round(100 * s.Share, 2))));
    }

    [Fact]
    public async Task ByOriginEachRegionHoldsWhatAWalkUpFirstParentsGivesIt()
    {
        var asOf = (await HeadlinesAsync()).AsOf;
        var byOrigin = new ListParameters { Attribution = Attribution.Origin };
        await using var db = await imported.Db.CreateDbContextAsync(TestContext.Current.CancellationToken);

        var countries = await CountryLeaderboard.CountriesAsync(db, asOf.Id, byOrigin, TestContext.Current.CancellationToken);
        var trending = await ModelLeaderboard.PageAsync(db, asOf, byOrigin with { Sort = "trendingScore", Limit = 5 }, TestContext.Current.CancellationToken);
        var top10 = await ModelLeaderboard.PageAsync(db, asOf, byOrigin with { Sort = "downloads30d", Limit = 10 }, TestContext.Current.CancellationToken);

        var regions = countries.GroupBy(c => c.Region).ToDictionary(g => g.Key, g => g.Sum(c => c.Downloads30d));
        Assert.Equal(Independent.OriginRegionDownloads.Where(p => p.Value > 0).OrderBy(p => p.Key), regions.Where(p => p.Value > 0).OrderBy(p => p.Key));
        Assert.Equal(
            [("China", 40.32), ("Europe", 4.87), ("Other", 0.55), ("US", 49.92), ("Unknown", 4.34)],
            regions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, Math.Round(100.0 * p.Value / 911_022_508, 2))));
        Assert.Equal(Independent.Top5Trending.Select(m => m.Id), trending.Items.Select(m => m.Id));
        Assert.All(trending.Items, m => Assert.Equal(("China", "alibaba-qwen"), (m.Region, m.Lab)));
        Assert.Equal(Independent.Top10.Select(m => Independent.OriginRegions[m.Id]), top10.Items.Select(m => m.Region));
        Assert.Equal((7, 3, 0), (top10.Items.Count(m => m.Region == "China"), top10.Items.Count(m => m.Region == "US"), top10.Items.Count(m => m.Region == "Unknown")));
    }

    private async Task<Headlines> HeadlinesAsync() =>
        await imported.Overview.ForAsOfAsync(TestContext.Current.CancellationToken) ?? throw new InvalidOperationException("Nothing imported.");

    private static List<KeyValuePair<string, int>> RegionCounts(IEnumerable<LastTimeModel> models) =>
        [.. models.GroupBy(m => m.Region).Select(g => KeyValuePair.Create(g.Key, g.Count())).OrderBy(p => p.Key)];

    /// <summary>Everything the tests compare with, from the raw files only.</summary>
    [Fact]
    public async Task ReleaseActivityEqualsTheFilesModelsOfRegisteredLabsByCreationMonth()
    {
        var ct = TestContext.Current.CancellationToken;
        using var registry = JsonDocument.Parse(File.ReadAllBytes(Repo.Path("seeds", "labs.json")));
        var countryOfNamespace = registry.RootElement.GetProperty("labs").EnumerateArray()
            .SelectMany(lab => lab.GetProperty("namespaces").EnumerateArray().Select(ns => (Ns: ns.GetString()!, Country: lab.GetProperty("country").GetString()!)))
            .ToDictionary(p => p.Ns, p => p.Country, StringComparer.OrdinalIgnoreCase);
        var fileModels = SnapshotFile.Models.ToDictionary(m => m.Id, StringComparer.Ordinal);
        var last = SnapshotFile.Times[^1];
        var expected = SnapshotFile.History.Where(h => h.At == last)
            .Select(h => fileModels[h.Id])
            .Where(m => countryOfNamespace.ContainsKey(m.Author) && m.Json.GetProperty("createdAt").ValueKind == JsonValueKind.String)
            .GroupBy(m => (Month: m.Json.GetProperty("createdAt").GetString()![..7], Region: RegionOf(countryOfNamespace[m.Author])))
            .Select(g => $"{g.Key.Month} {g.Key.Region} {g.Count()}")
            .Order(StringComparer.Ordinal)
            .ToList();

        var releases = await imported.Derivatives.ReleasesAsync(new ListParameters { Limit = ListParameters.MaxLimit }, ct);
        Assert.True(expected.Count > 20, $"only {expected.Count} month-region groups in the file");
        Assert.Equal(expected, releases.Items.Select(r => $"{r.Month} {r.Region} {r.Models}").Order(StringComparer.Ordinal));
        Assert.Equal(expected.Count, releases.Total);
    }

    private static Expected Compute()
    {
        using var registry = JsonDocument.Parse(File.ReadAllBytes(Repo.Path("seeds", "labs.json")));
        var labs = registry.RootElement.GetProperty("labs").EnumerateArray().ToList();
        var countryOfNamespace = labs
            .SelectMany(lab => lab.GetProperty("namespaces").EnumerateArray().Select(ns => (Ns: ns.GetString()!, Country: lab.GetProperty("country").GetString()!)))
            .ToDictionary(p => p.Ns, p => p.Country, StringComparer.OrdinalIgnoreCase);
        var qwenNamespaces = labs.Single(lab => lab.GetProperty("id").GetString() == "alibaba-qwen")
            .GetProperty("namespaces").EnumerateArray().Select(ns => ns.GetString()!).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var last = SnapshotFile.Times[^1];
        var fileModels = SnapshotFile.Models.ToDictionary(m => m.Id, StringComparer.Ordinal);
        var rows = SnapshotFile.History.Where(h => h.At == last).Select(h =>
        {
            var model = fileModels[h.Id];
            return new LastTimeModel(h.Id, model.Author, h.Downloads30d, model.TrendingScore, RegionOf(countryOfNamespace.GetValueOrDefault(model.Author)));
        }).ToList();

        // Origins as the methodology defines them: the chain of first parents (the first base_model tag, or the card's
        // baseModel when the Hub derived no tag) through the models the import stores, which are the history's, and the
        // curated fixes of seeds/lineage.json for a model that declares no parent; the origin lab is the registered link
        // closest to the root (the model itself included). A chain with no registered link, or a loop, is Unknown.
        using var lineage = JsonDocument.Parse(File.ReadAllBytes(Repo.Path("seeds", "lineage.json")));
        var fixes = lineage.RootElement.GetProperty("fixes").EnumerateArray()
            .ToDictionary(f => f.GetProperty("model").GetString()!, f => f.GetProperty("upstream").GetString()!, StringComparer.OrdinalIgnoreCase);
        var stored = SnapshotFile.History.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        var firstParent = SnapshotFile.Models.Where(m => stored.Contains(m.Id)).ToDictionary(m => m.Id, FirstParent, StringComparer.Ordinal);
        string? OriginCountryOf(string id)
        {
            var path = new List<string> { id };
            for (var current = id; ;)
            {
                if ((firstParent.GetValueOrDefault(current) ?? fixes.GetValueOrDefault(current)) is not { } parent)
                {
                    return path.AsEnumerable().Reverse().Select(link => countryOfNamespace.GetValueOrDefault(link[..link.IndexOf('/')])).FirstOrDefault(c => c is not null);
                }

                if (path.Contains(parent, StringComparer.Ordinal) || path.Count > 64)
                {
                    return null;
                }

                path.Add(parent);
                current = parent;
            }
        }

        var originRegionOfModel = rows.ToDictionary(m => m.Id, m => OriginRegionOf(OriginCountryOf(m.Id)), StringComparer.Ordinal);
        var originRegions = rows.ToLookup(m => originRegionOfModel[m.Id]);

        return new Expected(
            [.. rows.OrderByDescending(m => m.Downloads).ThenBy(m => m.Id, StringComparer.Ordinal).Take(10)],
            [.. rows.OrderByDescending(m => m.TrendingScore).ThenBy(m => m.Id, StringComparer.Ordinal).Take(5)],
            Sum(rows.Where(m => qwenNamespaces.Contains(m.Author))),
            Sum(rows.Where(m => m.Author.Equals("meta-llama", StringComparison.OrdinalIgnoreCase))),
            new[] { "China", "US", "Europe", "Other", "Community" }.ToDictionary(r => r, r => rows.Where(m => m.Region == r).Sum(m => m.Downloads)),
            new[] { "China", "US", "Europe", "Other", "Unknown" }.ToDictionary(r => r, r => originRegions[r].Sum(m => m.Downloads)),
            originRegionOfModel);
    }

    private static (int, long) Sum(IEnumerable<LastTimeModel> models) => (models.Count(), models.Sum(m => m.Downloads));

    /// <summary>The first parent a model declares: its first well-formed <c>base_model:[RELATION:]ORG/NAME</c> tag, else its card's baseModel.</summary>
    private static string? FirstParent(RawModel model)
    {
        string[] relations = ["finetune", "quantized", "adapter", "merge"];
        var tags = model.Json.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList();
        var declared = model.Json.GetProperty("baseModel").GetString();
        foreach (var tag in tags.Append(declared is { Length: > 0 } ? "base_model:" + declared : ""))
        {
            if (!tag.StartsWith("base_model:", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = tag["base_model:".Length..].Split(':');
            var id = parts.Length switch
            {
                1 => parts[0],
                2 when relations.Contains(parts[0]) => parts[1],
                _ => null,
            };
            if (id is not null && id.Count(c => c == '/') == 1 && id[0] != '/' && id[^1] != '/' && !id.Contains(' '))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>By origin, a root outside the registry is Unknown.</summary>
    private static string OriginRegionOf(string? country) => country is null ? "Unknown" : RegionOf(country);

    /// <summary>By uploader, a namespace outside the registry is Community (docs/methodology.md), not Unknown.</summary>
    private static string RegionOf(string? country) => country switch
    {
        null => "Community",
        "US" => "US",
        "CN" or "HK" or "MO" => "China",
        _ when _europe.Contains(country) => "Europe",
        _ => "Other",
    };

    private sealed record LastTimeModel(string Id, string Author, long Downloads, int TrendingScore, string Region);

    private sealed record Expected(
        IReadOnlyList<LastTimeModel> Top10,
        IReadOnlyList<LastTimeModel> Top5Trending,
        (int Models, long Downloads) Qwen,
        (int Models, long Downloads) Llama,
        IReadOnlyDictionary<string, long> RegionDownloads,
        IReadOnlyDictionary<string, long> OriginRegionDownloads,
        IReadOnlyDictionary<string, string> OriginRegions);
}
