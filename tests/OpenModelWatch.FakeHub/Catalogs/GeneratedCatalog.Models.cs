using System.Globalization;

namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>How model i of a generated catalog looks: every trait a pure function of (seed, i).</summary>
public sealed partial class GeneratedCatalog
{
    private const long TopDownloads = 50_000_000;

    // A derived model i has base i / LineageFanOut: always an earlier model, and a model's children
    // are found among LineageFanOut indexes without scanning the catalog.
    private const int LineageFanOut = 8;

    private static readonly DateTimeOffset _firstCreatedAt = new(2022, 3, 2, 23, 29, 4, TimeSpan.Zero);
    private static readonly DateTimeOffset _lastCreatedAt = new(2026, 8, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string?[] _pipelineTags =
    [
        "text-generation", "text-generation", "text-generation", "image-text-to-text", "feature-extraction",
        "sentence-similarity", "text-classification", "automatic-speech-recognition", "text-to-image", null,
    ];
    private static readonly string[] _licenses = ["apache-2.0", "apache-2.0", "mit", "llama3.1", "other", "gemma", "cc-by-nc-4.0"];
    private static readonly long[] _parameterCounts =
        [135_000_000, 360_000_000, 494_000_000, 1_540_000_000, 3_090_000_000, 7_620_000_000, 8_030_000_000, 14_800_000_000, 32_800_000_000, 70_600_000_000];

    /// <summary>The model at a catalog index, as the per-model endpoint shows it (never malformed).</summary>
    public FakeModel ModelAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ModelCount);

        var pipelineTag = _pipelineTags[Hash(index, Trait.Pipeline) % (ulong)_pipelineTags.Length];
        var lineage = LineageOf(index);
        var quantized = lineage?.Relation == "quantized";
        var parameters = _parameterCounts[Hash(index, Trait.Parameters) % (ulong)_parameterCounts.Length];
        var hasSafetensors = !quantized && (Hash(index, Trait.Parameters) >> 32) % 10 != 0;
        var libraryName = (quantized, lineage?.Relation, pipelineTag) switch
        {
            (true, _, _) => null,
            (_, "adapter", _) => "peft",
            (_, _, "text-to-image") => "diffusers",
            (_, _, "sentence-similarity" or "feature-extraction") => "sentence-transformers",
            _ => "transformers",
        };

        var tags = new List<string>();
        tags.AddIfNotNull(libraryName);
        tags.Add(quantized ? "gguf" : "safetensors");
        tags.AddIfNotNull(pipelineTag);
        if (pipelineTag is "text-generation" or "image-text-to-text")
        {
            tags.Add("conversational");
        }

        if (lineage is { } derived)
        {
            tags.Add($"base_model:{IdOf(derived.Base)}");
            tags.Add($"base_model:{derived.Relation}:{IdOf(derived.Base)}");
        }

        tags.Add($"license:{_licenses[Hash(index, Trait.License) % (ulong)_licenses.Length]}");
        tags.Add("region:us");

