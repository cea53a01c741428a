using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Runs;

namespace OpenModelWatch.Web.Exports;

/// <summary>
/// One description per field of the API, the chart data and the table files, for the OpenAPI document: a field means
/// the same wherever it appears, except the few listed per type.
/// </summary>
public static class FieldDocs
{
    private static readonly Dictionary<(Type, string), string> _byType = new()
    {
        [(typeof(ModelItem), "id")] = "The model's Hub id, namespace/name.",
        [(typeof(ModelItem), "lab")] = "The id of the lab the model counts for under the requested attribution; null when that lab is unknown.",
        [(typeof(ModelItem), "share")] = Terms.Share,
        [(typeof(LabItem), "id")] = "The lab's id in the registry (seeds/labs.json), or community:NAMESPACE for an unregistered uploader.",
        [(typeof(LabItem), "name")] = "The lab's display name, or the namespace of a community uploader.",
        [(typeof(LabItem), "models")] = "Models of the lab in the run, under the filters.",
        [(typeof(LabItem), "share")] = "The lab's share of the 30-day downloads of every model in view, 0–1.",
        [(typeof(CountryItem), "labs")] = "Labs of the country with models in the run.",
        [(typeof(CountryItem), "share")] = "The country's share of the 30-day downloads of every model in view, 0–1.",
        [(typeof(RegionItem), "share")] = "The region's share of the 30-day downloads of every model in view, 0–1.",
        [(typeof(RunItem), "id")] = "The run's number.",
        [(typeof(RunItem), "models")] = "Models the run stored (0 for a failed run, whose rows are removed).",
        [(typeof(Census.BaseModelItem), "id")] = "The base model's Hub id.",
        [(typeof(Census.BaseModelItem), "derivatives")] = "Models in the run that name it as their first parent.",
        [(typeof(Census.BaseModelItem), "downloads30d")] = "The 30-day downloads of those derivatives.",
        [(typeof(Census.FamilyTree), "id")] = "The model's Hub id.",
        [(typeof(Census.FamilyMember), "id")] = "The Hub id of a relative.",
        [(typeof(Census.FamilyMember), "relation")] = "How the model above derives from this one, or this one from the model: finetune, quantized, adapter or merge.",
        [(typeof(BarItem), "value")] = "The bar's length: the value the models are ranked by.",
        [(typeof(SeriesPoint), "value")] = "The series' value at the run; null when it has none.",
    };

    private static readonly Dictionary<string, string> _byName = new(StringComparer.Ordinal)
    {
        // The list envelope, and an export's own information.
        ["asOf"] = Terms.AsOf + " ISO 8601, UTC.",
        ["runId"] = "The run these numbers come from (see /api/v1/runs).",
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
        ["credit"] = "The credit the bundled snapshot's licence (CC BY 4.0) asks for; null for live runs.",
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
        ["downloadsAllTime"] = Terms.DownloadsAllTime + " Null where the source lacks it (the bundled snapshot).",
        ["likes"] = Terms.Likes,
        ["trendingScore"] = Terms.Trending + " Null where the source lacks it.",
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
        ["rejected"] = "Records the run refused to store (missing or implausible counts), never repaired.",
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

    private static readonly Dictionary<Type, string> _types = new()
    {
        [typeof(ModelItem)] = "A model in the as-of run, with its counts and the lab, country and region it counts for.",
        [typeof(LabItem)] = "A lab's totals in the as-of run.",
        [typeof(CountryItem)] = "A country's totals in the as-of run.",
        [typeof(RunItem)] = "An ingestion run.",
        [typeof(ModelHistoryItem)] = "A model's counts at one succeeded run.",
        [typeof(CountryHistoryItem)] = "A country's or a region's totals at one run.",
    };

    public static string Of(Type type, string field) =>
        _byType.TryGetValue((type, field), out var special) ? special
        : _byName.TryGetValue(field, out var general) ? general
        : $"The {field} of the item.";

    public static string? OfType(Type type) => _types.GetValueOrDefault(type);
}
