using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Overview;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Store;

/// <summary>
/// The models grid's every filter and sort, on the latest run (read from the models' denormalised, indexed columns)
/// and on a past run (read from the count ranges), against a straightforward reference written here: the run's rows
/// read whole with plain SQL, filtered and sorted in memory. On both stores.
/// </summary>
public abstract class GridReferenceTests(GridReferenceTests.Store store)
{
    public sealed class OnSqlite(SqliteStore store) : GridReferenceTests(store), IClassFixture<SqliteStore>;

    public sealed class OnPostgres(PostgresStore store) : GridReferenceTests(store), IClassFixture<PostgresStore>;

    public sealed class SqliteStore() : Store(StoreProvider.Sqlite);

    public sealed class PostgresStore() : Store(StoreProvider.PostgreSQL);

    /// <summary>Two runs of a generated Hub (the second a different draw, with fewer models), shared by every case.</summary>
    public abstract class Store(StoreProvider provider) : IAsyncLifetime
    {
        private static readonly string[] _namespaces = ["Qwen", "meta-llama", "deepseek-ai", "mistralai", "SakanaAI", "fan-one", "fan-two"];
        private FakeHubServer _hub = null!;

        public StoreProvider Provider => provider;

        public TempFolder Folder { get; } = new(provider);
        public AppFactory App { get; private set; } = null!;
        public int PastRun { get; private set; }
        public int LatestRun { get; private set; }

        public async ValueTask InitializeAsync()
        {
            var catalog = new SwitchableCatalog(new GeneratedCatalog(1_500, _namespaces, seed: 7));
            _hub = await FakeHubServer.StartAsync(new FakeHubOptions { Catalog = catalog });
            App = new AppFactory(Folder, _hub.BaseAddress,
                Folder.WriteRegistry(("Qwen", "CN"), ("meta-llama", "US"), ("deepseek-ai", "CN"), ("mistralai", "FR"), ("SakanaAI", "JP")),
                new Dictionary<string, string?> { ["Census:TopN"] = "600", ["RateLimiting:PermitsPerMinute"] = "1000" });
            var runner = App.Services.GetRequiredService<IngestionRunner>();
            var first = await runner.RunAsync(RunTrigger.Manual, CancellationToken.None);
            catalog.Current = new GeneratedCatalog(1_400, _namespaces, seed: 8);
            var second = await runner.RunAsync(RunTrigger.Manual, CancellationToken.None);
            Assert.True(first.Succeeded && second.Succeeded, first.Error ?? second.Error);
            (PastRun, LatestRun) = (first.RunId!.Value, second.RunId!.Value);
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await _hub.DisposeAsync();
            Folder.Dispose();
        }
    }

    private TempFolder Folder => store.Folder;

