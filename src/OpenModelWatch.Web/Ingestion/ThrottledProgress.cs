using System.Diagnostics;
using System.Globalization;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>
/// Counts the rows (or models) a long phase has done and reports, at most once per interval and once at the end, how
/// far it is: done, rate and time left. A live run's log lines and the import command's plain lines both use it, so
/// they count and word the time left the same way.
/// </summary>
public sealed class ThrottledProgress(long total, TimeSpan interval, Action<ProgressPoint> report)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _interval = interval;
    private TimeSpan _next = interval;
    private long _done;
    private long _reported = -1;

    public void Add(long count)
    {
        _done += count;
        if (_clock.Elapsed >= _next)
        {
            _next = _clock.Elapsed + _interval;
            Report();
        }
    }

    /// <summary>Reports the last count when the last report did not already show it.</summary>
    public void Finish()
    {
        if (_reported != _done)
        {
            Report();
        }
    }

    private void Report()
    {
        _reported = _done;
        report(new ProgressPoint(_done, total, _clock.Elapsed));
    }
}

/// <summary>How far a phase is at one moment.</summary>
public readonly record struct ProgressPoint(long Done, long Total, TimeSpan Elapsed)
{
    public double Rate => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;

    /// <summary>Whole percent done (100 when there is nothing to do).</summary>
    public long Percent => Total > 0 ? Done * 100 / Total : 100;

    /// <summary>The time left at the rate so far, when there is a rate and work left.</summary>
    public TimeSpan? Left => Rate > 0 && Total > Done ? TimeSpan.FromSeconds((Total - Done) / Rate) : null;

    /// <summary><c>45 s</c>, <c>3 min 05 s</c>, <c>1 h 02 min</c>: how the logs and the import's lines say a duration.</summary>
    public static string Words(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min")
        : span.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds:00} s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)span.TotalSeconds)} s");
}
