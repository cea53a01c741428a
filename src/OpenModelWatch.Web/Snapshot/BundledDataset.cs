using System.Globalization;
using System.IO.Compression;
using OpenModelWatch.Hub;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Snapshot;

/// <summary>One time of a bundled dataset: the models it saw, with their counts at that time.</summary>
public sealed record BundledRun(DateTime At, IReadOnlyList<HubModel> Models);

/// <summary>
/// A real dataset shipped with the app (<c>seeds/…</c>), imported by <see cref="BundledImport"/> as runs of trigger
/// <see cref="RunTrigger.Snapshot"/>, one per time of the dataset, each recorded under its source and a source key
/// (<c>prefix:time</c>) so that no time is ever imported twice.
/// </summary>
public abstract class BundledDataset
{
    /// <summary>What the logs call it.</summary>
    public abstract string Name { get; }

    public abstract RunSource Source { get; }

    /// <summary>The runs' <see cref="IngestionRun.Host"/>: which bundled folder they come from.</summary>
    public abstract string Host { get; }

    /// <summary>The prefix of the runs' <see cref="IngestionRun.SourceKey"/>.</summary>
    public abstract string KeyPrefix { get; }

    /// <summary>
    /// Whether the dataset has the models' metadata (task, licence, creation date, size, lineage). One that has only
    /// counts leaves the store's metadata of a model as it was.
    /// </summary>
    public abstract bool HasMetadata { get; }

    /// <summary>
    /// Whether the dataset is only a stand-in for a store with nothing of its own (imported when no run of another
    /// kind succeeded), rather than history to add to any store.
    /// </summary>
    public abstract bool OnlyIntoEmptyStore { get; }

    /// <summary>The source key of the run of time <paramref name="at"/>, e.g. <c>osir-lmts:2024-11-14T00:00:00Z</c>.</summary>
    public string KeyOf(DateTime at) => KeyPrefix + ":" + at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Every time of the dataset, oldest first.</summary>
    public abstract Task<IReadOnlyList<BundledRun>> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The rows of a gzipped CSV after its header, which must be exactly <paramref name="header"/>; each row split on
    /// commas into as many fields as the header has. A bad header or row is an error naming the file and the line.
    /// </summary>
    protected static IEnumerable<(int Line, string[] Fields)> CsvRows(string path, string header)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var first = reader.ReadLine();
        if (first != header)
        {
            throw new InvalidDataException($"{path}, line 1: the header is \"{first}\", expected \"{header}\".");
        }

        var width = header.Count(c => c == ',') + 1;
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var fields = text.Split(',');
            if (fields.Length != width)
            {
                throw new InvalidDataException($"{path}, line {line}: {fields.Length} fields, expected {width} ({header}).");
            }

            yield return (line, fields);
        }
    }

    /// <summary>A field as a UTC time; an error naming the file, line and column otherwise.</summary>
    protected static DateTime Time(string path, int line, string column, string value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new InvalidDataException($"{path}, line {line}: {column} \"{value}\" is not a time.");

    /// <summary>A field as a count (0 or more); an error naming the file, line and column otherwise.</summary>
    protected static long Count(string path, int line, string column, string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new InvalidDataException($"{path}, line {line}: {column} \"{value}\" is not a count.");
}
