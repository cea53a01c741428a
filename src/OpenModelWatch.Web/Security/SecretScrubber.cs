using Serilog.Core;
using Serilog.Events;

namespace OpenModelWatch.Web.Security;

/// <summary>
/// A last line of defence for the log: replaces the configured secrets (the Hub token, the admin hashes) with
/// <c>***</c> wherever they appear in an event's properties, destructured objects included. Messages are written
/// from templates and properties, so a secret that slipped into a property never reaches a sink.
/// </summary>
public sealed class SecretScrubber(IReadOnlyList<string> secrets) : ILogEventEnricher
{
    public const string Mask = "***";

    /// <summary>Secrets shorter than this are not scrubbed: masking every "abc" would garble the log and protect nothing.</summary>
    private const int MinimumLength = 8;

    public static SecretScrubber From(IConfiguration configuration) => new(
        new[] { configuration["Hub:Token"], configuration["Admin:PasswordHash"], configuration["Admin:ApiKeyHash"] }
            .Select(secret => secret?.Trim())
            .Where(secret => secret is { Length: >= MinimumLength })
            .Select(secret => secret!)
            .ToArray());

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (secrets.Count == 0)
        {
            return;
        }

        foreach (var (name, value) in logEvent.Properties.ToArray())
        {
            if (Scrub(value) is { } clean)
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, clean));
            }
        }
    }

    /// <summary>The value without secrets, or null when it had none.</summary>
    private LogEventPropertyValue? Scrub(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } when Contains(text) => new ScalarValue(Clean(text)),
        ScalarValue { Value: Uri uri } when Contains(uri.OriginalString) => new ScalarValue(Clean(uri.OriginalString)),
        SequenceValue sequence when sequence.Elements.Any(element => Scrub(element) is not null) =>
            new SequenceValue(sequence.Elements.Select(element => Scrub(element) ?? element)),
        StructureValue structure when structure.Properties.Any(property => Scrub(property.Value) is not null) =>
            new StructureValue(structure.Properties.Select(property => new LogEventProperty(property.Name, Scrub(property.Value) ?? property.Value)), structure.TypeTag),
        DictionaryValue dictionary when dictionary.Elements.Any(pair => Scrub(pair.Value) is not null) =>
            new DictionaryValue(dictionary.Elements.Select(pair => new KeyValuePair<ScalarValue, LogEventPropertyValue>(pair.Key, Scrub(pair.Value) ?? pair.Value))),
        _ => null,
    };

    private bool Contains(string text) => secrets.Any(secret => text.Contains(secret, StringComparison.Ordinal));

    private string Clean(string text) => secrets.Aggregate(text, (current, secret) => current.Replace(secret, Mask, StringComparison.Ordinal));
}
