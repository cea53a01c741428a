using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>One reviewed line of <c>seeds/lineage.json</c>: a model that declares no parent, and its publicly stated upstream.</summary>
public sealed record LineageFix(string Model, string Upstream, string Relation, string Source, string Note, int Line);

/// <summary>A lineage fixes file that cannot be trusted; the message names the file and the line.</summary>
public sealed class LineageFixesException(string message) : Exception(message);

/// <summary>The <c>Lineage</c> configuration section.</summary>
public sealed class LineageOptions
{
    public const string Section = "Lineage";

    /// <summary>The curated fixes file; a relative path resolves against the app's base directory, where the build copies it.</summary>
    [Required]
    public string FixesPath { get; set; } = "seeds/lineage.json";

    public string ResolvedPath => Path.IsPathRooted(FixesPath) ? FixesPath : Path.Combine(AppContext.BaseDirectory, FixesPath);
}

/// <summary>
/// Curated lineage (<c>seeds/lineage.json</c>), reviewed like the lab registry: for a model whose Hub tags declare no
/// parent, the upstream its card or its maker publicly states, with that evidence's URL. A fix never overrides a
/// declared <c>base_model:</c>: the walk of origins follows the declared first parent where there is one, and a fix only
/// where there is none (or where the model is not in the store at all). Model ids match case-insensitively, as the Hub's.
/// </summary>
public sealed partial class LineageFixes
{
    /// <summary>Relations a fix may state: the Hub's four, a mirror (same weights re-uploaded) and derived (e.g. a layer subset).</summary>
    public static readonly IReadOnlySet<string> Relations = new HashSet<string>(StringComparer.Ordinal)
    {
        "finetune", "quantized", "adapter", "merge", "mirror", "derived",
    };

    private readonly FrozenDictionary<string, LineageFix> _byModel;

    public LineageFixes(string source, IReadOnlyList<LineageFix> fixes)
    {
        Source = source;
        Fixes = fixes;
        _byModel = fixes.ToFrozenDictionary(fix => fix.Model, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>No fixes.</summary>
    public static LineageFixes None { get; } = new("(none)", []);

    /// <summary>The file the fixes came from, for messages.</summary>
    public string Source { get; }

    public IReadOnlyList<LineageFix> Fixes { get; }

    public LineageFix? For(string? model) => model is not null && _byModel.TryGetValue(model, out var fix) ? fix : null;

    /// <summary>Why a fix is not applied: it would close a loop with the lineage the Hub declares.</summary>
    public string LoopMessage(LineageFix fix) =>
        $"Lineage fixes {Source}, line {fix.Line}: \"{fix.Model}\" → \"{fix.Upstream}\" makes a loop with the declared lineage of \"{fix.Upstream}\", which leads back to \"{fix.Model}\"; the fix is not applied.";

    public static LineageFixes Load(string path) =>
        Parse(JsonFileLines.ReadAll(path, "Lineage fixes", message => new LineageFixesException(message)), path);

    /// <summary>Parses and validates; every error names <paramref name="source"/> and the line of the offending fix.</summary>
    public static LineageFixes Parse(ReadOnlySpan<byte> json, string source)
    {
        var file = JsonFileLines.Deserialize(json, LineageFixesJsonContext.Default.FixesFile, "Lineage fixes", source, message => new LineageFixesException(message));

        if (file?.Fixes is null)
        {
            throw new LineageFixesException($"Lineage fixes {source}: no \"fixes\" array.");
        }

        var lines = JsonFileLines.ItemStarts(json, "fixes"u8);
        var fixes = new List<LineageFix>(file.Fixes.Count);
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < file.Fixes.Count; i++)
        {
            var raw = file.Fixes[i];
            var line = i < lines.Count ? lines[i] : 0;
            string Where() => $"Lineage fixes {source}, line {line}";

            if (raw is null)
            {
                throw new LineageFixesException($"{Where()}: the fix is null.");
            }

            var model = ModelId(raw.Model, "model", Where);
            var upstream = ModelId(raw.Upstream, "upstream", Where);
            if (string.Equals(model, upstream, StringComparison.OrdinalIgnoreCase))
            {
                throw new LineageFixesException($"{Where()}: \"{model}\" is its own upstream, a loop.");
            }

            if (seen.TryGetValue(model, out var firstLine))
            {
                throw new LineageFixesException($"{Where()}: duplicate fix for \"{model}\" (first on line {firstLine}).");
            }

            seen[model] = line;
            var relation = Required(raw.Relation, "relation", Where);
            if (!Relations.Contains(relation))
            {
                throw new LineageFixesException($"{Where()}: \"{model}\" has unknown relation \"{relation}\" (one of {string.Join(", ", Relations)}).");
            }

            var evidence = Required(raw.Source, "source", Where);
            if (!Uri.TryCreate(evidence, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            {
                throw new LineageFixesException($"{Where()}: \"{model}\" has source \"{evidence}\", not an http(s) URL of the public evidence.");
            }

            var note = Required(raw.Note, "note", Where);
            fixes.Add(new LineageFix(model, upstream, relation, evidence, note, line));
        }

        var byModel = fixes.ToDictionary(fix => fix.Model, StringComparer.OrdinalIgnoreCase);
        foreach (var fix in fixes)
        {
            var path = new List<string> { fix.Model };
            for (var next = fix.Upstream; byModel.TryGetValue(next, out var further); next = further.Upstream)
            {
                path.Add(next);
                if (string.Equals(further.Upstream, fix.Model, StringComparison.OrdinalIgnoreCase))
                {
                    throw new LineageFixesException($"Lineage fixes {source}, line {fix.Line}: the fixes make a loop ({string.Join(" → ", path)} → {fix.Model}).");
                }

                if (path.Count > byModel.Count)
                {
                    break;
                }
            }
        }

        return new LineageFixes(source, fixes);
    }

    private static string Required(string? value, string field, Func<string> where) =>
        string.IsNullOrWhiteSpace(value) ? throw new LineageFixesException($"{where()}: \"{field}\" is missing or empty.") : value.Trim();

    private static string ModelId(string? value, string field, Func<string> where)
    {
        var id = Required(value, field, where);
        return HubModelId().IsMatch(id)
            ? id
            : throw new LineageFixesException($"{where()}: {field} \"{id}\" is not a Hub model id (namespace/name: letters, digits, '-', '_', '.').");
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]*/[A-Za-z0-9_.\-]+$")]
    private static partial Regex HubModelId();

    internal sealed class FixesFile
    {
        [JsonPropertyName("version")]
        public int Version { get; init; }

        [JsonPropertyName("fixes")]
        public List<RawFix?>? Fixes { get; init; }
    }

    internal sealed class RawFix
    {
        [JsonPropertyName("model")] public string? Model { get; init; }
        [JsonPropertyName("upstream")] public string? Upstream { get; init; }
        [JsonPropertyName("relation")] public string? Relation { get; init; }
        [JsonPropertyName("source")] public string? Source { get; init; }
        [JsonPropertyName("note")] public string? Note { get; init; }
    }
}

[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(LineageFixes.FixesFile))]
internal sealed partial class LineageFixesJsonContext : JsonSerializerContext;
