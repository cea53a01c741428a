using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;

namespace OpenModelWatch.Web.Adoption;

/// <summary>The <c>Adoption</c> configuration section.</summary>
public sealed class AdoptionOptions
{
    public const string Section = "Adoption";

    /// <summary>The folder of ATOM's reviewed metadata; a relative path resolves against the app's base directory, where the build copies it.</summary>
    [Required]
    public string AtomMetadataPath { get; set; } = "seeds/atom-metadata";

    public string ResolvedPath => Path.IsPathRooted(AtomMetadataPath) ? AtomMetadataPath : Path.Combine(AppContext.BaseDirectory, AtomMetadataPath);
}

public sealed class AtomMetadataException(string message) : Exception(message);

/// <summary>Where a model's size or release date comes from: ATOM's reviewed files, or the Hub's own field.</summary>
public static class FactSources
{
    public const string Atom = "atom";
    public const string Hub = "hub";
}

/// <summary>A model's size and release date as the adoption metric uses them, each with where it comes from.</summary>
/// <param name="Parameters">Total parameters: ATOM's reviewed total when ATOM lists the model, else the Hub's safetensors total; null when neither knows.</param>
/// <param name="Released">The release day (UTC): ATOM's corrected date when it has one, else the Hub's <c>createdAt</c>.</param>
public sealed record ModelFacts(long? Parameters, string? ParametersSource, DateTime? Released, string? ReleasedSource);

/// <summary>
/// The ATOM Project's reviewed parameter counts (<c>model_parameters.csv</c>) and release dates
/// (<c>release_date_corrections.csv</c>), bundled in <c>seeds/atom-metadata</c> (Apache-2.0, credited wherever shown).
/// Loaded once at start; a malformed line stops the app with the file and line named. Model ids match
/// case-insensitively, as the Hub's do.
/// </summary>
public sealed class AtomMetadata
{
    public const string Credit = "Parameter counts and release dates: ATOM Project (Interconnects-AI/tracked-models), Apache-2.0, where it reviewed the model; else the Hub's safetensors total and createdAt.";

    private readonly FrozenDictionary<string, long> _parameters;
    private readonly FrozenDictionary<string, DateTime> _released;

