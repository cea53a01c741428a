using OpenModelWatch.FakeHub.Catalogs;

namespace OpenModelWatch.Tests.FakeHub;

public class RealisticCatalogTests
{
    [Fact]
    public void ItHoldsTheWellKnownModelsBetween60And100OfThem()
    {
        var catalog = new RealisticCatalog();

        Assert.InRange(catalog.Models.Count, 60, 100);
        Assert.All(
            new[]
            {
                "Qwen/Qwen3-0.6B", "Qwen/Qwen2.5-7B-Instruct", "meta-llama/Llama-3.1-8B-Instruct", "deepseek-ai/DeepSeek-R1",
                "moonshotai/Kimi-K2-Thinking", "MiniMaxAI/MiniMax-M2", "openai/gpt-oss-20b", "google/gemma-3-27b-it", "zai-org/GLM-4.6",
                "THUDM/glm-4-9b", "microsoft/Phi-4", "BAAI/bge-m3", "sentence-transformers/all-MiniLM-L6-v2",
            },
            id => Assert.NotNull(catalog.Find(id)));
        Assert.Contains(catalog.Models, m => m.Author == "mistralai");
        Assert.Contains(catalog.Models, m => m.Author == "nvidia");
        Assert.Contains(catalog.Models, m => m.Id.StartsWith("bartowski/", StringComparison.Ordinal) && m.Id.EndsWith("-GGUF", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryLineageTagPointsIntoTheCatalog()
    {
        var catalog = new RealisticCatalog();

        var lineageTags = catalog.Models.SelectMany(m => m.Tags.Where(t => t.StartsWith("base_model:", StringComparison.Ordinal)).Select(t => (Model: m, Tag: t))).ToList();

        Assert.True(lineageTags.Count >= 30);
        Assert.All(lineageTags, p =>
        {
            var parent = catalog.Find(p.Tag.Split(':')[^1]);
            Assert.NotNull(parent);
            Assert.Equal(parent.Id, p.Model.BaseModels?.Models.Single().Id);
        });
        Assert.Contains(lineageTags, p => p.Tag == "base_model:quantized:meta-llama/Llama-3.1-8B-Instruct");
        Assert.Equal(2, catalog.Find("meta-llama/Llama-3.1-8B-Instruct")!.ChildrenModelCount["finetune"]);
    }

    [Fact]
    public async Task QwenSpansSeveralPagesAtASmallPageSize()
    {
        var catalog = new RealisticCatalog();
        await using var hub = await FakeHubKit.StartAsync(catalog, maxPageSize: 5);
        using var http = new HttpClient();

        var pages = await FakeHubKit.ReadAllPagesAsync(http, new Uri(hub.BaseAddress, "api/models?author=Qwen&expand=downloads"));

        Assert.True(pages.Count >= 3);
        Assert.Equal(
            catalog.Models.Where(m => m.Author == "Qwen" && !m.Private).Select(m => m.Id),
            pages.SelectMany(p => p.Items).Select(i => i.Id()));
    }
}
