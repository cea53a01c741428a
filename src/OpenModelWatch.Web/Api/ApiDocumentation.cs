using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using Scalar.AspNetCore;

namespace OpenModelWatch.Web.Api;

/// <summary>A query parameter as the OpenAPI document describes it; endpoints that read the query themselves declare theirs.</summary>
public sealed record QueryParameter(string Name, string Description, JsonSchemaType Type = JsonSchemaType.String, IReadOnlyList<string>? Values = null, string? Default = null)
{
    public bool Repeatable { get; init; }
    public int? Minimum { get; init; }
    public int? Maximum { get; init; }
    public string? Format { get; init; }
}

/// <summary>The query parameters an endpoint reads, for its OpenAPI operation.</summary>
public sealed class DocumentedParameters(IReadOnlyList<QueryParameter> parameters)
{
    public IReadOnlyList<QueryParameter> Parameters { get; } = parameters;
}

/// <summary>
/// The API's OpenAPI document (<c>/openapi/v1.json</c>, Microsoft.AspNetCore.OpenApi) and its browsable reference
/// (<c>/docs</c>, Scalar, served from the package: no CDN). Every parameter and every field carries a description:
/// the query parameters from <see cref="QueryParameters"/>, the fields from <see cref="FieldDocs"/>.
/// </summary>
public static class ApiDocumentation
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/docs";

    /// <summary>Summaries of operations that other features map without one (in the API's own words).</summary>
    private static readonly Dictionary<string, string> _summaries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["POST /api/v1/runs"] = "Starts an ingestion run now; administrators only (a login session or the X-Api-Key header)",
        ["GET /api/v1/runs/{id}"] = "One ingestion run, as /api/v1/runs lists it",
    };

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services) => services.AddOpenApi(DocumentName, options =>
    {
        options.ShouldInclude = description => description.RelativePath is { } path
            && (path.StartsWith("api/", StringComparison.Ordinal) || path.StartsWith("charts/", StringComparison.Ordinal) || path.StartsWith("exports/", StringComparison.Ordinal));
        options.AddDocumentTransformer((document, context, _) =>
        {
            // The public address (Exports:PublicUrl) when there is one, else none: clients resolve paths against where they read the
            // document. Never the address this process listens on, which behind a load balancer is an internal one and differs
            // from replica to replica (so two replicas would describe the same API differently).
            var publicUrl = context.ApplicationServices.GetRequiredService<IOptions<ExportsOptions>>().Value.PublicUrl;
            document.Servers = publicUrl is null ? null : [new OpenApiServer { Url = publicUrl.AbsoluteUri }];

            document.Info = new OpenApiInfo
            {
                Title = "OpenModelWatch API",
                Version = DocumentName,
                Description = "Open-model adoption by country and lab, from Hugging Face Hub download counts. Every answer comes from one "
                    + "ingestion run, the as-of run, and says which. Lists answer { asOf, coverage, runId, attribution, scope, total, items } (coverage: the share of the run's downloads that this attribution and scope attribute to a known country), or CSV "
                    + "with format=csv. Charts (/charts) and table files (/exports) carry their title, as-of time, filters, source and method. "
                    + "Bad parameters get a 400 application/problem+json naming the parameter. Method: /methodology.",
            };

            // Paths and tags in a stable order (by name), not in the order features happen to map their routes.
            var paths = document.Paths.OrderBy(path => path.Key, StringComparer.Ordinal).ToArray();
            document.Paths.Clear();
            foreach (var (key, path) in paths)
            {
                document.Paths.Add(key, path);
            }

            if (document.Tags is { Count: > 0 } tags)
            {
                document.Tags = new HashSet<OpenApiTag>(tags.OrderBy(tag => tag.Name, StringComparer.Ordinal));
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (string.IsNullOrEmpty(operation.Summary)
                && _summaries.TryGetValue($"{context.Description.HttpMethod} /{System.Text.RegularExpressions.Regex.Replace(context.Description.RelativePath ?? "", @"\{([^}:?]+)[^}]*\}", "{$1}")}", out var summary))
            {
                operation.Summary = summary;
            }

            operation.Parameters ??= [];
            foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>().Where(p => string.IsNullOrEmpty(p.Description)))
            {
                parameter.Description = PathParameter(parameter.Name);
            }

            var documented = context.Description.ActionDescriptor.EndpointMetadata.OfType<DocumentedParameters>().LastOrDefault();
            foreach (var parameter in documented?.Parameters ?? [])
            {
                operation.Parameters.Add(ToOpenApi(parameter));
            }

            // Every answer of the API and the files takes the language of its words (LanguageGuard).
            operation.Parameters.Add(ToOpenApi(QueryParameters.Lang));

            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            var types = context.ApplicationServices.GetServices<TypeDocs>().ToArray();
            if (string.IsNullOrEmpty(schema.Description) && context.JsonPropertyInfo is null && FieldDocs.OfType(types, type) is { } typeDescription)
            {
                schema.Description = typeDescription;
            }

            foreach (var (name, property) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                var description = FieldDocs.Of(types, type, name);
                switch (property)
                {
                    case OpenApiSchema inline when string.IsNullOrEmpty(inline.Description):
                        inline.Description = description;
                        break;
                    case OpenApiSchemaReference reference when string.IsNullOrEmpty(reference.Description):
                        reference.Description = description;
                        break;
                }
            }

            return Task.CompletedTask;
        });
    });

    /// <summary>
    /// What the reference page needs beyond the app's own policy: its inline start-up script. Everything else it
    /// loads (its script bundle, the document) comes from this site; its default web fonts (a CDN) are off.
    /// </summary>
    public const string ReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:";

    /// <summary>The reference page's own content security policy: it needs an inline start-up script.</summary>
    public static WebApplication UseApiReferencePolicy(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(ReferencePath, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers.ContentSecurityPolicy = ReferencePolicy;
                    return Task.CompletedTask;
                });
            }

            return next(context);
        });
        return app;
    }

    /// <summary>The OpenAPI document and its browsable reference.</summary>
    public static IEndpointRouteBuilder MapApiDocumentation(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("OpenModelWatch API")
            .WithOpenApiRoutePattern(DocumentPath)
            .DisableDefaultFonts());
        return app;
    }

    /// <summary>Declares the query parameters an endpoint reads, for its OpenAPI operation.</summary>
    public static TBuilder WithQueryParameters<TBuilder>(this TBuilder builder, params IEnumerable<QueryParameter>[] parameters)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DocumentedParameters(parameters.SelectMany(set => set).DistinctBy(p => p.Name).ToArray()));

    private static OpenApiParameter ToOpenApi(QueryParameter parameter)
    {
        var schema = new OpenApiSchema
        {
            Type = parameter.Type,
            Format = parameter.Format,
            Minimum = parameter.Minimum?.ToString(CultureInfo.InvariantCulture),
            Maximum = parameter.Maximum?.ToString(CultureInfo.InvariantCulture),
            Default = parameter.Default is null ? null : parameter.Type == JsonSchemaType.Integer ? JsonValue.Create(int.Parse(parameter.Default, CultureInfo.InvariantCulture)) : JsonValue.Create(parameter.Default),
            Enum = parameter.Values?.Select(value => (JsonNode)JsonValue.Create(value)).ToList(),
        };
        return new OpenApiParameter
        {
            Name = parameter.Name,
            In = ParameterLocation.Query,
            Description = parameter.Description,
            Required = false,
            Schema = parameter.Repeatable ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = schema } : schema,
            Style = parameter.Repeatable ? ParameterStyle.Form : null,
            Explode = parameter.Repeatable,
        };
    }

    private static string PathParameter(string? name) => name switch
    {
        "namespace" => "The model's Hub namespace (its uploader), e.g. Qwen.",
        "name" => "The model's name within its namespace, e.g. Qwen3-8B.",
        "id" => "A lab id of the registry (seeds/labs.json), e.g. alibaba-qwen.",
        "format" => "The file format: png or svg for a chart image, csv, json or parquet for data (Parquet: typed columns, the file's information in its key-value metadata).",
        "key" => "A country (ISO 3166-1 alpha-2, XX for unknown) or a region (China, US, Europe, Other, Unknown, Community).",
        _ => $"The {name} of the address.",
    };
}

