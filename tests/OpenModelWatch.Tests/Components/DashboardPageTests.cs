using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using MudBlazor.Services;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Overview;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Components;

/// <summary>
/// The pages rendered by bUnit with the real app's services, on the two runs of <see cref="DashboardApp"/>: what
/// they show equals what <c>/api/v1</c> answers for the same filters, and their state goes to and from the address.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardPageTests(DashboardApp app)
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task NumbersShowShortWithTheExactValueInTheTooltip()
    {
        await using var context = NewContext();

        var count = context.Render<Num>(p => p.Add(n => n.Value, 1_234_567L)).Find("span");
        var unknown = context.Render<NumOrUnknown>(p => p.Add(n => n.Value, (long?)null)).Find("span");
        var share = context.Render<Pct>(p => p.Add(n => n.Value, 0.345123)).Find("span");

        Assert.Equal(("1.2M", "1,234,567"), (count.TextContent, count.GetAttribute("title")));
        Assert.Equal("–", unknown.TextContent);
        Assert.Equal(("34.5%", "34.5123%"), (share.TextContent, share.GetAttribute("title")));
    }

    [Fact]
    public async Task OverviewRegionTotalsEqualTheApiCountries()
    {
        var countries = await ApiItemsAsync("/api/v1/countries?limit=1000");
        await using var context = NewContext();

        var page = context.Render<OverviewPage>();
        page.WaitForElement("[data-testid=region-cards]", _wait);

        foreach (var region in Attribution.Uploader.Regions())
        {
            var expected = countries.Where(c => c.GetProperty("region").GetString() == region).Sum(c => c.GetProperty("downloads30d").GetInt64());
            var shown = page.Find($"[data-testid=region-{region}] [data-testid=region-downloads30d] span");
            Assert.Equal(Format.Exact(expected), shown.GetAttribute("title"));
        }
    }

    [Fact]
    public async Task ModelsPageReadsItsFiltersFromTheAddressAndShowsTheApiRows()
    {
        var expected = (await ApiItemsAsync("/api/v1/models?country=FR&sort=likes&order=asc&limit=50")).Select(m => m.GetProperty("id").GetString()).ToArray();
        await using var context = NewContext();
        context.Services.GetRequiredService<NavigationManager>().NavigateTo("/models?country=FR&sort=likes&order=asc&size=50");

        var page = context.Render<ModelsPage>();

        page.WaitForAssertion(() => Assert.Equal(expected, page.FindAll("[data-testid=model-link]").Select(link => link.TextContent)), _wait);
        Assert.Equal(50, expected.Length);
    }

    [Fact]
    public async Task ChangingAFilterWritesItToTheAddressFromTheFirstPage()
    {
        await using var context = NewContext();
        var navigation = context.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/models?sort=likes&page=3");
        var page = context.Render<ModelsPage>();
        page.WaitForElement("[data-testid=model-link]", _wait);

        var region = page.FindComponents<MudSelect<string>>().Single(select => select.Instance.Label == "Region");
        await page.InvokeAsync(() => region.Instance.ValueChanged.InvokeAsync(Regions.Europe));

        Assert.Equal("/models?region=Europe&sort=likes", new Uri(navigation.Uri).PathAndQuery);
    }

    [Fact]
    public async Task AnAddressTheApiWouldRejectIsExplainedNotThrown()
    {
        await using var context = NewContext();
        context.Services.GetRequiredService<NavigationManager>().NavigateTo("/models?country=ZZ");

        var page = context.Render<ModelsPage>();

        Assert.Contains("country", page.Find("[data-testid=parameter-error]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=models-grid]"));
    }

    [Fact]
    public async Task LabsPageListsTheApiLabsInTheApiOrder()
    {
        var expected = (await ApiItemsAsync("/api/v1/labs?sort=likes&limit=1000")).Select(lab => lab.GetProperty("name").GetString()).ToArray();
        await using var context = NewContext();
        context.Services.GetRequiredService<NavigationManager>().NavigateTo("/labs?sort=likes");

        var page = context.Render<LabsPage>();

        page.WaitForAssertion(() => Assert.Equal(expected, page.FindAll("[data-testid=lab-link]").Select(link => link.TextContent)), _wait);
        Assert.Equal(DashboardApp.Labs.Length, expected.Length);
    }

    [Fact]
    public async Task CountriesPageComparesTheTwoOfTheAddressWithTheApiTotals()
    {
        var countries = (await ApiItemsAsync("/api/v1/countries?limit=1000")).ToDictionary(c => c.GetProperty("country").GetString()!);
        await using var context = NewContext();
        context.Services.GetRequiredService<NavigationManager>().NavigateTo("/countries?a=FR&b=AE");

        var page = context.Render<CountriesPage>();
        page.WaitForElement("[data-testid=compare-side]", _wait);

        var shown = page.FindAll("[data-testid=compare-downloads30d] span").Select(span => span.GetAttribute("title")).ToArray();
        Assert.Equal([Format.Exact(countries["FR"].GetProperty("downloads30d").GetInt64()), Format.Exact(countries["AE"].GetProperty("downloads30d").GetInt64())], shown);
    }

    [Fact]
    public async Task WithoutASuccessfulRunPagesSayWhyTheLastAttemptFailed()
    {
        await using var fixture = await FakeHubFixture.StartAsync(new FakeHubOptions { Catalog = app.FirstRun });
        fixture.Hub.Faults.Status(500, FakeHubFaults.Always);
        var host = await fixture.StartIngestionHostAsync(DashboardApp.Labs);
        var outcome = await host.Runner.RunAsync(RunTrigger.Manual, Xunit.TestContext.Current.CancellationToken);
        Assert.False(outcome.Succeeded);
        // The ingestion host has the store but not the dashboard's queries: give the page its own, on that store.
        var dbFactory = host.Services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>();
        await using var context = NewContext(host.Services, services =>
        {
            services.AddSingleton(new RunStatusQuery(dbFactory));
            var runs = new RunHistory(dbFactory);
            services.AddSingleton(new OverviewQuery(dbFactory, new CountryHistory(runs, new LabHistory(runs)), new LabHistory(runs)));
            services.AddSingleton(new SeedStory(dbFactory));
        });

        var page = context.Render<OverviewPage>();

        page.WaitForAssertion(() => Assert.Equal(
            $"No successful run yet — the last attempt failed: {RunFailure.Summary(outcome.Error)}.",
            page.Find("[data-testid=no-data-message]").TextContent.Trim()), _wait);
    }

    private BunitContext NewContext() => NewContext(app.Services, _ => { });

    private static BunitContext NewContext(IServiceProvider services, Action<IServiceCollection> configure)
    {
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Services.AddLocalization();
        configure(context.Services);
        context.Services.AddFallbackServiceProvider(services);
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    private async Task<JsonElement[]> ApiItemsAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var body = await http.GetFromJsonAsync<JsonElement>(path, Xunit.TestContext.Current.CancellationToken);
        return [.. body.GetProperty("items").EnumerateArray()];
    }
}
