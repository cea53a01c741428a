using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.DashboardBench;

/// <summary>
/// Fills a migrated, empty store with <c>models</c> models and <c>runs</c> succeeded runs of one snapshot each, by
/// direct SQL inserts in one transaction (seconds, where a real ingestion of 3 million snapshots would take minutes).
/// Three quarters of the models belong to the registry's namespaces, the rest to 2,000 unregistered ones (Unknown);
/// 30-day downloads fall off like a power law, as on the Hub, and drift from run to run.
/// </summary>
public static class StoreGenerator
{
    private static readonly string[] _tasks = ["text-generation", "text-generation", "image-text-to-text", "feature-extraction", "sentence-similarity", "text-classification", "automatic-speech-recognition", "text-to-image"];
    private static readonly string[] _licenses = ["apache-2.0", "apache-2.0", "mit", "llama3.1", "other", "gemma", "cc-by-nc-4.0"];
    private static readonly long[] _sizes = [135_000_000, 494_000_000, 1_540_000_000, 7_620_000_000, 14_800_000_000, 70_600_000_000];
    private static readonly string[] _relations = ["finetune", "quantized", "adapter", "merge"];

    public static async Task GenerateAsync(StoreConnection store, LabRegistry registry, int models, int runs, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var registered = registry.Namespaces.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        await using var connection = store.Open();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000; PRAGMA temp_store=MEMORY;";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var transaction = connection.BeginTransaction();
        var firstRun = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        await using (var insertRun = Command(connection, transaction, """
            INSERT INTO Runs (Id, StartedAt, FinishedAt, Status, "Trigger", Host, Models, Namespaces, Requests, Retries, Throttled, Bytes,
                Rejected, Duplicates, CensusModels, ParentLookups, LineageCycles, MissingParents)
            VALUES ($id, $started, $finished, 'Succeeded', 'Schedule', 'bench', $models, $namespaces, $requests, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            """, "$id", "$started", "$finished", "$models", "$namespaces", "$requests"))
        {
            for (var run = 1; run <= runs; run++)
            {
                var started = firstRun.AddHours(6 * (run - 1));
                Set(insertRun, run, Time(started), Time(started.AddMinutes(3)), models, registered.Length + 2000, models / 1000 + registered.Length);
                await insertRun.ExecuteNonQueryAsync();
            }
        }

        await using (var insertModel = Command(connection, transaction, """
            INSERT INTO Models (Id, HubId, Namespace, LabId, Task, Library, License, CreatedAt, Parameters, BaseModel, Relation,
                OriginId, OriginLabId, FirstSeenRunId, LastSeenRunId)
            VALUES ($id, $hubId, $ns, $lab, $task, 'transformers', $license, $created, $parameters, $base, $relation, $origin, $lab, 1, $last)
            """, "$id", "$hubId", "$ns", "$lab", "$task", "$license", "$created", "$parameters", "$base", "$relation", "$origin", "$last"))
        {
            for (var i = 1; i <= models; i++)
            {
                var hash = Hash(i, 0);
                var ns = hash % 4 == 0 ? $"user{hash / 4 % 2000:D4}" : registered[(int)(Math.Pow(hash % 10_000 / 10_000.0, 2) * registered.Length)];
                var hubId = $"{ns}/model-{i:D6}";
                var derived = i > 100 && hash % 5 == 0;
                Set(insertModel, i, hubId, ns, (object?)registry.ForNamespace(ns)?.Id ?? DBNull.Value, _tasks[hash % (ulong)_tasks.Length],
                    _licenses[(hash >> 8) % (ulong)_licenses.Length], Time(new DateTime(2022, 3, 2, 0, 0, 0, DateTimeKind.Utc).AddHours((double)((hash >> 16) % 38_000))),
                    hash % 10 == 0 ? DBNull.Value : _sizes[(hash >> 24) % (ulong)_sizes.Length],
                    derived ? $"base/model-{(int)(hash % (ulong)(i - 1)) + 1:D6}" : DBNull.Value,
                    derived ? _relations[(hash >> 32) % (ulong)_relations.Length] : DBNull.Value,
                    hubId, runs);
                await insertModel.ExecuteNonQueryAsync();
            }
        }

        await using (var insertSnapshot = Command(connection, transaction, """
            INSERT INTO Snapshots (RunId, ModelId, Downloads30d, DownloadsAllTime, Likes, TrendingScore, InCensus)
            VALUES ($run, $model, $d30, $dall, $likes, $trending, 1)
            """, "$run", "$model", "$d30", "$dall", "$likes", "$trending"))
        {
            for (var run = 1; run <= runs; run++)
            {
                for (var i = 1; i <= models; i++)
                {
                    var baseline = 50_000_000 / Math.Pow(i, 0.95);
                    var drift = 0.85 + (Hash(i, run) % 1000) / 1000.0 * 0.3 + (Hash(i, -1) % 3 == 0 ? run * 0.01 : 0);
                    var d30 = (long)(baseline * drift);
                    var allTime = (long)(baseline * (4 + Hash(i, -2) % 20) * (1 + run * 0.02));
                    var likes = d30 / (500 + (long)(Hash(i, -3) % 5000)) + (long)(Hash(i, -4) % 5);
                    Set(insertSnapshot, run, i, d30, allTime, likes, likes / (Hash(i, run) % 7 == 0 ? 3 : 60));
                    await insertSnapshot.ExecuteNonQueryAsync();
                }

                log.Write($"\rrun {run}/{runs}: {(long)run * models:N0} snapshots, {clock.Elapsed.TotalSeconds:F0} s ");
            }
        }

        await transaction.CommitAsync();
        await using (var analyze = connection.CreateCommand())
        {
            analyze.CommandText = "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);";
            await analyze.ExecuteNonQueryAsync();
        }

        log.WriteLine($"\rgenerated {models:N0} models x {runs} runs = {(long)models * runs:N0} snapshots in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static ulong Hash(int index, int salt)
    {
        var x = unchecked((ulong)index * 0x9E3779B97F4A7C15UL + (ulong)(salt + 1000) * 0xD1B54A32D192ED03UL);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return x ^ (x >> 31);
    }
}
