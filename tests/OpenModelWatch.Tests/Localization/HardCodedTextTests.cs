using System.Text;
using System.Text.RegularExpressions;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Localization;

/// <summary>
/// No <c>.razor</c> file renders a hard-coded user-facing English sentence: every text node and every attribute a reader
/// sees or hears (title, aria-label, Label, Text...) comes from <c>Texts.resx</c> through <c>IStringLocalizer</c>. The scan
/// blanks out what Razor computes (<c>@</c> expressions, code blocks, comments, C# statement lines) and fails, with
/// file:line, on any literal left that holds a word of letters not in the small allow-list of names and codes.
/// </summary>
public sealed partial class HardCodedTextTests
{
    /// <summary>
    /// Names and codes that read the same in every language. Keep it small: a word here is never translated.
    /// </summary>
    private static readonly HashSet<string> _allowedWords = new(StringComparer.Ordinal)
    {
        "OpenModelWatch", // the product
        "Qwen", "Llama", "GitHub", "Hugging", "Face", "ATOM", // names
        "CSV", "PNG", "SVG", "JSON", "API", "HHI", "UTC", // codes and formats
    };

    /// <summary>
    /// Long prose kept as one component per language, chosen by the reader's culture (the Methodology: a text reads and
    /// is reviewed better whole than as hundreds of keys). A new language adds its own file here and beside them.
    /// </summary>
    private static readonly HashSet<string> _onePerLanguage = new(StringComparer.Ordinal)
    {
        "Methodology/MethodologyEn.razor",
        "Methodology/MethodologyEs.razor",
    };

