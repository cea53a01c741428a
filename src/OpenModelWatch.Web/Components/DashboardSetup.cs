using MudBlazor.Services;
using OpenModelWatch.Web.Components;
using OpenModelWatch.Web.History;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Overview;
using OpenModelWatch.Web.Runs;

// In the root namespace, like Program.cs and Startup.cs, which call it.
namespace OpenModelWatch.Web;

/// <summary>The Blazor Server dashboard (MudBlazor): its services, and its pages mapped next to the API.</summary>
public static class DashboardSetup
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        // Serve package assets (MudBlazor, blazor.web.js) from a build folder in any environment, not only in
        // Development; a published app has them in wwwroot and this does nothing there.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddSingleton<RunHistory>();
        builder.Services.AddSingleton<RunStatusQuery>();
        builder.Services.AddSingleton<OverviewQuery>();
        builder.Services.AddSingleton<ModelFacets>();
        builder.Services.AddSingleton<ModelDetailQuery>();
        builder.Services.AddSingleton<LabDetailQuery>();
        builder.Services.AddSingleton<LabTrends>();
        builder.Services.AddSingleton<Countries.CountryComparison>();
        builder.Services.AddSingleton<DashboardWarmup>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DashboardWarmup>());
        builder.Services.AddSingleton<Ingestion.IRunSucceededListener>(services => services.GetRequiredService<DashboardWarmup>());
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
