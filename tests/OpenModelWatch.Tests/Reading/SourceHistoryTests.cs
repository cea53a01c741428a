using System.Net;
using System.Text.Json;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Tests.Reading;

/// <summary>
/// Series across sources (<see cref="SourcesApp"/>): the default compares like with like (shares of the labs present in
/// every run), so a change of source moves no share; <c>compare=all</c> gives each run's own totals; the change is
/// marked in the data (a source per point), on the chart and in the files' metadata. Expected shares are worked out by
/// hand from the runs' downloads.
/// </summary>
public sealed class SourceHistoryTests(SourcesApp app) : IClassFixture<SourcesApp>
{
    private const double Tolerance = 1e-9;
    private static readonly string[] _sources = ["osir-monthly", "osir-monthly", "hub-api", "hub-api"];

    [Fact]
    public async Task TheDefaultRegionShareHasNoJumpAtTheChangeOfSource()
    {
        var points = await PointsAsync("/charts/region-share.json");

        // Qwen 600 and Meta 400 in every run; Mistral, DeepSeek and the community uploader are not in all runs.
        Assert.Equal(_sources, Series(points, "China").Select(p => p.Source));
        Assert.Equal([60.0, 60.0, 60.0, 60.0], Values(points, "China"));
        Assert.Equal([40.0, 40.0, 40.0, 40.0], Values(points, "US"));
        Assert.Equal([0.0, 0.0, 0.0, 0.0], Values(points, "Europe"));
        // Unregistered uploaders are left out of a like-with-like comparison, not drawn at zero.
        Assert.All(Series(points, "Community"), p => Assert.Null(p.Value));
    }

    [Fact]
    public async Task TheLabsPagesTrendsCompareRunsOfTheAsOfRunsSourceOnly()
    {
        var view = await app.Services.GetRequiredService<OpenModelWatch.Web.Labs.LabTrends>()
            .GetAsync(new ListParameters { Limit = ListParameters.MaxLimit }, TestContext.Current.CancellationToken);

        // Mistral: absent in January, 100 in February (OSIR), 100 and 100 in March (Hub API): only the two Hub API runs count.
        Assert.Equal([100L, 100L], view!.Trends["mistral"].Downloads30d);
        Assert.Equal(SourcesApp.March1, view.PreviousRun!.At);
        Assert.Equal(2, view.Trends["qwen"].Downloads30d.Count);
    }

    [Fact]
    public async Task CompareAllGivesEachRunsOwnSharesWithTheJump()
    {
        var points = await PointsAsync("/charts/region-share.json?compare=all");

        Assert.Equal(_sources, Series(points, "US").Select(p => p.Source));
        AssertClose([60.0, 600.0 / 1100 * 100, 2600.0 / 4100 * 100, 2600.0 / 4100 * 100], Values(points, "China"));
        AssertClose([40.0, 400.0 / 1100 * 100, 400.0 / 4100 * 100, 400.0 / 4100 * 100], Values(points, "US"));
        AssertClose([0.0, 100.0 / 1100 * 100, 100.0 / 4100 * 100, 100.0 / 4100 * 100], Values(points, "Europe"));
        AssertClose([0.0, 0.0, 1000.0 / 4100 * 100, 1000.0 / 4100 * 100], Values(points, "Community"));
    }

    [Fact]
    public async Task WithinOneSourceOfStableCoverageLikeIsEachRunsOwnTotals()
    {
        var like = await PointsAsync("/charts/region-share.json?from=2026-03-01");
        var all = await PointsAsync("/charts/region-share.json?from=2026-03-01&compare=all");

        Assert.Equal(all, like);
        AssertClose([2600.0 / 4100 * 100, 2600.0 / 4100 * 100], Values(like, "China"));
    }

    [Fact]
    public async Task TheCountryHistoryApiSaysEachPointsSourceAndComparesLikeWithLike()
    {
        var items = (await app.JsonAsync("/api/v1/history/countries?group=region&order=asc&limit=1000")).GetProperty("items").EnumerateArray().ToArray();
        var china = items.Where(item => item.GetProperty("region").GetString() == "China").ToArray();
        Assert.Equal(_sources, china.Select(item => item.GetProperty("source").GetString()));
        AssertClose([0.6, 0.6, 0.6, 0.6], china.Select(item => item.GetProperty("share").GetDouble()).ToArray());
        // The runs compared like with like count only the labs present in all of them: Qwen's 600 for China.
        Assert.Equal([600L, 600, 600, 600], china.Select(item => item.GetProperty("downloads30d").GetInt64()));

        var all = (await app.JsonAsync("/api/v1/history/countries?group=region&order=asc&limit=1000&compare=all")).GetProperty("items").EnumerateArray()
            .Where(item => item.GetProperty("region").GetString() == "China").ToArray();
        Assert.Equal([600L, 600, 2600, 2600], all.Select(item => item.GetProperty("downloads30d").GetInt64()));
    }

