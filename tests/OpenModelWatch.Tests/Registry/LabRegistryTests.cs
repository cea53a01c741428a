using System.Text;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Tests.Registry;

public class LabRegistryTests
{
    private static readonly LabRegistry _shipped = LabRegistry.Load(Repo.Path("seeds", "labs.json"));

    [Fact]
    public void TheShippedRegistryCoversAtLeastEightyLabsEachWithASource()
    {
        Assert.True(_shipped.Labs.Count >= 80, $"{_shipped.Labs.Count} labs");
        Assert.All(_shipped.Labs, lab => Assert.False(string.IsNullOrWhiteSpace(lab.Source)));
    }

    [Theory]
    [InlineData("Qwen", "CN")]
    [InlineData("deepseek-ai", "CN")]
    [InlineData("moonshotai", "CN")]
    [InlineData("ByteDance-Seed", "CN")]
    [InlineData("meituan-longcat", "CN")]
    [InlineData("THUDM", "CN")]
    [InlineData("zai-org", "CN")]
    [InlineData("tencent", "CN")]
    [InlineData("baidu", "CN")]
    [InlineData("MiniMaxAI", "CN")]
    [InlineData("01-ai", "CN")]
    [InlineData("internlm", "CN")]
    [InlineData("BAAI", "CN")]
    [InlineData("XiaomiMiMo", "CN")]
    [InlineData("stepfun-ai", "CN")]
    [InlineData("meta-llama", "US")]
    [InlineData("facebook", "US")]
    [InlineData("openai", "US")]
    [InlineData("google", "US")]
    [InlineData("microsoft", "US")]
    [InlineData("nvidia", "US")]
    [InlineData("mistralai", "FR")]
    [InlineData("HuggingFaceTB", "US")]
    [InlineData("allenai", "US")]
    [InlineData("ibm-granite", "US")]
    [InlineData("apple", "US")]
    [InlineData("CohereLabs", "CA")]
    [InlineData("tiiuae", "AE")]
    [InlineData("stabilityai", "GB")]
    [InlineData("black-forest-labs", "DE")]
    public void EveryLabOfThePublicDebateIsRegisteredWithItsCountry(string ns, string country)
    {
        var lab = _shipped.ForNamespace(ns);
        Assert.NotNull(lab);
        Assert.Equal(country, lab.Country);
    }

    [Theory]
    [InlineData("THUDM", "zai-org")]
    [InlineData("meta-llama", "facebook")]
    [InlineData("CohereForAI", "CohereLabs")]
    public void RenamedNamespacesMapToTheSameLab(string legacy, string current)
    {
        Assert.Equal(_shipped.ForNamespace(current)!.Id, _shipped.ForNamespace(legacy)!.Id);
    }

    [Fact]
    public void NamespacesMatchWhateverTheirCase()
    {
        Assert.Equal(_shipped.ForNamespace("Qwen"), _shipped.ForNamespace("qwen"));
        Assert.Null(_shipped.ForNamespace("some-community-uploader"));
    }

    [Fact]
    public void ADuplicateNamespaceNamesBothLabsAndTheLine()
    {
        var error = Assert.Throws<LabRegistryException>(() => Parse(
            Lab("alpha", "US", "Alpha"),
            Lab("beta", "CN", "Beta"),
            Lab("gamma", "FR", "alpha")));
        Assert.Equal("Lab registry test.json, line 5: duplicate namespace \"alpha\" in lab \"gamma\" (already in lab \"alpha\" on line 3).", error.Message);
    }

    [Fact]
    public void AnUnknownCountryCodeNamesTheLine()
    {
        var error = Assert.Throws<LabRegistryException>(() => Parse(Lab("alpha", "US", "Alpha"), Lab("beta", "ZZ", "Beta")));
        Assert.Equal("Lab registry test.json, line 4: lab \"beta\" has unknown country code \"ZZ\" (ISO 3166-1 alpha-2, upper case).", error.Message);
    }

    [Fact]
    public void ALowerCaseCountryCodeIsRejected()
    {
        var error = Assert.Throws<LabRegistryException>(() => Parse(Lab("alpha", "us", "Alpha")));
        Assert.Contains("line 3", error.Message);
        Assert.Contains("\"us\"", error.Message);
    }

    [Fact]
    public void AnEmptyNameNamesTheLine()
    {
        var error = Assert.Throws<LabRegistryException>(() => Parse(Lab("alpha", "US", "Alpha"), Lab("beta", "CN", "Beta").Replace("\"name\": \"Beta lab\"", "\"name\": \" \"")));
        Assert.Equal("Lab registry test.json, line 4: \"name\" is missing or empty.", error.Message);
    }

    [Fact]
    public void ADuplicateIdNamesTheFirstLine()
    {
        var error = Assert.Throws<LabRegistryException>(() => Parse(Lab("alpha", "US", "A"), Lab("alpha", "US", "B")));
        Assert.Equal("Lab registry test.json, line 4: duplicate id \"alpha\" (first on line 3).", error.Message);
    }

    [Fact]
    public void BrokenJsonNamesTheLine()
    {
        var error = Assert.Throws<LabRegistryException>(() => Parse(Lab("alpha", "US", "A"), "{ \"id\": \"beta\", oops }"));
        Assert.StartsWith("Lab registry test.json, line 4: not valid JSON", error.Message);
    }

    [Fact]
    public void AnUnknownKindIsRejected()
    {
        var error = Assert.Throws<LabRegistryException>(() => Parse(Lab("alpha", "US", "A").Replace("\"company\"", "\"startup\"")));
        Assert.Contains("unknown kind \"startup\"", error.Message);
    }

    [Fact]
    public void AValidFileLoadsEveryLabAndNamespace()
    {
        var registry = Parse(Lab("alpha", "US", "Alpha"), Lab("beta", "CN", "Beta"));
        Assert.Equal(2, registry.Labs.Count);
        Assert.Equal("China", registry.ForNamespace("beta")!.Region);
    }

    private static string Lab(string id, string country, string ns) =>
        $"{{ \"id\": \"{id}\", \"name\": \"{char.ToUpperInvariant(id[0])}{id[1..]} lab\", \"organization\": \"Org\", \"country\": \"{country}\", \"kind\": \"company\", \"namespaces\": [\"{ns}\"], \"source\": \"https://example.org\" }}";

    /// <summary>Line 1 is the opening brace, line 2 the "labs" key, each lab on its own line from line 3.</summary>
    private static LabRegistry Parse(params string[] labs) =>
        LabRegistry.Parse(Encoding.UTF8.GetBytes("{\n  \"version\": 1, \"labs\": [\n" + string.Join(",\n", labs) + "\n]}\n"), "test.json");
}
