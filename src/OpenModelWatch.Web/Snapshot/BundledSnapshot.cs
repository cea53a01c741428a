using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using OpenModelWatch.Hub;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Snapshot;

/// <summary>The <c>Snapshot</c> configuration section.</summary>
public sealed class SnapshotOptions
{
    public const string Section = "Snapshot";

    /// <summary>Import the bundled snapshot at start when the store has no successful run.</summary>
    public bool ImportWhenEmpty { get; set; } = true;

    /// <summary>The snapshot folder; a relative path resolves against the app's base directory.</summary>
    public string Path { get; set; } = "seeds/hub-snapshot-2026-08";

    public string ResolvedPath => System.IO.Path.IsPathRooted(Path) ? Path : System.IO.Path.Combine(AppContext.BaseDirectory, Path);
}

/// <summary>
/// Imports the bundled real Hub snapshot (August 2026) as runs of trigger <see cref="RunTrigger.Snapshot"/>, one per
/// snapshot time, as-of that time. All in one batch, so one transaction: a kill during import leaves nothing; a store
/// that already holds snapshot runs (or any successful run) imports nothing.
/// </summary>
public sealed partial class BundledSnapshot(
    StoreConnection store,
    LabRegistry registry,
    LineageFixes fixes,
    RunLock runLock,
    IOptions<SnapshotOptions> options,
    ILogger<BundledSnapshot> logger)
{
    public const string Credit = SnapshotCredit.Text;
    public const string Host = "bundled snapshot hub-snapshot-2026-08";

    /// <summary>The number of runs imported; 0 when there was nothing to do.</summary>
    public async Task<int> ImportIfEmptyAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.ImportWhenEmpty)
        {
            return 0;
        }

        using var held = runLock.TryAcquire();
        if (held is null || await HasRunsAsync(cancellationToken))
        {
            return 0;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var folder = options.Value.ResolvedPath;
        var models = await ReadModelsAsync(System.IO.Path.Combine(folder, "models.jsonl.gz"), cancellationToken);
        var history = ReadHistory(System.IO.Path.Combine(folder, "history.csv.gz"));
        var times = history.Select(row => row.At).Distinct().Order().ToArray();
        var lastTime = times[^1];

        await using var writer = SnapshotWriter.Open(store, registry);
        var rows = 0;
        var runs = new List<IngestionRun>();
        foreach (var at in times)
        {
            var atRows = history.Where(row => row.At == at).ToArray();
            var run = new IngestionRun
            {
                StartedAt = at,
                FinishedAt = at,
                Status = RunStatus.Succeeded,
                Trigger = RunTrigger.Snapshot,
                Source = RunSource.RadarSnapshot,
                Host = Host,
                Models = atRows.Length,
            };
            var runId = await writer.AddRunAsync(run, cancellationToken);
            runs.Add(run);
            writer.StartRun(runId);
            foreach (var row in atRows)
            {
                var model = models[row.Id];
                writer.Write(new HubModel
                {
                    Id = model.Id,
                    CreatedAt = model.CreatedAt,
                    PipelineTag = model.PipelineTag,
                    LibraryName = model.LibraryName,
                    Tags = Tags(model),
                    Safetensors = model.Parameters is { } parameters ? new HubSafetensors { Total = HubCount.Of(parameters) } : null,
                    Downloads = HubCount.Of(row.Downloads30d),
                    Likes = HubCount.Of(row.Likes),
                    TrendingScore = at == lastTime && model.TrendingScore is { } trending ? HubCount.Of(trending) : default,
                });
                rows++;
            }
        }

        // Every model of the file is stored before any origin is resolved: each run's origins (and so its totals by
        // origin) follow the whole file's lineage, not only what the runs before it had listed.
        foreach (var run in runs)
        {
            writer.ResolveOrigins(registry, fixes, run.Id);
            await writer.PublishAsync(run, cancellationToken);
        }

        writer.CommitBatch();
        LogImported(times.Length, models.Count, rows, clock.Elapsed);
        return times.Length;
    }

    private async Task<bool> HasRunsAsync(CancellationToken cancellationToken)
    {
        await using var connection = store.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM Runs WHERE Status = 'Succeeded' OR \"Trigger\" = 'Snapshot')";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
    }

    /// <summary>The model's tags, with its licence as a tag when only the field has it, as the Hub would list it.</summary>
    private static IReadOnlyList<string?> Tags(SnapshotModel model)
    {
        var tags = model.Tags ?? [];
        if (model.License is { Length: > 0 } license && HubTags.License(tags) is null)
        {
            tags = [.. tags, "license:" + license];
        }

        if (model.BaseModel is { Length: > 0 } baseModel && HubTags.Lineage(tags).Count == 0)
        {
            tags = [.. tags, "base_model:" + baseModel];
        }

        return tags;
    }

    public static async Task<Dictionary<string, SnapshotModel>> ReadModelsAsync(string path, CancellationToken cancellationToken)
    {
        var models = new Dictionary<string, SnapshotModel>(StringComparer.Ordinal);
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0 && JsonSerializer.Deserialize(line, SnapshotJsonContext.Default.SnapshotModel) is { Id: not null } model)
            {
                models[model.Id] = model;
            }
        }

        return models;
    }

    public static List<HistoryRow> ReadHistory(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var header = reader.ReadLine();
        if (header != "at,id,downloads30d,likes")
        {
            throw new InvalidDataException($"{path}: unexpected header \"{header}\".");
        }

        var rows = new List<HistoryRow>(170_000);
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var parts = line.Split(',');
            rows.Add(new HistoryRow(
                DateTime.Parse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                parts[1],
                long.Parse(parts[2], CultureInfo.InvariantCulture),
                long.Parse(parts[3], CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported the bundled Hub snapshot: {Runs} runs, {Models} models, {Rows} snapshots in {Duration}")]
    private partial void LogImported(int runs, int models, int rows, TimeSpan duration);
}

public sealed record HistoryRow(DateTime At, string Id, long Downloads30d, long Likes);

public sealed class SnapshotModel
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("author")] public string? Author { get; init; }
    [JsonPropertyName("createdAt")] public string? CreatedAt { get; init; }
    [JsonPropertyName("pipeline_tag")] public string? PipelineTag { get; init; }
    [JsonPropertyName("library_name")] public string? LibraryName { get; init; }
    [JsonPropertyName("license")] public string? License { get; init; }
    [JsonPropertyName("tags")] public IReadOnlyList<string?>? Tags { get; init; }
    [JsonPropertyName("likes")] public long Likes { get; init; }
    [JsonPropertyName("downloads")] public long Downloads { get; init; }
    [JsonPropertyName("trendingScore")] public long? TrendingScore { get; init; }
    [JsonPropertyName("parameters")] public long? Parameters { get; init; }
    [JsonPropertyName("gated")] public bool? Gated { get; init; }
    [JsonPropertyName("baseModel")] public string? BaseModel { get; init; }
    [JsonPropertyName("removed")] public bool Removed { get; init; }
}

[JsonSerializable(typeof(SnapshotModel))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;

public static class SnapshotSetup
{
    public static IHostApplicationBuilder AddBundledSnapshot(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SnapshotOptions>().BindConfiguration(SnapshotOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<BundledSnapshot>();
        return builder;
    }
}
