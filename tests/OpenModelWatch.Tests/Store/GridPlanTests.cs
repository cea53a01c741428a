using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Store;

/// <summary>
/// How SQLite reads a page of the models grid on the latest run, from its own <c>EXPLAIN QUERY PLAN</c> of the command
/// EF Core sends: a page of a large part of the run walks its order's <c>(Listed, column)</c> index, where the bare
/// query sorted every match (at 3 million models, the whole run for every page). Which pages walk is
/// <see cref="ModelLeaderboard.WalkOrder"/>'s choice; the rows are the same either way (<see cref="GridReferenceTests"/>).
/// </summary>
public sealed class GridPlanTests(GridReferenceTests.SqliteStore store) : IClassFixture<GridReferenceTests.SqliteStore>
{
    [Theory]
    [InlineData("downloads30d", false, "COVERING INDEX IX_Models_Listed_Downloads30d")]
    [InlineData("downloads30d", true, "COVERING INDEX IX_Models_Listed_Downloads30d")]
    [InlineData("downloadsAllTime", false, "COVERING INDEX IX_Models_Listed_DownloadsAllTime")]
    [InlineData("likes", false, "COVERING INDEX IX_Models_Listed_Likes")]
    [InlineData("likes", true, "COVERING INDEX IX_Models_Listed_Likes")]
    [InlineData("trendingScore", false, "COVERING INDEX IX_Models_Listed_TrendingScore")]
    [InlineData("createdAt", true, "COVERING INDEX IX_Models_Listed_CreatedAt")]
    [InlineData("parameters", false, "COVERING INDEX IX_Models_Listed_Parameters")]
    public async Task AnUnfilteredPageWalksItsOrdersIndexWhereTheBareQuerySortedTheRun(string sort, bool ascending, string index)
    {
        var parameters = new ListParameters { Sort = sort, Ascending = ascending, Offset = 200, Limit = 100 };
        var walked = await PlanAsync(parameters, walk: true);
        Assert.Contains($"USING {index} (Listed=?", walked);
        // The page's ids from the walk, then their rows by id: only the page's 100 rows are sorted, not a group of
        // ties (the index ends with the model id that breaks them) nor the run.
        Assert.Contains("SEARCH m USING INTEGER PRIMARY KEY (rowid=?)", walked);
        Assert.Equal(1, Regex.Count(walked, "TEMP B-TREE"));

        // What the walk replaces: no index for the order, every listed model sorted.
        Assert.Contains("USE TEMP B-TREE FOR ORDER BY", await PlanAsync(parameters, walk: false));
    }

    [Theory]
    [InlineData("country=US,FR&sort=likes", "INDEX IX_Models_Listed_Likes")]
    [InlineData("region=Europe", "COVERING INDEX IX_Models_Listed_Downloads30d")]
    [InlineData("region=Europe&attribution=origin&scope=census", "COVERING INDEX IX_Models_Listed_Downloads30d")]
    [InlineData("task=text-generation&sort=trendingScore", "INDEX IX_Models_Listed_TrendingScore")]
    [InlineData("minParameters=1000000000&maxParameters=20000000000", "COVERING INDEX IX_Models_Listed_Downloads30d")]
    [InlineData("createdFrom=2024-01-01&createdTo=2024-06-30&country=US,FR", "COVERING INDEX IX_Models_Listed_Downloads30d")]
    [InlineData("createdFrom=2024-01-01&sort=likes&order=asc", "INDEX IX_Models_Listed_Likes")]
    public async Task AWalkedFilteredPageTestsItsFiltersOnTheOrdersIndexInsteadOfReadingThemThroughTheirOwn(string query, string index)
    {
        var parameters = ListParametersParser.Parse(Query(query), ModelLeaderboard.SortFields, "downloads30d");
        var walked = await PlanAsync(parameters, walk: true);
        // In the default order every filter a walk tests is on the index itself: a skipped row is an index entry,
        // never a model's row (region Europe's page 100 at 3M models: 324 ms reading rows, 18 ms on entries).
        Assert.Contains($"USING {index} (Listed=?", walked);
        Assert.Equal(1, Regex.Count(walked, "TEMP B-TREE"));
        Assert.DoesNotContain("Country", walked);
        Assert.DoesNotContain("Task", walked);
    }

