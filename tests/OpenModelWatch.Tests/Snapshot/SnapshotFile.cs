using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Snapshot;

/// <summary>
/// The bundled snapshot read straight from its gz files, with nothing of the app's or the fake Hub's code: the
/// independent side of every comparison with what they make of it. Read once per test run.
/// </summary>
internal static class SnapshotFile
{
    private static readonly Lazy<IReadOnlyList<RawModel>> _models = new(ReadModels);
    private static readonly Lazy<IReadOnlyList<RawHistoryRow>> _history = new(ReadHistory);

    public static string Folder { get; } = Repo.Path("seeds", "hub-snapshot-2026-08");

    /// <summary>Every line of <c>models.jsonl.gz</c>, removed models included, in the file's order.</summary>
    public static IReadOnlyList<RawModel> Models => _models.Value;

    /// <summary>Every row of <c>history.csv.gz</c>, in the file's order.</summary>
    public static IReadOnlyList<RawHistoryRow> History => _history.Value;

    public static IEnumerable<RawModel> LiveModels => Models.Where(m => !m.Removed);

    /// <summary>The snapshot times, oldest first.</summary>
    public static IReadOnlyList<DateTime> Times => [.. History.Select(r => r.At).Distinct().Order()];

    private static List<RawModel> ReadModels()
    {
        var models = new List<RawModel>();
        foreach (var line in Lines("models.jsonl.gz"))
        {
            using var document = JsonDocument.Parse(line);
            var m = document.RootElement;
            models.Add(new RawModel(
                m.GetProperty("id").GetString()!,
                m.GetProperty("author").GetString()!,
                m.GetProperty("downloads").GetInt64(),
                m.GetProperty("likes").GetInt64(),
                m.GetProperty("trendingScore").GetInt32(),
                m.GetProperty("removed").GetBoolean(),
                m.Clone()));
        }

        return models;
    }

    private static List<RawHistoryRow> ReadHistory()
    {
        var rows = new List<RawHistoryRow>();
        foreach (var line in Lines("history.csv.gz").Skip(1))
        {
            var cells = line.Split(',');
            rows.Add(new RawHistoryRow(
                DateTimeOffset.Parse(cells[0], CultureInfo.InvariantCulture).UtcDateTime,
                cells[1],
                long.Parse(cells[2], CultureInfo.InvariantCulture),
                long.Parse(cells[3], CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private static IEnumerable<string> Lines(string file)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(Folder, file)), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            yield return line;
        }
    }
}

/// <summary>One model line as the file has it; <see cref="Json"/> keeps every field.</summary>
internal sealed record RawModel(string Id, string Author, long Downloads, long Likes, int TrendingScore, bool Removed, JsonElement Json);

internal sealed record RawHistoryRow(DateTime At, string Id, long Downloads30d, long Likes);
