using Bunit;
using MudBlazor.Services;

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>A bUnit context that renders the dashboard's components as the app does: MudBlazor and localization.</summary>
public static class BunitSetup
{
    public static BunitContext NewContext()
    {
        var context = new BunitContext();
        // MudBlazor's components call into JavaScript on render; a test of markup needs no answers.
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Services.AddLocalization();
        return context;
    }
}
