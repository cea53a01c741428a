using System.Globalization;
using System.Text.Json;
using OpenModelWatch.FakeHub.Catalogs;

namespace OpenModelWatch.FakeHub.Endpoints;

/// <summary>Writes a model item in the Hub's JSON shape, breaking it the way a malformed record asks.</summary>
internal static class ModelJson
{
    public static void Write(Utf8JsonWriter json, CatalogRecord record, IReadOnlyList<ModelField> fields)
    {
        var (model, malformation) = record;
        var hasId = malformation != MalformedKind.MissingId;
        json.WriteStartObject();
        json.WriteString("_id", model.ObjectId);
        if (hasId)
        {
            json.WriteString("id", model.Id);
        }

        foreach (var field in fields)
        {
            switch (field)
            {
                case ModelField.Author:
                    json.WriteString("author", model.Author);
                    break;
                case ModelField.BaseModels when model.BaseModels is { } lineage:
                    WriteBaseModels(json, lineage);
                    break;
                case ModelField.ChildrenModelCount:
                    json.WriteStartObject("childrenModelCount");
                    foreach (var (relation, count) in model.ChildrenModelCount)
                    {
                        json.WriteNumber(relation, count);
                    }

                    json.WriteEndObject();
                    break;
                case ModelField.CreatedAt:
                    json.WriteString("createdAt", Timestamp(model.CreatedAt));
                    break;
                case ModelField.Downloads:
                    WriteDownloads(json, model.Downloads, malformation);
                    break;
                case ModelField.DownloadsAllTime when malformation is MalformedKind.DownloadsAllTimeHuge or MalformedKind.SecondaryCountsBroken:
                    json.WriteNumber("downloadsAllTime", MalformedValues.HugeDownloadsAllTime);
                    break;
                case ModelField.DownloadsAllTime when model.DownloadsAllTime is { } allTime:
                    json.WriteNumber("downloadsAllTime", allTime);
                    break;
                case ModelField.Gated when model.Gated is null:
                    json.WriteBoolean("gated", false);
                    break;
                case ModelField.Gated:
                    json.WriteString("gated", model.Gated);
                    break;
                case ModelField.LastModified:
                    json.WriteString("lastModified", Timestamp(model.LastModified));
                    break;
                case ModelField.LibraryName when malformation is MalformedKind.TextNul:
                    json.WriteString("library_name", model.LibraryName + MalformedValues.Nul);
                    break;
                case ModelField.LibraryName when model.LibraryName is not null:
                    json.WriteString("library_name", model.LibraryName);
                    break;
                case ModelField.Likes:
                    json.WriteNumber("likes", malformation is MalformedKind.LikesNegative or MalformedKind.SecondaryCountsBroken ? MalformedValues.NegativeLikes : model.Likes);
                    break;
                case ModelField.PipelineTag when malformation is MalformedKind.TextNul:
                    json.WriteString("pipeline_tag", model.PipelineTag + MalformedValues.Nul);
                    break;
                case ModelField.PipelineTag when model.PipelineTag is not null:
                    json.WriteString("pipeline_tag", model.PipelineTag);
                    break;
                case ModelField.Private:
                    json.WriteBoolean("private", model.Private);
                    break;
                case ModelField.Safetensors when model.SafetensorsTotal is { } total:
                    WriteSafetensors(json, model.SafetensorsParameters, total);
                    break;
                case ModelField.Sha:
                    json.WriteString("sha", model.Sha);
                    break;
                case ModelField.Tags:
                    json.WriteStartArray("tags");
                    foreach (var tag in model.Tags)
                    {
                        json.WriteStringValue(malformation is MalformedKind.TextNul ? tag + MalformedValues.Nul : tag);
                    }

                    json.WriteEndArray();
                    break;
                case ModelField.TrendingScore when malformation is MalformedKind.TrendingScoreString or MalformedKind.SecondaryCountsBroken:
                    json.WriteString("trendingScore", MalformedValues.TrendingScoreText);
                    break;
                case ModelField.TrendingScore:
                    json.WriteNumber("trendingScore", model.TrendingScore);
                    break;
                case ModelField.ModelId when hasId:
                    json.WriteString("modelId", model.Id);
                    break;
            }
        }

        json.WriteEndObject();
    }

    /// <summary>ISO 8601 with milliseconds and Z, as the Hub writes it.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteDownloads(Utf8JsonWriter json, long downloads, MalformedKind? malformation)
    {
        switch (malformation)
        {
            case MalformedKind.DownloadsNull:
                json.WriteNull("downloads");
                break;
            case MalformedKind.DownloadsString:
                json.WriteString("downloads", MalformedValues.DownloadsText);
                break;
            case MalformedKind.DownloadsHuge:
                json.WriteNumber("downloads", MalformedValues.HugeDownloads);
                break;
            default:
                json.WriteNumber("downloads", downloads);
                break;
        }
    }

    private static void WriteBaseModels(Utf8JsonWriter json, ModelLineage lineage)
    {
        json.WriteStartObject("baseModels");
        json.WriteString("relation", lineage.Relation);
        json.WriteStartArray("models");
        foreach (var reference in lineage.Models)
        {
            json.WriteStartObject();
            json.WriteString("_id", reference.ObjectId);
            json.WriteString("id", reference.Id);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSafetensors(Utf8JsonWriter json, IReadOnlyDictionary<string, long>? parameters, long total)
    {
        json.WriteStartObject("safetensors");
        json.WriteStartObject("parameters");
        foreach (var (dtype, count) in parameters ?? new Dictionary<string, long>())
        {
            json.WriteNumber(dtype, count);
        }

        json.WriteEndObject();
        json.WriteNumber("total", total);
        json.WriteEndObject();
    }
}