    public static TheoryData<string> Queries()
    {
        var sorts = new[] { "downloads30d", "downloadsAllTime", "likes", "trendingScore", "createdAt", "parameters" };
        var queries = new List<string> { "", "offset=300", "limit=1000", "scope=census", "attribution=origin", "attribution=origin&scope=census" };
        queries.AddRange(sorts.SelectMany(sort => new[] { $"sort={sort}", $"sort={sort}&order=asc", $"sort={sort}&order=asc&offset=200&limit=50" }));
        queries.AddRange([
            "country=CN", "country=US,FR", "country=XX", "country=CN&attribution=origin", "country=XX&attribution=origin",
            "region=China", "region=Europe", "region=Other", "region=Community", "region=Unknown&attribution=origin", "region=US&sort=likes&order=asc",
            "lab=lab-qwen", "lab=lab-qwen&attribution=origin", "lab=community:fan-one", "lab=lab-mistralai&sort=createdAt",
            "task=text-generation", "task=text-generation&scope=census", "task=no-such-task", "task=text-generation&sort=parameters&order=asc",
            "license=mit", "license=mit&attribution=origin&scope=census", "license=apache-2.0&country=CN&sort=trendingScore",
            "minParameters=1000000000", "maxParameters=8000000000&sort=parameters", "minParameters=1000000000&maxParameters=20000000000&region=China",
            "createdFrom=2024-01-01", "createdTo=2023-06-30&order=asc", "createdFrom=2024-01-01&createdTo=2025-12-31&sort=createdAt",
            "q=qwen", "q=MODEL-00", "q=fan-one/&sort=likes", "q=a", "q=_", "q=nothing-like-this",
            "q=qwen&order=asc", "q=model-0&order=asc&offset=7&limit=13", "q=QWEN&scope=census", "q=e&attribution=origin&scope=census&offset=40",
            "q=fan-one/&offset=5000", "q=00&sort=downloads30d&limit=1000",
            // Found in every id, or in most (the namespaces with an a): the store is given the ids without the text.
            "q=e&sort=likes", "q=-&country=CN&order=asc", "q=o&scope=census&sort=createdAt&offset=30", "q=a&sort=trendingScore", "q=A&region=Europe",
            "q=Qwen&country=CN&task=text-generation&license=apache-2.0&minParameters=1&createdFrom=2022-01-01&sort=downloadsAllTime&order=asc",
            // A text with places and the scope only: answered whole in memory in the default order, else counted there
            // and its narrowed matches given to the store.
            "q=qwen&country=CN", "q=model&region=Europe&sort=likes&order=asc", "q=qwen&lab=lab-qwen&attribution=origin&scope=census",
            "q=model&country=US,XX&offset=20&order=asc", "q=fan&lab=community:fan-one", "q=model&region=Unknown&attribution=origin&sort=createdAt",
            "q=model&country=CN&sort=parameters&offset=10&limit=20",
            // Texts in a third of the ids or fewer, with places and another order: the count is the narrowed matches'.
            "q=model-00001&region=China&sort=likes", "q=model-00000&country=FR,JP&sort=createdAt&order=asc&offset=5",
            "q=model-00001&lab=lab-qwen&attribution=origin&scope=census&sort=trendingScore",
            // A text in 400 of the latest run's 1,400 models: its page walks the order's index testing the matches.
            "q=model-0001&sort=likes", "q=model-0001&sort=createdAt&order=asc&offset=150", "q=model-0001&task=text-generation&sort=parameters",
            "q=model-0001&task=text-generation", "q=model-0001&country=CN,US&attribution=origin&sort=downloadsAllTime&order=asc",
            "q=model-00001&license=apache-2.0&sort=likes", "q=model-0001&task=text-generation&order=asc&offset=3",
            // Several filters, or a range, with no text: counted in memory (and paged there in the default order); with a
            // text, ranges narrow its matches like the other filters. The extremes of the ranges keep every known value,
            // never an unknown one; created up to the last date is no filter at all.
            "region=Europe&task=text-generation&minParameters=1000000000", "region=China&task=text-generation&minParameters=1000000000&offset=20&order=asc",
            "country=CN&license=apache-2.0&createdFrom=2024-01-01&sort=likes", "task=text-generation&license=mit&scope=census&attribution=origin",
            "lab=lab-qwen&attribution=origin&createdTo=2025-06-30&offset=5&limit=10", "createdTo=9999-12-31",
            "minParameters=0&maxParameters=9223372036854775807&createdFrom=0001-01-01", "lab=community:fan-one&minParameters=1",
            "q=qwen&minParameters=1000000000", "q=model&createdFrom=2024-01-01&sort=likes", "q=model-0001&maxParameters=8000000000&sort=createdAt&order=asc",
            // One filter whose page the store would read thousands of rows for: paged from the ids in memory too.
            .. _deepPages,
            // In another order, their ids given to the store (which tests no filter again): walked or read by id.
            "task=text-generation&minParameters=1000000000&sort=downloadsAllTime&offset=40&limit=20",
            "region=China&maxParameters=20000000000&scope=census&attribution=origin&sort=trendingScore&order=asc",
        ]);
        var data = new TheoryData<string>();
        foreach (var query in queries)
        {
            data.Add(query);
        }

        return data;
    }

