using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>What the fake serves for <c>downloadsAllTime</c>, which the bundled snapshot does not have.</summary>
public enum AllTimeDownloads
{
    /// <summary>
    /// Left out of every item, even when <c>expand=downloadsAllTime</c> asks for it: the real Hub always sends it, so a
    /// strict client sees a count it cannot trust rather than a number nobody measured. The default.
    /// </summary>
    Omitted,

    /// <summary>
    /// A made-up but plausible value, for runs that must store every record: the 30-day count plus 70% of it for every
    /// whole 30 days between creation and <see cref="SnapshotCatalog.AsOf"/> (the rule of <see cref="RealisticCatalog"/>).
    /// Never equal to a real count; never below the 30-day one.
    /// </summary>
    Estimated,
}

/// <summary>
/// The bundled real Hub snapshot (<c>seeds/hub-snapshot-2026-08/models.jsonl.gz</c>: Radar HuggingFace Dataset by
/// 686f6c61 / HF//RADAR, CC BY 4.0), replayed: the latest state of each model the file holds, by author, Hub-wide and
/// one by one. Models the file marks <c>removed</c> are not served (not listed, 404), as on the Hub.
/// <para>
/// What the file lacks is served the way it would look on the Hub, never invented silently: <c>downloadsAllTime</c> per
/// <see cref="AllTimeDownloads"/>; <c>safetensors</c> only for repositories tagged <c>safetensors</c>, with the file's
/// parameter total and an empty by-dtype split; <c>gated: true</c> as <c>"manual"</c> (the file does not say which);
/// <c>baseModels</c> from the <c>base_model:RELATION:ID</c> tags, a parent outside the file getting an <c>_id</c>
/// derived from its id and the Hub's first <c>createdAt</c>; <c>childrenModelCount</c> counted among the file's live
/// models only. The file's four case-only duplicate ids (two records of one repository) are both listed; a
/// per-model request takes the exact id first.
/// </para>
/// </summary>
public sealed class SnapshotCatalog : IFakeCatalog
{
    /// <summary>Where the build puts the file, beside the fake Hub and the tests.</summary>
    public static string DefaultPath { get; } = Path.Combine(AppContext.BaseDirectory, "seeds", "hub-snapshot-2026-08", "models.jsonl.gz");

    // The lowest createdAt the Hub has: the time stand-in for the _id of a parent the file does not hold.
    private static readonly DateTimeOffset _hubFirstCreatedAt = new(2022, 3, 2, 23, 29, 4, TimeSpan.Zero);
    private static readonly HashSet<string> _relations = new(StringComparer.Ordinal) { "finetune", "quantized", "adapter", "merge" };

    private readonly Dictionary<string, FakeModel> _byId;
    private readonly Dictionary<string, FakeModel> _byIdIgnoringCase;
    private readonly Dictionary<string, FakeModel[]> _byAuthor;
    private readonly ConcurrentDictionary<(string? Author, ModelSort Sort), CatalogRecord[]> _listings = new();

    public SnapshotCatalog(string? path = null, AllTimeDownloads allTime = AllTimeDownloads.Omitted)
    {
        var records = Read(path ?? DefaultPath);
        var live = records.Where(r => !r.Removed).ToList();
        AsOf = records.Max(r => r.LastModified);
        RemovedIds = [.. records.Where(r => r.Removed).Select(r => r.Id)];

        var objectIds = records
            .GroupBy(r => r.Id, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => ModelIdentifiers.ObjectId(g.First().Id, g.First().CreatedAt), StringComparer.OrdinalIgnoreCase);
        var children = new Dictionary<string, Dictionary<string, int>>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in live)
        {
            if (Lineage(record.Tags) is not { } lineage)
            {
                continue;
            }

            foreach (var parent in lineage.Parents)
            {
                var counts = children.TryGetValue(parent, out var found) ? found : children[parent] = [];
                counts[lineage.Relation] = counts.GetValueOrDefault(lineage.Relation) + 1;
            }
        }

