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
    public async Task EveryOtherPageShowsItsAdjustedFiguresBesideTheRawOnes()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = new Uri(_baseUrl + "/") };
        // The as-of run's flags, from the API: the figures every panel must show.
        var flags = (await http.GetFromJsonAsync<JsonElement>("api/v1/flags?limit=1000", ct)).GetProperty("items").EnumerateArray().ToArray();
        var runId = (await http.GetFromJsonAsync<JsonElement>("api/v1/adjusted-shares", ct)).GetProperty("runId").GetInt32();
        var atRun = flags.Where(item => item.GetProperty("runId").GetInt32() == runId).ToDictionary(item => item.GetProperty("id").GetString()!);
        Assert.Equal(["Qwen/Qwen3-4B-Base", "facebook/contriever", "sentence-transformers/gtr-t5-base"], atRun.Keys.Order(StringComparer.Ordinal));
        var qwen = atRun["Qwen/Qwen3-4B-Base"];
        var qwenRaw = qwen.GetProperty("downloads30d").GetInt64();
        var qwenExcess = qwen.GetProperty("excess").GetInt64();

        await using var session = await browser.NewPageAsync(_baseUrl, Browser.Desktop);
        var page = session.Page;

        // The models page: the region panel and the view's three flagged models, raw beside adjusted.
        await page.OpenAsync("/models?adjusted=true");
        await Expect(page.GetByTestId("adjusted-panel")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("flagged-model-row")).ToHaveCountAsync(3);
        var row = page.Locator("[data-testid=flagged-model-row][data-id='Qwen/Qwen3-4B-Base'] td");
        await Expect(row.Nth(1)).ToHaveTextAsync(Format.Compact(qwenRaw));
        await Expect(row.Nth(3)).ToHaveTextAsync(Format.Compact(qwenExcess));
        await Expect(row.Nth(4)).ToHaveTextAsync(Format.Compact(qwenRaw - qwenExcess));
        // A filter narrows it: only China's flagged model is in China's view.
        await page.OpenAsync("/models?adjusted=true&region=China");
        await Expect(page.GetByTestId("flagged-model-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("api-link")).Not.ToHaveAttributeAsync("href", new Regex("adjusted"));

        // The model page: its own flag, exact.
        await page.OpenAsync("/models/Qwen/Qwen3-4B-Base?adjusted=true");
        await Expect(page.GetByTestId("model-flag-raw")).ToHaveAttributeAsync("data-value", qwenRaw.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("model-flag-adjusted")).ToHaveAttributeAsync("data-value", (qwenRaw - qwenExcess).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.OpenAsync("/models/Qwen/Qwen2.5-7B-Instruct?adjusted=true");
        await Expect(page.GetByTestId("model-flag-summary")).ToContainTextAsync("does not flag this model at this run");

        // The lab page: the lab's own row of the by-lab view, and its one flagged model.
        var lab = (await http.GetFromJsonAsync<JsonElement>("api/v1/labs?adjusted=true&limit=500", ct)).GetProperty("items").EnumerateArray()
            .Single(item => item.GetProperty("key").GetString() == "alibaba-qwen");
        await page.OpenAsync("/labs/alibaba-qwen?adjusted=true");
        await Expect(page.GetByTestId("adjusted-row")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=adjusted-row][data-key=alibaba-qwen] td").Nth(4)).ToHaveTextAsync(Format.Percent(lab.GetProperty("adjustedShare").GetDouble()));
        await Expect(page.GetByTestId("flagged-model-row")).ToHaveCountAsync(1);

        // The concentration page: raw HHI as the concentration API's at the as-of run, adjusted HHI computed here.
        var concentration = (await http.GetFromJsonAsync<JsonElement>("api/v1/concentration?limit=500", ct)).GetProperty("items").EnumerateArray()
            .Single(item => item.GetProperty("runId").GetInt32() == runId && item.GetProperty("group").GetString() == "China");
        var chinaLabs = (await http.GetFromJsonAsync<JsonElement>("api/v1/adjusted-shares?by=lab&region=China&limit=500", ct)).GetProperty("items").EnumerateArray()
            .Where(item => item.GetProperty("key").GetString() != "none").Select(item => (double)item.GetProperty("adjustedDownloads30d").GetInt64()).Where(d => d > 0).ToArray();
        var hhi = chinaLabs.Sum(d => Math.Pow(100 * d / chinaLabs.Sum(), 2));
        await page.OpenAsync("/concentration?adjusted=true");
        var china = page.Locator("[data-testid=adjusted-concentration-row][data-group=China]");
        await Expect(china.GetByTestId("hhi-raw")).ToHaveTextAsync(Format.Exact((long)Math.Round(concentration.GetProperty("hhi").GetDouble())));
        await Expect(china.GetByTestId("hhi-adjusted")).ToHaveTextAsync(Format.Exact((long)Math.Round(hhi)));
        Assert.NotEqual(Math.Round(concentration.GetProperty("hhi").GetDouble()), Math.Round(hhi));

        // The adoption and derivatives pages: the flagged models of their view, and their own chart still drawn.
        await page.OpenAsync("/adoption?adjusted=true");
        await Expect(page.GetByTestId("flagged-model-row")).ToHaveCountAsync(3);
        var chart = await http.GetAsync((await page.GetByTestId("adoption-chart").GetAttributeAsync("src"))!.TrimStart('/'), ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, chart.StatusCode);
        await page.OpenAsync("/derivatives?adjusted=true");
        await Expect(page.GetByTestId("flagged-models-summary")).ToContainTextAsync("3 models of this view are flagged at this run");

        // The panel's own files are the adjusted view's, grouped as the panel is; the page's menu stays raw.
        await page.OpenAsync("/countries?adjusted=true");
        var svg = await page.GetByTestId("adjusted-panel").GetByTestId("download-svg").GetAttributeAsync("href");
        Assert.StartsWith("/charts/adjusted-shares.svg?", svg);
        Assert.Contains("by=country", svg, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(svg!.TrimStart('/'), ct)).StatusCode);
        var pageMenu = await page.GetByTestId("download-svg").First.GetAttributeAsync("href");
        Assert.DoesNotContain("adjusted", pageMenu, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(pageMenu!.TrimStart('/'), ct)).StatusCode);
        await page.ScreenshotAsync("adjusted-countries-menus");
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
