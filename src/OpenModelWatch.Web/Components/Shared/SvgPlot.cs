using System.Globalization;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Components.Shared;

/// <summary>
/// The geometry of the charts the pages draw as SVG on the server (<c>TrendChart</c>, <c>ShareAreaChart</c>,
/// <c>StackedColumns</c>): the plot's rectangle in the viewBox, where a point or a column and a value fall, round axis
/// ticks, and which time labels fit. One place, so the three charts read alike and no axis is computed twice.
/// </summary>
/// <param name="Width">The viewBox's width.</param>
/// <param name="Height">The viewBox's height.</param>
/// <param name="Left">The plot's left edge (room for the value labels to its left).</param>
/// <param name="Right">The plot's right edge.</param>
/// <param name="Top">The plot's top edge.</param>
/// <param name="Bottom">The plot's bottom edge (room for the time labels below it).</param>
public sealed record SvgPlot(double Width, double Height, double Left, double Right, double Top, double Bottom)
{
    /// <summary>The font size of the axis labels, in viewBox units.</summary>
    public const double LabelSize = 12;

    /// <summary>
    /// About the width of one character of an axis label, in viewBox units: room for the value labels. Phones draw the
    /// labels larger (19 units, see app.css), so the room is theirs.
    /// </summary>
    public const double CharWidth = 11;

    /// <summary>The room left of the value labels for the value axis's title, turned upright.</summary>
    public const double AxisTitleRoom = 38;

    /// <summary>The left edge of a plot whose widest value label has <paramref name="characters"/> characters.</summary>
    public static double LeftFor(int characters) => AxisTitleRoom + characters * CharWidth + 8;

    /// <summary>A number in an SVG attribute: invariant, one decimal at most.</summary>
    public static string Coordinate(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Where the point <paramref name="index"/> of <paramref name="count"/> evenly spaced ones falls; one point sits in the middle.</summary>
    public double X(int index, int count) => count < 2 ? (Left + Right) / 2 : Left + (Right - Left) * index / (count - 1);

    /// <summary>The width of one of <paramref name="count"/> columns side by side, its gap included.</summary>
    public double Band(int count) => (Right - Left) / Math.Max(1, count);

    /// <summary>The centre of column <paramref name="index"/> of <paramref name="count"/>.</summary>
    public double Column(int index, int count) => Left + Band(count) * (index + 0.5);

    /// <summary>Where <paramref name="value"/> falls on a value axis from <paramref name="min"/> (bottom) to <paramref name="max"/> (top).</summary>
    public double Y(double value, double min, double max) => max <= min ? Bottom : Bottom - (Bottom - Top) * (value - min) / (max - min);

    /// <summary>
    /// Round ticks covering <paramref name="min"/> to <paramref name="max"/>: a step of 1, 2 or 5 times a power of ten
    /// giving at most <paramref name="most"/> intervals, from the step at or below the minimum to the one at or above the
    /// maximum (so the axis ends on a labelled tick). Whole steps only when <paramref name="whole"/> (ranks, counts of things).
    /// </summary>
    public static double[] Ticks(double min, double max, int most = 5, bool whole = false)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            return [0, 1];
        }

        if (max <= min)
        {
            max = min + (min == 0 ? 1 : Math.Abs(min) * 0.1);
        }

        var rough = (max - min) / most;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = new[] { 1, 2, 5, 10 }.Select(factor => factor * power).First(candidate => candidate >= rough * (1 - 1e-9));
        if (whole)
        {
            step = Math.Max(1, Math.Round(step));
        }

        var first = Math.Floor(min / step + 1e-9) * step;
        var last = Math.Ceiling(max / step - 1e-9) * step;
        var count = (int)Math.Round((last - first) / step);
        // Rounded to the step's digits, so 0.1 + 0.2 reads 0.3 in a label.
        var digits = Math.Max(0, -(int)Math.Floor(Math.Log10(step)) + 1);
        return [.. Enumerable.Range(0, count + 1).Select(i => Math.Round(first + i * step, Math.Min(15, digits)))];
    }

    /// <summary>
    /// Ticks of a rank axis running to <paramref name="worst"/>: always from rank 1 (the top, so the reader sees how far
    /// from first a rank is), then the round whole ticks of 0 to the worst rank, e.g. 1, 2, 3 or 1, 20, 40, 60.
    /// </summary>
    public static double[] RankTicks(double worst, int most = 5) =>
        [1, .. Ticks(0, Math.Max(2, worst), most, whole: true).Where(tick => tick > 1)];

    /// <summary>
    /// About <paramref name="most"/> labels for evenly spaced times, evenly spread, always the first and the last: times
    /// of day over a day, dates over most of a year, months beyond. Points are spaced by run, not by time: several runs
    /// in one month would repeat its label, so only the last of each stays.
    /// </summary>
    public static IReadOnlyList<(int Index, string Text)> TimeLabels(IReadOnlyList<DateTime> times, int most)
    {
        if (times.Count == 0)
        {
            return [];
        }

        var span = times[^1] - times[0];
        var format = span < TimeSpan.FromDays(2) ? "HH:mm" : span < TimeSpan.FromDays(300) ? "MMM d" : "MMM yyyy";
        var step = Math.Max(1, (int)Math.Ceiling((times.Count - 1) / (double)Math.Max(1, most - 1)));
        return [.. Enumerable.Range(0, times.Count).Where(i => i % step == 0 && times.Count - 1 - i >= step / 2 || i == times.Count - 1)
            .Select(i => (Index: i, Text: Format.AxisDate(times[i], format)))
            .Reverse().DistinctBy(label => label.Text).Reverse()];
    }

    /// <summary>
    /// The value axis's title in one line, or two split at the space nearest its middle when longer than
    /// <paramref name="most"/> characters: upright beside the plot, a long title would outgrow a phone's plot height.
    /// </summary>
    public static IReadOnlyList<string> TitleLines(string title, int most = 26)
    {
        if (title.Length <= most)
        {
            return [title];
        }

        var spaces = Enumerable.Range(0, title.Length).Where(i => title[i] == ' ').ToArray();
        if (spaces.Length == 0)
        {
            return [title];
        }

        var split = spaces.MinBy(i => Math.Abs(i - title.Length / 2));
        return [title[..split], title[(split + 1)..]];
    }

    /// <summary>How a label at <paramref name="index"/> of <paramref name="count"/> is anchored: the ends inward, so they are not cut.</summary>
    public static string Anchor(int index, int count) => count > 1 && index == 0 ? "start" : count > 1 && index == count - 1 ? "end" : "middle";
}
