using System.Globalization;
using System.Text;

namespace OpenModelWatch.FakeHub.HubStats;

/// <summary>
/// A whole-Hub day of generated rows with realistic shapes: a heavy tail of downloads (most models a handful, a few
/// hundreds of millions), about 30% of models by registered labs' namespaces, 40% with declared parents
/// (<c>baseModels</c> and the matching <c>base_model:</c> tags: finetunes, quantizations, adapters, merges of two or
/// three), a dozen tags a model, card data on 60% (about a kilobyte), a parameter count on 45%. Deterministic per seed.
/// </summary>
public static class GeneratedHubStats
{
    private static readonly string[] _labs = ["Qwen", "meta-llama", "google", "mistralai", "deepseek-ai", "microsoft", "nvidia", "ibm-granite", "allenai", "openai"];
    private static readonly string[] _tasks = ["text-generation", "text-classification", "image-text-to-text", "feature-extraction", "automatic-speech-recognition", "text-to-image"];
    private static readonly string[] _libraries = ["transformers", "peft", "gguf", "diffusers", "sentence-transformers", "mlx"];
    private static readonly string[] _licenses = ["apache-2.0", "mit", "llama3.1", "other", "cc-by-4.0", "gemma"];
    private static readonly string[] _relations = ["finetune", "quantized", "adapter", "merge"];
    private static readonly string _filler = new('x', 900);

    public static IEnumerable<HubStatsRow> Rows(int count, int seed = 7)
    {
        var random = new Random(seed);
        var start = new DateTime(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < count; i++)
        {
            var ns = random.NextDouble() < 0.3 ? _labs[random.Next(_labs.Length)] : "user" + random.Next(Math.Max(1, count / 10)).ToString(CultureInfo.InvariantCulture);
            var id = $"{ns}/model-{i.ToString("D7", CultureInfo.InvariantCulture)}";
            var downloads = (long)Math.Min(4e8, Math.Exp(random.NextDouble() * random.NextDouble() * 20)) - 1;
            var created = start.AddMinutes(random.Next(0, 4 * 365 * 24 * 60));
            var tags = new List<string> { "transformers", "safetensors", "pytorch", _tasks[random.Next(_tasks.Length)], "en", "autotrain_compatible", "endpoints_compatible", "region:us" };
            if (random.NextDouble() < 0.7)
            {
                tags.Add("license:" + _licenses[random.Next(_licenses.Length)]);
            }

            string? relation = null;
            string[]? parents = null;
            if (i > 10 && random.NextDouble() < 0.4)
            {
                relation = _relations[Math.Min(3, (int)(random.NextDouble() * random.NextDouble() * 4.4))];
                parents = Enumerable.Range(0, relation == "merge" ? random.Next(2, 4) : 1)
                    .Select(_ => random.Next(i)).Distinct()
                    .Select(parent => $"{(parent % 3 == 0 ? _labs[parent % _labs.Length] : "user" + (parent % Math.Max(1, count / 10)).ToString(CultureInfo.InvariantCulture))}/model-{parent.ToString("D7", CultureInfo.InvariantCulture)}")
                    .ToArray();
                foreach (var parent in parents)
                {
                    tags.Add("base_model:" + parent);
                    tags.Add($"base_model:{relation}:{parent}");
                }
            }

            var trending = random.NextDouble() < 0.9 ? 0 : random.Next(1, 500) + (random.NextDouble() < 0.01 ? 0.5 : 0);
            yield return new HubStatsRow(id)
            {
                CreatedAt = created,
                LastModified = created.AddDays(random.Next(0, 200)),
                Downloads = downloads,
                DownloadsAllTime = downloads * (1 + random.Next(0, 20)),
                Likes = downloads / 1000 + random.Next(0, 5),
                TrendingScore = trending,
                Tags = tags,
                CardData = random.NextDouble() < 0.6 ? Card(random, tags) : null,
                SafetensorsTotal = random.NextDouble() < 0.45 ? random.NextInt64(10_000_000, 80_000_000_000) : null,
                Relation = relation,
                Parents = parents,
                PipelineTag = random.NextDouble() < 0.8 ? _tasks[random.Next(_tasks.Length)] : null,
                LibraryName = random.NextDouble() < 0.85 ? _libraries[random.Next(_libraries.Length)] : null,
            };
        }
    }

    /// <summary>Card metadata of about a kilobyte, with the licence its tags name (as the Hub derives the tag from the card).</summary>
    private static string Card(Random random, List<string> tags)
    {
        var card = new StringBuilder("{\"language\": [\"en\"], ");
        if (tags.FirstOrDefault(tag => tag.StartsWith("license:", StringComparison.Ordinal)) is { } license)
        {
            card.Append("\"license\": \"").Append(license["license:".Length..]).Append("\", ");
        }

        return card.Append("\"description\": \"").Append(_filler, 0, random.Next(300, 900)).Append("\"}").ToString();
    }
}