        return new FakeModel
        {
            Id = IdOf(index),
            CreatedAt = CreatedAtOf(index),
            LastModified = LastModifiedOf(index),
            Downloads = DownloadsOf(index),
            DownloadsAllTime = DownloadsAllTimeOf(index),
            Likes = LikesOf(index),
            TrendingScore = TrendingScoreOf(index),
            PipelineTag = pipelineTag,
            LibraryName = libraryName,
            Tags = tags,
            SafetensorsParameters = hasSafetensors
                ? new Dictionary<string, long> { ["BF16"] = lineage?.Relation == "adapter" ? parameters / 200 : parameters }
                : null,
            Gated = (Hash(index, Trait.Gated) % 25) switch { 0 => "manual", 1 => "auto", _ => null },
            BaseModels = lineage is { } l
                ? new ModelLineage(l.Relation, [new ModelReference(ModelIdentifiers.ObjectId(IdOf(l.Base), CreatedAtOf(l.Base)), IdOf(l.Base))])
                : null,
            ChildrenModelCount = ChildrenOf(index),
        };
    }

    public string IdOf(int index) =>
        $"{_namespaces[index % NamespaceCount]}/{NamePrefix}{index.ToString("D7", CultureInfo.InvariantCulture)}";

    /// <summary>The latest creation time a model of the catalog has: the moment the catalog shows the Hub as it was.</summary>
    internal static DateTimeOffset LastCreatedAt => _lastCreatedAt;

    // Bracketed between TopDownloads/(i+1) and TopDownloads/(i+2): never more than the model before.
    internal long DownloadsOf(int index)
    {
        var upper = TopDownloads / (index + 1L);
        var lower = TopDownloads / (index + 2L);
        return lower + (long)(Hash(index, Trait.Downloads) % (ulong)(upper - lower + 1));
    }

    internal long DownloadsAllTimeOf(int index)
    {
        var hash = Hash(index, Trait.DownloadsAllTime);
        return DownloadsOf(index) * (2 + (long)(hash % 30)) + (long)(hash >> 32) % 10_000;
    }

    internal long LikesOf(int index)
    {
        var hash = Hash(index, Trait.Likes);
        return DownloadsOf(index) / (1_000 + (long)(hash % 9_000)) + (long)(hash >> 32) % 5;
    }

    private int TrendingScoreOf(int index) => (int)(LikesOf(index) / TrendingDivisorOf(index));

    /// <summary>A model's trending score is its likes divided by this (4 for one model in five, else 100).</summary>
    internal int TrendingDivisorOf(int index) => Hash(index, Trait.TrendingScore) % 5 == 0 ? 4 : 100;

    internal DateTimeOffset CreatedAtOf(int index)
    {
        var span = (ulong)(_lastCreatedAt - _firstCreatedAt).TotalSeconds;
        return _firstCreatedAt.AddSeconds(Hash(index, Trait.CreatedAt) % span);
    }

    internal DateTimeOffset LastModifiedOf(int index)
    {
        var createdAt = CreatedAtOf(index);
        var span = (ulong)(_lastCreatedAt - createdAt).TotalSeconds + 1;
        return createdAt.AddSeconds(Hash(index, Trait.LastModified) % span);
    }

    internal (int Base, string Relation)? LineageOf(int index)
    {
        if (index < LineageFanOut || Hash(index, Trait.Lineage) % 10 >= 3)
        {
            return null;
        }

        var relation = (Hash(index, Trait.Relation) % 20) switch
        {
            < 10 => "finetune",
            < 17 => "quantized",
            _ => "adapter",
        };
        return (index / LineageFanOut, relation);
    }

    private Dictionary<string, int> ChildrenOf(int index)
    {
        var children = new Dictionary<string, int>();
        var last = Math.Min((long)ModelCount, ((long)index + 1) * LineageFanOut);
        for (var child = (long)index * LineageFanOut; child < last; child++)
        {
            if (LineageOf((int)child) is { } lineage)
            {
                children[lineage.Relation] = children.GetValueOrDefault(lineage.Relation) + 1;
            }
        }

        return children;
    }

    // SplitMix64 over (seed, index, trait): independent-looking values that are pure functions of their inputs.
    private ulong Hash(int index, Trait trait)
    {
        var x = unchecked(_seed * 0x9E3779B97F4A7C15UL + (ulong)index * 0xD1B54A32D192ED03UL + (ulong)trait * 0x8CB92BA72F3D8DD7UL);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return x ^ (x >> 31);
    }

    private enum Trait
    {
        Downloads = 1,
        DownloadsAllTime,
        Likes,
        TrendingScore,
        CreatedAt,
        LastModified,
        Pipeline,
        License,
        Lineage,
        Relation,
        Parameters,
        Gated,
    }
}
