using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Files;

/// <summary>A chart to draw: what it says about itself (<see cref="ExportInfo"/>), and its data.</summary>
/// <param name="Name">Its address name: <c>region-share</c>, <c>top-models</c>, …</param>
/// <param name="PagePath">The dashboard page that shows it, with the same view: the link back from an embed.</param>
public sealed record Chart(string Name, ExportInfo Info, ChartBody Body, string PagePath)
{
    /// <summary>The chart with the sources of the runs it plots, and of its as-of run, in its information, so their credits travel with it.</summary>
    public Chart WithRunSources() => Body is LineBody line && Info.Sources is null
        ? this with { Info = Info with { Sources = [.. line.Runs.Select(run => run.Source).Concat(Info.AsOf is { } asOf ? [asOf.Source] : []).Distinct()] } }
        : this;
}

public abstract record ChartBody;

/// <summary>Lines over runs: one value per run and series; null where a series has no value at a run.</summary>
public sealed record LineBody(IReadOnlyList<ChartRun> Runs, IReadOnlyList<LineSeries> Series, string ValueTitle, ValueFormat Format) : ChartBody
{
    /// <summary>The chart's data as rows, one per run and series: what its CSV and JSON hold.</summary>
    public IEnumerable<SeriesPoint> Points() =>
        Series.SelectMany(series => Runs.Select((run, i) => new SeriesPoint(run.Id, run.At, run.Source.Key(), series.Name, series.Values[i])));

    /// <summary>The stretches of runs of one source, where the chart marks a change of source.</summary>
    public IReadOnlyList<SourceSegment> Segments => SourceSegment.Of(Runs.Select(run => run.Source).ToArray());
}

public sealed record ChartRun(int Id, DateTime At, RunSource Source)
{
    public static ChartRun[] Of(IEnumerable<HistoryRun> runs) => runs.Select(run => new ChartRun(run.Id, run.At, run.Source)).ToArray();
}

/// <param name="Name">The series in the chart's data (CSV, JSON): the same in every language.</param>
/// <param name="Display">Its name in the legend, in the file's language; the name itself when null.</param>
public sealed record LineSeries(string Name, IReadOnlyList<double?> Values, string Color, string? Display = null)
{
    public string Label => Display ?? Name;
}

/// <summary>Ranked bars, first on top; <see cref="Legend"/> names the colours.</summary>
public sealed record BarBody(IReadOnlyList<BarItem> Bars, string ValueTitle, ValueFormat Format, IReadOnlyList<LegendEntry> Legend) : ChartBody;

public sealed record BarItem(int Rank, string Label, string Group, double Value, string Color);

public sealed record LegendEntry(string Label, string Color);

/// <summary>Stacked columns, one per category (a month), each stacked by series (a region), left to right in order.</summary>
public sealed record ColumnBody(IReadOnlyList<string> Columns, IReadOnlyList<ColumnSeries> Series, string ColumnTitle, string ValueTitle, ValueFormat Format) : ChartBody
{
    /// <summary>The chart's data as rows, one per column and series: what its CSV and JSON hold.</summary>
    public IEnumerable<ColumnPoint> Points() =>
        Columns.SelectMany((column, i) => Series.Select(series => new ColumnPoint(column, series.Name, series.Values[i])));
}

/// <param name="Display">Its name in the legend, in the file's language; <paramref name="Name"/> (the data's) when null.</param>
public sealed record ColumnSeries(string Name, IReadOnlyList<double> Values, string Color, string? Display = null)
{
    public string Label => Display ?? Name;
}

/// <summary>A point of a column chart's data, as its CSV and JSON list it.</summary>
public sealed record ColumnPoint(string Column, string Series, double Value);

/// <summary>A point of a line chart's data, as its CSV and JSON list it.</summary>
/// <param name="Source">The run's source (<c>hub-api</c>, <c>osir-monthly</c>, …): a series that crosses sources says where.</param>
public sealed record SeriesPoint(int RunId, DateTime At, string Source, string Series, double? Value);

public enum ValueFormat
{
    /// <summary>Counts: 1.2M.</summary>
    Count,

    /// <summary>Values already in percent: 34.5%.</summary>
    Percent,

    /// <summary>Ranks: 1 at the top.</summary>
    Rank,
}

public static class ValueFormats
{
    /// <summary>A value as a chart writes it, in the file's culture: 34.5% and #3, or 34,5 % and n.º 3.</summary>
    public static string Text(this ValueFormat format, double value) => format switch
    {
        ValueFormat.Percent => FileTexts.Get("Chart.Percent", value.ToString("0.#", System.Globalization.CultureInfo.CurrentCulture)),
        ValueFormat.Rank => FileTexts.Get("Chart.Rank", value.ToString("0", System.Globalization.CultureInfo.InvariantCulture)),
        _ => Format.Compact(value),
    };
}
