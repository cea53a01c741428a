using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Tests.FirstPaint;

/// <summary>The real app on a real port with both bundled datasets (the August 2026 snapshot and the monthly history) imported.</summary>
public sealed class SnapshotSite : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public AppFactory App { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public ValueTask InitializeAsync()
    {
        App = new AppFactory(_folder, new Uri("http://127.0.0.1:9/"), Repo.Path("seeds", "labs.json"),
            new Dictionary<string, string?> { ["Snapshot:ImportWhenEmpty"] = "true", ["Snapshot:ImportHistory"] = "true" });
        BaseUrl = App.StartOnKestrel();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        _folder.Dispose();
    }
}

/// <summary>
/// The pages' charts are SVG in the first HTML (a plain HttpClient, no script), on the bundled snapshot and monthly
/// history: one polyline per series with one point per run the API lists, each point at the height its API figure
/// takes on the drawn axis (read from the chart's own gridlines), round axis ticks that cover the data; the
/// derivatives page's stacked columns hold the API's monthly figures. Expected figures come from the API, never the page.
/// </summary>
public sealed class ServerChartTests(SnapshotSite site, Browser browser) : IClassFixture<SnapshotSite>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheLabPageDrawsItsHistoryAsOnePointPerRunAtItsApiFigure()
    {
        var html = await HtmlAsync("/labs/alibaba-qwen");
        // The lab's chart file has the same points (30-day downloads at every run, oldest first).
        var history = (await ItemsAsync("/charts/labs/alibaba-qwen/history.json"))
            .Select(item => item.GetProperty("value").GetDouble()).ToArray();

        var chart = LineChart.Parse(html, "lab-history-chart");
        Assert.True(history.Length > 10, $"The lab has {history.Length} runs: the monthly history was not imported.");
        Assert.Single(chart.Series);
        chart.AssertDraws(chart.Series[0], history, fromZero: true);
    }

    [Fact]
    public async Task TheModelPageDrawsItsHistory()
    {
        var html = await HtmlAsync("/models/Qwen/Qwen3-0.6B");
        var history = (await ItemsAsync("/api/v1/models/Qwen/Qwen3-0.6B/history?order=asc&limit=1000"))
            .Select(item => (double)item.GetProperty("downloads30d").GetInt64()).ToArray();

        var chart = LineChart.Parse(html, "model-history-chart");
        Assert.Single(chart.Series);
        chart.AssertDraws(chart.Series[0], history, fromZero: true);
        // Few enough runs for a marker each, whose tooltip says its figure as the axis writes it.
        Assert.Contains($": {Format.Compact(history[^1])}</title></circle>", chart.Svg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCountriesPageDrawsBothSidesOfItsComparison()
    {
        var html = await HtmlAsync("/countries?a=CN&b=US");
        var data = await ItemsAsync("/charts/country-comparison.json?a=CN&b=US");

        var chart = LineChart.Parse(html, "compare-chart");
        Assert.Equal(2, chart.Series.Count);
        foreach (var series in chart.Series)
        {
            var values = data.Where(point => point.GetProperty("series").GetString() == series.Name)
                .Select(point => point.GetProperty("value").GetDouble()).ToArray();
            Assert.NotEmpty(values);
            chart.AssertDraws(series, values, fromZero: true, all: [.. data.Select(point => point.GetProperty("value").GetDouble())]);
        }
    }

    [Fact]
    public async Task TheConcentrationPageDrawsTheHhiOfEachGroupWithAGapWhereThereIsNone()
    {
        var html = await HtmlAsync("/concentration");
        var items = await ItemsAsync("/api/v1/concentration?order=asc&limit=1000");

        var chart = LineChart.Parse(html, "concentration-chart");
        var groups = items.Select(item => item.GetProperty("group").GetString()!).Distinct().ToArray();
        Assert.Equal(groups.Length, chart.Series.Count);
        var runs = items.Select(item => item.GetProperty("runId").GetInt32()).Distinct().Order().ToArray();
        var missing = 0;
        foreach (var group in groups)
        {
            // The group's HHI at every run, oldest first; NaN where the API has none (no downloads in the group).
            var values = runs.Select(run => items.Where(item => item.GetProperty("runId").GetInt32() == run && item.GetProperty("group").GetString() == group)
                .Select(Hhi).DefaultIfEmpty(double.NaN).Single()).ToArray();
            missing += values.Count(double.IsNaN);
            var name = group == "All" ? "All labs" : PlaceNames.Region(group);
            chart.AssertDraws(chart.Series.Single(series => series.Name == name), values, fromZero: true, all: [.. items.Select(Hhi)]);
        }

        // The bundled data has runs where a group has no HHI: they are gaps, said under the chart, never points at 0.
        Assert.True(missing > 0, "No group lacks an HHI at any run: the gaps are not exercised.");
        Assert.Contains("data-testid=\"concentration-chart-gaps\"", chart.Svg, StringComparison.Ordinal);
    }

    // A group with no downloads at a run has no HHI: NaN, a gap in its line.
    private static double Hhi(JsonElement item) => item.GetProperty("hhi") is { ValueKind: JsonValueKind.Number } hhi ? hhi.GetDouble() : double.NaN;

    [Fact]
    public async Task TheLabPageDrawsRankOneAtTheTop()
    {
        var html = await HtmlAsync($"/labs/{RankedLab}?metric=rank");
        // The lab's rank at every run, oldest first, as its chart file has it (null: the lab is not in that run).
        var ranks = (await ItemsAsync($"/charts/labs/{RankedLab}/history.json?metric=rank"))
            .Select(item => item.GetProperty("value") is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : double.NaN).ToArray();
        Assert.True(ranks.Where(double.IsFinite).Distinct().Count() > 1, $"{RankedLab}'s rank never changes: the axis's direction is not exercised.");

        var chart = LineChart.Parse(html, "lab-history-chart");
        var line = Assert.Single(chart.Series);
        // Ticks from 1, read top to bottom: each lower on the drawing (a larger y) than the one before.
        Assert.Equal(1, chart.Ticks[0]);
        Assert.Equal(chart.Ticks.Order(), chart.Ticks);
        Assert.Equal(chart.TickYs.Order(), chart.TickYs);
        Assert.True(chart.Ticks[^1] >= ranks.Where(double.IsFinite).Max());
        // Every point where its rank falls on that axis; the best rank's point is the highest of the line.
        chart.AssertDraws(line, ranks, rankAxis: true);
        var best = line.Points.MinBy(point => point.Y);
        Assert.Equal(ranks.Where(double.IsFinite).Min(), chart.ValueAt(best.Y), 6);
    }

    /// <summary>A lab whose rank moves over the bundled snapshot and history.</summary>
    private const string RankedLab = "meta";

    [Fact]
    public async Task TheSeedStoryDrawsQwenAndLlamaMonthByMonth()
    {
        var html = await HtmlAsync("/");
        var qwen = (await ItemsAsync("/api/v1/seed-story?order=asc&limit=1000")).Select(month => (double)month.GetProperty("qwenDownloads30d").GetInt64()).ToArray();

        var chart = LineChart.Parse(html, "qwen-vs-llama-chart");
        Assert.Equal(4, chart.Series.Count);
        var story = await ItemsAsync("/api/v1/seed-story?order=asc&limit=1000");
        string[] fields = ["qwenDownloads30d", "llamaDownloads30d"];
        chart.AssertDraws(chart.Series.Single(series => series.Name == "Qwen"), qwen, fromZero: true, all: [.. story.SelectMany(month => fields.Select(field => (double)month.GetProperty(field).GetInt64()))]);
    }

    [Fact]
    public async Task TheDerivativesPageDrawsItsMonthsAsStackedColumnsOfTheApiFigures()
    {
        var html = await HtmlAsync("/derivatives");
        var releases = await ItemsAsync("/api/v1/releases/months?limit=1000");

        var figure = Figure(html, "release-months");
        Assert.Contains("<svg", figure, StringComparison.Ordinal);
        // Each region's column for a month holds the API's count of that month and region (the newest 24 months).
        var months = releases.Select(item => item.GetProperty("month").GetString()!).Distinct().Order(StringComparer.Ordinal).TakeLast(24).ToArray();
        var rects = Regex.Matches(figure, "<rect [^>]*data-value=\"([^\"]+)\"[^>]*><title>([^<]+) · ([0-9-]+): ").ToArray();
        var expected = releases.Where(item => months.Contains(item.GetProperty("month").GetString()) && item.GetProperty("models").GetInt32() > 0).ToArray();
        Assert.Equal(expected.Length, rects.Length);
        foreach (var item in expected)
        {
            var region = item.GetProperty("region").GetString()!;
            var month = item.GetProperty("month").GetString()!;
            var rect = Assert.Single(rects, r => r.Groups[3].Value == month && r.Groups[2].Value == PlaceNames.Region(region));
            Assert.Equal(item.GetProperty("models").GetInt32().ToString(CultureInfo.InvariantCulture), rect.Groups[1].Value);
        }

        // The axis ends on the first round tick at or above the tallest column.
        var tallest = months.Max(month => releases.Where(item => item.GetProperty("month").GetString() == month).Sum(item => item.GetProperty("models").GetInt32()));
        LineChart.AssertRoundTicks(Ticks(figure), 0, tallest);

        // The derivatives per month: each month's shares stack to 100%.
        var shares = Figure(html, "derivative-months");
        Assert.Equal("100", Ticks(shares)[^1].ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The drawn charts in Chromium, light and dark, desktop and phone: visible, as wide as their panel, with their lines
    /// or columns; screenshots in <c>bin/…/screenshots/server-chart-*.png</c> to look at.
    /// </summary>
    [Fact]
    public async Task TheChartsShowInBothThemesAtBothWidths()
    {
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            foreach (var (width, height, name) in new[] { (Browser.Desktop.Width, Browser.Desktop.Height, "desktop"), (Browser.Phone.Width, Browser.Phone.Height, "phone") })
            {
                var context = await browser.Instance.NewContextAsync(new() { BaseURL = site.BaseUrl, ViewportSize = new() { Width = width, Height = height }, ColorScheme = scheme });
                try
                {
                    var page = await context.NewPageAsync();
                    foreach (var (path, chart, marks) in new[] { ("/labs/alibaba-qwen", "lab-history-chart", "polyline"), ("/countries?a=CN&b=US", "compare-chart", "polyline"), ("/derivatives", "release-months", "rect") })
                    {
                        await page.OpenAsync(path);
                        var figure = page.GetByTestId(chart);
                        await figure.ScrollIntoViewIfNeededAsync();
                        await Assertions.Expect(figure.Locator("svg")).ToBeVisibleAsync();
                        Assert.True(await figure.Locator(marks).CountAsync() > 0, $"{path}: no {marks} in the chart.");
                        var box = await figure.Locator("svg").BoundingBoxAsync();
                        Assert.True(box is { Width: > 300, Height: > 100 }, $"{path}: the chart is {box?.Width}×{box?.Height}.");
                        var file = $"server-chart-{path.Split('?')[0].Trim('/').Replace('/', '-')}-{name}-{scheme.ToString().ToLowerInvariant()}";
                        await figure.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, file + ".png") });
                    }
                }
                finally
                {
                    await context.CloseAsync();
                }
            }
        }
    }

    private static double[] Ticks(string svg) =>
        [.. Regex.Matches(svg, "data-tick=\"([^\"]+)\"").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    /// <summary>The chart's figure element with a test id, up to its closing tag.</summary>
    internal static string Figure(string html, string testId)
    {
        var start = html.IndexOf($"<figure class=\"omw-chart", StringComparison.Ordinal);
        var match = Regex.Match(html, $"<figure class=\"omw-chart[^\"]*\" data-testid=\"{testId}\">");
        Assert.True(match.Success && start >= 0, $"No server-drawn chart \"{testId}\" in the HTML.");
        var end = html.IndexOf("</figure>", match.Index, StringComparison.Ordinal);
        return html[match.Index..end];
    }

    private HttpClient Client() => new() { BaseAddress = new Uri(site.BaseUrl) };

    private async Task<string> HtmlAsync(string path)
    {
        using var http = Client();
        var response = await http.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private async Task<JsonElement[]> ItemsAsync(string path)
    {
        using var http = Client();
        var body = await http.GetFromJsonAsync<JsonElement>(path, Ct);
        return [.. body.GetProperty("items").EnumerateArray()];
    }
}

/// <summary>A server-drawn line chart read back from its SVG: its series' lines (one polyline per run of values without a gap) and its value axis.</summary>
internal sealed record LineChart(string Svg, IReadOnlyList<LineChart.Line> Series, double[] Ticks, double[] TickYs)
{
    public sealed record Line(string Name, (double X, double Y)[][] Segments)
    {
        public (double X, double Y)[] Points => [.. Segments.SelectMany(segment => segment)];
    }

    public static LineChart Parse(string html, string testId)
    {
        var svg = ServerChartTests.Figure(html, testId);
        var series = Regex.Matches(svg, "<g data-series=\"([^\"]*)\">(.*?)</g>", RegexOptions.Singleline)
            .Select(m => new Line(WebUtility.HtmlDecode(m.Groups[1].Value),
                [.. Regex.Matches(m.Groups[2].Value, "<polyline points=\"([^\"]*)\"").Select(p => p.Groups[1].Value.Split(' ').Select(Point).ToArray())])).ToArray();
        var ticks = Regex.Matches(svg, "<line [^>]*y1=\"([^\"]+)\"[^>]*>(?:</line>)?\\s*<text [^>]*data-tick=\"([^\"]+)\"");
        return new LineChart(svg, series,
            [.. ticks.Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))],
            [.. ticks.Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))]);
    }

    /// <summary>The value at height <paramref name="y"/> on the drawn axis (between its first and last gridlines).</summary>
    public double ValueAt(double y) => Ticks[0] + (Ticks[^1] - Ticks[0]) * (y - TickYs[0]) / (TickYs[^1] - TickYs[0]);

    /// <summary>
    /// The line has a polyline for each run of two or more consecutive values (a missing value, NaN, is a gap; a lone
    /// value between gaps has no line), each point at the height its value takes on the axis the chart draws (its first
    /// and last gridlines), to the SVG's 0.1 rounding, and spaced by run; the ticks are round and cover the values (a rank
    /// axis's start at 1 and run downwards instead: <see cref="TrendChartTests"/>).
    /// </summary>
    /// <param name="all">Every value of the chart, when it has other series: the axis covers them all.</param>
    public void AssertDraws(Line line, double[] values, bool fromZero = true, double[]? all = null, bool rankAxis = false)
    {
        var runs = Runs(values).Where(run => run.Length > 1).ToArray();
        Assert.Equal(runs.Select(run => run.Length), line.Segments.Select(segment => segment.Length));
        var present = (all ?? values).Where(double.IsFinite).ToArray();
        if (!rankAxis)
        {
            AssertRoundTicks(Ticks, fromZero ? Math.Min(0, present.Min()) : present.Min(), present.Max());
        }

        var drawn = runs.SelectMany(run => run).ToArray();
        var points = line.Points;
        for (var k = 0; k < drawn.Length; k++)
        {
            var value = values[drawn[k]];
            var expected = TickYs[0] + (TickYs[^1] - TickYs[0]) * (value - Ticks[0]) / (Ticks[^1] - Ticks[0]);
            Assert.True(Math.Abs(points[k].Y - expected) <= 0.051, $"{line.Name} point {drawn[k]}: y {points[k].Y}, expected {expected:0.##} for {value}.");
        }

        if (drawn.Length > 1)
        {
            // Spaced by run, a gap included: the point of run i is i steps from the first.
            var step = (points[^1].X - points[0].X) / (drawn[^1] - drawn[0]);
            Assert.All(Enumerable.Range(0, drawn.Length), k => Assert.True(Math.Abs(points[k].X - points[0].X - (drawn[k] - drawn[0]) * step) <= 0.11, $"{line.Name}: point {drawn[k]} not spaced by run."));
        }
    }

    /// <summary>The indexes of the runs of consecutive values there are (not NaN).</summary>
    private static int[][] Runs(double[] values)
    {
        var runs = new List<List<int>>();
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                continue;
            }

            if (i == 0 || double.IsNaN(values[i - 1]))
            {
                runs.Add([]);
            }

            runs[^1].Add(i);
        }

        return [.. runs.Select(run => run.ToArray())];
    }

    /// <summary>Evenly spaced ticks of 1, 2 or 5 times a power of ten, the first at or below the minimum, the last the first at or above the maximum.</summary>
    public static void AssertRoundTicks(double[] ticks, double min, double max)
    {
        Assert.True(ticks.Length >= 2, "Fewer than two ticks.");
        var step = ticks[1] - ticks[0];
        var power = Math.Pow(10, Math.Floor(Math.Log10(step)));
        Assert.Contains(Math.Round(step / power, 6), new[] { 1.0, 2.0, 5.0 });
        Assert.All(ticks.Zip(ticks.Skip(1)), pair => Assert.Equal(step, pair.Second - pair.First, 6));
        Assert.True(ticks[0] <= min && ticks[0] + step > min, $"The axis starts at {ticks[0]} for a minimum of {min}.");
        Assert.True(ticks[^1] >= max && ticks[^1] - step < max, $"The axis ends at {ticks[^1]} for a maximum of {max}.");
    }

    private static (double X, double Y) Point(string pair)
    {
        var parts = pair.Split(',');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