    [Fact]
    public async Task ALabsOwnCountsSpanEverySourceAndItsShareIsAmongTheLabsInEveryRun()
    {
        var mistral = (await app.JsonAsync("/exports/labs/mistral/history.json")).GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(_sources, mistral.Select(item => item.GetProperty("source").GetString()));
        Assert.Equal([JsonValueKind.Null, JsonValueKind.Number, JsonValueKind.Number, JsonValueKind.Number], mistral.Select(item => item.GetProperty("downloads30d").ValueKind));
        Assert.Equal([100L, 100, 100], mistral.Skip(1).Select(item => item.GetProperty("downloads30d").GetInt64()));
        // Among Qwen, Meta and Mistral itself (the page's own lab is kept): 100 of 1,100 in every run it is in.
        AssertClose([100.0 / 1100, 100.0 / 1100, 100.0 / 1100], mistral.Skip(1).Select(item => item.GetProperty("share").GetDouble()).ToArray());

        var mistralAll = (await app.JsonAsync("/exports/labs/mistral/history.json?compare=all")).GetProperty("items").EnumerateArray().ToArray();
        // Each run's own totals: 100 of 1,100 in February, 100 of all 4,100 (the community uploader included) in March.
        AssertClose([100.0 / 1100, 100.0 / 4100, 100.0 / 4100], mistralAll.Skip(1).Select(item => item.GetProperty("share").GetDouble()).ToArray());
    }

    [Fact]
    public async Task TheChartFilesMarkTheChangeOfSourceAndCreditEverySource()
    {
        var svg = await app.Client.GetStringAsync("/charts/region-share.svg", TestContext.Current.CancellationToken);
        // Each stretch named at its start (SVG keeps text as text, between white space).
        Assert.Matches(@">\s*OSIR monthly\s*<", svg);
        Assert.Matches(@">\s*Hub API\s*<", svg);
        Assert.Contains("OSIR-LMTS", svg, StringComparison.Ordinal);

        var one = await app.Client.GetStringAsync("/charts/region-share.svg?from=2026-03-01", TestContext.Current.CancellationToken);
        Assert.DoesNotMatch(@">\s*Hub API\s*<", one);

        var csv = CsvFile.Parse(await app.Client.GetStringAsync("/charts/region-share.csv", TestContext.Current.CancellationToken), withMetadata: true);
        Assert.Equal(["osir-monthly: " + Web.Store.RunSource.OsirMonthly.Coverage(), "hub-api: " + Web.Store.RunSource.HubApi.Coverage()], csv.All("Data source"));
        Assert.Contains("OSIR-LMTS", csv["Credit"], StringComparison.Ordinal);
        Assert.Contains("compared like with like (OSIR monthly, Hub API): shares of the 2 registered labs present in every run", csv["Filters"], StringComparison.Ordinal);
        Assert.Equal(_sources, csv.Rows.Where(row => row[csv.Column("series")] == "China").Select(row => row[csv.Column("source")]));
    }

    [Fact]
    public async Task RunsSayTheirSourceAndCoverage()
    {
        var runs = (await app.JsonAsync("/api/v1/runs?order=asc")).GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(_sources, runs.Select(run => run.GetProperty("source").GetString()));
        Assert.Equal(Web.Store.RunSource.OsirMonthly.Coverage(), runs[0].GetProperty("coverage").GetString());
    }

    [Theory]
    [InlineData("/charts/region-share.json?compare=some")]
    [InlineData("/api/v1/history/countries?compare=")]
    [InlineData("/exports/labs/qwen/history.csv?compare=ALL")]
    [InlineData("/exports/history.parquet?compare=like&compare=all")]
    public async Task ABadCompareIsA400NamingIt(string path)
    {
        using var response = await app.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("compare", problem.GetProperty("parameter").GetString());
    }

    [Fact]
    public void ListUrlKeepsCompare()
    {
        var parameters = ListUrl.Parse("http://localhost/labs/qwen?compare=all&attribution=origin", ["none"], "none");
        Assert.Equal(Compare.All, parameters.Compare);
        Assert.Equal("http://localhost/labs/qwen?attribution=origin&compare=all", ListUrl.ToUri("http://localhost/labs/qwen", parameters, "none"));
        Assert.Equal("http://localhost/labs/qwen", ListUrl.ToUri("http://localhost/labs/qwen", parameters with { Compare = Compare.Like, Attribution = Attribution.Uploader }, "none"));
    }

    private async Task<Point[]> PointsAsync(string path) =>
        (await app.JsonAsync(path)).GetProperty("items").EnumerateArray()
            .Select(item => new Point(item.GetProperty("runId").GetInt32(), item.GetProperty("source").GetString()!, item.GetProperty("series").GetString()!,
                item.GetProperty("value").ValueKind == JsonValueKind.Null ? null : item.GetProperty("value").GetDouble()))
            .ToArray();

    private static Point[] Series(Point[] points, string series) => points.Where(p => p.Series == series).ToArray();

    private static double[] Values(Point[] points, string series) => Series(points, series).Select(p => Math.Round(p.Value!.Value, 9)).ToArray();

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < Tolerance, $"[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }

    private sealed record Point(int RunId, string Source, string Series, double? Value);
}