    /// <summary>Views of one filter whose page would read more rows of the store than <see cref="ModelLeaderboard.MemoryRows"/>.</summary>
    private static readonly string[] _deepPages =
    [
        "lab=lab-mistralai&sort=likes&offset=5&limit=1000", "license=mit&sort=downloadsAllTime&offset=10&limit=1000",
        "country=CN&sort=createdAt&order=asc&offset=20&limit=1000", "license=mit&scope=census&sort=trendingScore&offset=3&limit=1000",
        "task=text-generation&offset=1900&limit=200",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task TheGridAnswersAsTheReferenceDoesOnTheLatestAndAPastRun(string query)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // The text search's ids in memory are loaded (as the warm-up loads them after a run), so that the API answers
        // a search of the latest run from them; the trigram index's answer is checked below.
        var names = store.App.Services.GetRequiredService<ModelNameIndex>();
        Assert.Equal(store.LatestRun, await names.BuildAsync(store.LatestRun, cancellationToken));
        var answered = names.Answered;
        var parameters = ListParametersParser.Parse(new QueryCollection(QueryHelpers.ParseQuery(query)), ModelLeaderboard.SortFields, "downloads30d");
        using var http = store.App.CreateClient();
        var latestTotal = 0;
        foreach (var run in new[] { store.LatestRun, store.PastRun })
        {
            var answer = await http.GetFromJsonAsync<JsonElement>($"/api/v1/models?run={run}&{query}", cancellationToken);
            var (total, ids) = Reference(run, query);
            latestTotal = run == store.LatestRun ? total : latestTotal;
            // q=_ finds nothing (no id has an underscore): unescaped, it would find every model. No model has the task
            // no-such-task: the latest run's counts per task have no row for it, and the count is 0.
            Assert.True(total > 0 || query is "q=nothing-like-this" or "q=_" or "task=no-such-task" or "q=fan-one/&offset=5000", $"run {run}, {query}: the reference has no rows, so the case proves nothing");
            Assert.Equal(total, answer.GetProperty("total").GetInt32());
            // Each item's lab and country under the view's attribution and its counts, not only which models and in
            // which order: a page read in two steps (ids, then rows) must read the rows under the same attribution.
            Assert.Equal(ids, answer.GetProperty("items").EnumerateArray().Select(item => string.Join(' ',
                item.GetProperty("id").GetString(), item.GetProperty("lab").GetString() ?? "-", item.GetProperty("country").GetString(),
                item.GetProperty("downloads30d").GetInt64(), item.GetProperty("likes").ToString())).ToArray());
        }

        // Which path answered the latest run: the ids in memory for every search (the page itself, in any order, when
        // the search's other filters are held, else the matches given to the store's query), and for a view with no
        // text that the run's totals cannot count (a range, or two of places, a task and a licence) or whose page the
        // store would read thousands of rows for (ModelLeaderboard.FromMemory); on PostgreSQL, for every view whose
        // filters are held.
        var searched = parameters.Q is { } q && ModelNameIndex.Searchable(q);
        var kinds = (parameters.Countries.Count > 0 || parameters.Region is not null || parameters.Lab is not null ? 1 : 0)
            + (parameters.Task is null ? 0 : 1) + (parameters.License is null ? 0 : 1);
        var ranged = parameters.MinParameters is not null || parameters.MaxParameters is not null || parameters.CreatedFrom is not null || parameters.CreatedTo is not null;
        var deep = ModelLeaderboard.FromMemory(parameters, latestTotal, Reference(store.LatestRun, parameters.Scope == Scope.Census ? "scope=census" : "").Total);
        Assert.True(parameters.Q is not null || _deepPages.Contains(query) == deep, $"{query}: paged from memory for its depth: {deep}");
        var counted = parameters.Q is null && ModelNameIndex.Holds(parameters) && (ranged || kinds >= 2 || deep || store.Provider == StoreProvider.PostgreSQL);
        Assert.Equal(searched || counted, names.Answered > answered);
        if (searched)
        {
            // The same view without the ids in memory: through the trigram index, as before they are loaded.
            await using var db = await store.App.Services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>().CreateDbContextAsync(cancellationToken);
            var asOf = await PinnedRun.ResolveAsync(db, store.LatestRun, cancellationToken);
            var page = await ModelLeaderboard.PageAsync(db, asOf!, parameters, cancellationToken);
            var (total, ids) = Reference(store.LatestRun, query);
            Assert.Equal(total, page.Total);
            Assert.Equal(ids, page.Items.Select(item => string.Join(' ', item.Id, item.Lab ?? "-", item.Country, item.Downloads30d,
                item.Likes?.ToString(CultureInfo.InvariantCulture) ?? "")).ToArray());
        }
    }

    [Fact]
    public async Task TheOverviewAndCountriesTopModelsArePagedFromTheIdsInMemoryOnPostgresAndEqualTheReference()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var services = store.App.Services;
        // The warm-up builds the ids in memory before the views that page their top models from them.
        Assert.IsType<ModelNameIndex>(services.GetServices<IViewWarmup>().OrderBy(view => view.Stage).First());
        // Ids of its own: the app's warm-up pages from the app's at any moment.
        var factory = services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>();
        var names = new ModelNameIndex(factory, NullLogger<ModelNameIndex>.Instance);
        Assert.Equal(store.LatestRun, await names.BuildAsync(store.LatestRun, cancellationToken));
        var history = new RunHistory(factory);