    [Theory]
    [InlineData("", "COVERING INDEX IX_Models_Listed_")]
    [InlineData("minParameters=1000000000&maxParameters=20000000000", "COVERING INDEX IX_Models_Listed_Parameters (Listed=? AND Parameters>? AND Parameters<?)")]
    [InlineData("createdFrom=2024-01-01", "COVERING INDEX IX_Models_Listed_CreatedAt (Listed=? AND CreatedAt>?)")]
    [InlineData("country=CN", "COVERING INDEX IX_Models_Country_Downloads30d (Country=?")]
    [InlineData("lab=lab-qwen&attribution=origin", "COVERING INDEX IX_Models_OriginLabId_Downloads30d (OriginLabId=?")]
    public async Task ACountReadsOneIndexAndNoRow(string query, string step)
    {
        // Neither the lab's name (a join reading each model's row for its lab id) nor a column outside the index.
        var parameters = ListParametersParser.Parse(Query(query), ModelLeaderboard.SortFields, "downloads30d");
        var counted = await PlanAsync(db => ModelLeaderboard.Rows(db, store.LatestRun, parameters, count: true).Select(r => 1));
        Assert.Contains(step, counted);
        Assert.Single(counted.Split('\n'));
    }

    [Fact]
    public async Task ATextSearchIsCountedFromItsTrigramCandidatesNotByWalkingTheRun()
    {
        var counted = await PlanAsync(db => ModelLeaderboard.Rows(db, store.LatestRun, new ListParameters { Q = "qwen" }, count: true).Select(r => 1));
        Assert.Contains("VIRTUAL TABLE INDEX", counted);
        Assert.DoesNotContain("IX_Models_Listed_", counted);
    }

    [Fact]
    public async Task AModelsRankIsCountedOnTheDownloadsIndexUpToItsPlace()
    {
        var counted = await PlanAsync(db => SnapshotRows.Of(db, store.LatestRun, new ListParameters(), count: true)
            .Where(r => r.Downloads30d == 1000 && r.ModelId > 5).Select(r => 1));
        Assert.Equal("SEARCH m USING COVERING INDEX IX_Models_Listed_Downloads30d (Listed=? AND Downloads30d=? AND Id>?)", counted);
    }

    [Fact]
    public void APageWalksOnlyWhenTheWalkReadsFewerRowsThanTheMatchesThroughTheirIndex()
    {
        const long run = 3_000_000;
        // Unfiltered: every page but the very last ones.
        Assert.True(ModelLeaderboard.WalkOrder(new ListParameters { Offset = 9_900 }, run, run));
        // A country with 30% of the run, sorted by likes: page 1 tests about 333 rows, not 900,000 sorted.
        Assert.True(ModelLeaderboard.WalkOrder(new ListParameters { Countries = ["CN"], Sort = "likes" }, 900_000, run));
        // A lab of 2,000 models sorted by likes: sorting its 2,000 beats walking 3,000,000 / 2,000 rows a row of the page.
        Assert.False(ModelLeaderboard.WalkOrder(new ListParameters { Lab = "lab-qwen", Sort = "likes" }, 2_000, run));
        Assert.True(ModelLeaderboard.WalkOrder(new ListParameters { Lab = "lab-qwen", Sort = "likes" }, 30_000, run));
        // One equality in the default order: its (column, Downloads30d) index reads the page in order already.
        Assert.False(ModelLeaderboard.WalkOrder(new ListParameters { Countries = ["CN"] }, 900_000, run));
        Assert.False(ModelLeaderboard.WalkOrder(new ListParameters { Task = "text-generation", Ascending = true }, 900_000, run));
        // Two countries in the default order read through IN and are sorted: walked when large.
        Assert.True(ModelLeaderboard.WalkOrder(new ListParameters { Countries = ["US", "FR"] }, 900_000, run));
        // Never for a text search, a community namespace, an empty view or a run without totals.
        Assert.False(ModelLeaderboard.WalkOrder(new ListParameters { Q = "qwen" }, 900_000, run));
        Assert.False(ModelLeaderboard.WalkOrder(new ListParameters { Lab = "community:fan-one", Sort = "likes" }, 900_000, run));
        Assert.False(ModelLeaderboard.WalkOrder(new ListParameters(), 0, run));
        Assert.False(ModelLeaderboard.WalkOrder(new ListParameters(), run, null));
    }

