namespace OpenModelWatch.Tests.Approval;

/// <summary>One request of the approved answers: its body is approved as <see cref="File"/>, its status and headers as <see cref="HeadFile"/>.</summary>
public sealed record ApprovedRequest(string Name, string Path, string Extension)
{
    public string File => $"{Name}.{Extension}";

    public string HeadFile => $"{File}.head.txt";

    public string ReceivedFile => $"{Name}.received.{Extension}";

    public string ReceivedHeadFile => $"{File}.head.received.txt";
}

/// <summary>
/// The requests whose answers are approved: the OpenAPI document; every <c>GET /api/v1</c> route with its defaults
/// and variants (filters, sort, paging, attribution, scope, q, from/to, CSV); every table export as CSV and JSON with
/// its defaults and a filtered variant (one pinned with <c>run=</c>); the chart data (CSV, JSON) and SVG of every
/// chart, and two PNGs; every embed page; 400 problems for bad parameters and 404s for unknown models, labs and runs.
/// The store is <see cref="ApprovalApp"/>'s: run 1 (2026-03-01) and run 2 (2026-03-08, the as-of run).
/// SVG and PNG are drawn with the machine's fonts (DejaVu Sans, fonts-dejavu-core) and SkiaSharp: byte for byte the same
/// from run to run on one machine, but a machine with other fonts draws them differently (the data files do not change).
/// </summary>
public static class ApprovedRequests
{
    private const string QwenModel = "Qwen/model-0000";

    /// <summary><c>@evil/-5+1-GGUF</c>: the community uploader's quantization of <see cref="QwenModel"/>.</summary>
    private const string CommunityModel = "%40evil/-5%2B1-GGUF";