        var answered = names.Answered;
        var overview = await new OverviewQuery(factory, new CountryHistory(history, new LabHistory(history)), new LabHistory(history), names)
            .GetAsync(CountingView.Default, cancellationToken);
        var comparison = await new CountryComparison(factory, new CountryHistory(history, new LabHistory(history)), new LabHistory(history), names)
            .GetAsync(new CompareKey(Regions.China, IsRegion: true), new CompareKey(Regions.Us, IsRegion: true), CountingView.Default, cancellationToken);
        // On PostgreSQL, its top 50, its trending and each side's top models (4 pages); SQLite walks its indexes for them.
        Assert.Equal(store.Provider == StoreProvider.PostgreSQL ? 4 : 0, names.Answered - answered);

        Assert.NotNull(overview);
        Assert.NotNull(comparison);
        Assert.Equal(Reference(store.LatestRun, "limit=50").Ids, overview.Top50.Models.Select(Line).ToArray());
        var trending = Reference(store.LatestRun, "sort=trendingScore&limit=" + OverviewHeadlines.TopByTrendingSize).Ids;
        Assert.True(trending.Length == OverviewHeadlines.TopByTrendingSize, "too few models to compare");
        Assert.Equal(trending, overview.Trending5.Models.Select(Line).ToArray());
        Assert.Equal(Reference(store.LatestRun, $"region=China&limit={CountryComparison.Top}").Ids, comparison.A.TopModels.Select(Line).ToArray());
        Assert.Equal(Reference(store.LatestRun, $"region=US&limit={CountryComparison.Top}").Ids, comparison.B.TopModels.Select(Line).ToArray());

