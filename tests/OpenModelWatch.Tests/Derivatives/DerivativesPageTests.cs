using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor.Services;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Derivatives;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Tests.Derivatives;

/// <summary>The derivatives page in bUnit on the runs of <see cref="DashboardApp"/>: its sort comes from the address and goes back to it.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DerivativesPageTests(DashboardApp app)
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("http://localhost/derivatives", "derivatives", false)]
    [InlineData("http://localhost/derivatives?sort=downloads30d", "downloads30d", false)]
    [InlineData("http://localhost/derivatives?sort=derivatives&order=asc", "derivatives", true)]
    public void TheAddressGivesTheSort(string uri, string sort, bool ascending)
    {
        var parameters = DerivativesPage.Parse(uri);

        Assert.Equal((sort, ascending), (parameters.Sort, parameters.Ascending));
    }

    [Theory]
    [InlineData("http://localhost/derivatives", "downloads30d", "http://localhost/derivatives?sort=downloads30d")]
    [InlineData("http://localhost/derivatives", "derivatives", "http://localhost/derivatives?order=asc")]
    [InlineData("http://localhost/derivatives?sort=downloads30d&order=asc&page=2", "derivatives", "http://localhost/derivatives")]
    [InlineData("http://localhost/derivatives?sort=downloads30d&page=2", "downloads30d", "http://localhost/derivatives?sort=downloads30d&order=asc")]
    public void ClickingAColumnWritesTheSortToTheAddressFromTheFirstPage(string uri, string field, string expected)
    {
        Assert.Equal(expected, DerivativesPage.SortUri(uri, DerivativesPage.Parse(uri), field));
    }

    [Fact]
    public void AnUnknownSortIsRejectedLikeTheApiDoes()
    {
        Assert.Throws<ParameterException>(() => DerivativesPage.Parse("http://localhost/derivatives?sort=likes"));
    }

    [Fact]
    public async Task ThePageShowsTheApiBaseModelsInTheAddressOrderAndSortsByClicking()
    {
        var byDownloads = await BaseIdsAsync("/api/v1/derivatives/base-models?sort=downloads30d&limit=25");
        var byCount = await BaseIdsAsync("/api/v1/derivatives/base-models?limit=25");
        Assert.NotEmpty(byDownloads);
        await using var context = NewContext();
        var navigation = context.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/derivatives?sort=downloads30d");

        var page = context.Render<DerivativesPage>();

        page.WaitForAssertion(() => Assert.Equal(byDownloads, page.FindAll("[data-testid=base-link]").Select(link => link.TextContent)), _wait);
        page.Find("[data-testid=base-models] [data-testid=sort-derivatives]").Click();
        Assert.Equal(navigation.BaseUri + "derivatives", navigation.Uri);
        page.WaitForAssertion(() => Assert.Equal(byCount, page.FindAll("[data-testid=base-link]").Select(link => link.TextContent)), _wait);
    }

    [Fact]
    public async Task ThePageShowsTheApiGroupsOfEveryOriginLab()
    {
        var labs = (await ItemsAsync("/api/v1/derivatives/labs?limit=1000")).ToDictionary(g => g.GetProperty("key").GetString()!, g => g.GetProperty("derivatives").GetInt32());
        Assert.NotEmpty(labs);
        await using var context = NewContext();
        context.Services.GetRequiredService<NavigationManager>().NavigateTo("/derivatives");

        var page = context.Render<DerivativesPage>();

        page.WaitForAssertion(() => Assert.Equal(labs, page.FindAll("[data-testid=derivative-labs] [data-testid=group-row]").ToDictionary(
            row => row.GetAttribute("data-key")!, row => int.Parse(row.QuerySelector("[data-testid=group-derivatives]")!.GetAttribute("data-value")!, System.Globalization.CultureInfo.InvariantCulture))), _wait);
    }

    private BunitContext NewContext()
    {
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Services.AddLocalization();
        context.Services.AddFallbackServiceProvider(app.Services);
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    private async Task<string[]> BaseIdsAsync(string path) => [.. (await ItemsAsync(path)).Select(b => b.GetProperty("id").GetString()!)];

    private async Task<JsonElement[]> ItemsAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var body = await http.GetFromJsonAsync<JsonElement>(path, Xunit.TestContext.Current.CancellationToken);
        return [.. body.GetProperty("items").EnumerateArray()];
    }
}
