namespace OpenModelWatch.Web.Ingestion;

/// <summary>When the next scheduled run is due; read by the dashboard.</summary>
public sealed class IngestionSchedule
{
    public DateTime? NextRunAt { get; set; }

    public bool Enabled { get; set; }
}
