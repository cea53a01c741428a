using System.Globalization;
using System.Text.RegularExpressions;
using Bunit;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Components.Shared;

namespace OpenModelWatch.Tests.FirstPaint;

/// <summary>
/// The server-drawn line chart's geometry on values chosen by hand, to the exact coordinate: a missing value is a gap,
/// never a point at 0; a rank axis has rank 1 at the top. The drawing is 700 wide and 320 high: the plot runs from x 68
/// (room for two-character value labels: 38 + 2 × 11 + 8) to 690 and from y 10 (top) to 276 (bottom).
/// </summary>
public sealed class TrendChartTests : IAsyncDisposable
{
    private static readonly DateTime[] _fiveRuns = [.. Enumerable.Range(0, 5).Select(day => new DateTime(2026, 8, 1 + day, 0, 0, 0, DateTimeKind.Utc))];

    private readonly BunitContext _context = BunitSetup.NewContext();

    [Fact]
    public void AMissingValueIsAGapInTheLineNotAZero()
    {
        // Runs 2 and 5 have no value. The axis is 0 to 40 in tens; x steps by 622 / 4 = 155.5.
        var chart = Render([10, double.NaN, 30, 40, double.NaN], ranks: false);

        Assert.Equal(["0", "10", "20", "30", "40"], Attributes(chart, "data-tick"));
        // One line, through runs 3 and 4 only; run 1 stands alone between the start and a gap: a dot, no line.
        Assert.Equal(["379,76.5 534.5,10"], Attributes(chart, "points"));
        Assert.Equal(["68,209.5", "379,76.5", "534.5,10"], Circles(chart));
        // Nothing at the bottom of the plot (y 276, the value 0) but its gridline.
        Assert.DoesNotContain("276", string.Join(' ', Attributes(chart, "points").Concat(Circles(chart))), StringComparison.Ordinal);
        // The gaps are said in words, and the table of numbers shows a dash where the line has none.
        Assert.Equal("A gap in a line is a run without a value there (the table of numbers shows it as –).", chart.Find("[data-testid=chart-gaps]").TextContent);
        Assert.Equal(["10", "–", "30", "40", "–"], chart.FindAll("[data-testid=chart-data] tbody td").Select(cell => cell.TextContent).ToArray());
        // The description names the first and last values there are, not a missing one.
        Assert.Contains("Things 10 to 40.", chart.Find("desc").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ALineWithoutGapsSaysNothingOfGaps()
    {
        var chart = Render([10, 20, 30, 40, 20], ranks: false);

        Assert.Equal(["68,209.5 223.5,143 379,76.5 534.5,10 690,143"], Attributes(chart, "points"));
        Assert.Empty(chart.FindAll("[data-testid=chart-gaps]"));
    }

    [Fact]
    public void ARankAxisHasRankOneAtTheTop()
    {
        // Ranks 3, 1, 2, 10 and a run without the lab: ticks from 1 at the top (y 10) to 10 at the bottom (y 276), so a
        // rank r is at 10 + 266 × (r − 1) / 9.
        var chart = Render([3, 1, 2, 10, double.NaN], ranks: true);

        Assert.Equal(["1", "2", "4", "6", "8", "10"], Attributes(chart, "data-tick"));
        Assert.Equal(["10", "39.6", "98.7", "157.8", "216.9", "276"], [.. Regex.Matches(chart.Markup, "<line [^>]*y1=\"([^\"]+)\"").Select(m => m.Groups[1].Value)]);
        Assert.Equal(["68,69.1 223.5,10 379,39.6 534.5,276"], Attributes(chart, "points"));
        // The best rank's point is the highest one drawn.
        var ys = Circles(chart).Select(point => double.Parse(point.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(1, Array.IndexOf(ys, ys.Min()));
    }

    [Fact]
    public void RankTicksStartAtOneAndReadRound()
    {
        Assert.Equal([1, 2], SvgPlot.RankTicks(1));
        Assert.Equal([1, 2, 3], SvgPlot.RankTicks(3));
        Assert.Equal([1, 5, 10, 15], SvgPlot.RankTicks(12));
        Assert.Equal([1, 20, 40, 60], SvgPlot.RankTicks(57));
    }

    private IRenderedComponent<TrendChart> Render(double[] values, bool ranks) =>
        _context.Render<TrendChart>(parameters => parameters
            .Add(p => p.Labels, _fiveRuns)
            .Add(p => p.Series, [new TrendSeries("Things", values)])
            .Add(p => p.YTitle, "Things")
            .Add(p => p.YFormat, ranks ? "0" : "compact")
            .Add(p => p.FromZero, !ranks)
            .Add(p => p.Ranks, ranks)
            .Add(p => p.TestId, "chart"));

    private static string[] Attributes(IRenderedComponent<TrendChart> chart, string name) =>
        [.. Regex.Matches(chart.Markup, $" {name}=\"([^\"]+)\"").Select(m => m.Groups[1].Value)];

    private static string[] Circles(IRenderedComponent<TrendChart> chart) =>
        [.. Regex.Matches(chart.Markup, "<circle cx=\"([^\"]+)\" cy=\"([^\"]+)\"").Select(m => $"{m.Groups[1].Value},{m.Groups[2].Value}")];


    public ValueTask DisposeAsync() => _context.DisposeAsync();
}
