using System.Data.Common;
using Microsoft.Extensions.Options;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Snapshot;

/// <summary>
/// The one import path of the bundled datasets (<see cref="BundledDataset"/>): at start, under the run lock, every time
/// of every enabled dataset that the store lacks becomes a succeeded run of trigger <see cref="RunTrigger.Snapshot"/>
/// at that time (started and finished then), through the ingestion's writer. All of one start's runs are one
/// transaction, so a kill during import leaves nothing, and they are published in time order (on a fresh install the
/// monthly history, then the August 2026 snapshot). A time already recorded (its source key) is never imported again;
/// a dataset that only stands in for an empty store is skipped once the store has runs of its own.
/// </summary>
public sealed partial class BundledImport(
    StoreConnection store,
    LabRegistry registry,
    LineageFixes fixes,
    RunLock runLock,
    IEnumerable<BundledDataset> datasets,
    IOptions<SnapshotOptions> options,
    ILogger<BundledImport> logger)
{
    /// <summary>The number of runs imported; 0 when there was nothing to do (or another process holds the run lock).</summary>
    public async Task<int> ImportAsync(CancellationToken cancellationToken)
    {
        var enabled = datasets.Where(Enabled).ToArray();
        if (enabled.Length == 0)
        {
            return 0;
        }

        using var held = runLock.TryAcquire();
        if (held is null)
        {
            return 0;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var planned = new List<(BundledDataset Dataset, BundledRun Run)>();
        await using (var connection = store.Open())
        {
            foreach (var dataset in enabled)
            {
                if (dataset.OnlyIntoEmptyStore && HasRunsOtherThanHistory(connection, dataset))
                {
                    continue;
                }

                var recorded = RecordedKeys(connection, dataset);
                planned.AddRange((await dataset.ReadAsync(cancellationToken))
                    .Where(run => !recorded.Contains(dataset.KeyOf(run.At)))
                    .Select(run => (dataset, run)));
            }
        }

        if (planned.Count == 0)
        {
            return 0;
        }

        // Time order across datasets: the runs are numbered, and published, as if they had run then.
        planned = [.. planned.OrderBy(item => item.Run.At)];
        await using var writer = SnapshotWriter.Open(store, registry);
        var runs = new List<IngestionRun>();
        foreach (var (dataset, bundled) in planned)
        {
            var run = new IngestionRun
            {
                StartedAt = bundled.At,
                FinishedAt = bundled.At,
                Status = RunStatus.Succeeded,
                Trigger = RunTrigger.Snapshot,
                Source = dataset.Source,
                SourceKey = dataset.KeyOf(bundled.At),
                Host = dataset.Host,
                Models = bundled.Models.Count,
            };
            writer.StartRun(await writer.AddRunAsync(run, cancellationToken));
            runs.Add(run);
            foreach (var model in bundled.Models)
            {
                writer.Write(model, metadataKnown: dataset.HasMetadata);
            }
        }

        // Every model of every run is stored before any origin is resolved: each run's origins (and so its totals by
        // origin) follow all the lineage the datasets have, not only what the runs before it had listed.
        foreach (var run in runs)
        {
            writer.ResolveOrigins(registry, fixes, run.Id);
            await writer.PublishAsync(run, cancellationToken);
        }

        // Earlier days brought to a store with later runs (the history on an upgrade): the models go back to the as-of run.
        writer.CarryAsOfRun(LogCarry, cancellationToken);
        writer.CommitBatch();
        foreach (var imported in planned.GroupBy(item => item.Dataset))
        {
            LogImported(imported.Key.Name, imported.Count(), imported.Sum(item => item.Run.Models.Count),
                imported.SelectMany(item => item.Run.Models).Select(model => model.Id).Distinct(StringComparer.Ordinal).Count(), clock.Elapsed);
        }

        return runs.Count;
    }

    private bool Enabled(BundledDataset dataset) => dataset.OnlyIntoEmptyStore ? options.Value.ImportWhenEmpty : options.Value.ImportHistory;

    /// <summary>Whether the store has a run of the dataset's source, or a succeeded run that is not bundled history.</summary>
    private static bool HasRunsOtherThanHistory(DbConnection connection, BundledDataset dataset)
    {
        using var command = connection.Command(null, """
            SELECT EXISTS (SELECT 1 FROM Runs WHERE Source = @source OR (Status = 'Succeeded' AND Source <> @history))
            """);
        command.Parameter("@source", dataset.Source.ToString());
        command.Parameter("@history", nameof(RunSource.OsirMonthly));
        return Convert.ToBoolean(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static HashSet<string> RecordedKeys(DbConnection connection, BundledDataset dataset)
    {
        using var command = connection.Command(null, "SELECT SourceKey FROM Runs WHERE SourceKey LIKE @prefix || ':%'");
        command.Parameter("@prefix", dataset.KeyPrefix);
        using var reader = command.ExecuteReader();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bundled import, the models given back to the as-of run: {Step}")]
    private partial void LogCarry(string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported the bundled {Dataset}: {Runs} runs, {Rows} rows of {Models} models, in {Duration}")]
    private partial void LogImported(string dataset, int runs, int rows, int models, TimeSpan duration);
}

public static class SnapshotSetup
{
    public static IHostApplicationBuilder AddBundledData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SnapshotOptions>().BindConfiguration(SnapshotOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<BundledDataset, OsirMonthlyHistory>();
        builder.Services.AddSingleton<BundledDataset, RadarSnapshot>();
        builder.Services.AddSingleton<BundledImport>();
        return builder;
    }
}