        Models = [.. live.Select(r => r.ToModel(allTime, AsOf, objectIds, children.GetValueOrDefault(r.Id) ?? []))];
        _byId = Models.ToDictionary(m => m.Id, StringComparer.Ordinal);
        _byIdIgnoringCase = Models.DistinctBy(m => m.Id, StringComparer.OrdinalIgnoreCase).ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);
        _byAuthor = Models.GroupBy(m => m.Author, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
        Authors = [.. _byAuthor.Keys];
    }

    /// <summary>The live models, in the file's order.</summary>
    public IReadOnlyList<FakeModel> Models { get; }

    /// <summary>Models the file marks removed: neither listed nor found.</summary>
    public IReadOnlyList<string> RemovedIds { get; }

    /// <summary>The newest <c>lastModified</c> in the file: the catalog's "now", for estimated all-time counts.</summary>
    public DateTimeOffset AsOf { get; }

    public IReadOnlyList<string> Authors { get; }

    public IReadOnlyList<CatalogRecord> List(string? author, ModelSort sort) =>
        _listings.GetOrAdd((author?.ToLowerInvariant(), sort), key =>
        {
            var models = key.Author is null ? Models : _byAuthor.GetValueOrDefault(key.Author) ?? [];
            return [.. models.OrderByDescending(m => key.Sort.KeyOf(m)).Select(m => new CatalogRecord(m))];
        });

    public FakeModel? Find(string id) => _byId.GetValueOrDefault(id) ?? _byIdIgnoringCase.GetValueOrDefault(id);

    public CatalogTotals Sum(IEnumerable<string> authors)
    {
        var totals = authors
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .SelectMany(a => List(a, ModelSort.None))
            .Aggregate(default(ModelTotals), (sum, r) => sum + ModelTotals.Of(r.Model));
        return new CatalogTotals(totals, totals);
    }

    public CatalogTotals Sum() => Sum(Authors);

    public IReadOnlyList<MalformedRecord> MalformedIn(string author) => [];

    private static List<SnapshotRecord> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The bundled Hub snapshot is not at {path}.", path);
        }

        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var records = new List<SnapshotRecord>(16_000);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                records.Add(JsonSerializer.Deserialize<SnapshotRecord>(line)
                    ?? throw new InvalidDataException($"{path}, line {records.Count + 1}: not a model."));
            }
        }

        return records;
    }

    /// <summary>The relation and parents the Hub derives from <c>base_model:RELATION:ID</c> tags; null without any.</summary>
    private static (string Relation, IReadOnlyList<string> Parents)? Lineage(IReadOnlyList<string> tags)
    {
        var edges = tags
            .Select(tag => tag.Split(':', 3))
            .Where(parts => parts.Length == 3 && parts[0] == "base_model" && _relations.Contains(parts[1]))
            .ToList();
        return edges.Count == 0
            ? null
            : (edges[0][1], [.. edges.Where(e => e[1] == edges[0][1]).Select(e => e[2]).Distinct(StringComparer.OrdinalIgnoreCase)]);
    }

    /// <summary>One line of <c>models.jsonl.gz</c>, with the Hub's field names.</summary>
    private sealed record SnapshotRecord
    {
        [JsonPropertyName("id")] public required string Id { get; init; }
        [JsonPropertyName("createdAt")] public required DateTimeOffset CreatedAt { get; init; }
        [JsonPropertyName("lastModified")] public required DateTimeOffset LastModified { get; init; }
        [JsonPropertyName("pipeline_tag")] public string? PipelineTag { get; init; }
        [JsonPropertyName("library_name")] public string? LibraryName { get; init; }
        [JsonPropertyName("tags")] public IReadOnlyList<string> Tags { get; init; } = [];
        [JsonPropertyName("likes")] public long Likes { get; init; }
        [JsonPropertyName("downloads")] public long Downloads { get; init; }
        [JsonPropertyName("trendingScore")] public int TrendingScore { get; init; }
        [JsonPropertyName("parameters")] public long? Parameters { get; init; }
        [JsonPropertyName("gated")] public bool Gated { get; init; }
        [JsonPropertyName("removed")] public bool Removed { get; init; }

        public FakeModel ToModel(
            AllTimeDownloads allTime, DateTimeOffset asOf, IReadOnlyDictionary<string, string> objectIds, IReadOnlyDictionary<string, int> children) =>
            new()
            {
                Id = Id,
                ObjectId = objectIds[Id],
                CreatedAt = CreatedAt,
                LastModified = LastModified,
                Downloads = Downloads,
                DownloadsAllTime = allTime == AllTimeDownloads.Estimated
                    ? Downloads + Downloads * Math.Max(0, (asOf - CreatedAt).Days / 30) * 7 / 10
                    : null,
                Likes = Likes,
                TrendingScore = TrendingScore,
                PipelineTag = PipelineTag,
                LibraryName = LibraryName,
                Tags = Tags,
                SafetensorsTotal = Tags.Contains("safetensors") ? Parameters : null,
                Gated = Gated ? "manual" : null,
                BaseModels = Lineage(Tags) is { } lineage
                    ? new ModelLineage(lineage.Relation, [.. lineage.Parents.Select(p => new ModelReference(ObjectIdOf(p, objectIds), p))])
                    : null,
                ChildrenModelCount = children,
            };

        private static string ObjectIdOf(string id, IReadOnlyDictionary<string, string> objectIds) =>
            objectIds.TryGetValue(id, out var known) ? known : ModelIdentifiers.ObjectId(id, _hubFirstCreatedAt);
    }
}
