using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Tests.Files;

// Run alone: its sweep and renders would otherwise slow the browser tests of other classes past their timeouts.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExportsCollection : ICollectionFixture<ExportsApp>
{
    public const string Name = "exports";
}

/// <summary>Tables as files: every row of the view, the same as the API and the page, with their information, formulas made text.</summary>
[Collection(ExportsCollection.Name)]
public sealed class TableExportTests(ExportsApp app)
{
    [Theory]
    [InlineData("")]
    [InlineData("country=CN&sort=likes")]
    [InlineData("region=Europe&sort=parameters&order=asc&task=image-text-to-text")]
    [InlineData("attribution=origin&scope=census&sort=trendingScore")]
    public async Task ModelsCsvExportEqualsTheApiJsonAndThePageRows(string query)
    {
        var csv = await CsvAsync($"/exports/models.csv?{query}", withMetadata: true);

        // The API, page after page: the export has every row, not a page.
        var items = new List<JsonElement>();
        for (var offset = 0; ; offset += ListParameters.MaxLimit)
        {
            var page = await app.JsonAsync($"/api/v1/models?{query}&limit={ListParameters.MaxLimit}&offset={offset}");
            items.AddRange(page.GetProperty("items").EnumerateArray());
            if (items.Count >= page.GetProperty("total").GetInt32())
            {
                break;
            }
        }

        Assert.True(items.Count > 0);
        Assert.Equal(items.Count.ToString(CultureInfo.InvariantCulture), csv["Rows"]);
        AssertSameRows(items, csv);

        // The page's rows: its address read by its own parser, its first page from its own query.
        var parameters = ListUrl.Parse($"{app.BaseUrl}/models?{query}", ModelLeaderboard.SortFields, "downloads30d");
        var shown = await app.Services.GetRequiredService<ModelLeaderboard>().ListAsync(parameters, CancellationToken.None);
        Assert.Equal(shown.Items.Select(item => item.Id), csv.Rows.Take(shown.Items.Count).Select(row => CsvFile.Plain(row[csv.Column("id")])));
    }

