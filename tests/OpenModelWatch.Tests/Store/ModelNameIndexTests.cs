using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Tests.Store;

/// <summary>
/// The text search's ids in memory (<see cref="ModelNameIndex"/>) against a straightforward reference: every id that
/// contains the text, ASCII letters in any case, in the grid's order (30-day downloads, then id; both descending, or
/// both ascending), counted and paged. The store-backed comparison is <see cref="GridReferenceTests"/>.
/// </summary>
public sealed class ModelNameIndexTests
{
    private sealed record Row(int Id, string HubId, long Downloads, bool Census, string? Lab = null, string? Country = null, string? OriginLab = null, string? OriginCountry = null, string? Task = null, string? License = null,
        DateTime? Created = null, long? Size = null, long? AllTime = null, long? Likes = null, long? Trending = null);

    private static readonly string?[] _tasks = [null, "text-generation", "text-to-image", "TEXT-GENERATION"];
    private static readonly string?[] _licenses = [null, "mit", "apache-2.0", "other"];
    private static readonly long?[] _sizes = [null, 0, 7_000_000_000, 8_000_000_000, 70_000_000_000, long.MaxValue];

    /// <summary>Trending scores: unknown, negative (a model cooling down), the extremes (a known long.MinValue still sorts above an unknown one).</summary>
    private static readonly long?[] _trending = [null, long.MinValue, -5, 0, 3, 1_000, long.MaxValue];

    /// <summary>Labs and their countries as the store denormalises them; a model of no registered lab has neither.</summary>
    private static readonly (string? Lab, string? Country)[] _places =
        [(null, null), ("lab-qwen", "CN"), ("lab-deepseek", "CN"), ("lab-meta", "US"), ("lab-mistral", "FR"), ("lab-tii", "AE")];

    /// <summary>
    /// 3,000 ids from a four-letter alphabet in both cases, so that a text matches many ids, several times in one id,
    /// at an id's first and last character; a third of the counts tied; every third model out of the census.
    /// </summary>
    private static List<Row> Generated()
    {
        var random = new Random(11);
        const string letters = "abAB/-";
        var rows = new List<Row>();
        for (var id = 1; id <= 3_000; id++)
        {
            var length = random.Next(1, 12);
            var hubId = new string(Enumerable.Range(0, length).Select(_ => letters[random.Next(letters.Length)]).ToArray());
            var place = _places[random.Next(_places.Length)];
            // Most derivatives' origin is their uploader's own lab; some come from another lab, some from none known.
            var origin = random.Next(4) == 0 ? _places[random.Next(_places.Length)] : place;
            // Sizes from a short list (so that many are equal to a range's bound) or unknown; creation times of day on
            // either side of the ranges' bounds, or unknown.
            rows.Add(new Row(id, hubId, random.Next(3) == 0 ? 500 : random.Next(0, 100_000), id % 3 != 0, place.Lab, place.Country, origin.Lab, origin.Country,
                _tasks[random.Next(_tasks.Length)], _licenses[random.Next(_licenses.Length)],
                random.Next(6) == 0 ? null : new DateTime(2023, 12, 30).AddMinutes(random.Next(4 * 24 * 60)),
                _sizes[random.Next(_sizes.Length)],
                // The other orders' keys: unknown in some, tied in many (most of the Hub has 0 likes).
                random.Next(5) == 0 ? null : random.Next(0, 2_000) * 1_000L,
                random.Next(4) == 0 ? null : random.Next(3) == 0 ? 0 : random.Next(0, 50),
                _trending[random.Next(_trending.Length)]));
        }

        return rows;
    }

    private static ModelNameIndex.Names Build(IEnumerable<Row> rows, int parts = 0)
    {
        var builder = new ModelNameIndex.Names.Builder();
        foreach (var row in rows)
        {
            builder.Add(row.Id, row.HubId, row.Downloads, row.Census, row.Lab, row.Country, row.OriginLab, row.OriginCountry, row.Task, row.License,
                row.Created, row.Size, row.AllTime, row.Likes, row.Trending);
        }

        return builder.Build(runId: 1, parts);
    }