    [Fact]
    public async Task ASearchWalkedWithItsMatchesTestsThemOnTheOrdersIndexNotSeekingTheirRows()
    {
        var names = store.App.Services.GetRequiredService<ModelNameIndex>();
        Assert.Equal(store.LatestRun, await names.BuildAsync(store.LatestRun, TestContext.Current.CancellationToken));
        var parameters = ListParametersParser.Parse(Query("q=model-00001&sort=likes&offset=100"), ModelLeaderboard.SortFields, "downloads30d");
        var matches = names.Matches(store.LatestRun, parameters);
        Assert.NotNull(matches);
        Assert.False(matches.Excluded);
        var walked = await PlanAsync(db => ModelLeaderboard.WalkedPage(db, store.LatestRun, parameters, matches));
        // The order's index, its entries' ids tested against the matches' list (built once); then the page's rows by id.
        Assert.Contains("USING COVERING INDEX IX_Models_Listed_Likes (Listed=?)", walked);
        Assert.Contains("LIST SUBQUERY", walked);
        Assert.Equal(1, Regex.Count(walked, "TEMP B-TREE"));

        // When the walk reads fewer entries than a quarter of the matches' rows: page 1 of 124,329 matches in 3 million
        // (about 2,400 entries) and page 100 (about 241,000); not page 1,000, nor a search of few matches.
        const long run = 3_000_000;
        var broad = new ModelNameIndex.Matched(new int[124_329], Excluded: false);
        Assert.True(ModelLeaderboard.WalkMatches(new ListParameters { Q = "user0", Sort = "likes" }, broad, 124_329, run));
        Assert.True(ModelLeaderboard.WalkMatches(new ListParameters { Q = "user0", Sort = "likes", Offset = 9_900 }, broad, 124_329, run));
        Assert.False(ModelLeaderboard.WalkMatches(new ListParameters { Q = "user0", Sort = "likes", Offset = 99_900 }, broad, 124_329, run));
        Assert.False(ModelLeaderboard.WalkMatches(new ListParameters { Q = "model-00123", Sort = "likes" }, new ModelNameIndex.Matched(new int[98], false), 98, run));
        Assert.False(ModelLeaderboard.WalkMatches(new ListParameters { Q = "/", Sort = "likes" }, new ModelNameIndex.Matched(new int[316], Excluded: true), 2_999_684, run));
        Assert.False(ModelLeaderboard.WalkMatches(new ListParameters { Q = "user0", Sort = "likes" }, broad, 0, run));
    }

    private static Microsoft.AspNetCore.Http.QueryCollection Query(string query) =>
        new(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query));

    /// <summary>SQLite's plan for the page's command as EF Core sends it, one line per step.</summary>
    private Task<string> PlanAsync(ListParameters parameters, bool walk) =>
        PlanAsync(db => walk
            ? ModelLeaderboard.WalkedPage(db, store.LatestRun, parameters)
            : ModelLeaderboard.Sort(ModelLeaderboard.Rows(db, store.LatestRun, parameters), parameters.Sort, parameters.Ascending)
                .Skip(parameters.Offset).Take(parameters.Limit));

    /// <summary>SQLite's plan for a query's command as EF Core sends it, one line per step.</summary>
    private async Task<string> PlanAsync<T>(Func<OpenModelWatchDb, IQueryable<T>> query)
    {
        var factory = store.App.Services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>();
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var page = query(db);
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = page.CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var steps = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            steps.Add(reader.GetString(3));
        }

        return string.Join('\n', steps);
    }
}
