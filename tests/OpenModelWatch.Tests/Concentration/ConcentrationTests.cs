using System.Net;
using System.Text.Json;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Concentration;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Concentration;

/// <summary>
/// Concentration of downloads across labs on a small hand-built Hub, every figure computed by hand:
/// China: Qwen 600 (Qwen/a 400 + Qwen/b 200), deepseek-ai 300, THUDM 100; US: google 500, meta-llama 500; Europe:
/// mistralai with no downloads; a community finetune of Qwen/a with 1,000 (not a lab by uploader; Qwen's by origin).
/// </summary>
public sealed class ConcentrationTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private FakeHubServer _hub = null!;
    private AppFactory _app = null!;
    private HttpClient _http = null!;
    private int _run;

    public async ValueTask InitializeAsync()
    {
        var catalog = new RealisticCatalog(
        [
            LineageModels.Model("Qwen/a", 400, []),
            LineageModels.Model("Qwen/b", 200, []),
            LineageModels.Model("deepseek-ai/x", 300, []),
            LineageModels.Model("THUDM/y", 100, []),
            LineageModels.Model("google/g", 500, []),
            LineageModels.Model("meta-llama/l", 500, []),
            LineageModels.Model("mistralai/m", 0, []),
            LineageModels.Model("fan/tune", 1_000, ["finetune:Qwen/a"]),
        ]);
        _hub = await FakeHubServer.StartAsync(new FakeHubOptions { Catalog = catalog });
        _app = new AppFactory(_folder, _hub.BaseAddress,
            _folder.WriteRegistry(("Qwen", "CN"), ("deepseek-ai", "CN"), ("THUDM", "CN"), ("google", "US"), ("meta-llama", "US"), ("mistralai", "FR")),
            new Dictionary<string, string?> { ["Census:TopN"] = "100" });
        var outcome = await _app.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);
        _run = outcome.RunId!.Value;
        _http = _app.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _hub.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public void TheIndexAndTopSharesOfAHandBuiltRun()
    {
        var run = new HistoryRun(1, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), RunTrigger.Manual, RunSource.HubApi);
        LabItem Lab(string id, string region, long downloads) => new(id, id, id, region == "China" ? "CN" : "US", region, 1, downloads, null, 0, 0);
        var items = LabConcentration.Of(run, [Lab("b", "China", 300), Lab("a", "China", 600), Lab("c", "China", 100), Lab("d", "US", 500), Lab("e", "US", 500), Lab("f", "US", 0)])
            .ToDictionary(item => item.Group);

        // All: shares 30, 15, 5, 25, 25 (%) → 900 + 225 + 25 + 625 + 625.
        Assert.Equal(2400, items["All"].Hhi!.Value, 9);
        Assert.Equal(10_000 / 2400.0, items["All"].EffectiveLabs!.Value, 9);
        Assert.Equal(("a", 0.3, 1.0, 5, 2000L), (items["All"].TopLab, items["All"].Top1Share!.Value, items["All"].Top5Share!.Value, items["All"].Labs, items["All"].Downloads30d));
        // China: 60, 30, 10 → 3,600 + 900 + 100.
        Assert.Equal(4600, items["China"].Hhi!.Value, 9);
        Assert.Equal(("a", 0.6, 3), (items["China"].TopLab, items["China"].Top1Share!.Value, items["China"].Labs));
        // US: a tie at 50/50 is broken by id; the lab with no downloads is not counted.
        Assert.Equal(5000, items["US"].Hhi!.Value, 9);
        Assert.Equal(("d", 2), (items["US"].TopLab, items["US"].Labs));
        // Europe has no lab at all: no index, not zero.
        Assert.Equal((0, (double?)null, (string?)null), (items["Europe"].Labs, items["Europe"].Hhi, items["Europe"].TopLab));
        Assert.Equal(["All", "China", "US", "Europe", "Other"], items.Keys);
    }

    [Fact]
    public async Task TheApiAnswersEachGroupOfTheRunByUploaderAndByOrigin()
    {
        var ct = TestContext.Current.CancellationToken;
        var byUploader = await ItemsAsync("/api/v1/concentration", ct);
        Assert.Equal(
            [
                $"{_run} All 5 2000 2400.00 lab-qwen 0.3000 1.0000",
                $"{_run} China 3 1000 4600.00 lab-qwen 0.6000 1.0000",
                $"{_run} US 2 1000 5000.00 lab-google 0.5000 1.0000",
                $"{_run} Europe 0 0 - - - -",
                $"{_run} Other 0 0 - - - -",
            ],
            byUploader);

        // By origin the community finetune counts for Qwen: China 1,600 / 300 / 100 → 80, 15, 5 → 6,400 + 225 + 25.
        var byOrigin = await ItemsAsync("/api/v1/concentration?attribution=origin&region=China", ct);
        Assert.Equal([$"{_run} China 3 2000 6650.00 lab-qwen 0.8000 1.0000"], byOrigin);
    }

    [Fact]
    public async Task TheChartTableAndPageShowTheSameFigures()
    {
        var ct = TestContext.Current.CancellationToken;
        var png = await _http.GetAsync("/charts/concentration.png", ct);
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        var svg = await _http.GetStringAsync("/charts/concentration.svg?metric=top1Share", ct);
        Assert.Contains("Largest lab", svg, StringComparison.Ordinal);

        var csv = await _http.GetStringAsync("/exports/concentration.csv?metadata=none", ct);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("at,runId,source,group,labs,downloads30d,hhi,effectiveLabs,topLab,top1Share,top5Share", lines[0]);
        Assert.Equal(6, lines.Length);
        Assert.Contains(",China,3,1000,4600,", lines[2], StringComparison.Ordinal);

        var page = await _http.GetStringAsync("/concentration", ct);
        Assert.Contains("China: 3 labs, HHI 4,600 (highly concentrated), as concentrated as 2.2 equal labs; the largest, Qwen Lab, has 60", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/concentration?region=Mars", "region")]
    [InlineData("/charts/concentration.png?metric=gini", "metric")]
    [InlineData("/api/v1/concentration?from=2026-13-01", "from")]
    public async Task BadParametersAreAProblemNamingThem(string url, string parameter)
    {
        var response = await _http.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{parameter}\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private async Task<List<string>> ItemsAsync(string url, CancellationToken ct)
    {
        var answer = await _http.GetFromJsonAsync<JsonElement>(url, ct);
        return answer.GetProperty("items").EnumerateArray().Select(item =>
        {
            string Number(string name, string format) => item.GetProperty(name).ValueKind == JsonValueKind.Null
                ? "-"
                : item.GetProperty(name).GetDouble().ToString(format, System.Globalization.CultureInfo.InvariantCulture);
            var top = item.GetProperty("topLab").ValueKind == JsonValueKind.Null ? "-" : item.GetProperty("topLab").GetString();
            return $"{item.GetProperty("runId").GetInt32()} {item.GetProperty("group").GetString()} {item.GetProperty("labs").GetInt32()} "
                + $"{item.GetProperty("downloads30d").GetInt64()} {Number("hhi", "0.00")} {top} {Number("top1Share", "0.0000")} {Number("top5Share", "0.0000")}";
        }).ToList();
    }
}
