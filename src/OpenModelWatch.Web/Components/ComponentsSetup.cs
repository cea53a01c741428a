using MudBlazor.Services;

namespace OpenModelWatch.Web.Components;

/// <summary>The Blazor Server dashboard's shell (MudBlazor): the app, its routes and layout. Each page is its feature's.</summary>
public static class ComponentsSetup
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        // Serve package assets (MudBlazor, blazor.web.js) from a build folder in any environment, not only in
        // Development; a published app has them in wwwroot and this does nothing there.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }

    /// <summary>The pages (found in this assembly by their <c>@page</c>) and their static assets; antiforgery is in the pipeline.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
