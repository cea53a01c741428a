using System.Globalization;
using System.Net;
using System.Xml.Linq;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Files;
using SkiaSharp;

namespace OpenModelWatch.Tests.Files;

/// <summary>Charts as files: the requested size, well-formed SVG carrying its title and as-of time, data equal to the API's.</summary>
[Collection(ExportsCollection.Name)]
public sealed class ChartExportTests(ExportsApp app)
{
    public static readonly TheoryData<string, string> Charts = new()
    {
        { "region-share", "" },
        { "region-share", "metric=likes&attribution=origin" },
        { "top-models", "country=CN&sort=likes&n=15" },
        { "top-models", "sort=createdAt&order=asc" },
        { "country-comparison", "a=Europe&b=CN&metric=downloads30d" },
        { "labs/qwen/history", "metric=rank" },
        { "labs/formula-lab/history", "metric=share" },
        { "models/Qwen/model-0000/history", "metric=likes" },
    };

    [Theory]
    [MemberData(nameof(Charts))]
    public async Task PngChartsDecodeToTheRequestedSizeAtOneAndTwoTimes(string chart, string query)
    {
        foreach (var (width, height, scale) in new[] { (1200, 675, 1), (1200, 675, 2), (800, 600, 1), (640, 400, 2) })
        {
            using var response = await app.Client.GetAsync($"/charts/{chart}.png?{query}&width={width}&height={height}&scale={scale}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            using var bitmap = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
            Assert.NotNull(bitmap);
            Assert.Equal((width * scale, height * scale), (bitmap.Width, bitmap.Height));
            // Not a blank canvas: text, axes and the regions' colours are on it.
            Assert.True(bitmap.Pixels.Distinct().Count() > 20);
        }

        // Without a size: 1200 x 675, the default.
        using var plain = SKBitmap.Decode(await app.Client.GetByteArrayAsync($"/charts/{chart}.png?{query}", TestContext.Current.CancellationToken));
        Assert.Equal((1200, 675), (plain.Width, plain.Height));
    }

    [Theory]
    [MemberData(nameof(Charts))]
    public async Task SvgChartsAreWellFormedXmlWithTitleAsOfSourceAndMethod(string chart, string query)
    {
        using var response = await app.Client.GetAsync($"/charts/{chart}.svg?{query}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        Assert.Equal("1200", svg.Root.Attribute("width")?.Value);
        var texts = svg.Descendants(ns + "text").Select(text => string.Join(" ", text.Value.Split(default(char[]), StringSplitOptions.RemoveEmptyEntries))).ToArray();

        var json = await app.JsonAsync($"/charts/{chart}.json?{query}");
        var title = json.GetProperty("title").GetString()!;
        Assert.Contains(texts, text => title.StartsWith(text, StringComparison.Ordinal) && text.Length > 10);
        var asOf = DateTime.Parse(json.GetProperty("asOf").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.Contains($"As of {asOf:yyyy-MM-dd HH:mm} UTC (run 2)", texts);
        Assert.Contains(ExportInfo.Source, texts);
        Assert.Contains(texts, text => text.StartsWith("Method: " + app.BaseUrl + "/methodology", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RegionShareDataIsTheApiHistoryOfRegions()
    {
        var chart = await app.JsonAsync("/charts/region-share.json");
        var history = await app.JsonAsync("/api/v1/history/countries?group=region&order=asc&limit=1000");

        var points = chart.GetProperty("items").EnumerateArray()
            .Select(p => (Run: p.GetProperty("runId").GetInt32(), Series: p.GetProperty("series").GetString(), Value: p.GetProperty("value").GetDouble()))
            .ToArray();
        var expected = history.GetProperty("items").EnumerateArray()
            .Select(p => (Run: p.GetProperty("runId").GetInt32(), Series: p.GetProperty("region").GetString(), Value: p.GetProperty("share").GetDouble() * 100))
            .ToArray();
        Assert.Equal(2 * 5, points.Length); // two runs, five regions
        Assert.Equal(expected.OrderBy(p => p.Run).ThenBy(p => p.Series).Select(p => (p.Run, p.Series)), points.OrderBy(p => p.Run).ThenBy(p => p.Series).Select(p => (p.Run, p.Series)));
        foreach (var point in points)
        {
            Assert.Equal(expected.Single(e => e.Run == point.Run && e.Series == point.Series).Value, point.Value, 9);
        }
    }

    [Fact]
    public async Task TopModelsChartIsTheFirstItemsOfTheModelsList()
    {
        var chart = await app.JsonAsync("/charts/top-models.json?country=CN&sort=likes&n=12");
        var models = await app.JsonAsync("/api/v1/models?country=CN&sort=likes&limit=12");

        Assert.Equal(
            models.GetProperty("items").EnumerateArray().Select(m => (m.GetProperty("id").GetString(), m.GetProperty("likes").GetDouble(), m.GetProperty("region").GetString())),
            chart.GetProperty("items").EnumerateArray().Select(b => (b.GetProperty("label").GetString(), b.GetProperty("value").GetDouble(), b.GetProperty("group").GetString())));
        Assert.Equal("Top 12 models by likes", chart.GetProperty("title").GetString());
        Assert.Equal("country CN · by uploader · all tracked models", chart.GetProperty("filters").GetString());
    }

    [Fact]
    public async Task ModelHistoryChartHasOnePointPerRun()
    {
        var chart = await app.JsonAsync("/charts/models/Qwen/model-0006/history.json");
        var values = chart.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("value").GetInt64()).ToArray();
        Assert.Equal([app.FirstRun.Find("Qwen/model-0006")!.Downloads, app.SecondRun.Find("Qwen/model-0006")!.Downloads], values);
    }

    [Theory]
    [InlineData("/charts/labs/no-such-lab/history.png")]
    [InlineData("/charts/models/Qwen/no-such-model/history.svg")]
    [InlineData("/exports/labs/no-such-lab/models.csv")]
    [InlineData("/exports/models/nobody/nothing/history.json")]
    [InlineData("/api/v1/models/nobody/nothing/history")]
    public async Task UnknownLabsAndModelsAre404Problems(string path)
    {
        using var response = await app.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