        static string Line(ModelItem item) => string.Join(' ', item.Id, item.Lab ?? "-", item.Country, item.Downloads30d,
            item.Likes?.ToString(CultureInfo.InvariantCulture) ?? "");
    }

    [Fact]
    public async Task TheFilterChoicesOfTheLatestRunComeFromItsTotalsAndEqualThoseOfItsRows()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var db = await store.App.Services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>().CreateDbContextAsync(cancellationToken);
        var fromTotals = await ModelFacets.FromTotalsAsync(db, store.LatestRun, cancellationToken);
        var fromRows = await ModelFacets.FromRowsAsync(db, store.LatestRun, cancellationToken);
        Assert.NotNull(fromTotals);
        Assert.Equal(["CN", "FR", "JP", "US", "XX"], fromTotals.Countries);
        Assert.Equal(5, fromTotals.Labs.Count);
        Assert.True(fromTotals.Tasks.Count > 3 && fromTotals.Licenses.Count > 3, $"{fromTotals.Tasks.Count} tasks, {fromTotals.Licenses.Count} licences: too few to compare");
        Assert.Equal(JsonSerializer.Serialize(fromRows), JsonSerializer.Serialize(fromTotals));
        // An earlier run's rows carry today's task and licence: its choices are read from its rows.
        Assert.Null(await ModelFacets.FromTotalsAsync(db, store.PastRun, cancellationToken));
    }

    private sealed record Row(long Id, string HubId, string Namespace, string? LabId, string? Country, string? Task, string? License,
        DateTime? CreatedAt, long? Parameters, bool InCensus, long Downloads30d, long? DownloadsAllTime, long? Likes, long? TrendingScore);

    /// <summary>The run's whole rows with plain SQL, then the query's filters, order and page in memory.</summary>
    private (int Total, string[] Ids) Reference(int run, string query)
    {
        var p = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=')).ToDictionary(pair => pair[0], pair => pair[1]);
        var origin = p.GetValueOrDefault("attribution") == "origin";
        var rows = ReadRows(run, origin).AsEnumerable();
        if (p.GetValueOrDefault("scope") == "census")
        {
            rows = rows.Where(r => r.InCensus);
        }

        if (p.TryGetValue("country", out var countries))
        {
            var list = countries.Split(',');
            rows = rows.Where(r => list.Contains(r.Country ?? "XX"));
        }

        if (p.TryGetValue("region", out var region))
        {
            rows = rows.Where(r => region is "Unknown" or "Community" ? r.Country is null : r.Country is not null && Regions.Of(r.Country) == region);
        }

        if (p.TryGetValue("lab", out var lab))
        {
            rows = lab.StartsWith("community:", StringComparison.Ordinal)
                ? rows.Where(r => r.LabId is null && r.Namespace == lab["community:".Length..])
                : rows.Where(r => r.LabId == lab);
        }

        if (p.TryGetValue("task", out var task))
        {
            rows = rows.Where(r => r.Task == task);
        }

        if (p.TryGetValue("license", out var license))
        {
            rows = rows.Where(r => r.License == license);
        }

        if (p.TryGetValue("minParameters", out var min))
        {
            rows = rows.Where(r => r.Parameters >= long.Parse(min, CultureInfo.InvariantCulture));
        }

        if (p.TryGetValue("maxParameters", out var max))
        {
            rows = rows.Where(r => r.Parameters <= long.Parse(max, CultureInfo.InvariantCulture));
        }

        if (p.TryGetValue("createdFrom", out var from))
        {
            rows = rows.Where(r => r.CreatedAt >= DateTime.Parse(from, CultureInfo.InvariantCulture));
        }

        // Created up to the last date there is is no filter (models of unknown creation included).
        if (p.TryGetValue("createdTo", out var to) && to != "9999-12-31")
        {
            rows = rows.Where(r => r.CreatedAt < DateTime.Parse(to, CultureInfo.InvariantCulture).AddDays(1));
        }

        if (p.TryGetValue("q", out var q))
        {
            rows = rows.Where(r => r.HubId.Contains(q, StringComparison.OrdinalIgnoreCase));
        }

        // SQL's order: nulls are the smallest values; ties by the store's model id, in the sort's direction.
        Func<Row, IComparable?> key = p.GetValueOrDefault("sort") switch
        {
            "downloadsAllTime" => r => r.DownloadsAllTime,
            "likes" => r => r.Likes,
            "trendingScore" => r => r.TrendingScore,
            "createdAt" => r => r.CreatedAt,
            "parameters" => r => r.Parameters,
            _ => r => r.Downloads30d,
        };
        var comparer = Comparer<IComparable?>.Create((a, b) => a is null ? (b is null ? 0 : -1) : b is null ? 1 : a.CompareTo(b));
        var filtered = rows.ToList();
        var ascending = p.GetValueOrDefault("order") == "asc";
        var ordered = ascending ? filtered.OrderBy(key, comparer).ThenBy(r => r.Id) : filtered.OrderByDescending(key, comparer).ThenByDescending(r => r.Id);
        var offset = int.Parse(p.GetValueOrDefault("offset") ?? "0", CultureInfo.InvariantCulture);
        var limit = int.Parse(p.GetValueOrDefault("limit") ?? "100", CultureInfo.InvariantCulture);
        return (filtered.Count, ordered.Skip(offset).Take(limit)
            .Select(r => string.Join(' ', r.HubId, r.LabId ?? "-", r.Country ?? Regions.UnknownCountry, r.Downloads30d, r.Likes?.ToString(CultureInfo.InvariantCulture) ?? ""))
            .ToArray());
    }

    private List<Row> ReadRows(int run, bool origin)
    {
        using var connection = Folder.Store.Open();
        using var command = connection.CreateCommand();
        var lab = origin ? "m.OriginLabId" : "m.LabId";
        command.CommandText = $"""
            SELECT m.Id, m.HubId, m.Namespace, {lab}, l.Country, m.Task, m.License, m.CreatedAt, m.Parameters, s.InCensus,
                s.Downloads30d, s.DownloadsAllTime, s.Likes, s.TrendingScore
            FROM Snapshots s JOIN Models m ON m.Id = s.ModelId LEFT JOIN Labs l ON l.Id = {lab}
            WHERE s.RunId = {run}
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<Row>();
        while (reader.Read())
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), Text(reader, 3), Text(reader, 4), Text(reader, 5), Text(reader, 6),
                reader.IsDBNull(7) ? null
                    : reader.GetFieldType(7) == typeof(DateTime) ? reader.GetDateTime(7) // PostgreSQL's timestamptz, UTC
                    : DateTime.Parse(reader.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal),
                Number(reader, 8), reader.GetBoolean(9), reader.GetInt64(10), Number(reader, 11), Number(reader, 12), Number(reader, 13)));
        }

        return rows;
    }

    private static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static long? Number(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
}
