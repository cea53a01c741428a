using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Accessibility;

/// <summary>
/// axe-core (WCAG 2.1 A and AA rules and axe's best practices) on every page, in the light and the dark theme, at desktop
/// and phone widths, in Debian's Chromium: no serious or critical violation. The theme is the browser's preferred colour
/// scheme, which the dashboard follows by default. A failure lists every violating rule with its elements.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class AxeTests(DashboardApp app, Browser browser)
{
    /// <summary>Every page of the dashboard (one of each kind), with what to wait for before the audit.</summary>
    public static readonly (string Path, string Ready)[] Pages =
    [
        ("/", "top10-list"),
        ("/models", "model-link"),
        ("/models/Qwen/gen-model-0000000", "model-history"),
        ("/labs", "labs-table"),
        ("/labs/lab-qwen", "lab-history"),
        ("/countries", "countries-table"),
        ("/concentration", "concentration-table"),
        ("/derivatives", "base-models"),
        ("/adoption", "adoption-count"),
        ("/flags", "flags-count"),
        ("/ingestion", "runs-table"),
        ("/methodology", ""),
        ("/not-found", ""),
    ];

    public static TheoryData<string, string, string> Cases()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var (path, _) in Pages)
        {
            foreach (var theme in new[] { "light", "dark" })
            {
                foreach (var width in new[] { "desktop", "phone" })
                {
                    cases.Add(path, theme, width);
                }
            }
        }

        return cases;
    }

    /// <summary>The Spanish pages (longer words, other labels) at both widths, in the light theme.</summary>
    public static TheoryData<string, string, string> SpanishCases()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var path in new[] { "/?lang=es", "/models?lang=es", "/models/Qwen/gen-model-0000000?lang=es" })
        {
            foreach (var width in new[] { "desktop", "phone" })
            {
                cases.Add(path, "light", width);
            }
        }

        return cases;
    }

    /// <summary>The adjusted view's panels (shares, flagged models, a concentration index raw beside adjusted), in both themes.</summary>
    public static TheoryData<string, string, string> AdjustedCases()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var path in new[] { "/?adjusted=true", "/models?adjusted=true", "/labs/lab-qwen?adjusted=true", "/concentration?adjusted=true" })
        {
            foreach (var theme in new[] { "light", "dark" })
            {
                cases.Add(path, theme, "desktop");
            }

            cases.Add(path, "light", "phone");
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    [MemberData(nameof(SpanishCases))]
    [MemberData(nameof(AdjustedCases))]
    public async Task NoSeriousOrCriticalViolation(string path, string theme, string width)
    {
        var result = await AuditAsync(path, theme, width);

        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToArray();
        Assert.True(serious.Length == 0, $"axe on {path} ({theme}, {width}):\n{Describe(serious)}");
    }

    /// <summary>
    /// The embed pages journalists put in an <c>iframe</c> (a chart image, its as-of and a link back): no serious or
    /// critical violation either, in English and Spanish.
    /// </summary>
    [Theory]
    [InlineData("/embed/region-share")]
    [InlineData("/embed/top-models?n=5&country=CN")]
    [InlineData("/embed/top-labs")]
    [InlineData("/embed/labs/lab-qwen/history?metric=share")]
    [InlineData("/embed/models/Qwen/gen-model-0000000/history")]
    [InlineData("/embed/derivatives")]
    [InlineData("/embed/adjusted-shares?by=lab")]
    [InlineData("/embed/region-share?lang=es")]
    public async Task EmbedPagesHaveNoSeriousOrCriticalViolation(string path)
    {
        var context = await browser.Instance.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl,
            ViewportSize = new() { Width = 800, Height = 600 },
        });
        try
        {
            var page = await context.NewPageAsync();
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            // The chart image has loaded (an image that failed would be a finding of its own, not axe's).
            Assert.True(await page.Locator("img").First.EvaluateAsync<bool>("image => image.complete && image.naturalWidth > 0"), $"{path}: the chart image did not load");
            var result = await page.RunAxe(new AxeRunOptions
            {
                RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
            });
            // axe ran inside the embed's strict content security policy: it checked rules (the image's alternative text among them).
            Assert.Contains(result.Passes, rule => rule.Id == "image-alt");
            var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToArray();
            Assert.True(serious.Length == 0, $"axe on {path}:\n{Describe(serious)}");
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>Runs axe on a page once its data is shown; the page is saved as a screenshot beside the others.</summary>
    public async Task<AxeResult> AuditAsync(string path, string theme, string width)
    {
        var viewport = width == "phone" ? Browser.Phone : Browser.Desktop;
        var context = await browser.Instance.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl,
            ViewportSize = new() { Width = viewport.Width, Height = viewport.Height },
            ColorScheme = theme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
        });
        try
        {
            context.SetDefaultTimeout(15_000);
            var page = await context.NewPageAsync();
            await page.OpenAsync(path);
            var ready = Pages.Single(p => p.Path == path.Split('?')[0]).Ready;
            if (ready.Length > 0)
            {
                await page.GetByTestId(ready).First.WaitForAsync();
            }

            // The theme is applied: the toggle offers the other one.
            var spanish = path.Contains("lang=es", StringComparison.Ordinal);
            await Assertions.Expect(page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("aria-label", (theme, spanish) switch
            {
                ("dark", false) => "Switch to light theme",
                (_, false) => "Switch to dark theme",
                ("dark", true) => "Cambiar al tema claro",
                _ => "Cambiar al tema oscuro",
            });
            // And its palette is in force: the toggle's label can change before MudBlazor's theme variables do, and axe
            // once caught a button of the light primary under the dark theme's text colour (2.22:1).
            var (hex, rgb) = theme == "dark" ? ("9aa9ff", "154,169,255") : ("3949ab", "57,73,171");
            await page.WaitForFunctionAsync($"() => {{ const v = getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-primary').toLowerCase().replace(/\\s/g, ''); return v.includes('{hex}') || v.includes('{rgb}'); }}");
            var result = await page.RunAxe(new AxeRunOptions
            {
                RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
            });
            await page.ScreenshotAsync($"axe{path.Replace('/', '-').Replace('?', '-').Replace('=', '-').TrimEnd('-')}-{theme}-{width}", fullPage: width == "desktop");
            return result;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    public static string Describe(IEnumerable<AxeResultItem> violations)
    {
        var text = new StringBuilder();
        foreach (var violation in violations)
        {
            text.AppendLine($"- {violation.Id} ({violation.Impact}): {violation.Help}");
            foreach (var node in violation.Nodes.Take(5))
            {
                var why = string.Join("; ", node.Any.Concat(node.All).Concat(node.None).Select(check => check.Message));
                text.AppendLine($"    {node.Target}: {why}");
            }

            if (violation.Nodes.Length > 5)
            {
                text.AppendLine($"    … and {violation.Nodes.Length - 5} more");
            }
        }

        return text.ToString();
    }
}
