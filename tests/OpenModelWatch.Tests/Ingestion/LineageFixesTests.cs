using System.Text;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Tests.Ingestion;

/// <summary>The curated lineage file: validated like the registry, every error naming the file and the line.</summary>
public class LineageFixesTests
{
    private const string Good = """{ "model": "a/one", "upstream": "lab/base", "relation": "finetune", "source": "https://example.org/a", "note": "stated" }""";

    [Theory]
    [InlineData("""{ "model": "not-an-id", "upstream": "lab/base", "relation": "finetune", "source": "https://example.org/a", "note": "n" }""", "line 3: model \"not-an-id\" is not a Hub model id")]
    [InlineData("""{ "model": "a/two", "upstream": "lab/base/extra", "relation": "finetune", "source": "https://example.org/a", "note": "n" }""", "line 3: upstream \"lab/base/extra\" is not a Hub model id")]
    [InlineData("""{ "model": "a/two", "upstream": "lab/base", "relation": "finetune", "note": "n" }""", "line 3: \"source\" is missing or empty")]
    [InlineData("""{ "model": "a/two", "upstream": "lab/base", "relation": "finetune", "source": "my memory", "note": "n" }""", "line 3: \"a/two\" has source \"my memory\", not an http(s) URL")]
    [InlineData("""{ "model": "A/One", "upstream": "lab/other", "relation": "finetune", "source": "https://example.org/a", "note": "n" }""", "line 3: duplicate fix for \"A/One\" (first on line 2)")]
    [InlineData("""{ "model": "a/two", "upstream": "a/two", "relation": "finetune", "source": "https://example.org/a", "note": "n" }""", "line 3: \"a/two\" is its own upstream, a loop")]
    [InlineData("""{ "model": "lab/base", "upstream": "a/one", "relation": "finetune", "source": "https://example.org/a", "note": "n" }""", "line 2: the fixes make a loop (a/one → lab/base → a/one)")]
    [InlineData("""{ "model": "a/two", "upstream": "lab/base", "relation": "cousin", "source": "https://example.org/a", "note": "n" }""", "line 3: \"a/two\" has unknown relation \"cousin\"")]
    [InlineData("""{ "model": "a/two", "upstream": "lab/base", "relation": "finetune", "source": "https://example.org/a" }""", "line 3: \"note\" is missing or empty")]
    [InlineData("""{ "model": "a/two", "upstream": """, ", line 4: not valid JSON")]
    public void AnInvalidFixIsRejectedNamingTheFileAndTheLine(string second, string expected)
    {
        var json = "{ \"version\": 1, \"fixes\": [\n" + Good + ",\n" + second + "\n] }\n";

        var error = Assert.Throws<LineageFixesException>(() => LineageFixes.Parse(Encoding.UTF8.GetBytes(json), "test/lineage.json"));

        Assert.StartsWith("Lineage fixes test/lineage.json, ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AFileWithoutAFixesArrayIsRejected()
    {
        var error = Assert.Throws<LineageFixesException>(() => LineageFixes.Parse("""{ "version": 1 }"""u8, "x.json"));
        Assert.Equal("Lineage fixes x.json: no \"fixes\" array.", error.Message);
    }

    [Fact]
    public void TheBundledFileLoadsAndEveryUpstreamIsInARegisteredNamespace()
    {
        var fixes = LineageFixes.Load(Repo.Path("seeds", "lineage.json"));
        var registry = LabRegistry.Load(Repo.Path("seeds", "labs.json"));

        Assert.NotEmpty(fixes.Fixes);
        Assert.All(fixes.Fixes, fix => Assert.NotNull(registry.ForNamespace(fix.Upstream.Split('/')[0])));
        Assert.Equal("microsoft/MiniLM-L12-H384-uncased", fixes.For("NREIMERS/MiniLM-L6-H384-uncased")?.Upstream);
    }
}
