using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OpenModelWatch.Web.Import;

/// <summary>
/// How far an import is: rows read, rows per second and time left. On a terminal a Spectre.Console progress bar; when
/// the output is redirected (cron, systemd, a log file) a plain line every <see cref="LineInterval"/> and at the end.
/// </summary>
public static class ImportProgress
{
    public static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="work"/>, which reports the rows it has read through the action it is given.</summary>
    public static async Task<T> RunAsync<T>(string description, long totalRows, bool terminal, TextWriter output, Func<Action<long>, Task<T>> work)
    {
        if (terminal)
        {
            return await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RowsColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, totalRows));
                    var result = await work(rows => task.Increment(rows));
                    task.Value = task.MaxValue;
                    return result;
                });
        }

        var clock = Stopwatch.StartNew();
        long read = 0;
        long printed = -1;
        var nextLine = LineInterval;
        var answer = await work(rows =>
        {
            read += rows;
            if (clock.Elapsed >= nextLine)
            {
                nextLine = clock.Elapsed + LineInterval;
                output.WriteLine(Line(description, read, totalRows, clock.Elapsed));
                output.Flush();
                printed = read;
            }
        });
        if (printed != read)
        {
            output.WriteLine(Line(description, read, totalRows, clock.Elapsed));
        }

        return answer;
    }

    /// <summary><c>import: models.parquet: 1,234,000 of 2,200,000 rows (56%), 8,300 rows/s, about 1 min 56 s left</c>.</summary>
    public static string Line(string description, long read, long total, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? read / elapsed.TotalSeconds : 0;
        var left = rate > 0 && total > read ? $", about {Duration(TimeSpan.FromSeconds((total - read) / rate))} left" : "";
        var share = total > 0 ? read * 100 / total : 100;
        return string.Create(CultureInfo.InvariantCulture, $"import: {description}: {read:N0} of {total:N0} rows ({share}%), {rate:N0} rows/s{left}");
    }

    /// <summary><c>45 s</c>, <c>3 min 05 s</c>, <c>1 h 02 min</c>.</summary>
    public static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min")
        : span.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds:00} s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)span.TotalSeconds)} s");

    /// <summary>Rows read of the file's rows, and rows per second.</summary>
    private sealed class RowsColumn : ProgressColumn
    {
        protected override bool NoWrap => true;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(string.Create(CultureInfo.InvariantCulture, $"{task.Value:N0}/{task.MaxValue:N0} rows, {task.Speed ?? 0:N0} rows/s"));
    }
}