    private static (int Total, int[] Ids) Reference(List<Row> rows, string q, bool census, bool ascending, int offset, int limit)
    {
        var matches = rows.Where(r => r.HubId.Contains(q, StringComparison.OrdinalIgnoreCase) && (!census || r.Census)).ToList();
        var ordered = ascending
            ? matches.OrderBy(r => r.Downloads).ThenBy(r => r.Id)
            : matches.OrderByDescending(r => r.Downloads).ThenByDescending(r => r.Id);
        return (matches.Count, ordered.Skip(offset).Take(limit).Select(r => r.Id).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(64)]
    public void EveryTextCountsAndPagesAsTheReferenceDoes(int parts)
    {
        var rows = Generated();
        // Shuffled: the index puts them in order itself. In parts searched side by side, as a large text is.
        var names = Build(rows.OrderBy(r => r.Id * 7919 % 3001), parts);
        Assert.Equal(3_000, names.Count);
        var compared = 0;
        foreach (var q in new[] { "a", "A", "ab", "aB", "Ba", "aaa", "/", "a/b", "-", "--", "bAbA", "/-a", "abab-", "zz", "b/a-B" })
        {
            foreach (var census in new[] { false, true })
            {
                foreach (var ascending in new[] { false, true })
                {
                    foreach (var (offset, limit) in new[] { (0, 100), (0, 1), (37, 50), (250, 100), (2_999, 10), (5_000, 100) })
                    {
                        var expected = Reference(rows, q, census, ascending, offset, limit);
                        var found = names.Find(q, census, ascending, offset, limit);
                        Assert.Equal(expected.Total, found.Total);
                        Assert.Equal(expected.Ids, found.Ids);
                        compared += found.Ids.Length;
                    }
                }
            }
        }

        // The matches given to the store: the ids with the text, or without it when those are most of them; in id order.
        var dense = 0;
        foreach (var q in new[] { "a", "A", "ab", "/", "-", "zz", "b/a-B", "aB" })
        {
            var with = rows.Where(r => r.HubId.Contains(q, StringComparison.OrdinalIgnoreCase)).Select(r => r.Id).Order().ToArray();
            var matched = names.Matching(q);
            var excluded = with.Length > rows.Count / 2;
            Assert.Equal(excluded, matched.Excluded);
            Assert.Equal(excluded ? rows.Select(r => r.Id).Except(with).Order().ToArray() : with, matched.Ids);
            dense += excluded ? 1 : 0;
        }

        Assert.Equal(4, dense); // "a", "A" (two of the six characters match), "/" and "-": in most ids of 1 to 11 characters

        // Each model's place is its rank in the whole order; a model not listed has none.
        var all = Reference(rows, "", false, false, 0, int.MaxValue).Ids;
        Assert.Equal(3_000, all.Length);
        Assert.Equal(Enumerable.Range(1, all.Length).Select(place => (int?)place), all.Select(names.PlaceOf));
        Assert.Null(names.PlaceOf(3_001));

        // The cases are not empty: most texts match hundreds of ids.
        Assert.True(compared > 10_000, $"{compared} ids compared");
        Assert.Equal(Reference(rows, "a", false, false, 0, int.MaxValue).Total, names.Find("a", false, false, 0, 0).Total);
    }

    [Fact]
    public void AnIdMatchesOnceWhereverAndHoweverOftenTheTextOccurs()
    {
        var names = Build([
            new Row(1, "Qwen/Qwen2.5-7B-Instruct", 10, true),  // twice, differently cased
            new Row(2, "qwen", 20, true),                      // the whole id
            new Row(3, "org/my-qwen", 20, false),              // at the end; tied with 2, so after it going down (id 3 > 2 first)
            new Row(4, "other/model", 30, true),
            new Row(5, "QWE/n", 40, true),                     // the text split by a slash: no match
        ]);
        AssertFound(3, [3, 2, 1], names.Find("QWEN", censusOnly: false, ascending: false, 0, 100));
        AssertFound(3, [1, 2, 3], names.Find("qwen", censusOnly: false, ascending: true, 0, 100));
        AssertFound(2, [2, 1], names.Find("qwen", censusOnly: true, ascending: false, 0, 100));
        AssertFound(3, [2], names.Find("qwen", censusOnly: false, ascending: false, 1, 1));
        AssertFound(1, [4], names.Find("r/m", censusOnly: false, ascending: false, 0, 100));
        AssertFound(0, [], names.Find("wen2/", censusOnly: false, ascending: false, 0, 100));
    }

    [Fact]
    public void CountsTooLargeToSortAsOneNumberAreOrderedPairByPair()
    {
        // 2^40 downloads does not fit above the id's 24 bits: the rows are compared as pairs, in the same order.
        var names = Build([new Row(1, "a", 1L << 40, true), new Row(2, "a", 7, true), new Row(3, "a", 1L << 40, true), new Row(4, "a", long.MaxValue, true)]);
        AssertFound(4, [4, 3, 1, 2], names.Find("a", false, false, 0, 100));
        AssertFound(4, [2, 1, 3, 4], names.Find("a", false, true, 0, 100));
    }

    [Fact]
    public void ALineBreakOrACharacterBeyondAsciiInAnIdMatchesNoSearch()
    {
        // A line break inside an id must not make it two lines (the second would take the next line's model id).
        var names = Build([new Row(1, "a\nb", 10, true), new Row(2, "b", 5, true), new Row(3, "café/x", 1, true)], parts: 2);
        AssertFound(2, [1, 2], names.Find("b", false, false, 0, 100));
        AssertFound(1, [3], names.Find("caf", false, false, 0, 100));
        AssertFound(0, [], names.Find("cafe", false, false, 0, 100));
        AssertFound(1, [3], names.Find("/x", false, false, 0, 100));
    }

    /// <summary>
    /// Places (countries, a region, a lab) under either attribution, a task, a licence, size and creation ranges and a
    /// scope, with a text or none: counted and paged in memory as the reference filters the rows
    /// (<see cref="SnapshotRows.InPlace"/>, the rule the store's query follows; tasks and licences compared exactly;
    /// <see cref="InRanges"/>), and a text's matches given to the store narrowed to exactly the view's rows.
    /// </summary>
    [Fact]
    public void AViewOfHeldFiltersWithOrWithoutATextCountsPagesAndNarrowsAsTheReferenceDoes()
    {
        var rows = Generated();
        var names = Build(rows.OrderBy(r => r.Id * 7919 % 3001), parts: 3);
        var compared = 0;
        var ordered = 0;
        var views = new[]
        {
            "country=CN", "country=US,FR", "country=XX", "country=CN,XX", "region=China", "region=Europe", "region=Other",
            "region=Unknown", "region=Community", "lab=lab-qwen", "lab=lab-meta&country=US", "lab=lab-meta&country=CN", "lab=lab-nowhere",
            // A task and a licence, exact (a task differing only in case is another), alone, together, with places; a
            // value no model has.
            "task=text-generation", "license=mit", "task=text-to-image&license=apache-2.0", "task=text-generation&region=China",
            "license=other&lab=lab-qwen", "task=no-such-task", "license=MIT",
            // Ranges: a bound equal to sizes held, between them, beyond all, the extremes (every known size, never an
            // unknown one); creation ranges by whole days (times of day on both sides), to the last date (no filter).
            "minParameters=8000000000", "maxParameters=8000000000", "minParameters=7000000001&maxParameters=70000000000",
            "minParameters=0", "maxParameters=9223372036854775807", "minParameters=9223372036854775807", "maxParameters=0", "maxParameters=6999999999",
            "createdFrom=2023-12-31", "createdTo=2023-12-31", "createdFrom=2024-01-01&createdTo=2024-01-01", "createdFrom=0001-01-01",
            "createdTo=9999-12-31", "createdTo=9999-12-30", "region=China&task=text-generation&minParameters=7000000000&createdFrom=2024-01-01",
        };
        foreach (var view in views)
        {
            foreach (var attribution in new[] { "uploader", "origin" })
            {
                foreach (var scope in new[] { "all", "census" })
                {
                    // No text: the view's filters alone (Count).
                    foreach (var q in new[] { "a", "ab", "/", "b/a", "zz", null })
                    {
                        var parameters = Parse((q is null ? "" : $"q={Uri.EscapeDataString(q)}&") + $"{view}&attribution={attribution}&scope={scope}");
                        Assert.True(ModelNameIndex.Holds(parameters));
                        Assert.Equal(q is not null, ModelNameIndex.Answers(parameters));
                        var origin = attribution == "origin";
                        var kept = rows.Where(r => (q is null || r.HubId.Contains(q, StringComparison.OrdinalIgnoreCase)) && (scope == "all" || r.Census)
                            && SnapshotRows.InPlace(parameters, origin ? r.OriginLab : r.Lab, origin ? r.OriginCountry : r.Country)
                            && (parameters.Task is null || r.Task == parameters.Task) && (parameters.License is null || r.License == parameters.License)
                            && InRanges(parameters, r)).ToList();
                        var lines = names.LinesOf(parameters);
                        foreach (var sort in ModelLeaderboard.SortFields)
                        {
                            foreach (var ascending in new[] { false, true })
                            {
                                foreach (var (offset, limit) in new[] { (0, 100), (13, 7), (400, 100), (0, 0) })
                                {
                                    var expected = Ordered(kept, sort, ascending).Skip(offset).Take(limit).Select(r => r.Id).ToArray();
                                    AssertFound(kept.Count, expected, names.Find(q, lines, sort, ascending, offset, limit));
                                    ordered += expected.Length;
                                }
                            }
                        }

                        if (q is null)
                        {
                            continue;
                        }

                        var matched = names.Matching(q, lines);
                        if (!matched.Excluded)
                        {
                            Assert.Equal(kept.Select(r => r.Id).Order().ToArray(), matched.Ids);
                            compared += kept.Count;
                        }
                    }
                }
            }
        }

        // The cases are not empty (a third of the models are Chinese, a sixth of no lab), and the places do narrow:
        // China's share of "ab" is not all of it.
        Assert.True(compared > 10_000, $"{compared} ids compared");
        Assert.True(ordered > 500_000, $"{ordered} ids of pages compared");
        Assert.NotEqual(names.Find("ab", false, false, 0, 0).Total, names.Find("ab", names.LinesOf(Parse("q=ab&country=CN")), false, 0, 0).Total);

        // A community namespace is no place held in memory: the matches are not narrowed by it (the store tests it).
        Assert.Equal(names.Matching("ab").Ids, names.Matching("ab", names.LinesOf(Parse("q=ab&lab=community:fan-one"))).Ids);
        Assert.Equal(
            names.Matching("ab", names.LinesOf(Parse("q=ab&country=CN"))).Ids,
            names.Matching("ab", names.LinesOf(Parse("q=ab&country=CN&lab=community:fan-one"))).Ids);
    }

    /// <summary>
    /// The store's order (<see cref="ModelLeaderboard.Sort"/>), written plainly: by the sort's value, an unknown value
    /// lowest, ties by id, all in the sort's direction.
    /// </summary>
    private static IEnumerable<Row> Ordered(IEnumerable<Row> rows, string sort, bool ascending)
    {
        Func<Row, (bool Known, long Value)> key = sort switch
        {
            "downloadsAllTime" => r => (r.AllTime is not null, r.AllTime ?? 0),
            "likes" => r => (r.Likes is not null, r.Likes ?? 0),
            "trendingScore" => r => (r.Trending is not null, r.Trending ?? 0),
            "createdAt" => r => (r.Created is not null, r.Created?.Ticks ?? 0),
            "parameters" => r => (r.Size is not null, r.Size ?? 0),
            _ => r => (true, r.Downloads),
        };
        return ascending
            ? rows.OrderBy(r => key(r).Known).ThenBy(r => key(r).Value).ThenBy(r => r.Id)
            : rows.OrderByDescending(r => key(r).Known).ThenByDescending(r => key(r).Value).ThenByDescending(r => r.Id);
    }

    /// <summary>The store's ranges (<see cref="SnapshotRows"/>), written plainly: an unknown value is in no range; a creation range takes whole days, and ends nowhere at the last date.</summary>
    private static bool InRanges(ListParameters p, Row r) =>
        (p.MinParameters is not { } min || (r.Size is { } size && size >= min))
        && (p.MaxParameters is not { } max || (r.Size is { } size2 && size2 <= max))
        && (p.CreatedFrom is not { } from || (r.Created is { } created && created >= from.ToDateTime(TimeOnly.MinValue)))
        && (p.CreatedTo is not { } to || to == DateOnly.MaxValue || (r.Created is { } created2 && created2 < to.AddDays(1).ToDateTime(TimeOnly.MinValue)));

    [Theory]
    [InlineData("q=qwen", true, true)]
    [InlineData("q=qwen&sort=downloads30d&order=asc", true, true)]
    [InlineData("q=qwen&scope=census&attribution=origin", true, true)]
    [InlineData("q=qwen&sort=likes", true, true)]
    [InlineData("q=qwen&country=CN", true, true)]
    [InlineData("q=qwen&country=CN&sort=createdAt", true, true)]
    [InlineData("q=qwen&region=China&attribution=origin", true, true)]
    [InlineData("q=qwen&lab=lab-qwen", true, true)]
    [InlineData("q=qwen&lab=community:fan-one", false, false)]
    [InlineData("q=qwen&task=text-generation", true, true)]
    [InlineData("q=qwen&license=mit&country=CN&sort=likes", true, true)]
    [InlineData("q=qwen&task=text-generation&minParameters=1", true, true)]
    [InlineData("q=qwen&minParameters=1&sort=parameters", true, true)]
    [InlineData("q=qwen&maxParameters=1", true, true)]
    [InlineData("q=qwen&createdFrom=2024-01-01", true, true)]
    [InlineData("q=qwen&createdTo=2024-01-01&lab=community:fan-one", false, false)]
    [InlineData("q=caf%C3%A9", false, false)]
    [InlineData("country=CN", false, true)]
    [InlineData("", false, true)]
    [InlineData("region=Europe&task=text-generation&minParameters=1&createdTo=2024-01-01&sort=likes", false, true)]
    [InlineData("lab=lab-qwen&attribution=origin", false, true)]
    [InlineData("lab=community:fan-one&minParameters=1", false, false)]
    [InlineData("q=caf%C3%A9&country=CN", false, false)]
    public void ItHoldsEveryFilterButACommunityNamespaceAndAnswersATextSearchOfThemInAnyOrder(string query, bool answers, bool holds)
    {
        var parameters = Parse(query);
        Assert.Equal(answers, ModelNameIndex.Answers(parameters));
        Assert.Equal(holds, ModelNameIndex.Holds(parameters));
    }

    /// <summary>
    /// A build that fails (here: the store cannot be opened) is not tried again by every search: not before a minute,
    /// then two, four, … up to half an hour after each failure in a row.
    /// </summary>
    [Fact]
    public async Task AFailedBuildIsTriedAgainOnlyAfterItsBackOffWhichDoublesUpToHalfAnHour()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        var store = new UnreadableStore();
        var index = new ModelNameIndex(store, Microsoft.Extensions.Logging.Abstractions.NullLogger<ModelNameIndex>.Instance, time);
        var cancellationToken = TestContext.Current.CancellationToken;

        Assert.Null(await index.BuildAsync(1, cancellationToken));
        Assert.Equal(1, store.Opened);
        // Searches meanwhile answer nothing from memory and start no build.
        Assert.Null(index.Find(1, Parse("q=a")));
        Assert.Null(index.Matches(1, Parse("q=a&sort=likes")));
        Assert.Null(index.PlaceOf(1, 5));
        Assert.Null(await index.BuildAsync(1, cancellationToken));
        Assert.Equal(1, store.Opened);

        // The back-offs: 1, 2, 4, 8, 16, 30, 30 minutes.
        var expected = 1;
        foreach (var minutes in new[] { 1, 2, 4, 8, 16, 30, 30 })
        {
            time.Advance(TimeSpan.FromMinutes(minutes) - TimeSpan.FromSeconds(1));
            Assert.Null(await index.BuildAsync(1, cancellationToken));
            Assert.Equal(expected, store.Opened);
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.Null(await index.BuildAsync(1, cancellationToken));
            Assert.Equal(++expected, store.Opened);
        }
    }

    /// <summary>A store that cannot be opened; counts the attempts.</summary>
    private sealed class UnreadableStore : Microsoft.EntityFrameworkCore.IDbContextFactory<OpenModelWatch.Web.Store.OpenModelWatchDb>
    {
        public int Opened { get; private set; }

        public OpenModelWatch.Web.Store.OpenModelWatchDb CreateDbContext()
        {
            Opened++;
            throw new InvalidOperationException("The store cannot be opened.");
        }
    }

    private static ListParameters Parse(string query) =>
        ListParametersParser.Parse(new Microsoft.AspNetCore.Http.QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)),
            ModelLeaderboard.SortFields, "downloads30d");

    private static void AssertFound(int total, int[] ids, ModelNameIndex.Found found)
    {
        Assert.Equal(total, found.Total);
        Assert.Equal(ids, found.Ids);
    }
}