/// <summary>The query parameters of the API, the charts and the exports, described once.</summary>
public static class QueryParameters
{
    // Declared first: the sets below use it, and static fields are set in the order they are written.
    public static readonly QueryParameter Order = new("order", "Sort direction.", Values: ["desc", "asc"], Default: "desc");

    public static readonly QueryParameter[] Counting =
    [
        new("attribution", "Which lab a model counts for: uploader (the lab of the namespace that uploaded it) or origin (the registered lab closest to the root of its lineage of first parents). See /methodology#attribution.", Values: ["uploader", "origin"], Default: "uploader"),
        new("scope", "Which models are counted, and so the denominator of shares: all (every tracked model) or census (only the Hub's most downloaded models). See /methodology#denominators.", Values: ["all", "census"], Default: "all"),
    ];

    public static readonly QueryParameter[] Filters =
    [
        new("country", "ISO 3166-1 alpha-2 country code of the model's lab (XX = unknown); repeat it or separate codes with commas for several.") { Repeatable = true },
        new("region", $"A region: {string.Join(", ", Regions.All.Append(Regions.Community))}. Community is the unregistered namespaces under uploader attribution.", Values: [.. Regions.All, Regions.Community]),
        new("lab", "A lab id of the registry (e.g. alibaba-qwen), or community:NAMESPACE for an unregistered uploader."),
        new("task", "The Hub's pipeline tag, e.g. text-generation."),
        new("license", "The Hub's licence tag, e.g. apache-2.0."),
        new("minParameters", "Smallest model size, in parameters; models of unknown size are left out once a bound is set.", JsonSchemaType.Integer) { Minimum = 0 },
        new("maxParameters", "Largest model size, in parameters.", JsonSchemaType.Integer) { Minimum = 0 },
        new("createdFrom", "Models created on or after this UTC day (yyyy-MM-dd).") { Format = "date" },
        new("createdTo", "Models created on or before this UTC day (yyyy-MM-dd).") { Format = "date" },
    ];