    [Theory]
    [InlineData("countries", "sort=likes")]
    [InlineData("labs", "region=China")]
    [InlineData("models", "lab=qwen&sort=createdAt")]
    [InlineData("runs", "")]
    [InlineData("derivatives/labs", "")]
    [InlineData("derivatives/base-models", "")]
    [InlineData("models/Qwen/model-0000/history", "order=asc")]
    [InlineData("history/countries", "group=region")]
    [InlineData("history/countries", "metric=likes&country=CN&country=FR")]
    public async Task ApiCsvFormatHasTheSameItemsAsItsJson(string list, string query)
    {
        var json = await app.JsonAsync($"/api/v1/{list}?{query}&limit=1000");
        using var response = await app.Client.GetAsync($"/api/v1/{list}?{query}&limit=1000&format=csv", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.False(text.StartsWith('\uFEFF'), "The API's CSV is for programs: no byte order mark.");

        var csv = CsvFile.Parse(text, withMetadata: false);
        AssertSameRows(json.GetProperty("items").EnumerateArray().ToList(), csv);
    }

    [Theory]
    [InlineData("/exports/labs", "sort=models")]
    [InlineData("/exports/countries", "attribution=origin")]
    [InlineData("/exports/regions", "")]
    [InlineData("/exports/labs/qwen/models", "sort=likes")]
    [InlineData("/exports/labs/qwen/history", "")]
    [InlineData("/exports/models/Qwen/model-0000/history", "")]
    [InlineData("/exports/runs", "")]
    public async Task EveryGridExportsEveryRowWithItsInformation(string path, string query)
    {
        var csv = await CsvAsync($"{path}.csv?{query}", withMetadata: true);
        var json = await app.JsonAsync($"{path}.json?{query}");

        Assert.Equal(ExportInfo.Source, csv["Source"]);
        Assert.Equal(json.GetProperty("source").GetString(), csv["Source"]);
        Assert.Equal(json.GetProperty("asOf").GetString(), csv["As of"]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$", csv["As of"]!);
        Assert.Equal(json.GetProperty("filters").GetString(), csv["Filters"]);
        Assert.StartsWith(app.BaseUrl + "/methodology#", csv["Method"], StringComparison.Ordinal);
        Assert.NotEmpty(csv.All("Definition"));
        Assert.Null(csv["Credit"]); // live runs: the bundled snapshot's credit is for its own numbers only
        Assert.Contains("run=2", csv["Permalink"], StringComparison.Ordinal);
        Assert.Equal(csv.Rows.Count.ToString(CultureInfo.InvariantCulture), csv["Rows"]);
        Assert.Equal(csv.Rows.Count, json.GetProperty("total").GetInt32());
        AssertSameRows(json.GetProperty("items").EnumerateArray().ToList(), csv);

        // pandas.read_csv(url, skiprows=line - 1): the line the block says the table starts on is the header.
        var text = await app.Client.GetStringAsync($"{path}.csv?{query}", TestContext.Current.CancellationToken);
        var lines = text.TrimStart('\uFEFF').Split("\r\n");
        Assert.Equal(string.Join(",", csv.Header), lines[int.Parse(csv["Table starts on line"]!, CultureInfo.InvariantCulture) - 1]);
    }

    [Fact]
    public async Task ExportFilesAreNamedByViewRunAndTime()
    {
        using var response = await app.Client.GetAsync("/exports/models.csv?country=CN", TestContext.Current.CancellationToken);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Matches(@"^openmodelwatch-models-\d{8}-\d{4}-run2\.csv$", disposition.FileNameStar);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]); // a byte order mark, so spreadsheets read UTF-8

        var bare = await app.Client.GetStringAsync("/exports/models.csv?country=CN&metadata=none", TestContext.Current.CancellationToken);
        Assert.StartsWith("id,namespace,", bare, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormulaCharactersInNamesExportAsText()
    {
        var models = await CsvAsync("/exports/models.csv?sort=likes", withMetadata: true);
        var id = models.Column("id");
        var labName = models.Column("labName");
        var formulaRow = models.Rows.First(row => row[id].StartsWith("'" + ExportsApp.FormulaNamespace, StringComparison.Ordinal));
        Assert.Equal("'" + ExportsApp.FormulaLabName, formulaRow[labName]);
        Assert.StartsWith("'=cmd/=SUM(A", formulaRow[id], StringComparison.Ordinal);
        Assert.Contains(models.Rows, row => row[id].StartsWith("'@evil/-", StringComparison.Ordinal));

        var labs = await CsvAsync("/exports/labs.csv", withMetadata: true);
        var lab = labs.Rows.Single(row => row[labs.Column("id")] == "formula-lab");
        Assert.Equal("'" + ExportsApp.FormulaLabName, lab[labs.Column("name")]);
        Assert.Equal("'@SUM(1+1)", lab[labs.Column("organization")]);

        // The raw bytes: the dangerous cell is quoted and starts with the apostrophe.
        var raw = await app.Client.GetStringAsync("/exports/labs.csv", TestContext.Current.CancellationToken);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click me\"\")\"", raw, StringComparison.Ordinal);

        // Every file: no text cell a spreadsheet would run, numbers left as numbers.
        foreach (var path in new[] { "/exports/models.csv", "/exports/labs.csv?community=include", "/exports/countries.csv", "/api/v1/models?format=csv&limit=1000&sort=likes", "/api/v1/labs?format=csv&community=include" })
        {
            var file = await CsvAsync(path, withMetadata: path.StartsWith("/exports", StringComparison.Ordinal));
            Assert.All(file.Metadata, pair => Assert.False(CsvFile.IsFormula(pair.Value), $"{path}: {pair.Key}"));
            Assert.All(file.Rows.SelectMany(row => row), cell => Assert.False(CsvFile.IsFormula(cell), $"{path}: {cell}"));
        }

        // JSON is not a spreadsheet: names stay as they are.
        var json = await app.JsonAsync("/exports/labs.json");
        Assert.Contains(json.GetProperty("items").EnumerateArray(), item => item.GetProperty("name").GetString() == ExportsApp.FormulaLabName);
    }

    [Fact]
    public async Task APermalinkPinsItsRun()
    {
        var latest = await CsvAsync("/exports/countries.csv", withMetadata: true);
        var pinned = await CsvAsync("/exports/countries.csv?run=1", withMetadata: true);

        Assert.Equal("2 (Manual)", latest["Run"]);
        Assert.Equal("1 (Manual)", pinned["Run"]);
        var chinese = ExportsApp.Namespaces.Where(ns => ns.Country == "CN").Select(ns => ns.Namespace).ToArray();
        var cn = pinned.Rows.Single(row => row[pinned.Column("country")] == "CN");
        Assert.Equal(app.FirstRun.Sum(chinese).Valid.Downloads.ToString(CultureInfo.InvariantCulture), cn[pinned.Column("downloads30d")]);
        var cnNow = latest.Rows.Single(row => row[latest.Column("country")] == "CN");
        Assert.Equal(app.SecondRun.Sum(chinese).Valid.Downloads.ToString(CultureInfo.InvariantCulture), cnNow[latest.Column("downloads30d")]);
        Assert.Equal(latest["Permalink"], pinned["Permalink"]!.Replace("run=1", "run=2", StringComparison.Ordinal));

        using var missing = await app.Client.GetAsync("/exports/countries.csv?run=99", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("run", (await missing.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("parameter").GetString());
    }

    private async Task<CsvFile> CsvAsync(string path, bool withMetadata)
    {
        using var response = await app.Client.GetAsync(path, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return CsvFile.Parse(text, withMetadata);
    }

    /// <summary>Each CSV row equals its JSON item, column by column (columns are the item's fields, in order).</summary>
    private static void AssertSameRows(IReadOnlyList<JsonElement> items, CsvFile csv)
    {
        Assert.Equal(items.Count, csv.Rows.Count);
        if (items.Count > 0)
        {
            Assert.Equal(items[0].EnumerateObject().Select(p => p.Name), csv.Header);
        }

        for (var i = 0; i < items.Count; i++)
        {
            foreach (var (column, j) in csv.Header.Select((column, j) => (column, j)))
            {
                var value = items[i].GetProperty(column);
                var expected = value.ValueKind switch
                {
                    JsonValueKind.Null => "",
                    JsonValueKind.String => value.GetString(),
                    _ => value.GetRawText(),
                };
                Assert.True(expected == CsvFile.Plain(csv.Rows[i][j]), $"row {i}, {column}: JSON {value.GetRawText()}, CSV {csv.Rows[i][j]}");
            }
        }
    }
}
