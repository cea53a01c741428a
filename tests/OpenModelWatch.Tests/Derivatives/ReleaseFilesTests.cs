using System.Net;
using System.Text.Json;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Derivatives;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Derivatives;

/// <summary>
/// The release chart as files (PNG, SVG, its data, an embed) and its table, on a hand-built Hub: Qwen/a and Qwen/b
/// created in January 2025, Qwen/c (a quantization of Qwen/a) in March, google/g in March, fan/x (not a registered lab)
/// in February, and two derivatives by fan (not a registered lab): fan/y, a finetune of google/g, in March and fan/z, a
/// finetune of Qwen/b, in February. (The counts per month against the raw bundled snapshot are pinned by
/// <c>SnapshotClaimsTests.ReleaseActivityEqualsTheFilesModelsOfRegisteredLabsByCreationMonth</c>.)
/// </summary>
public sealed class ReleaseFilesTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private FakeHubServer _hub = null!;
    private AppFactory _app = null!;
    private HttpClient _http = null!;

    private static FakeModel Model(string id, int month, params string[] parents) =>
        LineageModels.Model(id, 100, parents) with { CreatedAt = new DateTimeOffset(2025, month, 10, 12, 0, 0, TimeSpan.Zero) };

    public async ValueTask InitializeAsync()
    {
        var catalog = new RealisticCatalog(
        [
            Model("Qwen/a", 1), Model("Qwen/b", 1), Model("Qwen/c", 3, "quantized:Qwen/a"), Model("google/g", 3), Model("fan/x", 2),
            Model("fan/y", 3, "finetune:google/g"), Model("fan/z", 2, "finetune:Qwen/b"),
        ]);
        _hub = await FakeHubServer.StartAsync(new FakeHubOptions { Catalog = catalog });
        _app = new AppFactory(_folder, _hub.BaseAddress, _folder.WriteRegistry(("Qwen", "CN"), ("google", "US")),
            new Dictionary<string, string?> { ["Census:TopN"] = "100" });
        var outcome = await _app.Services.GetRequiredService<IngestionRunner>().RunAsync(RunTrigger.Manual, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);
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
    public async Task TheChartDataIsTheApisCountsWithEmptyMonthsAsZero()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = await _http.GetFromJsonAsync<JsonElement>("/api/v1/releases/months", ct);
        Assert.Equal(["2025-01 China 2 2", "2025-03 China 1 0", "2025-03 US 1 1"], api.GetProperty("items").EnumerateArray()
            .Select(i => $"{i.GetProperty("month").GetString()} {i.GetProperty("region").GetString()} {i.GetProperty("models").GetInt32()} {i.GetProperty("originals").GetInt32()}"));

        var data = TableOf(await _http.GetStringAsync("/charts/releases.csv", ct));
        Assert.Equal(["column,series,value", "2025-01,China,2", "2025-01,US,0", "2025-02,China,0", "2025-02,US,0", "2025-03,China,1", "2025-03,US,1"], data);
        // The derivatives page's own address (its sort) is accepted, and a filter narrows the chart as it does the API.
        Assert.Equal(["column,series,value", "2025-01,China,2", "2025-02,China,0", "2025-03,China,1"],
            TableOf(await _http.GetStringAsync("/charts/releases.csv?region=China&sort=downloads30d&order=asc", ct)));
    }

    [Fact]
    public async Task TheChartRendersAsPngSvgAndEmbedAndTheTableExports()
    {
        var ct = TestContext.Current.CancellationToken;
        var png = await _http.GetAsync("/charts/releases.png", ct);
        Assert.Equal((HttpStatusCode.OK, "image/png"), (png.StatusCode, png.Content.Headers.ContentType?.MediaType));
        var svg = await _http.GetStringAsync("/charts/releases.svg", ct);
        Assert.Contains("New models from registered labs per month, by region", svg, StringComparison.Ordinal);
        Assert.Contains("methodology#releases", svg, StringComparison.Ordinal);
        var embed = await _http.GetStringAsync("/embed/releases", ct);
        Assert.Contains("/charts/releases", embed, StringComparison.Ordinal);

        var table = Lines(await _http.GetStringAsync("/exports/releases.csv?metadata=none", ct));
        Assert.Equal(["month,region,models,originals,share", "2025-01,China,2,2,1", "2025-03,China,1,0,0.5", "2025-03,US,1,1,0.5"], table);
        var bad = await _http.GetAsync("/charts/releases.png?region=Mars", ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task TheDerivativesChartIsTheApisMonthlySharesAsFilesAndAnEmbed()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = await _http.GetFromJsonAsync<JsonElement>("/api/v1/derivatives/months", ct);
        Assert.Equal(["2025-02 China 1 1", "2025-03 China 1 0.5", "2025-03 US 1 0.5"], api.GetProperty("items").EnumerateArray()
            .Select(i => $"{i.GetProperty("month").GetString()} {i.GetProperty("region").GetString()} {i.GetProperty("derivatives").GetInt32()} {i.GetProperty("share").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture)}"));

        // Each region's part of a month is the API's share in percent, so every month's column adds up to 100.
        var data = TableOf(await _http.GetStringAsync("/charts/derivatives.csv", ct));
        Assert.Equal(["column,series,value", "2025-02,China,100", "2025-02,US,0", "2025-03,China,50", "2025-03,US,50"], data);

        var png = await _http.GetAsync("/charts/derivatives.png?scale=2", ct);
        Assert.Equal((HttpStatusCode.OK, "image/png"), (png.StatusCode, png.Content.Headers.ContentType?.MediaType));
        // The file says what and when (the as-of run), and scale=2 doubles the default 1200×675 (the PNG header's width and height).
        Assert.Matches("^openmodelwatch-derivatives-[0-9]{8}-[0-9]{4}-run1\\.png$", png.Content.Headers.ContentDisposition?.FileNameStar);
        var bytes = await png.Content.ReadAsByteArrayAsync(ct);
        await File.WriteAllBytesAsync(Path.Combine(Browser.ScreenshotFolder, "chart-file-derivatives.png"), bytes, ct);
        Assert.Equal((2400, 1350), (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))));
        var svg = await _http.GetStringAsync("/charts/derivatives.svg", ct);
        Assert.Contains("New derivatives per month, by the region of their origin (share of each month)", svg, StringComparison.Ordinal);
        Assert.Contains("methodology#attribution", svg, StringComparison.Ordinal);
        Assert.Contains("Cuota de los derivados nuevos del mes (%)", await _http.GetStringAsync("/charts/derivatives.svg?lang=es", ct), StringComparison.Ordinal);
        var embed = await _http.GetStringAsync("/embed/derivatives", ct);
        Assert.Contains("/charts/derivatives", embed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync("/charts/derivatives.svg?region=Mars", ct)).StatusCode);

        // The page's panel offers the chart's files and embed, beside the release chart's.
        var page = await _http.GetStringAsync("/derivatives", ct);
        Assert.Contains("/charts/derivatives.png", page, StringComparison.Ordinal);
        Assert.Contains("/charts/derivatives.svg", page, StringComparison.Ordinal);
        Assert.Contains("/charts/releases.png", page, StringComparison.Ordinal);
    }

    [Fact]
    public void MonthsRunFromTheFirstReleaseToTheLastWithGapsAndAtMostTwoYears()
    {
        Assert.Equal(["2024-11", "2024-12", "2025-01", "2025-02"], ReleaseCharts.Months(["2025-02", "2024-11"]));
        var many = ReleaseCharts.Months(["2020-01", "2025-06"]);
        Assert.Equal((24, "2023-07", "2025-06"), (many.Length, many[0], many[^1]));
        Assert.Empty(ReleaseCharts.Months([]));
    }

    /// <summary>A chart's data file less its metadata block (which ends at the first blank line).</summary>
    private static List<string> TableOf(string text) => Lines(text.Replace("\r\n", "\n")[(text.Replace("\r\n", "\n").IndexOf("\n\n", StringComparison.Ordinal) + 2)..]);

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
