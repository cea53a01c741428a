using System.Net;
using System.Text.Json;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Components;

/// <summary>
/// The labs page's chart files (/charts/top-labs, /embed/top-labs): the labs list's first labs, in its order and
/// filters; and the derivatives page's table file (/exports/derivatives): every lab of its table, in its order.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class TopLabsChartTests(DashboardApp app)
{
    [Theory]
    [InlineData("", "downloads30d")]
    [InlineData("?sort=likes&order=asc", "likes")]
    [InlineData("?region=China", "downloads30d")]
    public async Task TheChartRanksTheLabsOfTheList(string query, string valueField)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var ct = Xunit.TestContext.Current.CancellationToken;
        var list = (await http.GetFromJsonAsync<JsonElement>("/api/v1/labs" + query, ct)).GetProperty("items").EnumerateArray().Take(10).ToArray();
        var chart = await http.GetFromJsonAsync<JsonElement>("/charts/top-labs.json" + query, ct);

        var bars = chart.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(list.Select(lab => lab.GetProperty("name").GetString()), bars.Select(bar => bar.GetProperty("label").GetString()));
        Assert.Equal(list.Select(lab => lab.GetProperty(valueField).GetDouble()), bars.Select(bar => bar.GetProperty("value").GetDouble()));
        Assert.Equal(list.Select(lab => lab.GetProperty("region").GetString()), bars.Select(bar => bar.GetProperty("group").GetString()));

        var svg = await http.GetAsync("/charts/top-labs.svg" + query, ct);
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Contains(list[0].GetProperty("name").GetString()!, await svg.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/embed/top-labs" + query, ct)).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?sort=derivatives&order=asc")]
    public async Task TheDerivativesTableFileHasEveryLabOfThePageTable(string query)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var ct = Xunit.TestContext.Current.CancellationToken;
        var list = (await http.GetFromJsonAsync<JsonElement>("/api/v1/derivatives/labs" + (query.Length == 0 ? "?" : query + "&") + "limit=1000", ct)).GetProperty("items").EnumerateArray().ToArray();
        var file = await http.GetFromJsonAsync<JsonElement>("/exports/derivatives.json" + query, ct);

        var rows = file.GetProperty("items").EnumerateArray().ToArray();
        Assert.NotEmpty(rows);
        Assert.Equal(list.Select(group => group.GetProperty("key").GetString()), rows.Select(row => row.GetProperty("key").GetString()));
        Assert.Equal(list.Select(group => group.GetProperty("derivatives").GetInt32()), rows.Select(row => row.GetProperty("derivatives").GetInt32()));
        var csv = await http.GetStringAsync("/exports/derivatives.csv" + query, ct);
        Assert.Contains(list[0].GetProperty("name").GetString()!, csv, StringComparison.Ordinal);
    }
}
