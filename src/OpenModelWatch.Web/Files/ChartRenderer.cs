using System.Globalization;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;
using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace OpenModelWatch.Web.Files;

/// <summary>The size of a chart file: logical pixels, and a pixel density for PNG (<c>scale=2</c> for sharp screens and print).</summary>
public sealed record ImageSize(int Width, int Height, int Scale)
{
    public const int DefaultWidth = 1200;
    public const int DefaultHeight = 675;
    public const int MinWidth = 480;
    public const int MaxWidth = 1600;
    public const int MinHeight = 320;
    public const int MaxHeight = 1200;

    /// <summary>Reads <c>width</c>, <c>height</c> and <c>scale</c> (1 or 2); throws <see cref="ParameterException"/> naming the one at fault.</summary>
    public static ImageSize Parse(IQueryCollection query) => new(
        ListParametersParser.Integer(query, "width", DefaultWidth, MinWidth, MaxWidth),
        ListParametersParser.Integer(query, "height", DefaultHeight, MinHeight, MaxHeight),
        ListParametersParser.Integer(query, "scale", 1, 1, 2));
}

/// <summary>
/// Draws a <see cref="Chart"/> as a file a newsroom can publish: the title, the filters in words and the as-of time
/// above the plot; the source line, the definitions, the method link and (for the bundled snapshot) the CC BY credit
/// below it. ScottPlot draws the plot into the middle of the canvas; the text around it is drawn with the same font
/// (DejaVu Sans: Debian's fonts-dejavu-core), so PNG and SVG look alike. SVG keeps the text as text.
/// </summary>
public static class ChartRenderer
{
    public const string FontFamily = "DejaVu Sans";

    private const float Margin = 20;
    private const string Ink = "#212121";
    private const string Muted = "#555555";
    private const string SourceBand = "#EEEEEE";

    private static readonly SKTypeface _regular = SKTypeface.FromFamilyName(FontFamily, SKFontStyle.Normal) ?? SKTypeface.Default;
    private static readonly SKTypeface _bold = SKTypeface.FromFamilyName(FontFamily, SKFontStyle.Bold) ?? SKTypeface.Default;

    public static byte[] Png(Chart chart, ImageSize size)
    {
        var info = new SKImageInfo(size.Width * size.Scale, size.Height * size.Scale, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Scale(size.Scale);
        Draw(canvas, chart, size.Width, size.Height);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    public static byte[] Svg(Chart chart, ImageSize size)
    {
        using var stream = new MemoryStream();
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, size.Width, size.Height), stream))
        {
            Draw(canvas, chart, size.Width, size.Height);
        }

