using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Security;

/// <summary>The real app on a real port with administration on, after one ingestion run; shared by the browser tests below.</summary>
public sealed class SecuredApp : FakeHubFixture
{
    public string BaseUrl { get; private set; } = "";

    protected override FakeHubOptions HubOptions => new() { Catalog = new GeneratedCatalog(300, DashboardApp.Labs.Select(lab => lab.Namespace).ToArray()) };

    protected override async ValueTask StartedAsync()
    {
        var app = Track(new AppFactory(Folder, Hub.BaseAddress, Folder.WriteRegistry(DashboardApp.Labs), Admin.Settings()));
        BaseUrl = app.StartOnKestrel();
        var outcome = await app.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);
    }
}

/// <summary>
/// In Debian's Chromium: every page renders and its Blazor circuit connects under the Content-Security-Policy with
/// no violation reported; the administrator logs in, starts a run from the Ingestion page and logs out.
/// </summary>
public sealed class BrowserSecurityTests(SecuredApp app, Browser browser) : IClassFixture<SecuredApp>
{
    // Reports every violation the browser sees into the page, from before any script of the page runs.
    private const string RecordViolations =
        "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));";

    [Theory]
    [InlineData("/")]
    [InlineData("/models")]
    [InlineData("/labs")]
    [InlineData("/countries")]
    [InlineData("/ingestion")]
    public async Task APageRendersAndItsCircuitConnectsUnderTheContentSecurityPolicy(string path)
    {
        await using var session = await NewPageAsync();
        var page = session.Page;
        var console = new List<string>();
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");

        var response = await page.GotoAsync(path);
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        // A click that round-trips the circuit: the theme toggle re-renders the layout.
        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.WaitForTimeoutAsync(300);

        Assert.StartsWith("default-src 'self'; script-src 'self' 'sha256-", await response!.HeaderValueAsync("content-security-policy"));
        Assert.Empty(await page.EvaluateAsync<string[]>("window.__violations"));
        Assert.DoesNotContain(console, line => line.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || line.Contains("Refused to", StringComparison.OrdinalIgnoreCase));
        Assert.True(await page.Locator("h1").CountAsync() >= 1);
        await page.ScreenshotAsync("csp" + (path == "/" ? "-overview" : path.Replace('/', '-')));
    }

    [Fact]
    public async Task TheAdministratorLogsInStartsARunFromTheIngestionPageAndLogsOut()
    {
        await using var session = await NewPageAsync();
        var page = session.Page;

        await page.OpenAsync("/ingestion");
        await page.GetByTestId("login-link").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login\\?returnUrl=%2Fingestion$"));
        await page.ScreenshotAsync("login");
        await page.Locator("#password").FillAsync(Admin.Password);
        await page.GetByTestId("login-submit").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ingestion$"));
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByTestId("run-now").ClickAsync();
        await Assertions.Expect(page.GetByTestId("run-now-result")).ToHaveTextAsync("Run #2 started.");
        await Assertions.Expect(page.GetByTestId("run-row").First).ToContainTextAsync("#2");
        await page.ScreenshotAsync("ingestion-run-now");
        Assert.Empty(await page.EvaluateAsync<string[]>("window.__violations"));

        await page.GetByTestId("logout").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(app.BaseUrl + "/");
        await page.OpenAsync("/ingestion");
        await Assertions.Expect(page.GetByTestId("login-link")).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByTestId("run-now").CountAsync());
    }

    private async Task<BrowserPage> NewPageAsync()
    {
        var context = await browser.Instance.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl,
            ViewportSize = new() { Width = Browser.Desktop.Width, Height = Browser.Desktop.Height },
            ColorScheme = ColorScheme.Light,
        });
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(15_000);
        await context.AddInitScriptAsync(RecordViolations);
        return new BrowserPage(await context.NewPageAsync());
    }
}
