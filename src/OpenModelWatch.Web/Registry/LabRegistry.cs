using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenModelWatch.Web.Registry;

public sealed record LabEntry(
    string Id,
    string Name,
    string Organization,
    string Country,
    string Kind,
    IReadOnlyList<string> Namespaces,
    string Source)
{
    public string Region => Regions.Of(Country);
}

/// <summary>A registry file that cannot be trusted; the message names the file and the line.</summary>
public sealed class LabRegistryException(string message) : Exception(message);

/// <summary>
/// The lab registry (<c>seeds/labs.json</c>): which lab each Hub namespace belongs to, and where each lab is.
/// Namespaces match case-insensitively, as the Hub treats them. A namespace that is not here is Unknown, never guessed.
/// </summary>
public sealed class LabRegistry
{
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "company", "academic", "nonprofit", "community", "government",
    };

    private readonly FrozenDictionary<string, LabEntry> _byNamespace;
    private readonly FrozenDictionary<string, LabEntry> _byId;

    public LabRegistry(IReadOnlyList<LabEntry> labs)
    {
        Labs = labs;
        _byId = labs.ToFrozenDictionary(lab => lab.Id, StringComparer.Ordinal);
        _byNamespace = labs.SelectMany(lab => lab.Namespaces.Select(ns => (ns, lab)))
            .ToFrozenDictionary(pair => pair.ns, pair => pair.lab, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<LabEntry> Labs { get; }

    public IEnumerable<string> Namespaces => Labs.SelectMany(lab => lab.Namespaces);

    public LabEntry? ForNamespace(string? ns) => ns is not null && _byNamespace.TryGetValue(ns, out var lab) ? lab : null;

    public LabEntry? ById(string? id) => id is not null && _byId.TryGetValue(id, out var lab) ? lab : null;

    public static LabRegistry Load(string path) =>
        Parse(JsonFileLines.ReadAll(path, "Lab registry", message => new LabRegistryException(message)), path);

    /// <summary>Parses and validates; every error names <paramref name="source"/> and the line of the offending lab.</summary>
    public static LabRegistry Parse(ReadOnlySpan<byte> json, string source)
    {
        var file = JsonFileLines.Deserialize(json, LabRegistryJsonContext.Default.RegistryFile, "Lab registry", source, message => new LabRegistryException(message));

        if (file?.Labs is null || file.Labs.Count == 0)
        {
            throw new LabRegistryException($"Lab registry {source}: no \"labs\" array, or it is empty.");
        }

        var lines = JsonFileLines.ItemStarts(json, "labs"u8);
        var labs = new List<LabEntry>(file.Labs.Count);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var namespaces = new Dictionary<string, (string LabId, int Line)>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < file.Labs.Count; i++)
        {
            var raw = file.Labs[i];
            var line = i < lines.Count ? lines[i] : 0;
            string Where() => $"Lab registry {source}, line {line}";

            if (raw is null)
            {
                throw new LabRegistryException($"{Where()}: the lab is null.");
            }

            var id = Required(raw.Id, "id", Where);
            if (id.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            {
                throw new LabRegistryException($"{Where()}: id \"{id}\" must be a slug (a-z, 0-9, -).");
            }

            if (ids.TryGetValue(id, out var firstLine))
            {
                throw new LabRegistryException($"{Where()}: duplicate id \"{id}\" (first on line {firstLine}).");
            }

            ids[id] = line;
            var name = Required(raw.Name, "name", Where);
            var organization = Required(raw.Organization, "organization", Where);
            var country = Required(raw.Country, "country", Where);
            if (!CountryCodes.IsValid(country) || country == Regions.UnknownCountry)
            {
                throw new LabRegistryException($"{Where()}: lab \"{id}\" has unknown country code \"{country}\" (ISO 3166-1 alpha-2, upper case).");
            }

            var kind = Required(raw.Kind, "kind", Where);
            if (!Kinds.Contains(kind))
            {
                throw new LabRegistryException($"{Where()}: lab \"{id}\" has unknown kind \"{kind}\" (one of {string.Join(", ", Kinds)}).");
            }

            var sourceNote = Required(raw.Source, "source", Where);
            if (raw.Namespaces is not { Count: > 0 })
            {
                throw new LabRegistryException($"{Where()}: lab \"{id}\" has no namespaces.");
            }

            foreach (var ns in raw.Namespaces)
            {
                if (string.IsNullOrWhiteSpace(ns) || ns.Contains('/') || ns.Trim() != ns)
                {
                    throw new LabRegistryException($"{Where()}: lab \"{id}\" has an invalid namespace \"{ns}\".");
                }

                if (namespaces.TryGetValue(ns, out var owner))
                {
                    throw new LabRegistryException($"{Where()}: duplicate namespace \"{ns}\" in lab \"{id}\" (already in lab \"{owner.LabId}\" on line {owner.Line}).");
                }

                namespaces[ns] = (id, line);
            }

            labs.Add(new LabEntry(id, name, organization, country, kind, raw.Namespaces.ToArray()!, sourceNote));
        }

        return new LabRegistry(labs);
    }

    private static string Required(string? value, string field, Func<string> where) =>
        string.IsNullOrWhiteSpace(value) ? throw new LabRegistryException($"{where()}: \"{field}\" is missing or empty.") : value.Trim();

    internal sealed class RegistryFile
    {
        [JsonPropertyName("version")]
        public int Version { get; init; }

        [JsonPropertyName("labs")]
        public List<RawLab?>? Labs { get; init; }
    }

    internal sealed class RawLab
    {
        [JsonPropertyName("id")] public string? Id { get; init; }
        [JsonPropertyName("name")] public string? Name { get; init; }
        [JsonPropertyName("organization")] public string? Organization { get; init; }
        [JsonPropertyName("country")] public string? Country { get; init; }
        [JsonPropertyName("kind")] public string? Kind { get; init; }
        [JsonPropertyName("namespaces")] public List<string?>? Namespaces { get; init; }
        [JsonPropertyName("source")] public string? Source { get; init; }
    }
}

[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(LabRegistry.RegistryFile))]
internal sealed partial class LabRegistryJsonContext : JsonSerializerContext;
