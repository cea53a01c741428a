using Bunit;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Overview;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Tests.Components;

/// <summary>The overview's sentences, rendered: exact words for one and for many, and ratios a person would write.</summary>
public sealed class WordingTests : IAsyncDisposable
{
    private readonly BunitContext _context = BunitSetup.NewContext();

    [Fact]
    public void OneModelIsChineseAndManyAre()
    {
        var line = _context.Render<CompositionLine>(parameters => parameters
            .Add(p => p.Title, "top 4 models by 30-day downloads")
            .Add(p => p.Composition, new TopComposition(4, [Model(Regions.China), Model(Regions.Us), Model(Regions.Us), Model(Regions.Community)]))
            .Add(p => p.TestId, "top4")
            .Add(p => p.Regions, [Regions.China, Regions.Us, Regions.Europe, Regions.Community]));

        Assert.Equal("Of the top 4 models by 30-day downloads, 1 is Chinese, 2 US, 0 European and 1 community upload.",
            Words(line.Find(".mud-typography").TextContent));
    }

    [Fact]
    public void ManyChineseModelsAre()
    {
        var line = _context.Render<CompositionLine>(parameters => parameters
            .Add(p => p.Title, "top 3 models by 30-day downloads")
            .Add(p => p.Composition, new TopComposition(3, [Model(Regions.China), Model(Regions.China), Model(Regions.Community)]))
            .Add(p => p.TestId, "top3")
            .Add(p => p.Regions, [Regions.China, Regions.Community]));

        Assert.Equal("Of the top 3 models by 30-day downloads, 2 are Chinese and 1 community upload.", Words(line.Find(".mud-typography").TextContent));
    }

    [Theory]
    [InlineData(9_100_000, 1_000_000, "Qwen leads Llama: 9.1M against 1M 30-day downloads (9.1×).")]
    [InlineData(8_978_324, 100, "Qwen leads Llama: 9M against 100 30-day downloads (about 90,000 times as many).")]
    [InlineData(5, 1, "Qwen leads Llama: 5 against 1 30-day downloads (5.0×).")]
    public void QwenAgainstLlamaReadsAsAPersonWritesIt(long qwen, long llama, string expected)
    {
        var line = _context.Render<QwenVsLlamaLine>(parameters => parameters.Add(p => p.Comparison,
            new QwenVsLlama(new ComparedModels("Qwen", "models of Qwen", 1, qwen), new ComparedModels("Llama", "models of meta-llama", 2, llama))));

        Assert.Equal(expected, Words(line.Find(".mud-typography").TextContent));
        Assert.StartsWith("Qwen: models of Qwen, 1 model. Llama: models of meta-llama, 2 models.", line.FindComponent<Term>().Instance.Text, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();

    private static string Words(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    private static ModelItem Model(string region) =>
        new($"org/{Guid.NewGuid():N}", "org", null, null, "XX", region, null, null, null, null, null, 1, null, null, null, null, null, null, true);

}
