using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Tests.Reading;

/// <summary>Words and numbers as a person writes them: plurals, ratios, relations, and a failed run in one clause.</summary>
public sealed class WordsTests
{
    [Theory]
    [InlineData(1.0, "1.0×")]
    [InlineData(9.1234, "9.1×")]
    [InlineData(9.96, "10×")]
    [InlineData(42.4, "42×")]
    [InlineData(909.6, "910×")]
    [InlineData(999.4, "999×")]
    [InlineData(999.6, "about 1,000 times as many")]
    [InlineData(89783.24, "about 90,000 times as many")]
    [InlineData(1234567.0, "about 1,200,000 times as many")]
    [InlineData(double.PositiveInfinity, "–")]
    public void RatiosReadAsAPersonWritesThem(double ratio, string expected) => Assert.Equal(expected, Format.Ratio(ratio));

    [Theory]
    [InlineData(0, "0 models")]
    [InlineData(1, "1 model")]
    [InlineData(2, "2 models")]
    [InlineData(12345, "12,345 models")]
    public void CountsTakeTheSingularForOne(long count, string expected) => Assert.Equal(expected, Format.Count(count, "model"));

    [Fact]
    public void IrregularPluralsAreGiven()
    {
        Assert.Equal("1 country", Format.Count(1, "country", "countries"));
        Assert.Equal("3 countries", Format.Count(3, "country", "countries"));
    }

    [Theory]
    [InlineData("quantized", "A", "quantization")]
    [InlineData("finetune", "A", "fine-tune")]
    [InlineData("adapter", "An", "adapter")]
    [InlineData("merge", "A", "merge")]
    [InlineData(null, "A", "derivative")]
    public void RelationsAreNouns(string? relation, string article, string noun) =>
        Assert.Equal((article, noun), Format.Relation(relation));

    [Fact]
    public void DecimalsHaveOneDigit()
    {
        Assert.Equal("3.1", Format.Decimal(3.14159));
        Assert.Equal("2.0", Format.Decimal(2));
    }

    private const string LongUrl = "https://huggingface.co/api/models?sort=downloads&direction=-1&limit=1000&expand[]=downloads&expand[]=downloadsAllTime&expand[]=likes&expand[]=trendingScore&expand[]=pipeline_tag&expand[]=library_name&expand[]=createdAt&expand[]=tags&expand[]=cardData&expand[]=safetensors&expand[]=gguf";

    [Theory]
    [InlineData($"GET {LongUrl} failed after 5 attempts: Name or service not known (huggingface.co:443); last status none", "The Hub could not be reached (DNS lookup of huggingface.co failed)")]
    [InlineData($"GET {LongUrl} failed after 5 attempts: Resource temporarily unavailable (huggingface.co:443); last status none", "The Hub could not be reached (DNS lookup of huggingface.co failed)")]
    [InlineData($"GET {LongUrl} failed after 3 attempts: Connection refused (huggingface.co:443); last status none", "The Hub could not be reached (huggingface.co refused the connection)")]
    [InlineData($"GET {LongUrl} failed after 5 attempts: timed out; last status none", "The Hub could not be reached (requests to huggingface.co timed out, 5 attempts)")]
    [InlineData($"GET {LongUrl} failed after 5 attempts; last status 500 Internal Server Error", "The Hub answered 500 Internal Server Error (5 attempts)")]
    [InlineData($"GET {LongUrl} failed after 1 attempt; last status 401 Unauthorized", "The Hub answered 401 Unauthorized (1 attempt)")]
    [InlineData($"GET {LongUrl} failed after 8 attempts; last status 429 Too Many Requests", "The Hub kept refusing requests over its rate limit (429 Too Many Requests, 8 attempts)")]
    [InlineData($"GET {LongUrl} failed after 5 attempts: the body was not valid JSON ('x' is invalid); last status 200", "The Hub sent a page that was not valid JSON (5 attempts)")]
    [InlineData($"GET {LongUrl} was already read in this listing: the Link header loops back", "GET huggingface.co was already read in this listing: the Link header loops back")]
    [InlineData("Cancelled: the host stopped during the run.", "Cancelled: the host stopped during the run")]
    [InlineData("  ", "No reason was recorded")]
    public void AFailedRunIsOneShortClauseWithoutTheRequest(string error, string expected)
    {
        var summary = RunFailure.Summary(error);
        Assert.Equal(expected, summary);
        Assert.DoesNotContain("expand", summary, StringComparison.Ordinal);
    }
}
