using System.Text.Json;
using System.Text.RegularExpressions;
using OpenModelWatch.Tests.Localization;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Reading;
using static Microsoft.Playwright.Assertions;

namespace OpenModelWatch.Tests.Flags;

/// <summary>
/// The adjusted view on the pages, in Debian's Chromium, on the bundled monthly history (its as-of run, September 2025,
/// has three flagged models): <c>adjusted=true</c> adds the side-by-side panel, the switch writes it into the address,
/// the panel's figures are the API's, and it reads in Spanish. Screenshots under <c>bin/…/screenshots</c>.
/// </summary>
public sealed class AdjustedViewBrowserTests(Browser browser) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private AppFactory? _app;
    private string _baseUrl = "";

    public ValueTask InitializeAsync()
    {
        _app = new AppFactory(_folder, new Uri("http://127.0.0.1:9/"), Repo.Path("seeds", "labs.json"), new Dictionary<string, string?>
        {
            ["Snapshot:ImportWhenEmpty"] = "false",
            ["Snapshot:ImportHistory"] = "true",
        });
        _baseUrl = _app.StartOnKestrel();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task TheCountriesPageShowsRawAndAdjustedSharesSideBySide()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_baseUrl + "/") };
        var api = await http.GetFromJsonAsync<JsonElement>("api/v1/adjusted-shares?by=country", TestContext.Current.CancellationToken);
        var china = api.GetProperty("items").EnumerateArray().Single(item => item.GetProperty("key").GetString() == "CN");

        await using var session = await browser.NewPageAsync(_baseUrl, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/countries?adjusted=true");

        var panel = page.GetByTestId("adjusted-panel");
        await Expect(panel.Locator("h2")).ToHaveTextAsync("With inflated counts left out");
        await Expect(page.GetByTestId("adjusted-summary")).ToContainTextAsync("3 models of this view are flagged at this run");
        var row = page.Locator("[data-testid=adjusted-row][data-key=CN]");
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(Format.Percent(china.GetProperty("share").GetDouble()));
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("1");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync(Format.Percent(china.GetProperty("adjustedShare").GetDouble()));
        await page.ScreenshotAsync("adjusted-countries-desktop");
    }

    [Fact]
    public async Task TheSwitchWritesAdjustedIntoTheAddressAndBack()
    {
        await using var session = await browser.NewPageAsync(_baseUrl, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/labs?region=China");
        await Expect(page.GetByTestId("adjusted-panel")).ToHaveCountAsync(0);

        await page.GetByLabel("Leave inflated counts out").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("adjusted=true"));
        Assert.Equal("?region=China&adjusted=true", page.Query());
        // Only China's labs, by lab: Qwen carries the one Chinese flag of the run.
        await Expect(page.Locator("[data-testid=adjusted-row][data-key=alibaba-qwen] td").Nth(2)).ToHaveTextAsync("1");

        await page.GetByLabel("Leave inflated counts out").ClickAsync();
        await Expect(page.GetByTestId("adjusted-panel")).ToHaveCountAsync(0);
        Assert.Equal("?region=China", page.Query());
    }

    [Fact]
    public async Task TheOverviewsPanelReadsInSpanishOnAPhone()
    {
        await using var session = await browser.NewPageAsync(_baseUrl, Browser.Phone);
        var page = session.Page;
        await page.OpenAsync("/?adjusted=true&lang=es");

        await Expect(page.GetByTestId("adjusted-panel").Locator("h2")).ToHaveTextAsync("Sin las cifras infladas");
        await Expect(page.GetByTestId("adjusted-summary")).ToContainTextAsync("3 modelos de esta vista tienen alerta en esta ejecución");
        string share;
        using (new CultureScope("es"))
        {
            share = Format.Percent(0.5);
        }

        Assert.Equal("50,0 %", share);
        await Expect(page.Locator("[data-testid=adjusted-row][data-key=China] td").Nth(4)).ToHaveTextAsync(new Regex(@"^\d+,\d %$"));
        await page.GetByTestId("adjusted-panel").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync("adjusted-overview-es-phone");
    }

    [Fact]
    public async Task ABadValueIsAnErrorNamingAdjusted()
    {
        await using var session = await browser.NewPageAsync(_baseUrl, Browser.Desktop);
        var page = session.Page;
        await page.OpenAsync("/labs?adjusted=maybe");
        await Expect(page.GetByText(new Regex("adjusted: \"maybe\" is not true or false"))).ToBeVisibleAsync();
    }
}
