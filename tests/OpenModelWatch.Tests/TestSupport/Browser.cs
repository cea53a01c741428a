using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(OpenModelWatch.Tests.TestSupport.Browser))]

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>
/// One headless Debian Chromium for every browser test of the run (Playwright drives it; nothing is downloaded).
/// Browser tests never skip: without Chromium they fail and say how to install it.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly (int Width, int Height) Desktop = (1280, 900);
    public static readonly (int Width, int Height) Phone = (390, 844);

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Instance => _browser ?? throw new InvalidOperationException(
        $"Chromium is not available at {ChromiumPath}. Install it with `apt-get update && apt-get install -y chromium fonts-dejavu-core` (see docs STACK.md); browser tests do not skip.");

    /// <summary>Where screenshots go: <c>bin/…/screenshots</c> of the test project.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            // Left null: every browser test then fails with the install command (see Instance).
            return;
        }

        Directory.CreateDirectory(ScreenshotFolder);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>
    /// A fresh page (own cookies and storage) on the app, at a viewport size. Dispose it: an open page keeps its
    /// circuit's WebSocket open, and the app would then wait its whole shutdown timeout for it.
    /// </summary>
    public Task<BrowserPage> NewPageAsync(DashboardApp app, (int Width, int Height) viewport) => NewPageAsync(app.BaseUrl, viewport);

    /// <summary>A fresh page on an app at <paramref name="baseUrl"/>, for fixtures other than <see cref="DashboardApp"/>.</summary>
    public async Task<BrowserPage> NewPageAsync(string baseUrl, (int Width, int Height) viewport)
    {
        var context = await Instance.NewContextAsync(new()
        {
            BaseURL = baseUrl,
            ViewportSize = new() { Width = viewport.Width, Height = viewport.Height },
            ColorScheme = ColorScheme.Light,
        });
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(15_000);
        return new BrowserPage(await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>A page whose browser context closes with it.</summary>
public sealed class BrowserPage(IPage page) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    public ValueTask DisposeAsync() => new(Page.Context.CloseAsync());
}

public static class PageExtensions
{
    /// <summary>Opens a path and waits for the Blazor circuit: a click before it is up would be lost.</summary>
    public static async Task OpenAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <summary>Saves the whole page, or only what the viewport shows (phone screenshots, which would be too tall to look at).</summary>
    public static Task ScreenshotAsync(this IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, name + ".png"), FullPage = fullPage });

    /// <summary>The query string of the page's address, decoded.</summary>
    public static string Query(this IPage page) => Uri.UnescapeDataString(new Uri(page.Url).Query);
}