    public AtomMetadata(IReadOnlyDictionary<string, long> parameters, IReadOnlyDictionary<string, DateTime> released)
    {
        _parameters = parameters.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _released = released.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public static AtomMetadata Empty { get; } = new(new Dictionary<string, long>(), new Dictionary<string, DateTime>());

    public int ParameterCounts => _parameters.Count;

    public int ReleaseDates => _released.Count;

    /// <summary>The size and release date of a model: ATOM's where it has them, else the Hub's fields.</summary>
    public ModelFacts Facts(string hubId, long? hubParameters, DateTime? createdAt)
    {
        var (parameters, parametersSource) = _parameters.TryGetValue(hubId, out var reviewed)
            ? (reviewed, FactSources.Atom)
            : hubParameters is > 0 ? (hubParameters, FactSources.Hub) : ((long?)null, (string?)null);
        var (released, releasedSource) = _released.TryGetValue(hubId, out var day)
            ? (day, FactSources.Atom)
            : createdAt is { } created ? (created, FactSources.Hub) : ((DateTime?)null, (string?)null);
        return new ModelFacts(parameters, parametersSource, released, releasedSource);
    }

    public static AtomMetadata Load(string folder)
    {
        var parametersPath = Path.Combine(folder, "model_parameters.csv");
        var releasedPath = Path.Combine(folder, "release_date_corrections.csv");
        return Parse(Read(parametersPath), parametersPath, Read(releasedPath), releasedPath);
    }

    /// <summary>Parses both files; every error names the file and the line.</summary>
    public static AtomMetadata Parse(string parametersCsv, string parametersSource, string releasedCsv, string releasedSource)
    {
        var parameters = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (line, fields) in Rows(parametersCsv, parametersSource, ["model_id", "total_params_b"]))
        {
            var id = ModelId(fields[0], parametersSource, line);
            if (!decimal.TryParse(fields[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var billions) || billions <= 0)
            {
                throw new AtomMetadataException($"ATOM metadata {parametersSource}, line {line}: total_params_b \"{fields[1]}\" is not a positive number of billions.");
            }

            if (!parameters.TryAdd(id, (long)Math.Round(billions * 1_000_000_000m)))
            {
                throw new AtomMetadataException($"ATOM metadata {parametersSource}, line {line}: \"{id}\" is listed twice.");
            }
        }

        var released = new Dictionary<string, DateTime>(StringComparer.OrdinalIgnoreCase);
        foreach (var (line, fields) in Rows(releasedCsv, releasedSource, ["model_id", "hf_created_at", "actual_release_date"]))
        {
            var id = ModelId(fields[0], releasedSource, line);
            if (!DateOnly.TryParseExact(fields[2], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                throw new AtomMetadataException($"ATOM metadata {releasedSource}, line {line}: actual_release_date \"{fields[2]}\" is not a yyyy-MM-dd date.");
            }

            if (!released.TryAdd(id, day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)))
            {
                throw new AtomMetadataException($"ATOM metadata {releasedSource}, line {line}: \"{id}\" is listed twice.");
            }
        }

        return new AtomMetadata(parameters, released);
    }

    private static string Read(string path) => File.Exists(path)
        ? File.ReadAllText(path, Encoding.UTF8)
        : throw new AtomMetadataException($"ATOM metadata: {path} is missing (set {AdoptionOptions.Section}:{nameof(AdoptionOptions.AtomMetadataPath)} to the folder of model_parameters.csv and release_date_corrections.csv).");

    private static string ModelId(string id, string source, int line) =>
        id.Split('/') is [{ Length: > 0 }, { Length: > 0 }]
            ? id
            : throw new AtomMetadataException($"ATOM metadata {source}, line {line}: model_id \"{id}\" is not namespace/name.");

    /// <summary>
    /// The data rows (1-based line numbers) after <c>#</c> comment lines and the header, which must start with
    /// <paramref name="header"/>. RFC 4180 through CsvHelper; a field may not hold a line break, so an unclosed quote is
    /// an error on its own line.
    /// </summary>
    private static IEnumerable<(int Line, string[] Fields)> Rows(string csv, string source, string[] header)
    {
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            CommentPrefix = '#',
            SkipEmptyLines = true,
            TrimWhitespace = true,
            AllowLineBreaksInQuotes = false,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
        };
        using var reader = CsvReader.FromText(csv, options);
        var headerSeen = false;
        while (Next(reader, source))
        {
            var line = (int)reader.LineNumber;
            var fields = Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray();
            if (!headerSeen)
            {
                if (fields.Length < header.Length || !header.SequenceEqual(fields.Take(header.Length)))
                {
                    throw new AtomMetadataException($"ATOM metadata {source}, line {line}: the header does not start with {string.Join(",", header)}.");
                }

                headerSeen = true;
                continue;
            }

            if (fields.Length < header.Length)
            {
                throw new AtomMetadataException($"ATOM metadata {source}, line {line}: {fields.Length} fields, expected at least {header.Length}.");
            }

            yield return (line, fields);
        }
    }

    private static bool Next(CsvReader reader, string source)
    {
        try
        {
            return reader.Read();
        }
        catch (CsvFormatException malformed)
        {
            // CsvHelper says what is wrong between "(line N): " and " (byte offset"; a quote left open reaches the line's end.
            var what = Regex.Match(malformed.Message, @"\): (.+?) \(byte offset") is { Success: true } said ? said.Groups[1].Value : malformed.Message;
            if (what.Contains("line break inside a quoted field", StringComparison.Ordinal) || what.Contains("never closed", StringComparison.Ordinal))
            {
                what = "a quoted field is not closed";
            }

            throw new AtomMetadataException($"ATOM metadata {source}, line {malformed.LineNumber}: {what}.");
        }
    }
}
