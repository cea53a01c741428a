using System.ComponentModel.DataAnnotations;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>The <c>Ingestion</c> configuration section.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>Whether the web host runs ingestion on a schedule (off when a timer runs the <c>ingest</c> command).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Time between the starts of runs; a run also starts at start-up when the last success started longer ago than
    /// this. One day by default: a whole-Hub run takes about half an hour inside the anonymous rate limit, and the Hub's
    /// 30-day download counts move daily, so more runs would mostly record the same numbers again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How soon to try again after a failed run (capped at <see cref="Interval"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "30.00:00:00")]
    public TimeSpan RetryAfterFailure { get; set; } = TimeSpan.FromMinutes(30);
}