    public static readonly QueryParameter[] Community =
    [
        new("community", "include lists every unregistered namespace as a community uploader of its own (uploader attribution only).", Values: ["exclude", "include"], Default: "exclude"),
    ];

    public static readonly QueryParameter Q = new("q", "A substring of the model id (case-insensitive).");

    public static readonly QueryParameter[] Paging =
    [
        new("limit", $"Items per page, 1 to {ListParameters.MaxLimit}.", JsonSchemaType.Integer, Default: ListParameters.DefaultLimit.ToString(CultureInfo.InvariantCulture)) { Minimum = 1, Maximum = ListParameters.MaxLimit },
        new("offset", "Items to skip, for the next pages.", JsonSchemaType.Integer, Default: "0") { Minimum = 0 },
        Order,
    ];

    public static readonly QueryParameter Format = new("format", "json (the default) or csv: the same items as a CSV table with a header row, UTF-8, formulas neutralised.", Values: ["json", "csv"], Default: "json");

    public static readonly QueryParameter[] Window =
    [
        new("from", "First UTC day of the runs included (yyyy-MM-dd).") { Format = "date" },
        new("to", "Last UTC day of the runs included (yyyy-MM-dd).") { Format = "date" },
    ];

    public static readonly QueryParameter Compare = new("compare",
        "How shares over runs of different sources compare: like (the default) takes, when the runs cross sources (or come from a curated list that grows), the shares of the registered labs present in every run of the window, so a change of source never moves a share; all takes each run's own totals. See /methodology#sources.",
        Values: ["like", "all"], Default: "like");

    public static readonly QueryParameter Run = new("run", "Pin the answer to this succeeded run instead of the latest (a permalink); see /api/v1/runs.", JsonSchemaType.Integer) { Minimum = 1 };

    public static readonly QueryParameter[] Image =
    [
        new("width", $"Image width in pixels, {ImageSize.MinWidth}–{ImageSize.MaxWidth}.", JsonSchemaType.Integer, Default: ImageSize.DefaultWidth.ToString(CultureInfo.InvariantCulture)) { Minimum = ImageSize.MinWidth, Maximum = ImageSize.MaxWidth },
        new("height", $"Image height in pixels, {ImageSize.MinHeight}–{ImageSize.MaxHeight}.", JsonSchemaType.Integer, Default: ImageSize.DefaultHeight.ToString(CultureInfo.InvariantCulture)) { Minimum = ImageSize.MinHeight, Maximum = ImageSize.MaxHeight },
        new("scale", "Pixel density of a PNG: 2 doubles its pixels (sharp screens, print); an SVG is scaled the same.", JsonSchemaType.Integer, Default: "1") { Minimum = 1, Maximum = 2 },
    ];

    public static readonly QueryParameter Lang = new(Localization.Languages.QueryKey,
        "The language of the answer's words: en (the default) or es. Charts draw their titles, axes, legend, as-of line, source and method in it with its number formats; a CSV's metadata block, a JSON file's title, filters and definitions, and 400/404 problems' title and detail follow it. Field names, column names and values never change with it.",
        Values: [.. Localization.Languages.Supported], Default: Localization.Languages.Default);

    public static readonly QueryParameter Metadata = new("metadata", "block (the default) opens the CSV with its title, as-of time, filters, source, definitions, method and permalink, then a blank line; none gives the bare table.", Values: ["block", "none"], Default: "block");

    public static QueryParameter Sort(IReadOnlyList<string> fields) => new("sort", "The field to sort by.", Values: fields, Default: fields[0]);

    public static QueryParameter Metric(IReadOnlyList<string> metrics) => new("metric", "What the chart or list measures: " + string.Join("; ", metrics.Select(Metrics.Definition)), Values: metrics, Default: metrics[0]);

    /// <summary>Everything a list of snapshot rows takes.</summary>
    public static IEnumerable<QueryParameter> List(IReadOnlyList<string> sortFields) => [.. Counting, .. Filters, Sort(sortFields), .. Paging, Format, Run];
}
