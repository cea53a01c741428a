using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Import;

namespace OpenModelWatch.Tests.Import;

/// <summary>The import command in-process (the app's own service, as the command runs it), and plain reads of the result.</summary>
public static class ImportKit
{
    /// <summary>The real 4,167-row hub-stats slice beside the repository (its README says what it is and how to credit it).</summary>
    public static readonly string SamplePath = Repo.Path("tests", "samples", "hub-stats", "models.parquet");

    /// <summary>A Hub address nothing listens on: an import never calls the Hub.</summary>
    public static readonly Uri NoHub = new("http://127.0.0.1:9/");

    /// <summary>The app on a fresh test database, started (store prepared) and ready to import.</summary>
    public static AppFactory App(TempFolder folder, params (string Namespace, string Country)[] labs)
    {
        var app = new AppFactory(folder, NoHub, folder.WriteRegistry(labs.Length > 0 ? labs : [("Qwen", "CN"), ("meta-llama", "US")]));
        _ = app.Services;
        return app;
    }

    public static async Task<(ImportResult Result, string Out, string Error)> ImportAsync(AppFactory app, DateTime? at, params string[] files)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var result = await app.Services.GetRequiredService<HubStatsImport>().ImportAsync(files, at, terminal: false, output, error, TestContext.Current.CancellationToken);
        return (result, output.ToString(), error.ToString());
    }

    public static async Task<JsonElement> GetAsync(HttpClient http, string url)
    {
        var answer = await http.GetAsync(url, TestContext.Current.CancellationToken);
        var body = await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(answer.IsSuccessStatusCode, $"{url}: {(int)answer.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static string? Scalar(TempFolder folder, string sql)
    {
        using var connection = new SqliteConnection(folder.ConnectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static List<string> Rows(TempFolder folder, string sql) => Sql.Rows(folder.ConnectionString + ";Pooling=False", sql);

    /// <summary>A JSON number or null as text: <c>null</c> for an unknown value, never 0.</summary>
    public static string Number(JsonElement item, string name) =>
        item.GetProperty(name).ValueKind == JsonValueKind.Null ? "null" : item.GetProperty(name).GetRawText();
}
