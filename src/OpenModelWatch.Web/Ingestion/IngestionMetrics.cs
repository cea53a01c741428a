using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>
/// The numbers an operator's dashboard charts, as <c>System.Diagnostics.Metrics</c> on the meter
/// <c>OpenModelWatch</c>: watch them live with <c>dotnet-counters monitor -n OpenModelWatch.Web --counters OpenModelWatch</c>.
/// Recorded once per run, when its summary is logged.
/// </summary>
public sealed class IngestionMetrics
{
    public const string MeterName = "OpenModelWatch";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _runs;
    private readonly Counter<long> _failedRuns;
    private readonly Counter<long> _models;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _throttled;
    private readonly Counter<long> _foundInMemory;

    public IngestionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram<double>("openmodelwatch.ingestion.run.duration", "s", "How long ingestion runs take, by status and trigger.");
        _runs = meter.CreateCounter<long>("openmodelwatch.ingestion.runs", "{run}", "Ingestion runs ended, by status and trigger.");
        _failedRuns = meter.CreateCounter<long>("openmodelwatch.ingestion.runs.failed", "{run}", "Ingestion runs that failed.");
        _models = meter.CreateCounter<long>("openmodelwatch.ingestion.models", "{model}", "Model snapshots stored by successful runs.");
        _requests = meter.CreateCounter<long>("openmodelwatch.hub.requests", "{request}", "Requests sent to the Hub by runs, each attempt counted.");
        _retries = meter.CreateCounter<long>("openmodelwatch.hub.retries", "{request}", "Hub requests that repeated a failed attempt.");
        _throttled = meter.CreateCounter<long>("openmodelwatch.hub.throttled", "{response}", "429 Too Many Requests answers from the Hub.");
        _foundInMemory = meter.CreateCounter<long>("openmodelwatch.ingestion.records.found_in_memory", "{record}",
            "Records of whole-Hub runs written without reading the store: their model was in memory with the same metadata.");
    }

    /// <summary>A whole-Hub run's records whose model was found in memory (<see cref="StoredModelMap"/>), once its listing is written.</summary>
    public void RecordFoundInMemory(long records) => _foundInMemory.Add(records);

    public void RecordRun(IngestionRun run, TimeSpan duration)
    {
        var tags = new TagList { { "status", run.Status.ToString() }, { "trigger", run.Trigger.ToString() } };
        _duration.Record(duration.TotalSeconds, tags);
        _runs.Add(1, tags);
        if (run.Status == RunStatus.Failed)
        {
            _failedRuns.Add(1, new KeyValuePair<string, object?>("trigger", run.Trigger.ToString()));
        }

        _models.Add(run.Models);
        _requests.Add(run.Requests);
        _retries.Add(run.Retries);
        _throttled.Add(run.Throttled);
    }
}
