using System.Text.RegularExpressions;
using System.Xml.Linq;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Localization;

/// <summary>
/// <c>Texts.resx</c> (English) and <c>Texts.es.resx</c> (Spanish) hold the same keys, none empty, with the same
/// placeholders; and every key the code asks for (<c>T["Key"]</c>, <c>T["Key", ...]</c>, <c>T.Plural("Key", n)</c>)
/// is in <c>Texts.resx</c>, so no page shows a bare key.
/// </summary>
public sealed partial class ResourceKeyTests
{
    private static readonly string _folder = Repo.Path("src", "OpenModelWatch.Web", "Localization");

    [Fact]
    public void BothLanguagesHaveTheSameKeysNoneEmptyAndNoneTwice()
    {
        var english = Read("Texts.resx");
        var spanish = Read("Texts.es.resx");

        Assert.Empty(Duplicates("Texts.resx"));
        Assert.Empty(Duplicates("Texts.es.resx"));
        Assert.True(english.Count > 0);
        var onlyEnglish = english.Keys.Except(spanish.Keys).Order(StringComparer.Ordinal).ToArray();
        var onlySpanish = spanish.Keys.Except(english.Keys).Order(StringComparer.Ordinal).ToArray();
        Assert.True(onlyEnglish.Length == 0, "Keys missing from Texts.es.resx: " + string.Join(", ", onlyEnglish));
        Assert.True(onlySpanish.Length == 0, "Keys missing from Texts.resx: " + string.Join(", ", onlySpanish));
        var empty = english.Concat(spanish).Where(pair => string.IsNullOrWhiteSpace(pair.Value)).Select(pair => pair.Key).ToArray();
        Assert.True(empty.Length == 0, "Empty values: " + string.Join(", ", empty));
    }

    /// <summary>A placeholder only one language has would throw (a missing argument) or drop a figure.</summary>
    [Fact]
    public void BothLanguagesUseTheSamePlaceholders()
    {
        var spanish = Read("Texts.es.resx");
        var different = Read("Texts.resx")
            .Where(pair => spanish.TryGetValue(pair.Key, out var es) && !Placeholders(pair.Value).SetEquals(Placeholders(es)))
            .Select(pair => $"{pair.Key}: \"{pair.Value}\" / \"{spanish[pair.Key]}\"")
            .ToArray();

        Assert.True(different.Length == 0, "Different placeholders:\n" + string.Join("\n", different));
    }

    [Fact]
    public void EveryKeyTheCodeAsksForExists()
    {
        var keys = Read("Texts.resx").Keys.ToHashSet(StringComparer.Ordinal);
        var root = Repo.Path("src", "OpenModelWatch.Web");
        var missing = new List<string>();
        var asked = 0;
        foreach (var file in Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
                     .Where(file => file.EndsWith(".razor", StringComparison.Ordinal) || file.EndsWith(".cs", StringComparison.Ordinal))
                     .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (var key in KeysAskedFor(lines[i]))
                {
                    asked++;
                    if (!keys.Contains(key))
                    {
                        missing.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {key}");
                    }
                }
            }
        }

        Assert.True(asked > 100, $"only {asked} keys found: is the pattern still right?");
        Assert.True(missing.Count == 0, "Keys not in Texts.resx:\n" + string.Join("\n", missing));
    }

    /// <summary>The pattern finds what the pages write, and only that.</summary>
    [Fact]
    public void TheKeyPatternFindsLiteralKeysAndPlurals()
    {
        const string line = """<th>@T["Labs.Col.Lab"]</th> @T["Labs.ChangeSince", run] @T.Plural("Labs.WithModels", n) headers["Content-Type"] T[dynamic]""";

        Assert.Equal(["Labs.Col.Lab", "Labs.ChangeSince", "Labs.WithModels.One", "Labs.WithModels.Other"], KeysAskedFor(line));
    }

    private static IReadOnlyList<string> KeysAskedFor(string line) =>
        [
            .. Indexed().Matches(line).Select(match => match.Groups["key"].Value),
            .. Plural().Matches(line).SelectMany(match => new[] { match.Groups["key"].Value + ".One", match.Groups["key"].Value + ".Other" }),
        ];

    private static Dictionary<string, string> Read(string name) =>
        XDocument.Load(Path.Combine(_folder, name)).Root!.Elements("data")
            .GroupBy(data => (string)data.Attribute("name")!)
            .ToDictionary(group => group.Key, group => (string?)group.First().Element("value") ?? "", StringComparer.Ordinal);

    private static string[] Duplicates(string name) =>
        [.. XDocument.Load(Path.Combine(_folder, name)).Root!.Elements("data").GroupBy(data => (string)data.Attribute("name")!).Where(group => group.Count() > 1).Select(group => group.Key)];

    private static HashSet<string> Placeholders(string value) => [.. Placeholder().Matches(value).Select(match => match.Groups[1].Value)];

    /// <summary><c>T["Key"]</c> or <c>T["Key", args]</c>: a localizer (named T, L or *localizer/*texts) indexed by a dotted literal key.</summary>
    [GeneratedRegex("""\b(?:T|L|\w*[Ll]ocalizer|_texts)\[\s*"(?<key>[A-Za-z][\w.-]*)"\s*[\],]""")]
    private static partial Regex Indexed();

    [GeneratedRegex("""\.Plural\(\s*"(?<key>[A-Za-z][\w.-]*)"\s*,""")]
    private static partial Regex Plural();

    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();
}
