using OpenModelWatch.Web.Reading;
namespace OpenModelWatch.Web.Api;

/// <summary>
/// A feature's descriptions of one of its item types, for the OpenAPI document: what the type is, and what those of
/// its fields mean that mean something else than the API's shared vocabulary (<see cref="FieldDocs"/>). Registered by
/// the feature that owns the type (<see cref="FieldDocs.AddFieldDocs{T}"/>), next to the type.
/// </summary>
public sealed record TypeDocs(Type Type, string? Summary, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// One description per field of the API, the chart data and the table files: a field means the same wherever it
/// appears, except where the type's own <see cref="TypeDocs"/> says otherwise.
/// </summary>
public static class FieldDocs
{
    private static readonly Dictionary<string, string> _byName = new(StringComparer.Ordinal)
    {
        // The list envelope, and an export's own information.
        ["asOf"] = Terms.AsOf + " ISO 8601, UTC.",
        ["runId"] = "The run these numbers come from (see /api/v1/runs).",
        ["coverage"] = "Share of the run's 30-day downloads that this attribution and scope attribute to a known country, 0–1 (filters do not change it); null before any run succeeded. See /methodology#denominators.",
        ["attribution"] = "How models were attributed to labs: uploader or origin (see /methodology#attribution).",
        ["scope"] = "Which models were counted, the denominator of shares: all or census (see /methodology#denominators).",
        ["total"] = "Items in the whole list, across pages.",
        ["items"] = "The items of this page.",
        ["title"] = "What the file shows.",
        ["runTrigger"] = "What started the run: Schedule, Manual, Command or Snapshot (the bundled August 2026 snapshot).",
        ["filters"] = "The file's filters, attribution, scope and order, in words.",
        ["source"] = "Where the numbers come from.",
        ["definitions"] = "One-line definitions of the numbers in the file.",
        ["method"] = "The methodology: how the numbers are made.",
        ["credit"] = "The credits the licences of the file's run sources ask for (the bundled August 2026 snapshot, CC BY 4.0; the bundled monthly history, MIT), each once, space-separated; null when every run is a live one.",
        ["permalink"] = "This file's address pinned to its run: it gives the same file later.",

        // Models, labs, countries, regions.
        ["id"] = "The item's id.",
        ["namespace"] = "The Hub namespace that uploaded the model (its uploader attribution).",
        ["lab"] = "The id of the lab in the registry; null when unknown.",
        ["labName"] = "The lab's display name; null when unknown.",
        ["name"] = "The display name.",
        ["organization"] = "The lab's parent organization.",
        ["country"] = "ISO 3166-1 alpha-2 code of the lab's headquarters, upper case; XX = unknown. " + Terms.Country,
        ["region"] = Terms.Region,
        ["countries"] = "Known countries in the region.",
        ["labs"] = "Labs with models in the run.",
        ["models"] = "Models in the run, under the filters.",
        ["task"] = "The Hub's pipeline tag; null when the model has none.",
        ["library"] = "The Hub's library name (transformers, diffusers, …); null when none.",
        ["license"] = "The licence from the model's license: tag; null when none.",
        ["createdAt"] = "When the model was created on the Hub, ISO 8601 UTC; null when unknown.",
        ["parameters"] = "The model's size in parameters (its safetensors total); null when unknown.",
        ["downloads30d"] = Terms.Downloads30d,
        ["downloadsAllTime"] = Terms.DownloadsAllTime + " Null where the source lacks it (the bundled snapshot) or, for a model, where the Hub's value was not trustworthy (see a run's unknownFieldReasons); sums leave those out.",
        ["likes"] = Terms.Likes + " For a model, null where the Hub's value was not trustworthy (see a run's unknownFieldReasons); sums leave those out.",
        ["trendingScore"] = Terms.Trending + " Null where the source lacks it or the Hub's value was not trustworthy (see a run's unknownFieldReasons).",
        ["baseModel"] = "The first parent the model declares in its base_model: tags; null for an original model.",
        ["relation"] = "How the model derives from its base model: finetune, quantized, adapter or merge.",
        ["origin"] = "The root of the model's lineage (following first parents); null when unresolved (a cycle).",
        ["inCensus"] = "Whether the model was among the Hub's most downloaded models (Census:TopN) in the run.",
        ["share"] = "Share of the 30-day downloads of every model in view, 0–1.",

        // Runs.
        ["startedAt"] = "When the run started, ISO 8601 UTC.",
        ["finishedAt"] = "When the run ended, ISO 8601 UTC; its as-of time if it succeeded. Null while running.",
        ["status"] = "Running, Succeeded (its numbers are visible) or Failed (earlier numbers untouched).",
        ["trigger"] = "What started the run: Schedule, Manual, Command (the ingest command) or Snapshot (the bundled snapshot).",
        ["namespaces"] = "Registered namespaces the run listed.",
        ["requests"] = "Hub requests the run made.",
        ["retries"] = "Hub requests retried (timeouts, 5xx, 429).",
        ["throttled"] = "Hub answers that were 429 Too Many Requests.",
        ["bytes"] = "Bytes read from the Hub.",
        ["rejected"] = "Records the run refused to store (a missing or malformed id, or missing, negative or implausible 30-day downloads), never repaired.",
        ["duplicates"] = "Records listed twice; the first was kept.",
        ["rejectedReasons"] = "Why records were rejected, with counts.",
        ["censusModels"] = "Models of the Hub's top N the run stored.",
        ["parentLookups"] = "Parents the run looked up one by one because no listing showed them.",
        ["lineageCycles"] = "Models whose chain of parents loops (origin left unresolved).",
        ["missingParents"] = "Declared parents the Hub does not have (deleted or private).",
        ["error"] = "Why the run failed; null otherwise.",

        // History.
        ["at"] = "The run's as-of time (when it finished), ISO 8601 UTC.",
        ["value"] = "The value of the requested metric.",
        ["series"] = "The line the point belongs to (a region, a country, a lab or a model).",

        // Derivatives.
        ["key"] = "The origin lab's id (or country code); XX when unknown.",
        ["derivatives"] = "Derivatives (models with a base model) in the run.",
        ["finetunes"] = "Derivatives whose relation is finetune.",
        ["quantizations"] = "Derivatives whose relation is quantized.",
        ["adapters"] = "Derivatives whose relation is adapter.",
        ["merges"] = "Derivatives whose relation is merge.",
        ["finetuneDownloads30d"] = "30-day downloads of the finetunes.",
        ["quantizedDownloads30d"] = "30-day downloads of the quantizations.",
        ["adapterDownloads30d"] = "30-day downloads of the adapters.",
        ["mergeDownloads30d"] = "30-day downloads of the merges.",
        ["month"] = "A creation month, yyyy-MM (UTC).",
        ["parents"] = "The chain of first parents up to the root.",
        ["children"] = "The most downloaded models that name this one as their base.",

        // Chart data.
        ["rank"] = "Place in the order, 1 first.",
        ["label"] = "What the bar is (a model id).",
        ["group"] = "The bar's region, its colour.",
        ["color"] = "The colour drawn, #rrggbb.",

        // Problems (RFC 9457).
        ["type"] = "A URI naming the kind of problem.",
        ["status"] = "The HTTP status code.",
        ["detail"] = "What was wrong, in words.",
        ["instance"] = "The request the problem is about.",
        ["parameter"] = "The query parameter at fault.",
    };

    /// <summary>Describes an item type of a feature: its summary, and its fields that differ from the shared vocabulary.</summary>
    public static IServiceCollection AddFieldDocs<T>(this IServiceCollection services, string? summary, params (string Field, string Text)[] fields) =>
        services.AddSingleton(new TypeDocs(typeof(T), summary, fields.ToDictionary(field => field.Field, field => field.Text, StringComparer.Ordinal)));

    public static string Of(IEnumerable<TypeDocs> types, Type type, string field) =>
        types.FirstOrDefault(docs => docs.Type == type)?.Fields.GetValueOrDefault(field) is { } special ? special
        : _byName.TryGetValue(field, out var general) ? general
        : $"The {field} of the item.";

    public static string? OfType(IEnumerable<TypeDocs> types, Type type) => types.FirstOrDefault(docs => docs.Type == type)?.Summary;
}