    /// <summary>Attributes a reader sees (tooltips, labels, texts) or hears (aria-label); compared case-insensitively.</summary>
    private static readonly HashSet<string> _visibleAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "title", "aria-label", "aria-description", "alt", "placeholder", "label", "text", "helpertext", "tooltip", "embedtitle", "ytitle",
        "adornmentarialabel", "confirmtext", "canceltext",
    };

    private static readonly string[] _controlKeywords = ["if", "else", "foreach", "for", "while", "switch", "using", "try", "catch", "finally", "do", "lock"];

    [Fact]
    public void NoRazorFileRendersAHardCodedEnglishText()
    {
        var root = Repo.Path("src", "OpenModelWatch.Web");
        var findings = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.razor", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (_onePerLanguage.Contains(relative))
            {
                continue;
            }

            findings.AddRange(Scan(File.ReadAllText(file)).Select(finding => $"{relative}:{finding.Line}: {finding.Text}"));
        }

        Assert.True(findings.Count == 0, $"{findings.Count} hard-coded texts (use T[\"Key\"] from Texts.resx):\n" + string.Join("\n", findings));
    }

    [Fact]
    public void TheOnePerLanguageListNamesOnlyFilesThatExist()
    {
        var root = Repo.Path("src", "OpenModelWatch.Web");
        Assert.All(_onePerLanguage, relative => Assert.True(File.Exists(Path.Combine(root, relative)), $"{relative} does not exist"));
    }

    /// <summary>The scan itself finds English where it is and nothing where Razor computes the text.</summary>
    [Fact]
    public void TheScanFindsHardCodedTextsAndOnlyThose()
    {
        const string sample = """
            @page "/sample"
            @* A comment: Razor drops it. *@
            @inject IStringLocalizer<Texts> T
            <PageTitle>@T["Sample.Title"] · OpenModelWatch</PageTitle>
            <MudText Typo="Typo.h4">Hello reader</MudText>
            <MudLink Href="/x" title="Open the list">@T["Sample.Link"]</MudLink> <a href="/api">/api/v1/labs</a> <code>ingest</code>
            <MudSwitch Label="@T["Sample.Label"]" aria-label="@(T["Sample.Aria"])" Class="omw-muted" @bind-Value="_on" @onclick="() => Go(1)" />
            @if (_shown) { <span>@Format.Exact(1)</span> } else { <span>—</span> }
            @foreach (var item in Items)
            {
                var total = item.Count;
                <td class="omw-right" title="@item.Name">#@item.Id (@total)</td>
                <sup title="CSV">A</sup>
            }
            <Sparkline Label="Trend of the lab" Values="values.Select(v => v * 2).ToArray()" />
            <p>
              @T["Sample.Before"]<Term Name="hhi" Text="@T["Sample.Term"]" />: 10,000 · 1×.
              Still English here.
            </p>
            @code {
                private string Words() => "Not rendered as markup";
            }
            """;

        var findings = Scan(sample).Select(finding => $"{finding.Line}: {finding.Text}").ToArray();

        Assert.Equal(["5: Hello reader", "6: title=\"Open the list\"", "15: Label=\"Trend of the lab\"", "18: Still English here."], findings);
    }

    /// <summary>The literal texts of a Razor file that hold a word not in the allow-list, with their line.</summary>
    public static IReadOnlyList<(int Line, string Text)> Scan(string razor)
    {
        var text = new StringBuilder(razor);
        Blank(text, CodeSections());
        Blank(text, Comments());
        Blank(text, Elements("style"));
        Blank(text, Elements("script"));
        // Code samples, configuration keys and commands read the same in every language.
        Blank(text, Elements("code"));
        // Directive attributes (@onclick="...", @bind-Value="...", @rendermode="..."): plain attributes to the tag parser.
        foreach (Match directive in DirectiveAttribute().Matches(text.ToString()))
        {
            text[directive.Index] = '_';
        }

        BlankCode(text);

        var markup = text.ToString();
        var findings = new List<(int, string)>();
        var position = 0;
        foreach (Match tag in Tag().Matches(markup))
        {
            Check(markup[position..tag.Index], position);
            foreach (Match attribute in Attribute().Matches(tag.Value))
            {
                var name = attribute.Groups["name"].Value;
                if (_visibleAttributes.Contains(name) && HasWords(attribute.Groups["value"].Value))
                {
                    findings.Add((LineOf(markup, tag.Index + attribute.Index), $"{name}=\"{attribute.Groups["value"].Value.Trim()}\""));
                }
            }

            position = tag.Index + tag.Length;
        }

        Check(markup[position..], position);
        return findings;

        // One finding per line of a text node, so each points at its own line.
        void Check(string node, int start)
        {
            var offset = 0;
            foreach (var line in node.Split('\n'))
            {
                if (HasWords(line))
                {
                    findings.Add((LineOf(markup, start + offset), Regex.Replace(line.Trim(), @"\s+", " ")));
                }

                offset += line.Length + 1;
            }
        }
    }

    /// <summary>True when the literal holds a word of two letters or more that is not an allowed name or code.</summary>
    private static bool HasWords(string literal) =>
        Word().Matches(Address().Replace(Regex.Replace(literal, "&[a-zA-Z]+;|&#[0-9]+;", " "), " ")).Any(word => !_allowedWords.Contains(word.Value) && !_controlKeywords.Contains(word.Value));

    /// <summary>Blanks out (keeping lines) everything Razor computes: @(...), @name.member[...](...), @if (...) headers, @{ ... }.</summary>
    private static void BlankCode(StringBuilder text)
    {
        var source = text.ToString();
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] != '@')
            {
                continue;
            }

            var start = i;
            var j = i + 1;
            if (j < source.Length && source[j] == '@')
            {
                Blank(text, start, j + 1);
                i = j;
                continue;
            }

            if (j < source.Length && source[j] is '(' or '{')
            {
                j = SkipBalanced(source, j);
            }
            else
            {
                var nameStart = j;
                while (j < source.Length && (char.IsLetterOrDigit(source[j]) || source[j] is '_' or '.' or '?' or '!'))
                {
                    j++;
                }

                var name = source[nameStart..j];
                if (_controlKeywords.Contains(name) || name is "page" or "inject" or "using" or "implements" or "layout" or "attribute" or "rendermode" or "typeparam" or "namespace" or "inherits")
                {
                    // A directive runs to the end of its line; a control statement's header to its opening brace.
                    j = name is "page" or "inject" or "using" or "implements" or "layout" or "attribute" or "rendermode" or "typeparam" or "namespace" or "inherits"
                        ? LineEnd(source, j)
                        : HeaderEnd(source, j);
                }
                else
                {
                    while (j < source.Length && source[j] is '[' or '(')
                    {
                        j = SkipBalanced(source, j);
                        while (j < source.Length && (char.IsLetterOrDigit(source[j]) || source[j] is '_' or '.' or '?' or '!'))
                        {
                            j++;
                        }
                    }

                    // A trailing dot ends the sentence, not the expression.
                    while (j > nameStart && source[j - 1] == '.')
                    {
                        j--;
                    }
                }
            }

            Blank(text, start, j);
            i = j - 1;
        }

        // C# statements between markup inside code blocks: lines that are not markup and end like code.
        var lines = text.ToString().Split('\n');
        var offset = 0;
        foreach (var line in lines)
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0 && trimmed[0] != '<' && (trimmed.EndsWith(';') || trimmed is "{" or "}" || trimmed.StartsWith("else", StringComparison.Ordinal)))
            {
                Blank(text, offset, offset + line.Length);
            }

            offset += line.Length + 1;
        }
    }

    private static int SkipBalanced(string source, int open)
    {
        var (opening, closing) = source[open] switch { '(' => ('(', ')'), '[' => ('[', ']'), _ => ('{', '}') };
        var depth = 0;
        for (var i = open; i < source.Length; i++)
        {
            if (source[i] == '"')
            {
                // A C# string (interpolated or not): skip to its end; a nested quote inside {...} is rare enough to ignore.
                i++;
                while (i < source.Length && source[i] != '"')
                {
                    i += source[i] == '\\' ? 2 : 1;
                }

                continue;
            }

            if (source[i] == opening)
            {
                depth++;
            }
            else if (source[i] == closing && --depth == 0)
            {
                return i + 1;
            }
        }

        return source.Length;
    }

    private static int HeaderEnd(string source, int from)
    {
        var i = from;
        while (i < source.Length && source[i] != '{' && source[i] != '\n')
        {
            i = source[i] == '(' ? SkipBalanced(source, i) : i + 1;
        }

        return i < source.Length && source[i] == '{' ? i + 1 : i;
    }

    private static int LineEnd(string source, int from)
    {
        var end = source.IndexOf('\n', from);
        return end < 0 ? source.Length : end;
    }

    private static void Blank(StringBuilder text, Regex pattern)
    {
        foreach (Match match in pattern.Matches(text.ToString()))
        {
            Blank(text, match.Index, match.Index + match.Length);
        }
    }

    private static void Blank(StringBuilder text, int start, int end)
    {
        for (var i = start; i < end && i < text.Length; i++)
        {
            if (text[i] != '\n')
            {
                text[i] = ' ';
            }
        }
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    private static Regex Elements(string name) => new($"<{name}[\\s>].*?</{name}>", RegexOptions.Singleline | RegexOptions.IgnoreCase);

    [GeneratedRegex(@"^@code\s*\{.*", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CodeSections();

    [GeneratedRegex(@"@\*.*?\*@|<!--.*?-->|<!DOCTYPE[^>]*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Comments();

    [GeneratedRegex("""</?[A-Za-z][\w.:-]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*\s*/?>""")]
    private static partial Regex Tag();

    [GeneratedRegex("""(?<name>[^\s"'<>/=]+)\s*=\s*(?:"(?<value>[^"]*)"|'(?<value>[^']*)')""")]
    private static partial Regex Attribute();

    /// <summary>An address such as /health/ready or https://…: the same in every language.</summary>
    [GeneratedRegex(@"(?<!\S)(?:/|https?://)\S*")]
    private static partial Regex Address();

    [GeneratedRegex(@"(?<=\s)@[A-Za-z][\w:-]*(?=\s*=)")]
    private static partial Regex DirectiveAttribute();

    [GeneratedRegex(@"\p{L}{2,}")]
    private static partial Regex Word();
}