        return stream.ToArray();
    }

    private static void Draw(SKCanvas canvas, Chart chart, int width, int height)
    {
        var text = Layout(chart.Info, width, height, out var top, out var bottom);
        using (var plot = Plot(chart.Body))
        {
            // ScottPlot first: it clears the whole canvas to the figure background before drawing into its rectangle.
            plot.Render(canvas, new PixelRect(0, width, bottom, top));
        }

        foreach (var line in text)
        {
            using var font = new SKFont(line.Bold ? _bold : _regular, line.Size);
            using var paint = new SKPaint { Color = SKColor.Parse(line.Color), IsAntialias = true };
            canvas.DrawText(line.Text, line.X, line.Baseline, SKTextAlign.Left, font, paint);
        }
    }

    /// <summary>The text above and below the plot, wrapped to the width; the plot gets what is left between <paramref name="top"/> and <paramref name="bottom"/>.</summary>
    private static List<TextLine> Layout(ExportInfo info, int width, int height, out float top, out float bottom)
    {
        var lines = new List<TextLine>();
        var room = width - 2 * Margin;
        var y = Margin;
        foreach (var line in Wrap(info.Title, _bold, 24, room))
        {
            y += 28;
            lines.Add(new TextLine(line, Margin, y, 24, true, Ink));
        }

        foreach (var line in Wrap(info.Filters, _regular, 14, room))
        {
            y += 20;
            lines.Add(new TextLine(line, Margin, y, 14, false, Muted));
        }

        y += 20;
        lines.Add(new TextLine(info.AsOfText, Margin, y, 14, true, Ink));
        top = y + 8;

        var footer = new List<(string Text, bool Bold, string Color)> { (ExportInfo.SourceText, true, Ink) };
        if (info.DataSources.Any(source => source != RunSource.HubApi))
        {
            footer.AddRange(info.SourceLines.Select(line => (FileTexts.Get("Chart.DataLine", line), false, Muted)));
        }

        footer.AddRange(info.Definitions.Select(definition => (definition, false, Muted)));
        footer.Add((FileTexts.Get("Chart.MethodLine", info.Method), false, Muted));
        footer.AddRange(info.Credits.Select(credit => (credit, false, Muted)));

        var wrapped = footer.SelectMany(item => Wrap(item.Text, item.Bold ? _bold : _regular, 12, room).Select(line => (Text: line, item.Bold, item.Color))).ToArray();
        const float footerLine = 16;
        var footerTop = height - Margin - wrapped.Length * footerLine;
        for (var i = 0; i < wrapped.Length; i++)
        {
            lines.Add(new TextLine(wrapped[i].Text, Margin, footerTop + (i + 1) * footerLine - 4, 12, wrapped[i].Bold, wrapped[i].Color));
        }

        bottom = Math.Max(top + 40, footerTop - 6);
        return lines;
    }

    private static IEnumerable<string> Wrap(string text, SKTypeface typeface, float size, float room)
    {
        using var font = new SKFont(typeface, size);
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && font.MeasureText(candidate) > room)
            {
                yield return line;
                line = word;
            }
            else
            {
                line = candidate;
            }
        }

        if (line.Length > 0)
        {
            yield return line;
        }
    }

    private static Plot Plot(ChartBody body)
    {
        var plot = new Plot();
        plot.Font.Set(FontFamily);
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        switch (body)
        {
            case LineBody line:
                Lines(plot, line);
                break;
            case BarBody bars:
                Bars(plot, bars);
                break;
            case ColumnBody columns:
                Columns(plot, columns);
                break;
        }

        return plot;
    }

    private static void Lines(Plot plot, LineBody body)
    {
        var xs = body.Runs.Select(run => run.At.ToOADate()).ToArray();
        var drawn = 0;
        foreach (var series in body.Series)
        {
            var points = series.Values.Select((value, i) => (X: xs[i], Y: value)).Where(point => point.Y is not null).ToArray();
            if (points.Length == 0)
            {
                continue;
            }

            var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y!.Value).ToArray());
            scatter.LegendText = series.Label;
            scatter.Color = Color.FromHex(series.Color);
            scatter.LineWidth = 2.5f;
            scatter.MarkerSize = points.Length <= 40 ? 6 : 0;
            drawn++;
        }

        plot.YLabel(body.ValueTitle, 14);
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            LabelFormatter = value => body.Format.Text(value),
            IntegerTicksOnly = body.Format == ValueFormat.Rank,
        };
        if (drawn == 0)
        {
            NoData(plot, FileTexts.Get(body.Runs.Count == 0 ? "Chart.NoRunInRange" : "Chart.NoValues"));
            return;
        }

        var axis = plot.Axes.DateTimeTicksBottom();
        var span = body.Runs[^1].At - body.Runs[0].At;
        // Hours matter over a few days of runs; beyond two weeks the day is enough.
        var format = FileTexts.Get(span < TimeSpan.FromDays(14) ? "Chart.TickHours" : "Chart.TickDays");
        // English ticks are as they always were (invariant); another language names its months in its own words.
        var culture = FileTexts.Translated ? CultureInfo.CurrentCulture : CultureInfo.InvariantCulture;
        axis.TickGenerator = new DateTimeAutomatic { LabelFormatter = at => at.ToString(format, culture).Replace(".", "", StringComparison.Ordinal) };
        plot.XLabel(FileTexts.Get("Chart.RunAxis"), 14);
        plot.ShowLegend(Edge.Bottom);

        var values = body.Series.SelectMany(series => series.Values).OfType<double>().ToArray();
        var max = values.Max();
        if (body.Format == ValueFormat.Rank)
        {
            // Rank 1 at the top.
            plot.Axes.SetLimitsY(max + 0.5, 0.5);
        }
        else
        {
            // From zero, so a small move does not look like a collapse.
            plot.Axes.SetLimitsY(0, max <= 0 ? 1 : max * 1.08);
        }

        // Room at both ends, so the first and last labels are not cut; a single run gets a day either side.
        var pad = body.Runs.Count == 1 ? 1 : (xs[^1] - xs[0]) * 0.04;
        plot.Axes.SetLimitsX(xs[0] - pad, xs[^1] + pad);
        SourceChanges(plot, body, xs, top: body.Format == ValueFormat.Rank ? 0.5 : (max <= 0 ? 1 : max * 1.08));
    }

    /// <summary>
    /// Where the runs change source: every other source's stretch shaded, a dashed line at each change, and each
    /// stretch named at its start (<c>OSIR monthly</c>, <c>HF//RADAR</c>, <c>Hub API</c>), so no reader takes a change
    /// of source for a change on the Hub. Nothing is drawn for a series of one source.
    /// </summary>
    private static void SourceChanges(Plot plot, LineBody body, double[] xs, double top)
    {
        var segments = body.Segments;
        if (segments.Count < 2)
        {
            return;
        }

        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var start = i == 0 ? xs[0] : (xs[segment.Start - 1] + xs[segment.Start]) / 2;
            var end = i == segments.Count - 1 ? xs[^1] : (xs[segment.Start + segment.Count - 1] + xs[segment.Start + segment.Count]) / 2;
            if (i % 2 == 1)
            {
                var band = plot.Add.HorizontalSpan(start, end);
                band.FillStyle.Color = Color.FromHex(SourceBand);
                band.LineStyle.Width = 0;
            }

            if (i > 0)
            {
                var line = plot.Add.VerticalLine(start);
                line.Color = Color.FromHex(Muted);
                line.LineWidth = 1.5f;
                line.LinePattern = LinePattern.Dashed;
            }

            var label = plot.Add.Text(FileTexts.ShortName(segment.Source), start, top);
            label.LabelFontSize = 12;
            label.LabelFontColor = Color.FromHex(Ink);
            label.LabelBold = true;
            label.LabelAlignment = Alignment.UpperLeft;
            label.OffsetX = 4;
            label.OffsetY = 2;
        }

        // The bands and lines under the data: moved to the back in the order added.
        foreach (var plottable in plot.GetPlottables().Where(p => p is ScottPlot.Plottables.HorizontalSpan or ScottPlot.Plottables.VerticalLine).ToArray())
        {
            plot.MoveToBack(plottable);
        }
    }

    private static void Bars(Plot plot, BarBody body)
    {
        if (body.Bars.Count == 0)
        {
            NoData(plot, FileTexts.Get("Chart.NoModel"));
            return;
        }

        var count = body.Bars.Count;
        var bars = body.Bars.Select(bar => new Bar
        {
            Position = count - bar.Rank + 1,
            Value = bar.Value,
            FillColor = Color.FromHex(bar.Color),
            LineWidth = 0,
            Size = 0.75,
            Orientation = Orientation.Horizontal,
            Label = body.Format.Text(bar.Value),
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plottable.ValueLabelStyle.FontSize = 12;
        plot.Axes.Left.TickGenerator = new NumericManual(
            body.Bars.Select(bar => (double)(count - bar.Rank + 1)).ToArray(),
            body.Bars.Select(bar => $"{bar.Rank.ToString(CultureInfo.InvariantCulture)}. {Shorten(bar.Label)}").ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = value => body.Format.Text(value) };
        plot.XLabel(body.ValueTitle, 14);
        var max = body.Bars.Max(bar => bar.Value);
        plot.Axes.SetLimits(0, max <= 0 ? 1 : max * 1.15, 0.4, count + 0.6);
        foreach (var entry in body.Legend)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = entry.Label, FillColor = Color.FromHex(entry.Color) });
        }

        plot.ShowLegend(Edge.Bottom);
    }

    /// <summary>A label broken at spaces into lines of at most <paramref name="width"/> characters (a longer word keeps its own line).</summary>
    public static string Wrap(string label, int width)
    {
        var lines = new List<string>();
        foreach (var word in label.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (lines.Count > 0 && lines[^1].Length + 1 + word.Length <= width)
            {
                lines[^1] += " " + word;
            }
            else
            {
                lines.Add(word);
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>Stacked columns left to right; beyond twelve columns every third is labelled, counted from the last.</summary>
    private static void Columns(Plot plot, ColumnBody body)
    {
        if (body.Columns.Count == 0 || body.Series.All(series => series.Values.All(value => value == 0)))
        {
            NoData(plot, FileTexts.Get("Chart.NothingToCount"));
            return;
        }

        var bars = new List<Bar>();
        var tops = new double[body.Columns.Count];
        foreach (var series in body.Series)
        {
            for (var i = 0; i < body.Columns.Count; i++)
            {
                if (series.Values[i] <= 0)
                {
                    continue;
                }

                bars.Add(new Bar { Position = i, ValueBase = tops[i], Value = tops[i] + series.Values[i], FillColor = Color.FromHex(series.Color), LineWidth = 0, Size = 0.8 });
                tops[i] += series.Values[i];
            }
        }

        plot.Add.Bars(bars);
        var count = body.Columns.Count;
        var labelled = Enumerable.Range(0, count).Where(i => count <= 12 || (count - 1 - i) % 3 == 0).ToArray();
        // Names (labs, countries) rather than months are broken into lines that fit their column.
        var perColumn = Math.Max(8, 110 / Math.Max(1, labelled.Length));
        plot.Axes.Bottom.TickGenerator = new NumericManual(labelled.Select(i => (double)i).ToArray(), labelled.Select(i => Wrap(body.Columns[i], perColumn)).ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = value => body.Format.Text(value) };
        plot.XLabel(body.ColumnTitle, 14);
        plot.YLabel(body.ValueTitle, 14);
        var max = tops.Max();
        plot.Axes.SetLimits(-0.6, count - 0.4, 0, max <= 0 ? 1 : max * 1.08);
        foreach (var series in body.Series)
        {
            // A count's total over the months says something (China: 1.2K); shares of each month do not add up across months.
            var label = body.Format == ValueFormat.Count ? $"{series.Label}: {body.Format.Text(series.Values.Sum())}" : series.Label;
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = Color.FromHex(series.Color) });
        }

        plot.ShowLegend(Edge.Bottom);
    }

    private static void NoData(Plot plot, string message)
    {
        plot.HideGrid();
        plot.Axes.Frameless();
        var note = plot.Add.Text(message, 0, 0);
        note.LabelFontSize = 18;
        note.LabelFontColor = Color.FromHex(Muted);
        note.LabelAlignment = Alignment.MiddleCenter;
        plot.Axes.SetLimits(-1, 1, -1, 1);
    }

    private static string Shorten(string label) => label.Length > 48 ? label[..47] + "…" : label;

    private sealed record TextLine(string Text, float X, float Baseline, float Size, bool Bold, string Color);
}
