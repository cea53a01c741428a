using System.Globalization;
using System.Text.Json;
using OpenModelWatch.Tests.Snapshot;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Flags;

/// <summary>
/// The flags of the bundled monthly history (11 monthly runs, 2024-11 – 2025-09): the list is pinned, and every figure
/// of every reason is checked against the raw file, read with none of the app's code.
/// </summary>
public sealed class MonthlyHistoryFlagsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>The app on the bundled monthly history only (no snapshot, no Hub).</summary>
    private AppFactory HistoryApp() => new(_folder, new Uri("http://127.0.0.1:9/"), Repo.Path("seeds", "labs.json"), new Dictionary<string, string?>
    {
        ["Snapshot:ImportWhenEmpty"] = "false",
        ["Snapshot:ImportHistory"] = "true",
    });

    [Fact]
    public async Task TheFlaggedListIsStableAndEachReasonIsTrueOfTheRawFile()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = HistoryApp();
        using var http = app.CreateClient();

        var answer = await http.GetFromJsonAsync<JsonElement>("/api/v1/flags?order=asc&limit=1000", ct);
        var items = answer.GetProperty("items").EnumerateArray().ToArray();
        var again = await http.GetFromJsonAsync<JsonElement>("/api/v1/flags?order=asc&limit=1000", ct);
        Assert.Equal(items.Select(Key), again.GetProperty("items").EnumerateArray().Select(Key));
        Assert.Equal(Pinned, items.Select(Key));

        var rows = MonthlyHistoryFile.Rows;
        var times = MonthlyHistoryFile.Times.ToList();
        var byModel = rows.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.At));
        foreach (var item in items)
        {
            var id = item.GetProperty("id").GetString()!;
            var at = item.GetProperty("at").GetDateTime().ToUniversalTime();
            var history = byModel[id];
            var row = history[at];
            var others = history.Values.Where(r => r.At != at).Select(r => (double)r.Downloads30d).Order().ToArray();
            var median = others.Length % 2 == 1 ? others[others.Length / 2] : (others[others.Length / 2 - 1] + others[others.Length / 2]) / 2;
            var before = history[times[times.IndexOf(at) - 1]];

            Assert.Equal(row.Downloads30d, item.GetProperty("downloads30d").GetInt64());
            Assert.True(row.Downloads30d >= 1_000_000);
            Assert.Equal(median, item.GetProperty("baseline").GetDouble());
            Assert.Equal(others.Length, item.GetProperty("otherRuns").GetInt32());
            Assert.True(row.Downloads30d >= 10 * median, $"{id} at {at:yyyy-MM}: {row.Downloads30d} is not ten times {median}");
            Assert.Equal(row.Downloads30d / median, item.GetProperty("jump").GetDouble(), 9);
            Assert.Equal(Math.Max(0, row.Likes - before.Likes), item.GetProperty("newLikes").GetInt64());
            Assert.True(item.GetProperty("likesPace").GetDouble() < item.GetProperty("jump").GetDouble() / 3);
            Assert.Equal((long)Math.Round(row.Downloads30d - median), item.GetProperty("excess").GetInt64());
            Assert.Contains($"30-day downloads {row.Downloads30d.ToString("N0", CultureInfo.InvariantCulture)}: ", item.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        // The issue's own example: Qwen2.5-1.5B-Instruct's December 2024 (29.8 million against a usual 1.6 million).
        Assert.Contains("2024-12 Qwen/Qwen2.5-1.5B-Instruct", items.Select(Key));

        // The page lists the same flags, newest first, with the reasons.
        var page = System.Net.WebUtility.HtmlDecode(await http.GetStringAsync("/flags", ct));
        Assert.Contains("33 flags", page, StringComparison.Ordinal);
        Assert.Contains("30-day downloads 29,787,495: 18.8× its median of 1,586,958 at its 10 other runs", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdjustedSharesLeaveTheFlaggedExcessOutAndKeepTheRawFiguresBeside()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = HistoryApp();
        using var http = app.CreateClient();

        // The as-of run, September 2025, and its three flags (facebook/contriever, Qwen/Qwen3-4B-Base,
        // sentence-transformers/gtr-t5-base), read from the flags list: a run is adjusted by the flags its own window finds.
        var flags = (await http.GetFromJsonAsync<JsonElement>("/api/v1/flags?order=asc&limit=1000", ct)).GetProperty("items").EnumerateArray()
            .Where(item => item.GetProperty("at").GetDateTime().ToUniversalTime().ToString("yyyy-MM", CultureInfo.InvariantCulture) == "2025-09")
            .ToArray();
        Assert.Equal(3, flags.Length);
        var runId = flags[0].GetProperty("runId").GetInt32();
        var at = flags[0].GetProperty("at").GetDateTime().ToUniversalTime();
        var excessOf = flags.ToDictionary(item => item.GetProperty("id").GetString()!, item => item.GetProperty("excess").GetInt64());

        // The test's own computation from the raw file and the registry file: each country's raw sum, and its excess.
        var countryOf = RegistryCountries();
        var rows = MonthlyHistoryFile.Rows.Where(r => r.At == at).ToArray();
        string Country(string id) => countryOf.GetValueOrDefault(id.Split('/')[0], "XX");
        var raw = rows.GroupBy(r => Country(r.Id)).ToDictionary(g => g.Key, g => g.Sum(r => r.Downloads30d));
        var excess = excessOf.GroupBy(pair => Country(pair.Key)).ToDictionary(g => g.Key, g => g.Sum(pair => pair.Value));
        var total = raw.Values.Sum();
        var totalExcess = excessOf.Values.Sum();
        var flaggedIn = excessOf.Keys.GroupBy(Country).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(excess.GetValueOrDefault("CN") > 0 && excess.GetValueOrDefault("US") > 0);

        var answer = await http.GetFromJsonAsync<JsonElement>($"/api/v1/adjusted-shares?run={runId}&by=country&limit=1000", ct);
        var items = answer.GetProperty("items").EnumerateArray().ToDictionary(item => item.GetProperty("key").GetString()!);
        Assert.Equal(raw.Keys.Order(StringComparer.Ordinal), items.Keys.Order(StringComparer.Ordinal));
        foreach (var (country, downloads) in raw)
        {
            var item = items[country];
            var left = excess.GetValueOrDefault(country);
            Assert.Equal(downloads, item.GetProperty("downloads30d").GetInt64());
            Assert.Equal((double)downloads / total, item.GetProperty("share").GetDouble(), 12);
            Assert.Equal(left, item.GetProperty("excess").GetInt64());
            Assert.Equal(downloads - left, item.GetProperty("adjustedDownloads30d").GetInt64());
            Assert.Equal((double)(downloads - left) / (total - totalExcess), item.GetProperty("adjustedShare").GetDouble(), 12);
            Assert.Equal(flaggedIn.GetValueOrDefault(country), item.GetProperty("flaggedModels").GetInt32());
        }

        // A filtered view (China only, by lab) reads the rows: its labs sum to China's raw figure, only Qwen's spike
        // counts (the others are outside the view), and the adjusted shares sum to one within the view.
        var china = (await http.GetFromJsonAsync<JsonElement>($"/api/v1/adjusted-shares?run={runId}&by=lab&country=CN&limit=1000", ct))
            .GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(raw["CN"], china.Sum(item => item.GetProperty("downloads30d").GetInt64()));
        var qwen = Assert.Single(china, item => item.GetProperty("excess").GetInt64() > 0);
        Assert.Equal(("alibaba-qwen", excessOf["Qwen/Qwen3-4B-Base"]), (qwen.GetProperty("key").GetString(), qwen.GetProperty("excess").GetInt64()));
        Assert.Equal(1.0, china.Sum(item => item.GetProperty("adjustedShare").GetDouble()), 12);

        // By region (the default), the regions of the attribution are all there, zeros included.
        var regions = (await http.GetFromJsonAsync<JsonElement>("/api/v1/adjusted-shares", ct)).GetProperty("items").EnumerateArray()
            .Select(item => item.GetProperty("key").GetString()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["China", "Community", "Europe", "Other", "US"], regions);

        // The table file carries the same numbers; a bad grouping is a 400 naming by.
        var csv = await http.GetStringAsync($"/exports/adjusted-shares.csv?run={runId}&by=country&metadata=none", ct);
        Assert.Contains($"CN,China,{raw["CN"]},", csv, StringComparison.Ordinal);
        using var bad = await http.GetAsync("/api/v1/adjusted-shares?by=planet", ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"parameter\":\"by\"", await bad.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdjustedTrueOnTheListsOfGroupsAnswersTheirAdjustedViewAndElsewhereSaysWhereItIs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = HistoryApp();
        using var http = app.CreateClient();
        async Task<string> Items(string path) => (await http.GetFromJsonAsync<JsonElement>(path, ct)).GetProperty("items").GetRawText();

        // The lists of groups answer, with adjusted=true, their groups' adjusted view: the same items, raw beside adjusted.
        Assert.Equal(await Items("/api/v1/adjusted-shares?by=country&limit=1000"), await Items("/api/v1/countries?adjusted=true&limit=1000"));
        Assert.Equal(await Items("/api/v1/adjusted-shares?by=lab&country=CN&sort=excess"), await Items("/api/v1/labs?adjusted=true&country=CN&sort=excess"));
        Assert.Equal(await http.GetStringAsync("/exports/adjusted-shares.csv?by=region&metadata=none", ct),
            await http.GetStringAsync("/exports/regions.csv?adjusted=true&metadata=none", ct));
        // The JSON file is the same but for its permalink, which is its own address.
        static string[] Fields(string json) => [.. JsonDocument.Parse(json).RootElement.EnumerateObject().Where(p => p.Name != "permalink").Select(p => p.ToString())];
        Assert.Equal(Fields(await http.GetStringAsync("/exports/adjusted-shares.json?by=lab", ct)), Fields(await http.GetStringAsync("/exports/labs.json?adjusted=true", ct)));
        // adjusted=false is the raw list, unchanged.
        Assert.Equal(await Items("/api/v1/countries?limit=1000"), await Items("/api/v1/countries?adjusted=false&limit=1000"));
        Assert.DoesNotContain("adjustedShare", await Items("/api/v1/countries?adjusted=false"), StringComparison.Ordinal);

        // The chart: one column per country, adjusted below and the excess on top, as the API's figures.
        var countries = (await http.GetFromJsonAsync<JsonElement>("/api/v1/adjusted-shares?by=country&limit=1000", ct)).GetProperty("items").EnumerateArray().ToArray();
        var us = countries.Single(item => item.GetProperty("key").GetString() == "US");
        var withDownloads = countries.Count(item => item.GetProperty("downloads30d").GetInt64() > 0);
        var chart = (await http.GetStringAsync("/charts/adjusted-shares.csv?by=country", ct)).Split('\n', StringSplitOptions.TrimEntries)
            .SkipWhile(line => line != "column,series,value").ToArray();
        Assert.Equal(1 + (2 * Math.Min(10, withDownloads)), chart.Count(line => line.Length > 0)); // the header, and two parts for each country up to ten
        Assert.Contains($"United States,adjusted,{us.GetProperty("adjustedDownloads30d").GetInt64()}", chart);
        Assert.Contains($"United States,excess,{us.GetProperty("excess").GetInt64()}", chart);
        Assert.True(us.GetProperty("excess").GetInt64() > 0);
        var svg = await http.GetStringAsync("/charts/adjusted-shares.svg?by=country", ct);
        Assert.Contains("30-day downloads by country: adjusted, with the flagged excess on top", svg, StringComparison.Ordinal);
        Assert.Contains("3 models flagged at this run", svg, StringComparison.Ordinal);
        Assert.Contains("/charts/adjusted-shares", await http.GetStringAsync("/embed/adjusted-shares?by=lab", ct), StringComparison.Ordinal);
        var spanish = await http.GetStringAsync("/charts/adjusted-shares.svg?by=region&lang=es", ct);
        Assert.Contains("Descargas en 30 días por región: ajustadas, con el exceso con alerta encima", spanish, StringComparison.Ordinal);

        // Concentration: the as-of run's index raw (as the raw list's) beside the index of the adjusted lab downloads.
        var raw = (await http.GetFromJsonAsync<JsonElement>("/api/v1/concentration?region=China&limit=1", ct)).GetProperty("items")[0];
        var adjusted = (await http.GetFromJsonAsync<JsonElement>("/api/v1/concentration?adjusted=true&region=China", ct)).GetProperty("items").EnumerateArray().Single();
        var chinaLabs = (await http.GetFromJsonAsync<JsonElement>("/api/v1/adjusted-shares?by=lab&region=China&limit=500", ct)).GetProperty("items").EnumerateArray()
            .Where(item => item.GetProperty("key").GetString() != "none").Select(item => (double)item.GetProperty("adjustedDownloads30d").GetInt64()).Where(d => d > 0).ToArray();
        Assert.Equal(raw.GetProperty("hhi").GetDouble(), adjusted.GetProperty("hhi").GetDouble(), 9);
        Assert.Equal(chinaLabs.Sum(d => Math.Pow(100 * d / chinaLabs.Sum(), 2)), adjusted.GetProperty("adjustedHhi").GetDouble(), 9);
        Assert.Equal(chinaLabs.Max() / chinaLabs.Sum(), adjusted.GetProperty("adjustedTop1Share").GetDouble(), 12);
        Assert.Equal((long)chinaLabs.Sum(), adjusted.GetProperty("adjustedDownloads30d").GetInt64());
        var concentrationCsv = await http.GetStringAsync("/exports/concentration.csv?adjusted=true&metadata=none", ct);
        Assert.StartsWith("at,runId,source,group,labs,downloads30d,hhi,top1Share,top5Share,adjustedDownloads30d,adjustedHhi,adjustedTop1Share,adjustedTop5Share", concentrationCsv, StringComparison.Ordinal);

        // Elsewhere adjusted=true is a 400 naming adjusted and saying where the view is; a bad value is a 400 too.
        foreach (var path in new[] { "/api/v1/models?adjusted=true", "/charts/top-labs.png?adjusted=true", "/exports/countries.csv?adjusted=maybe", "/api/v1/labs?adjusted=yes" })
        {
            using var bad = await http.GetAsync(path, ct);
            var problem = await bad.Content.ReadAsStringAsync(ct);
            Assert.True(bad.StatusCode == System.Net.HttpStatusCode.BadRequest, path);
            Assert.Contains("\"parameter\":\"adjusted\"", problem, StringComparison.Ordinal);
        }

        using var models = await http.GetAsync("/api/v1/models?adjusted=true", ct);
        Assert.Contains("/api/v1/adjusted-shares", await models.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    /// <summary>Namespace → country, from the registry file itself (case-insensitive, as the Hub's namespaces are).</summary>
    private static Dictionary<string, string> RegistryCountries()
    {
        using var registry = JsonDocument.Parse(File.ReadAllText(Repo.Path("seeds", "labs.json")));
        var countries = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var lab in registry.RootElement.GetProperty("labs").EnumerateArray())
        {
            foreach (var ns in lab.GetProperty("namespaces").EnumerateArray())
            {
                countries[ns.GetString()!] = lab.GetProperty("country").GetString()!;
            }
        }

        return countries;
    }

    /// <summary>The flags at the time of writing: 33 spikes (run month, model), the issue's Qwen2.5-1.5B-Instruct first.</summary>
    private static readonly string[] Pinned =
    [
        "2024-12 Qwen/Qwen2.5-1.5B-Instruct",
        "2024-12 Qwen/Qwen2-0.5B",
        "2025-01 facebook/esm2_t30_150M_UR50D",
        "2025-02 microsoft/resnet-50",
        "2025-02 FacebookAI/xlm-roberta-large",
        "2025-02 facebook/wav2vec2-xls-r-300m",
        "2025-02 facebook/rag-token-nq",
        "2025-02 facebook/wav2vec2-large-960h",
        "2025-03 FacebookAI/xlm-roberta-large",
        "2025-03 facebook/esm2_t30_150M_UR50D",
        "2025-03 facebook/wav2vec2-xls-r-300m",
        "2025-03 facebook/rag-token-nq",
        "2025-03 facebook/mcontriever-msmarco",
        "2025-04 FacebookAI/xlm-roberta-large",
        "2025-04 facebook/contriever-msmarco",
        "2025-04 google/byt5-base",
        "2025-04 sentence-transformers/use-cmlm-multilingual",
        "2025-05 sentence-transformers/use-cmlm-multilingual",
        "2025-05 facebook/mms-lid-126",
        "2025-05 microsoft/BiomedNLP-BiomedBERT-base-uncased-abstract-fulltext",
        "2025-07 facebook/esm2_t30_150M_UR50D",
        "2025-07 Qwen/Qwen2-7B-Instruct",
        "2025-07 microsoft/BiomedParse",
        "2025-07 facebook/maskformer-swin-large-coco",
        "2025-08 Qwen/Qwen2.5-14B-Instruct",
        "2025-08 Qwen/Qwen3-4B-Base",
        "2025-08 facebook/contriever",
        "2025-08 google/siglip2-so400m-patch16-naflex",
        "2025-08 Qwen/Qwen3-8B-Base",
        "2025-08 microsoft/BiomedParse",
        "2025-09 facebook/contriever",
        "2025-09 Qwen/Qwen3-4B-Base",
        "2025-09 sentence-transformers/gtr-t5-base",
    ];

    private static string Key(JsonElement item) => $"{item.GetProperty("at").GetDateTime().ToUniversalTime():yyyy-MM} {item.GetProperty("id").GetString()}";
}
