using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using OpenModelWatch.Web.Ingestion;

namespace OpenModelWatch.Web.Import;

/// <summary>
/// How far an import is: rows read, rows per second and time left. On a terminal a Spectre.Console progress bar; when
/// the output is redirected (cron, systemd, a log file) a plain line every <see cref="LineInterval"/> and at the end.
/// </summary>
public static class ImportProgress
{
    public static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="work"/>, which reports the rows it has read through the action it is given.</summary>
    public static Task<T> RunAsync<T>(string description, long totalRows, bool terminal, TextWriter output, Func<Action<long>, Task<T>> work) =>
        RunAsync(description, totalRows, terminal, output, (rows, _) => work(rows));

    /// <summary>
    /// Runs <paramref name="work"/>, which reports the rows it has done through the first action it is given, and each
    /// long step after its rows through the second (e.g. <c>building count index 3 of 12 again</c>): on a terminal the
    /// step replaces the bar's description; redirected, it is a line of its own at once, with the time since the start.
    /// </summary>
    public static async Task<T> RunAsync<T>(string description, long totalRows, bool terminal, TextWriter output,
        Func<Action<long>, Action<string>, Task<T>> work)
    {
        if (terminal)
        {
            return await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RowsColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, totalRows));
                    var result = await work(rows => task.Increment(rows), step => task.Description = Markup.Escape($"{description}: {step}"));
                    task.Value = task.MaxValue;
                    return result;
                });
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var progress = new ThrottledProgress(totalRows, LineInterval, point =>
        {
            output.WriteLine(Line(description, point));
            output.Flush();
        });
        var answer = await work(progress.Add, step =>
        {
            output.WriteLine(StepLine(description, step, clock.Elapsed));
            output.Flush();
        });
        progress.Finish();
        return answer;
    }

    /// <summary><c>import: models.parquet, publishing: building count index 3 of 12 again (IX_Models_Likes), at 1 min 12 s</c>.</summary>
    public static string StepLine(string description, string step, TimeSpan elapsed) =>
        $"import: {description}: {step}, at {ProgressPoint.Words(elapsed)}";

    /// <summary><c>import: models.parquet: 1,234,000 of 2,200,000 rows (56%), 8,300 rows/s, about 1 min 56 s left</c>.</summary>
    public static string Line(string description, ProgressPoint point)
    {
        var left = point.Left is { } time ? $", about {ProgressPoint.Words(time)} left" : "";
        return string.Create(CultureInfo.InvariantCulture, $"import: {description}: {point.Done:N0} of {point.Total:N0} rows ({point.Percent}%), {point.Rate:N0} rows/s{left}");
    }

    /// <summary>Rows read of the file's rows, and rows per second.</summary>
    private sealed class RowsColumn : ProgressColumn
    {
        protected override bool NoWrap => true;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(string.Create(CultureInfo.InvariantCulture, $"{task.Value:N0}/{task.MaxValue:N0} rows, {task.Speed ?? 0:N0} rows/s"));
    }
}