    public static IReadOnlyList<ApprovedRequest> All { get; } =
    [
        // The OpenAPI document
        Json("openapi-v1", "/openapi/v1.json"),

        // /api/v1/models
        Json("api-v1-models", "/api/v1/models"),
        Json("api-v1-models_sort-likes_order-asc_limit-20_offset-40", "/api/v1/models?sort=likes&order=asc&limit=20&offset=40"),
        Json("api-v1-models_country-CN_task-text-generation", "/api/v1/models?country=CN&task=text-generation&limit=10"),
        Json("api-v1-models_attribution-origin_scope-census", "/api/v1/models?attribution=origin&scope=census&limit=10"),
        Json("api-v1-models_q-GGUF_sort-trendingScore", "/api/v1/models?q=GGUF&sort=trendingScore&limit=10"),
        Json("api-v1-models_lab-mistral_license_parameters_created", "/api/v1/models?lab=mistral&license=mit&minParameters=1000000000&maxParameters=3000000000&createdFrom=2024-02-01&createdTo=2024-09-30&sort=createdAt"),
        Csv("api-v1-models_region-Europe_format-csv", "/api/v1/models?region=Europe&sort=parameters&limit=10&format=csv"),

        // /api/v1/labs
        Json("api-v1-labs", "/api/v1/labs"),
        Json("api-v1-labs_sort-models_order-asc", "/api/v1/labs?sort=models&order=asc"),
        Json("api-v1-labs_attribution-origin", "/api/v1/labs?attribution=origin"),
        Json("api-v1-labs_community-include_limit-3_offset-1", "/api/v1/labs?community=include&limit=3&offset=1"),
        Csv("api-v1-labs_scope-census_format-csv", "/api/v1/labs?scope=census&format=csv"),

        // /api/v1/countries
        Json("api-v1-countries", "/api/v1/countries"),
        Json("api-v1-countries_region-Europe_sort-labs_order-asc", "/api/v1/countries?region=Europe&sort=labs&order=asc"),
        Json("api-v1-countries_attribution-origin_scope-census_sort-share", "/api/v1/countries?attribution=origin&scope=census&sort=share"),
        Csv("api-v1-countries_format-csv", "/api/v1/countries?format=csv"),

        // /api/v1/runs and /api/v1/runs/{id}
        Json("api-v1-runs", "/api/v1/runs"),
        Json("api-v1-runs_order-asc_limit-1", "/api/v1/runs?order=asc&limit=1"),
        Csv("api-v1-runs_format-csv", "/api/v1/runs?format=csv"),
        Json("api-v1-runs-1", "/api/v1/runs/1"),

        // /api/v1/models/{namespace}/{name}/history
        Json("api-v1-models-qwen-history", $"/api/v1/models/{QwenModel}/history"),
        Json("api-v1-models-qwen-history_order-asc_from", $"/api/v1/models/{QwenModel}/history?order=asc&from=2026-03-05"),
        Json("api-v1-models-qwen-history_to_limit-1", $"/api/v1/models/{QwenModel}/history?to=2026-03-01&limit=1"),
        Csv("api-v1-models-community-history_format-csv", $"/api/v1/models/{CommunityModel}/history?format=csv"),

        // /api/v1/history/countries
        Json("api-v1-history-countries", "/api/v1/history/countries"),
        Json("api-v1-history-countries_group-region_metric-likes", "/api/v1/history/countries?group=region&metric=likes"),
        Json("api-v1-history-countries_attribution-origin_country-CN-FR_from_order-asc", "/api/v1/history/countries?attribution=origin&country=CN,FR&from=2026-03-05&order=asc"),
        Json("api-v1-history-countries_scope-census_metric-downloadsAllTime_limit-3_offset-2", "/api/v1/history/countries?scope=census&metric=downloadsAllTime&limit=3&offset=2"),
        Csv("api-v1-history-countries_region-China_format-csv", "/api/v1/history/countries?region=China&format=csv"),

        // /api/v1/derivatives/... and the family tree
        Json("api-v1-derivatives-labs", "/api/v1/derivatives/labs"),
        Json("api-v1-derivatives-labs_sort-derivatives_order-asc", "/api/v1/derivatives/labs?sort=derivatives&order=asc"),
        Json("api-v1-derivatives-countries", "/api/v1/derivatives/countries"),
        Csv("api-v1-derivatives-countries_format-csv", "/api/v1/derivatives/countries?format=csv"),
        Json("api-v1-derivatives-base-models", "/api/v1/derivatives/base-models"),
        Json("api-v1-derivatives-base-models_sort-downloads30d_limit-5_offset-5", "/api/v1/derivatives/base-models?sort=downloads30d&limit=5&offset=5"),
        Json("api-v1-derivatives-months", "/api/v1/derivatives/months"),
        Json("api-v1-derivatives-months_order-asc_limit-3", "/api/v1/derivatives/months?order=asc&limit=3"),
        Json("api-v1-models-qwen-family", $"/api/v1/models/{QwenModel}/family"),
        Json("api-v1-models-community-family", $"/api/v1/models/{CommunityModel}/family"),

        // Table exports, CSV and JSON, defaults and a filtered variant each
        Csv("exports-models", "/exports/models.csv"),
        Json("exports-models", "/exports/models.json"),
        Csv("exports-models_country-US_sort-likes_order-asc_metadata-none", "/exports/models.csv?country=US&sort=likes&order=asc&metadata=none"),
        Json("exports-models_q-GGUF_attribution-origin", "/exports/models.json?q=GGUF&attribution=origin"),
        Csv("exports-models_run-1_country-FR", "/exports/models.csv?run=1&country=FR"),
        Csv("exports-labs", "/exports/labs.csv"),
        Json("exports-labs", "/exports/labs.json"),
        Csv("exports-labs_attribution-origin_sort-models", "/exports/labs.csv?attribution=origin&sort=models"),
        Json("exports-labs_community-include_scope-census", "/exports/labs.json?community=include&scope=census"),
        Csv("exports-countries", "/exports/countries.csv"),
        Json("exports-countries", "/exports/countries.json"),
        Json("exports-countries_run-1_sort-share_order-asc", "/exports/countries.json?run=1&sort=share&order=asc"),
        Csv("exports-regions", "/exports/regions.csv"),
        Json("exports-regions", "/exports/regions.json"),
        Csv("exports-regions_attribution-origin_region-Europe", "/exports/regions.csv?attribution=origin&region=Europe"),
        Csv("exports-labs-formula-lab-models", "/exports/labs/formula-lab/models.csv"),
        Json("exports-labs-qwen-models", "/exports/labs/qwen/models.json"),
        Csv("exports-labs-qwen-models_sort-createdAt_order-asc_metadata-none", "/exports/labs/qwen/models.csv?sort=createdAt&order=asc&metadata=none"),
        Json("exports-labs-community-evil-models", "/exports/labs/community:%40evil/models.json"),
        Csv("exports-labs-qwen-history", "/exports/labs/qwen/history.csv"),
        Json("exports-labs-qwen-history", "/exports/labs/qwen/history.json"),
        Csv("exports-labs-qwen-history_from_attribution-origin", "/exports/labs/qwen/history.csv?from=2026-03-05&attribution=origin"),
        Csv("exports-models-qwen-history", $"/exports/models/{QwenModel}/history.csv"),
        Json("exports-models-qwen-history", $"/exports/models/{QwenModel}/history.json"),
        Json("exports-models-qwen-history_to", $"/exports/models/{QwenModel}/history.json?to=2026-03-01"),
        Csv("exports-runs", "/exports/runs.csv"),
        Json("exports-runs", "/exports/runs.json"),
        Csv("exports-runs_order-asc", "/exports/runs.csv?order=asc"),

        // Chart data (CSV, JSON) and SVG
        Json("charts-region-share", "/charts/region-share.json"),
        Csv("charts-region-share", "/charts/region-share.csv"),
        Svg("charts-region-share", "/charts/region-share.svg"),
        Json("charts-region-share_metric-likes_attribution-origin_run-1", "/charts/region-share.json?metric=likes&attribution=origin&run=1"),
        Json("charts-top-models", "/charts/top-models.json"),
        Csv("charts-top-models_n-5_sort-likes_country-CN", "/charts/top-models.csv?n=5&sort=likes&country=CN"),
        Svg("charts-top-models_n-5_width-800_height-450", "/charts/top-models.svg?n=5&width=800&height=450"),
        Json("charts-country-comparison", "/charts/country-comparison.json"),
        Csv("charts-country-comparison_a-FR_b-Europe_metric-downloads30d_from", "/charts/country-comparison.csv?a=FR&b=Europe&metric=downloads30d&from=2026-03-05"),
        Json("charts-labs-qwen-history", "/charts/labs/qwen/history.json"),
        Csv("charts-labs-qwen-history_metric-rank_scope-census", "/charts/labs/qwen/history.csv?metric=rank&scope=census"),
        Svg("charts-labs-qwen-history_metric-share", "/charts/labs/qwen/history.svg?metric=share"),
        Json("charts-models-qwen-history", $"/charts/models/{QwenModel}/history.json"),
        Csv("charts-models-qwen-history_metric-likes", $"/charts/models/{QwenModel}/history.csv?metric=likes"),
        Png("charts-region-share", "/charts/region-share.png"),
        Png("charts-top-models_scale-2", "/charts/top-models.png?scale=2"),

        // Embeds
        Html("embed-region-share", "/embed/region-share"),
        Html("embed-region-share_metric-likes_width-800_height-450", "/embed/region-share?metric=likes&width=800&height=450"),
        Html("embed-top-models_n-5_country-CN", "/embed/top-models?n=5&country=CN"),
        Html("embed-country-comparison_a-FR_b-US", "/embed/country-comparison?a=FR&b=US"),
        Html("embed-labs-qwen-history_metric-share", "/embed/labs/qwen/history?metric=share"),
        Html("embed-models-qwen-history", $"/embed/models/{QwenModel}/history"),

        // 400 problems for bad parameters
        Json("problem-api-v1-models_sort-bad", "/api/v1/models?sort=name"),
        Json("problem-api-v1-models_limit-too-big", "/api/v1/models?limit=5000"),
        Json("problem-api-v1-labs_attribution-bad", "/api/v1/labs?attribution=everyone"),
        Json("problem-api-v1-countries_format-bad", "/api/v1/countries?format=xml"),
        Json("problem-api-v1-history-countries_from-bad", "/api/v1/history/countries?from=2026-13-01"),
        Json("problem-api-v1-models-qwen-history_from-after-to", $"/api/v1/models/{QwenModel}/history?from=2026-03-08&to=2026-03-01"),
        Json("problem-exports-models_sort-bad", "/exports/models.csv?sort=name"),
        Json("problem-exports-labs_metadata-bad", "/exports/labs.json?metadata=all"),
        Json("problem-exports-countries_run-not-succeeded", "/exports/countries.csv?run=99"),
        Json("problem-exports-labs-qwen-history_from-bad", "/exports/labs/qwen/history.csv?from=yesterday"),
        Json("problem-charts-region-share_format-bad", "/charts/region-share.gif"),
        Json("problem-charts-top-models_n-too-big", "/charts/top-models.json?n=51"),
        Json("problem-embed-region-share_width-too-small", "/embed/region-share?width=10"),

        // 404s: unknown model, lab, run
        Json("notfound-api-v1-models-history", "/api/v1/models/nobody/nothing/history"),
        Json("notfound-api-v1-models-family", "/api/v1/models/nobody/nothing/family"),
        Json("notfound-api-v1-runs-99", "/api/v1/runs/99"),
        Json("notfound-exports-labs-nolab-models", "/exports/labs/no-such-lab/models.csv"),
        Json("notfound-exports-labs-nolab-history", "/exports/labs/no-such-lab/history.json"),
        Json("notfound-charts-labs-nolab-history", "/charts/labs/no-such-lab/history.json"),
        Json("notfound-charts-models-history", "/charts/models/nobody/nothing/history.csv"),
    ];

    private static ApprovedRequest Json(string name, string path) => new(name, path, "json");

    private static ApprovedRequest Csv(string name, string path) => new(name, path, "csv");

    private static ApprovedRequest Svg(string name, string path) => new(name, path, "svg");

    private static ApprovedRequest Png(string name, string path) => new(name, path, "png");

    private static ApprovedRequest Html(string name, string path) => new(name, path, "html");
}
