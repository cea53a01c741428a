using System.Net;
using System.Text.Json;
using DuckDB.NET.Data;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Reading;

/// <summary>
/// History as Parquet, read back by a second, independent reader (DuckDB, as an analyst would: <c>read_parquet</c>)
/// and compared value by value with the JSON answers of the same view; the key-value metadata carries the export's
/// information; times are UTC timestamps, counts int64, unknown values null.
/// </summary>
public sealed class ParquetHistoryTests(SourcesApp app) : IClassFixture<SourcesApp>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task AModelsHistoryParquetEqualsTheApiAnswer()
    {
        var file = await DownloadAsync("/exports/models/Qwen/q-1/history.parquet");
        var api = (await app.JsonAsync("/api/v1/models/Qwen/q-1/history?order=asc")).GetProperty("items").EnumerateArray().ToArray();
        var rows = Query($"SELECT * FROM read_parquet('{file}') ORDER BY runId");
        AssertSame(api, rows);
        Assert.Equal(4, rows.Count);

        var types = Query($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{file}'))").ToDictionary(r => (string)r["column_name"]!, r => (string)r["column_type"]!);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", types["at"]);
        Assert.Equal("BIGINT", types["downloads30d"]);
        Assert.Equal("BIGINT", types["runId"]);
        Assert.Equal("VARCHAR", types["source"]);
        // Unknown stays unknown: the runs had no all-time downloads nor trending scores.
        Assert.All(rows, row => Assert.Null(row["downloadsAllTime"]));
    }

    [Theory]
    [InlineData("/exports/countries/China/history.parquet", "/api/v1/history/countries?group=region&region=China&order=asc&limit=1000")]
    [InlineData("/exports/countries/China/history.parquet?compare=all", "/api/v1/history/countries?group=region&region=China&order=asc&limit=1000&compare=all")]
    [InlineData("/exports/countries/FR/history.parquet?compare=all&metric=likes", "/api/v1/history/countries?country=FR&order=asc&limit=1000&compare=all&metric=likes")]
    public async Task ACountrysHistoryParquetEqualsTheApiAnswer(string export, string apiPath)
    {
        var file = await DownloadAsync(export);
        var api = (await app.JsonAsync(apiPath)).GetProperty("items").EnumerateArray().ToArray();
        var rows = Query($"SELECT * FROM read_parquet('{file}') ORDER BY runId");
        Assert.NotEmpty(api);
        AssertSame(api, rows);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?compare=all&region=China")]
    public async Task TheHistoryParquetEqualsItsJsonAndTheLabsApiOfEachRun(string query)
    {
        var file = await DownloadAsync("/exports/history.parquet" + query);
        var json = (await app.JsonAsync("/exports/history.json" + query)).GetProperty("items").EnumerateArray().ToArray();
        var rows = Query($"SELECT * FROM read_parquet('{file}')");
        AssertSame(json, rows);

        // Each run's rows are that run's labs list (compare=all: the labs API pinned to the run).
        if (query.Contains("compare=all", StringComparison.Ordinal))
        {
            foreach (var run in json.GroupBy(item => item.GetProperty("runId").GetInt32()))
            {
                var labs = (await app.JsonAsync($"/api/v1/labs?run={run.Key}&region=China")).GetProperty("items").EnumerateArray()
                    .ToDictionary(lab => lab.GetProperty("id").GetString()!);
                Assert.Equal(labs.Keys.Order(), run.Select(item => item.GetProperty("lab").GetString()!).Order());
                Assert.All(run, item => Assert.Equal(labs[item.GetProperty("lab").GetString()!].GetProperty("downloads30d").GetInt64(), item.GetProperty("downloads30d").GetInt64()));
            }
        }
    }

    [Fact]
    public async Task TheParquetKeyValueMetadataIsTheExportsInformation()
    {
        var file = await DownloadAsync("/exports/labs/qwen/history.parquet");
        var json = await app.JsonAsync("/exports/labs/qwen/history.json");
        var metadata = Query($"SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('{file}')").ToDictionary(r => (string)r["key"]!, r => (string)r["value"]!);
        foreach (var key in new[] { "title", "asOf", "filters", "source", "method", "credit" })
        {
            Assert.Equal(json.GetProperty(key).GetString(), metadata[key]);
        }

        Assert.Equal(json.GetProperty("permalink").GetString()!.Replace("history.json", "history.parquet", StringComparison.Ordinal), metadata["permalink"]);

        Assert.Equal(json.GetProperty("runId").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), metadata["runId"]);
        Assert.Equal(json.GetProperty("sources").GetRawText(), metadata["sources"]);
        Assert.Equal(json.GetProperty("definitions").GetRawText(), metadata["definitions"]);
        Assert.Contains("OSIR-LMTS", metadata["credit"], StringComparison.Ordinal);
        Assert.EndsWith("/exports/labs/qwen/history.parquet?run=4", metadata["permalink"], StringComparison.Ordinal);
        AssertSame(json.GetProperty("items").EnumerateArray().ToArray(), Query($"SELECT * FROM read_parquet('{file}') ORDER BY runId"));
    }

    [Fact]
    public async Task AParquetFileInSpanishHasTheSameKeysAndRowsAndSpanishText()
    {
        var english = await DownloadAsync("/exports/labs/qwen/history.parquet");
        var spanish = await DownloadAsync("/exports/labs/qwen/history.parquet?lang=es");
        Dictionary<string, string> Metadata(string file) =>
            Query($"SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('{file}')").ToDictionary(r => (string)r["key"]!, r => (string)r["value"]!);
        var en = Metadata(english);
        var es = Metadata(spanish);
        Assert.Equal(en.Keys.Order(StringComparer.Ordinal), es.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Fuente: recuentos de descargas del Hugging Face Hub, vía OpenModelWatch", es["source"]);
        Assert.Contains("Historial mensual: OSIR-LMTS del BAAI (brucecui0120), MIT", es["credit"], StringComparison.Ordinal);
        Assert.EndsWith(": totales por ejecución", es["title"], StringComparison.Ordinal);
        Assert.Equal(en["asOf"], es["asOf"]);
        Assert.Equal(en["runId"], es["runId"]);
        var englishRows = Query($"SELECT * FROM read_parquet('{english}') ORDER BY runId");
        var spanishRows = Query($"SELECT * FROM read_parquet('{spanish}') ORDER BY runId");
        Assert.Equal(englishRows.Count, spanishRows.Count);
        for (var i = 0; i < englishRows.Count; i++)
        {
            Assert.Equal(englishRows[i], spanishRows[i]);
        }
    }

    [Theory]
    [InlineData("/exports/history.parquet?compare=both", "compare")]
    [InlineData("/exports/countries/Atlantis/history.parquet", "key")]
    [InlineData("/exports/labs/qwen/history.parquet?from=2026-13-01", "from")]
    [InlineData("/exports/models/Qwen/q-1/history.xlsx", "format")]
    public async Task ABadParameterIsA400NamingIt(string path, string parameter)
    {
        using var response = await app.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
    }

    /// <summary>Every JSON field equals the Parquet column of the same name, row by row: numbers exactly, times as UTC instants, nulls as nulls.</summary>
    private static void AssertSame(JsonElement[] json, List<Dictionary<string, object?>> rows)
    {
        Assert.Equal(json.Length, rows.Count);
        for (var i = 0; i < json.Length; i++)
        {
            var fields = json[i].EnumerateObject().ToArray();
            Assert.Equal(fields.Select(f => f.Name), rows[i].Keys);
            foreach (var field in fields)
            {
                var cell = rows[i][field.Name];
                switch (field.Value.ValueKind)
                {
                    case JsonValueKind.Null:
                        Assert.Null(cell);
                        break;
                    case JsonValueKind.String when field.Name == "at":
                        Assert.Equal(field.Value.GetDateTimeOffset().UtcDateTime, Assert.IsType<DateTime>(cell).ToUniversalTime());
                        break;
                    case JsonValueKind.String:
                        Assert.Equal(field.Value.GetString(), cell);
                        break;
                    case JsonValueKind.Number when cell is long whole:
                        Assert.Equal(field.Value.GetInt64(), whole);
                        break;
                    case JsonValueKind.Number:
                        Assert.Equal(field.Value.GetDouble(), Assert.IsType<double>(cell));
                        break;
                    default:
                        Assert.Fail($"{field.Name}: {field.Value.ValueKind}");
                        break;
                }
            }
        }
    }

    private async Task<string> DownloadAsync(string path)
    {
        using var response = await app.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.apache.parquet", response.Content.Headers.ContentType?.MediaType);
        var file = _folder.File(Guid.NewGuid().ToString("N") + ".parquet");
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        return file;
    }

    private static List<Dictionary<string, object?>> Query(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
