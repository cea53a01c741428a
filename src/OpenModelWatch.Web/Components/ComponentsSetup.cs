using MudBlazor.Services;

namespace OpenModelWatch.Web.Components;

/// <summary>The Blazor Server dashboard's shell (MudBlazor): the app, its routes and layout. Each page is its feature's.</summary>
public static class ComponentsSetup
{
    /// <summary>The largest message a browser may send the circuit, in bytes: the prerendered state of a page fits in it.</summary>
    public const int MaxCircuitMessage = 1024 * 1024;

    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        // Serve package assets (MudBlazor, blazor.web.js) from a build folder in any environment, not only in
        // Development; a published app has them in wwwroot and this does nothing there.
        builder.WebHost.UseStaticWebAssets();
        // A page's prerendered data (persistent component state, see Components/Shared/Carried) comes back from the
        // browser in the circuit's first message: larger than SignalR's default 32 KB on the overview and the
        // derivatives page, so the limit is raised to what those pages carry on a whole-Hub run, with room.
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(options => options.MaximumReceiveMessageSize = MaxCircuitMessage);
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
