using System.Text.Json;
using OpenModelWatch.Hub;

namespace OpenModelWatch.Tests.HubClient;

public class RecordParsingTests
{
    [Fact]
    public void LineageReadsBareAndExplicitRelations()
    {
        string[] tags =
        [
            "transformers", "base_model:Qwen/Qwen3-8B-Base", "base_model:finetune:Qwen/Qwen3-8B-Base",
            "license:apache-2.0", "region:us",
        ];
        Assert.Equal([new HubLineageEdge("Qwen/Qwen3-8B-Base", LineageRelation.Finetune)], HubTags.Lineage(tags));
        Assert.Equal("apache-2.0", HubTags.License(tags));
    }

    [Fact]
    public void ABareBaseModelTagIsAFinetune()
    {
        Assert.Equal([new HubLineageEdge("meta-llama/Llama-3.1-8B", LineageRelation.Finetune)], HubTags.Lineage(["base_model:meta-llama/Llama-3.1-8B"]));
    }

    [Fact]
    public void TheExplicitRelationWinsWhicheverTagComesFirst()
    {
        var edges = HubTags.Lineage(["base_model:quantized:deepseek-ai/DeepSeek-R1", "base_model:deepseek-ai/DeepSeek-R1"]);
        Assert.Equal([new HubLineageEdge("deepseek-ai/DeepSeek-R1", LineageRelation.Quantized)], edges);
    }

    [Fact]
    public void AMergeListsEveryParentOnceInOrder()
    {
        var edges = HubTags.Lineage(
        [
            "base_model:Qwen/Qwen2.5-7B", "base_model:merge:Qwen/Qwen2.5-7B",
            "base_model:mistralai/Mistral-7B-v0.1", "base_model:merge:mistralai/Mistral-7B-v0.1",
        ]);
        Assert.Equal(
            [new HubLineageEdge("Qwen/Qwen2.5-7B", LineageRelation.Merge), new HubLineageEdge("mistralai/Mistral-7B-v0.1", LineageRelation.Merge)],
            edges);
    }

    [Theory]
    [InlineData("base_model:adapter:google/gemma-3-4b-it", LineageRelation.Adapter)]
    [InlineData("base_model:quantized:openai/gpt-oss-20b", LineageRelation.Quantized)]
    [InlineData("base_model:merge:a/b", LineageRelation.Merge)]
    public void EachRelationIsRead(string tag, LineageRelation relation)
    {
        Assert.Equal(relation, Assert.Single(HubTags.Lineage([tag])).Relation);
    }

    [Theory]
    [InlineData("base_model:")]
    [InlineData("base_model:no-slash")]
    [InlineData("base_model:distill:a/b")]
    [InlineData("base_model:a/b/c")]
    [InlineData("base_model:/b")]
    public void MalformedLineageTagsAreIgnored(string tag)
    {
        Assert.Empty(HubTags.Lineage([tag, null]));
    }

    [Fact]
    public void CountsKeepNullMissingAndNonNumericApart()
    {
        const string json = """
            [{"id":"a/ok","downloads":5119,"downloadsAllTime":1099511627776,"likes":578,"trendingScore":580.0,"safetensors":{"total":8030261248}},
             {"id":"a/bad","downloads":null,"likes":"12k","trendingScore":1.5,"safetensors":{"parameters":{"BF16":1}}}]
            """;
        var models = JsonSerializer.Deserialize(json, HubJsonContext.Default.ListHubModel)!;

        Assert.Equal(HubCount.Of(5119), models[0].Downloads);
        Assert.Equal(HubCount.Of(1L << 40), models[0].DownloadsAllTime);
        Assert.Equal(HubCount.Of(580), models[0].TrendingScore);
        Assert.Equal(8030261248, models[0].Parameters);
        Assert.Equal(HubCountState.Null, models[1].Downloads.State);
        Assert.Equal(HubCountState.Missing, models[1].DownloadsAllTime.State);
        Assert.Equal(HubCountState.Invalid, models[1].Likes.State);
        Assert.Equal(HubCountState.Invalid, models[1].TrendingScore.State);
        Assert.Null(models[1].Parameters);
    }

    [Fact]
    public async Task ABadCountDeepInAStreamedPageRejectsOnlyItsRecord()
    {
        // Big enough that the serializer reads the stream in several chunks: the bad values land in a partial buffer.
        var items = Enumerable.Range(0, 2000).Select(i => i switch
        {
            1500 => "{\"id\":\"a/m1500\",\"downloads\":\"12k\",\"likes\":{\"nested\":[1,2]}}",
            _ => $"{{\"id\":\"a/m{i}\",\"downloads\":{i},\"likes\":1,\"tags\":[\"license:mit\"]}}",
        });
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("[" + string.Join(',', items) + "]"));

        var models = (await JsonSerializer.DeserializeAsync(stream, HubJsonContext.Default.ListHubModel, TestContext.Current.CancellationToken))!;

        Assert.Equal(2000, models.Count);
        Assert.Equal((HubCountState.Invalid, HubCountState.Invalid), (models[1500].Downloads.State, models[1500].Likes.State));
        Assert.Equal(HubCount.Of(1999), models[1999].Downloads);
    }

    [Fact]
    public void TheRealHubItemParses()
    {
        const string json = """{"_id":"68f8dfe68cb208be9702aa87","id":"MiniMaxAI/MiniMax-M2","likes":1178,"trendingScore":319,"private":false,"downloads":846249,"tags":["transformers","safetensors","minimax_m2","text-generation","conversational","custom_code","arxiv:2504.07164","license:mit","autotrain_compatible","fp8","region:us"],"pipeline_tag":"text-generation","library_name":"transformers","createdAt":"2025-10-22T13:45:10.000Z","modelId":"MiniMaxAI/MiniMax-M2"}""";
        var model = JsonSerializer.Deserialize(json, HubJsonContext.Default.HubModel)!;

        Assert.Equal("MiniMaxAI", model.Namespace);
        Assert.Equal(846249, model.Downloads.Value);
        Assert.Equal(1178, model.Likes.Value);
        Assert.Equal("mit", model.License);
        Assert.Equal("text-generation", model.PipelineTag);
        Assert.Equal(new DateTimeOffset(2025, 10, 22, 13, 45, 10, TimeSpan.Zero), model.CreatedAtUtc);
        Assert.Empty(model.Lineage);
    }
}
