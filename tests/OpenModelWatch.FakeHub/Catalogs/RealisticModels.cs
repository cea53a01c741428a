using System.Globalization;

namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>
/// Hand-written models with plausible late-2025 numbers. Kimi-K2-Thinking and MiniMax-M2 are the two
/// real items quoted in HUB-API.md, verbatim; the rest derive their tags the way the Hub does.
/// Every base model named here is in the table, so lineage can be followed inside the catalog.
/// </summary>
internal static class RealisticModels
{
    // The "as of" date the cumulative downloads are estimated for.
    private static readonly DateTimeOffset _snapshot = new(2025, 11, 15, 0, 0, 0, TimeSpan.Zero);

    private static readonly Row[] _rows =
    [
        // Qwen: the author with the most models, several pages when MaxPageSize is small.
        new("Qwen/Qwen3-0.6B-Base", "2025-04-28T05:49:56Z", 1_012_335, 132, 3) { Arch = "qwen3", Parameters = 596_049_920, Chat = false },
        new("Qwen/Qwen3-0.6B", "2025-04-27T03:40:08Z", 7_412_019, 793, 41) { Arch = "qwen3", Parameters = 751_632_384, Base = "Qwen/Qwen3-0.6B-Base" },
        new("Qwen/Qwen3-8B-Base", "2025-04-28T06:21:12Z", 512_400, 89, 2) { Arch = "qwen3", Parameters = 8_190_735_360, Chat = false },
        new("Qwen/Qwen3-8B", "2025-04-27T03:42:33Z", 3_021_884, 812, 30) { Arch = "qwen3", Parameters = 8_190_735_360, Base = "Qwen/Qwen3-8B-Base" },
        new("Qwen/Qwen3-4B-Instruct-2507", "2025-08-05T09:27:18Z", 2_811_002, 560, 62) { Arch = "qwen3", Parameters = 4_022_468_096 },
        new("Qwen/Qwen3-30B-A3B", "2025-04-27T03:43:05Z", 1_400_220, 790, 18) { Arch = "qwen3_moe", Parameters = 30_532_122_624 },
        new("Qwen/Qwen3-235B-A22B-Instruct-2507", "2025-07-21T08:53:50Z", 221_004, 701, 12) { Arch = "qwen3_moe", Parameters = 235_093_634_560 },
        new("Qwen/Qwen3-Coder-30B-A3B-Instruct", "2025-07-31T07:04:55Z", 680_110, 745, 44) { Arch = "qwen3_moe", Parameters = 30_532_122_624 },
        new("Qwen/Qwen3-Next-80B-A3B-Instruct", "2025-09-09T15:40:56Z", 540_000, 820, 40) { Arch = "qwen3_next", Parameters = 81_323_432_448 },
        new("Qwen/Qwen3-Embedding-0.6B", "2025-06-03T14:25:32Z", 3_800_000, 690, 25) { Pipeline = "feature-extraction", Library = "sentence-transformers", Arch = "qwen3", Parameters = 595_776_512 },
        new("Qwen/Qwen3-VL-8B-Instruct", "2025-10-11T06:39:49Z", 900_300, 420, 70) { Pipeline = "image-text-to-text", Arch = "qwen3_vl", Parameters = 8_767_123_696 },
        new("Qwen/Qwen2.5-7B", "2024-09-15T12:17:40Z", 1_102_547, 215, 4) { Arch = "qwen2", Parameters = 7_615_616_512, Chat = false },
        new("Qwen/Qwen2.5-7B-Instruct", "2024-09-16T11:55:40Z", 8_874_422, 855, 22) { Arch = "qwen2", Parameters = 7_615_616_512, Base = "Qwen/Qwen2.5-7B" },
        new("Qwen/Qwen2.5-1.5B-Instruct", "2024-09-17T14:10:29Z", 6_603_118, 540, 9) { Arch = "qwen2", Parameters = 1_543_714_304 },
        new("Qwen/Qwen2.5-72B-Instruct", "2024-09-16T11:56:31Z", 410_002, 880, 4) { Arch = "qwen2", Parameters = 72_706_203_648, License = "other" },
        new("Qwen/Qwen2.5-Coder-7B-Instruct", "2024-09-17T13:38:49Z", 1_020_777, 560, 6) { Arch = "qwen2", Parameters = 7_615_616_512 },
        new("Qwen/Qwen2.5-VL-7B-Instruct", "2025-01-26T09:26:37Z", 4_120_566, 1_290, 20) { Pipeline = "image-text-to-text", Arch = "qwen2_5_vl", Parameters = 8_292_166_656 },
        new("Qwen/QwQ-32B", "2025-03-05T14:16:59Z", 160_300, 2_850, 5) { Arch = "qwen2", Parameters = 32_763_876_352 },
        new("Qwen/Qwen3-Omni-Internal-Preview", "2025-11-01T10:00:00Z", 12, 0, 0) { Arch = "qwen3_omni", Parameters = 35_259_818_240, Private = true },

        // meta-llama: gated, Llama licences.
        new("meta-llama/Llama-3.1-8B", "2024-07-14T22:20:15Z", 1_450_000, 1_780, 8) { Arch = "llama", Parameters = 8_030_261_248, License = "llama3.1", Gated = "manual", Chat = false },
        new("meta-llama/Llama-3.1-8B-Instruct", "2024-07-18T08:56:00Z", 5_632_410, 4_830, 45) { Arch = "llama", Parameters = 8_030_261_248, License = "llama3.1", Gated = "manual", Base = "meta-llama/Llama-3.1-8B" },
        new("meta-llama/Llama-3.2-1B-Instruct", "2024-09-18T15:12:47Z", 3_405_220, 1_150, 19) { Arch = "llama", Parameters = 1_235_814_400, License = "llama3.2", Gated = "manual" },
        new("meta-llama/Llama-3.2-3B-Instruct", "2024-09-18T15:19:20Z", 2_180_003, 1_720, 17) { Arch = "llama", Parameters = 3_212_749_824, License = "llama3.2", Gated = "manual" },
        new("meta-llama/Llama-3.3-70B-Instruct", "2024-11-26T16:08:47Z", 680_100, 2_560, 11) { Arch = "llama", Parameters = 70_553_706_496, License = "llama3.3", Gated = "manual" },
        new("meta-llama/Llama-4-Scout-17B-16E-Instruct", "2025-04-02T22:12:05Z", 310_555, 1_120, 7) { Pipeline = "image-text-to-text", Arch = "llama4", Parameters = 108_641_793_536, License = "other", Gated = "manual" },
        new("meta-llama/Meta-Llama-3-8B-Instruct", "2024-04-17T09:35:12Z", 1_210_000, 4_250, 6) { Arch = "llama", Parameters = 8_030_261_248, License = "llama3", Gated = "manual" },

        // deepseek-ai: MIT, FP8 weights.
        new("deepseek-ai/DeepSeek-V3", "2024-12-25T13:11:52Z", 512_000, 4_000, 9) { Arch = "deepseek_v3", Dtypes = DeepSeekV3Weights, License = "other" },
        new("deepseek-ai/DeepSeek-R1", "2025-01-20T03:46:07Z", 412_880, 12_850, 30) { Arch = "deepseek_v3", Dtypes = DeepSeekV3Weights, License = "mit" },
        new("deepseek-ai/DeepSeek-R1-0528", "2025-05-28T09:46:42Z", 190_500, 2_330, 10) { Arch = "deepseek_v3", Dtypes = DeepSeekV3Weights, License = "mit" },
        new("deepseek-ai/DeepSeek-V3.1", "2025-08-21T02:37:52Z", 160_000, 780, 15) { Arch = "deepseek_v3", Dtypes = DeepSeekV3Weights, License = "mit" },
        new("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", "2025-01-20T09:16:14Z", 1_020_000, 740, 6) { Arch = "qwen2", Parameters = 7_615_616_512, License = "mit" },
        new("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "2025-01-20T09:09:42Z", 560_000, 820, 4) { Arch = "llama", Parameters = 8_030_261_248, License = "mit", Base = "meta-llama/Llama-3.1-8B" },
        new("deepseek-ai/DeepSeek-OCR", "2025-10-17T06:57:12Z", 2_600_000, 2_700, 250) { Pipeline = "image-text-to-text", Arch = "deepseek_vl_v2", Parameters = 3_336_106_240, License = "mit" },

        // The two items HUB-API.md quotes, exactly as the Hub returned them.
        new("moonshotai/Kimi-K2-Thinking", "2025-11-04T08:25:31Z", 5_119, 578, 580)
        {
            ObjectId = "6909b87b734dd24dd19da3ef",
            Arch = "kimi_k2",
            Dtypes = new Dictionary<string, long> { ["BF16"] = 23_877_160_448, ["I32"] = 140_660_178_944 },
            VerbatimTags = ["transformers", "safetensors", "kimi_k2", "text-generation", "conversational", "custom_code", "license:other", "autotrain_compatible", "endpoints_compatible", "compressed-tensors", "region:us"],
        },
        new("MiniMaxAI/MiniMax-M2", "2025-10-22T13:45:10Z", 846_249, 1_178, 319)
        {
            ObjectId = "68f8dfe68cb208be9702aa87",
            Arch = "minimax_m2",
            Dtypes = new Dictionary<string, long> { ["BF16"] = 2_063_708_160, ["F8_E4M3"] = 226_605_236_224 },
            VerbatimTags = ["transformers", "safetensors", "minimax_m2", "text-generation", "conversational", "custom_code", "arxiv:2504.07164", "arxiv:2509.06501", "arxiv:2509.13160", "license:mit", "autotrain_compatible", "fp8", "region:us"],
        },
        new("moonshotai/Kimi-K2-Instruct", "2025-07-11T00:55:12Z", 280_000, 2_150, 20) { Arch = "kimi_k2", Dtypes = new Dictionary<string, long> { ["BF16"] = 14_998_114_304, ["F8_E4M3"] = 1_011_627_507_712 }, License = "other" },
        new("MiniMaxAI/MiniMax-M1-80k", "2025-06-13T08:21:14Z", 12_000, 690, 2) { Arch = "minimax_m1", Parameters = 456_090_789_888, License = "apache-2.0" },

        // openai: open-weight releases.
        new("openai/gpt-oss-20b", "2025-08-04T22:33:29Z", 5_802_300, 3_790, 95) { Arch = "gpt_oss", Dtypes = new Dictionary<string, long> { ["BF16"] = 1_804_459_584, ["U8"] = 19_707_494_400 } },
        new("openai/gpt-oss-120b", "2025-08-04T22:33:06Z", 3_400_221, 3_980, 80) { Arch = "gpt_oss", Dtypes = new Dictionary<string, long> { ["BF16"] = 2_167_371_072, ["U8"] = 118_603_923_456 } },
        new("openai/whisper-large-v3", "2023-11-07T18:41:14Z", 4_870_000, 4_700, 20) { Pipeline = "automatic-speech-recognition", Arch = "whisper", Dtypes = new Dictionary<string, long> { ["F16"] = 1_543_490_560 } },
        new("openai/whisper-large-v3-turbo", "2024-10-01T07:39:28Z", 3_900_000, 2_500, 25) { Pipeline = "automatic-speech-recognition", Arch = "whisper", Dtypes = new Dictionary<string, long> { ["F16"] = 808_878_080 }, Base = "openai/whisper-large-v3" },

        // google
        new("google/gemma-3-27b-pt", "2025-03-01T19:10:22Z", 80_000, 120, 1) { Pipeline = "image-text-to-text", Arch = "gemma3", Parameters = 27_432_406_640, License = "gemma", Gated = "manual", Chat = false },
        new("google/gemma-3-27b-it", "2025-03-01T19:10:19Z", 1_050_000, 1_640, 12) { Pipeline = "image-text-to-text", Arch = "gemma3", Parameters = 27_432_406_640, License = "gemma", Gated = "manual", Base = "google/gemma-3-27b-pt" },
        new("google/gemma-3-1b-it", "2025-03-10T12:09:00Z", 2_100_000, 680, 10) { Arch = "gemma3_text", Parameters = 999_885_952, License = "gemma", Gated = "manual" },
        new("google/gemma-3n-E4B-it", "2025-06-25T16:26:27Z", 420_000, 800, 14) { Pipeline = "image-text-to-text", Arch = "gemma3n", Parameters = 7_849_978_192, License = "gemma", Gated = "manual" },
        new("google/embeddinggemma-300m", "2025-09-04T06:26:47Z", 1_300_000, 1_000, 30) { Pipeline = "sentence-similarity", Library = "sentence-transformers", Arch = "gemma3_text", Parameters = 302_863_104, License = "gemma", Gated = "manual" },
        new("google-bert/bert-base-uncased", "2022-03-02T23:29:04Z", 52_000_000, 2_400, 8) { Pipeline = "fill-mask", Arch = "bert", Dtypes = new Dictionary<string, long> { ["F32"] = 110_106_428 } },

        // mistralai
        new("mistralai/Mistral-7B-v0.3", "2024-05-22T09:56:38Z", 330_000, 520, 2) { Arch = "mistral", Parameters = 7_248_023_552, Chat = false },
        new("mistralai/Mistral-7B-Instruct-v0.3", "2024-05-22T09:57:04Z", 1_400_000, 2_150, 9) { Arch = "mistral", Parameters = 7_248_023_552, Base = "mistralai/Mistral-7B-v0.3" },
        new("mistralai/Mistral-Small-3.2-24B-Instruct-2506", "2025-06-19T09:25:57Z", 360_000, 480, 8) { Pipeline = "image-text-to-text", Arch = "mistral3", Parameters = 24_011_361_280 },
        new("mistralai/Devstral-Small-2507", "2025-07-04T14:23:40Z", 120_000, 350, 5) { Library = "vllm", Arch = "mistral", Parameters = 23_572_403_200 },
        new("mistralai/Voxtral-Mini-3B-2507", "2025-07-14T09:28:34Z", 640_000, 560, 7) { Pipeline = "audio-text-to-text", Arch = "voxtral", Parameters = 4_676_271_104, Chat = false },

        // zai-org and its former name THUDM
        new("zai-org/GLM-4.6", "2025-09-29T18:22:51Z", 310_000, 1_020, 150) { Arch = "glm4_moe", Parameters = 356_785_898_496, License = "mit" },
        new("zai-org/GLM-4.5-Air", "2025-07-20T03:25:55Z", 450_000, 520, 25) { Arch = "glm4_moe", Parameters = 110_468_824_832, License = "mit" },
        new("THUDM/glm-4-9b", "2024-06-04T08:59:09Z", 24_000, 130, 0) { Arch = "chatglm", Parameters = 9_399_951_360, License = "other", Chat = false },
        new("THUDM/glm-4-9b-chat", "2024-06-04T08:59:20Z", 90_000, 680, 1) { Arch = "chatglm", Parameters = 9_399_951_360, License = "other", Base = "THUDM/glm-4-9b" },

        // microsoft (the Hub's canonical id is lowercase; lookups ignore case)
        new("microsoft/phi-4", "2024-12-11T11:47:29Z", 720_000, 2_150, 7) { Arch = "phi3", Parameters = 14_659_507_200, License = "mit" },
        new("microsoft/Phi-4-mini-instruct", "2025-02-19T01:00:58Z", 410_000, 620, 5) { Arch = "phi3", Parameters = 3_836_021_760, License = "mit" },

        // nvidia
        new("nvidia/Llama-3.1-Nemotron-Nano-8B-v1", "2025-03-14T18:40:46Z", 60_000, 210, 1) { Arch = "llama", Parameters = 8_030_261_248, License = "other", Base = "meta-llama/Llama-3.1-8B-Instruct" },
        new("nvidia/NVIDIA-Nemotron-Nano-9B-v2", "2025-08-12T18:35:34Z", 190_000, 410, 12) { Arch = "nemotron_h", Parameters = 8_888_227_328, License = "other" },
        new("nvidia/parakeet-tdt-0.6b-v2", "2025-05-01T18:24:33Z", 1_400_000, 1_200, 20) { Pipeline = "automatic-speech-recognition", Library = "nemo", License = "cc-by-4.0", Chat = false },

        // Embeddings
        new("BAAI/bge-m3", "2024-01-27T17:07:29Z", 6_100_000, 2_400, 15) { Pipeline = "sentence-similarity", Library = "sentence-transformers", Arch = "xlm-roberta", Dtypes = new Dictionary<string, long> { ["F32"] = 567_754_752 }, License = "mit" },
        new("BAAI/bge-small-en-v1.5", "2023-09-12T05:38:36Z", 4_300_000, 390, 3) { Pipeline = "feature-extraction", Library = "sentence-transformers", Arch = "bert", Dtypes = new Dictionary<string, long> { ["F32"] = 33_360_000 }, License = "mit" },
        new("sentence-transformers/all-MiniLM-L6-v2", "2022-03-02T23:29:04Z", 89_500_000, 4_100, 35) { Pipeline = "sentence-similarity", Library = "sentence-transformers", Arch = "bert", Dtypes = new Dictionary<string, long> { ["F32"] = 22_713_728 } },
        new("sentence-transformers/all-mpnet-base-v2", "2022-03-02T23:29:04Z", 19_000_000, 1_150, 6) { Pipeline = "sentence-similarity", Library = "sentence-transformers", Arch = "mpnet", Dtypes = new Dictionary<string, long> { ["F32"] = 109_486_464 } },

        // Community re-uploads and quantizations of the lab models above.
        new("unsloth/Qwen3-8B-GGUF", "2025-04-28T17:21:59Z", 310_000, 120, 2) { Gguf = true, Base = "Qwen/Qwen3-8B", Relation = "quantized" },
        new("unsloth/gpt-oss-20b-GGUF", "2025-08-05T17:12:17Z", 460_000, 520, 20) { Gguf = true, Base = "openai/gpt-oss-20b", Relation = "quantized" },
        new("unsloth/DeepSeek-R1-GGUF", "2025-01-20T13:09:42Z", 40_000, 1_100, 1) { Gguf = true, Base = "deepseek-ai/DeepSeek-R1", Relation = "quantized", License = "mit" },
        new("unsloth/gemma-3-27b-it-GGUF", "2025-03-12T10:05:08Z", 200_000, 270, 3) { Gguf = true, Pipeline = "image-text-to-text", Base = "google/gemma-3-27b-it", Relation = "quantized", License = "gemma" },
        new("unsloth/Llama-3.1-8B-Instruct", "2024-07-23T15:36:34Z", 120_000, 95, 1) { Arch = "llama", Parameters = 8_030_261_248, License = "llama3.1", Base = "meta-llama/Llama-3.1-8B-Instruct" },
        new("bartowski/Qwen2.5-7B-Instruct-GGUF", "2024-09-19T01:07:53Z", 65_000, 130, 0) { Gguf = true, Base = "Qwen/Qwen2.5-7B-Instruct", Relation = "quantized" },
        new("bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", "2024-07-23T15:44:05Z", 220_000, 240, 1) { Gguf = true, Base = "meta-llama/Llama-3.1-8B-Instruct", Relation = "quantized", License = "llama3.1" },
        new("bartowski/Qwen_QwQ-32B-GGUF", "2025-03-06T01:03:29Z", 40_000, 110, 0) { Gguf = true, Base = "Qwen/QwQ-32B", Relation = "quantized" },
        new("bartowski/zai-org_GLM-4.6-GGUF", "2025-10-01T22:17:45Z", 18_000, 40, 2) { Gguf = true, Base = "zai-org/GLM-4.6", Relation = "quantized", License = "mit" },
        new("lmstudio-community/gpt-oss-20b-GGUF", "2025-08-05T18:30:22Z", 290_000, 60, 3) { Gguf = true, Base = "openai/gpt-oss-20b", Relation = "quantized" },
        new("mlx-community/Qwen3-0.6B-4bit", "2025-04-28T22:39:10Z", 24_000, 8, 0) { Library = "mlx", Arch = "qwen3", Dtypes = new Dictionary<string, long> { ["BF16"] = 37_010_432, ["U32"] = 88_080_384 }, Base = "Qwen/Qwen3-0.6B", Relation = "quantized" },
        new("ibm-granite/granite-4.0-h-small", "2025-10-02T15:43:15Z", 90_000, 300, 20) { Arch = "granitemoehybrid", Parameters = 32_208_066_048 },
        new("allenai/OLMo-2-1124-7B-Instruct", "2024-11-26T04:30:31Z", 45_000, 35, 0) { Arch = "olmo2", Parameters = 7_298_617_344 },
    ];

    private static Dictionary<string, long> DeepSeekV3Weights => new() { ["BF16"] = 3_918_786_560, ["F8_E4M3"] = 680_571_043_840, ["F32"] = 41_555_600 };

    /// <summary>The models, in table order, with lineage resolved and children counted.</summary>
    public static IReadOnlyList<FakeModel> Create()
    {
        var byId = _rows.ToDictionary(r => r.Id, StringComparer.OrdinalIgnoreCase);
        var children = _rows
            .Where(r => r.Base is not null)
            .GroupBy(r => r.Base!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(
                g => g.Key,
                g => g.GroupBy(r => r.Relation).ToDictionary(r => r.Key, r => r.Count()),
                StringComparer.OrdinalIgnoreCase);

        return [.. _rows.Select(row => row.ToModel(byId, children.GetValueOrDefault(row.Id) ?? []))];
    }

    private sealed record Row(string Id, string CreatedAt, long Downloads, long Likes, int TrendingScore)
    {
        public string Pipeline { get; init; } = "text-generation";

        public string? Library { get; init; } = "transformers";

        public string? Arch { get; init; }

        public string License { get; init; } = "apache-2.0";

        /// <summary>BF16 parameter count; <see cref="Dtypes"/> for other or mixed dtypes.</summary>
        public long? Parameters { get; init; }

        public IReadOnlyDictionary<string, long>? Dtypes { get; init; }

        /// <summary>A GGUF repository: no library, no safetensors.</summary>
        public bool Gguf { get; init; }

        public bool Chat { get; init; } = true;

        public string? Gated { get; init; }

        public bool Private { get; init; }

        public string? Base { get; init; }

        public string Relation { get; init; } = "finetune";

        public string? ObjectId { get; init; }

        public IReadOnlyList<string>? VerbatimTags { get; init; }

        public FakeModel ToModel(IReadOnlyDictionary<string, Row> byId, IReadOnlyDictionary<string, int> children)
        {
            var createdAt = DateTimeOffset.Parse(CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var baseRow = Base is null ? null : byId[Base];
            var model = new FakeModel
            {
                Id = Id,
                CreatedAt = createdAt,
                LastModified = Min(createdAt.AddDays(21), _snapshot),
                Downloads = Downloads,
                // Cumulative downloads: roughly 70% of the current monthly rate for every month since creation.
                DownloadsAllTime = Downloads + Downloads * Math.Max(0, (_snapshot - createdAt).Days / 30) * 7 / 10,
                Likes = Likes,
                TrendingScore = TrendingScore,
                PipelineTag = Pipeline,
                LibraryName = Gguf ? null : Library,
                Tags = VerbatimTags ?? DeriveTags(),
                SafetensorsParameters = Gguf ? null : Dtypes ?? (Parameters is { } p ? new Dictionary<string, long> { ["BF16"] = p } : null),
                Gated = Gated,
                Private = Private,
                BaseModels = baseRow is null ? null : new ModelLineage(Relation, [new ModelReference(baseRow.ObjectIdOf(), baseRow.Id)]),
                ChildrenModelCount = children,
            };
            return ObjectId is null ? model : model with { ObjectId = ObjectId };
        }

        private string ObjectIdOf() =>
            ObjectId ?? ModelIdentifiers.ObjectId(Id, DateTimeOffset.Parse(CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));

        // The order the Hub uses: library, weights format, architecture, task, lineage, licence, region.
        private List<string> DeriveTags()
        {
            var tags = new List<string>();
            tags.AddIfNotNull(Gguf ? null : Library);
            tags.Add(Gguf ? "gguf" : "safetensors");
            tags.AddIfNotNull(Arch);
            tags.Add(Pipeline);
            if (Chat && Pipeline is "text-generation" or "image-text-to-text")
            {
                tags.Add("conversational");
            }

            if (Base is not null)
            {
                tags.Add($"base_model:{Base}");
                tags.Add($"base_model:{Relation}:{Base}");
            }

            tags.Add($"license:{License}");
            tags.Add("endpoints_compatible");
            tags.Add("region:us");
            return tags;
        }

        private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
    }
}
