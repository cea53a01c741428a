using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace OpenModelWatch.FirstPaintBench;

/// <summary>
/// First paint of the dashboard's pages as a reader's browser sees it: Debian's Chromium (headless, through Playwright)
/// loads each page N times, each time in a fresh browser context (no cache, no cookies), and reads the page's own
/// performance timing. A benchmark, not a test: it prints figures for docs/performance.md and fails nothing.
/// <para>
/// Usage (bench/firstpaint.sh starts the app and the static floor): <c>dotnet OpenModelWatch.FirstPaintBench.dll
/// --app URL [--floor URL] [--runs 20] [--settle 1000] [--shots FOLDER]</c>.
/// </para>
/// <para>
/// Per load: Largest Contentful Paint (the last <c>largest-contentful-paint</c> entry), the layout shift (every
/// <c>layout-shift</c> entry without recent input, summed over the whole load: at least the web-vitals CLS, which takes
/// the worst 5-second window), both read with a buffered PerformanceObserver once the page has loaded, its Blazor
/// circuit is up and <c>--settle</c> milliseconds have passed, so the circuit's first interactive render counts; TTFB
/// (<c>responseStart</c>) and DOMContentLoaded (<c>domContentLoadedEventEnd</c>) from navigation timing; and when the
/// circuit's first interactive render had happened (the layout's <c>interactive</c> marker).
/// </para>
/// </summary>
public static class FirstPaintProgram
{
    private const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// Runs before the page's own scripts: buffered observers keep every LCP candidate and layout shift, each described
    /// when it happens (an element Blazor later replaces is gone from the entry by the time the figures are read).
    /// </summary>
    private const string ObserveScript = """
        (() => {
          const describe = node => {
            const element = node && (node.nodeType === 1 ? node : node.parentElement);
            if (!element) return '';
            const id = element.getAttribute('data-testid') ?? element.id;
            const classes = [...element.classList].slice(0, 3).join('.');
            return element.tagName.toLowerCase() + (id ? `[${id}]` : '') + (classes ? '.' + classes : '');
          };
          const seen = window.__firstPaint = { lcp: [], shifts: [] };
          new PerformanceObserver(list => list.getEntries().forEach(entry =>
            seen.lcp.push({ at: entry.startTime, element: describe(entry.element), size: entry.size })))
            .observe({ type: 'largest-contentful-paint', buffered: true });
          new PerformanceObserver(list => list.getEntries().filter(entry => !entry.hadRecentInput).forEach(entry =>
            seen.shifts.push({ value: entry.value, at: entry.startTime, sources: entry.sources.map(source =>
              `${describe(source.node)} (${Math.round(source.previousRect.y)}→${Math.round(source.currentRect.y)})`).join(', ') })))
            .observe({ type: 'layout-shift', buffered: true });
        })();
        """;

    /// <summary>Reads the load's figures.</summary>
    private const string ReadScript = """
        () => {
          const seen = window.__firstPaint;
          const navigation = performance.getEntriesByType('navigation')[0];
          const last = seen.lcp[seen.lcp.length - 1];
          return {
            lcp: last ? last.at : -1,
            lcpElement: last ? last.element : '',
            cls: seen.shifts.reduce((sum, shift) => sum + shift.value, 0),
            shifts: seen.shifts.map(shift => `${shift.value.toFixed(4)} at ${shift.at.toFixed(0)} ms: ${shift.sources}`),
            ttfb: navigation.responseStart,
            dcl: navigation.domContentLoadedEventEnd,
            bytes: navigation.decodedBodySize,
          };
        }
        """;

    public static async Task<int> Main(string[] args)
    {
        var app = Option(args, "--app") ?? throw new ArgumentException("--app URL (the running app's address) is required.", nameof(args));
        var floor = Option(args, "--floor");
        var runs = int.Parse(Option(args, "--runs") ?? "20", CultureInfo.InvariantCulture);
        var settle = int.Parse(Option(args, "--settle") ?? "1000", CultureInfo.InvariantCulture);
        var shots = Option(args, "--shots");
        if (runs < 1)
        {
            throw new ArgumentException($"--runs must be at least 1, not {runs}.", nameof(args));
        }

        (int Width, int Height) desktop = (1280, 900), phone = (390, 844);
        List<Target> targets =
        [
            new("overview", app + "/", desktop),
            new("models", app + "/models", desktop),
            new("models?country=CN", app + "/models?country=CN", desktop),
            new("overview, phone", app + "/", phone),
            new("models, phone", app + "/models", phone),
            new("floor: methodology (the layout, no query)", app + "/methodology", desktop),
        ];
        if (floor is not null)
        {
            targets.Add(new("floor: static copy of the overview's HTML, no script", floor, desktop, Blazor: false));
            targets.Add(new("floor: the same, phone", floor, phone, Blazor: false));
        }

        Console.WriteLine($"{Environment.ProcessorCount} cores, load average {LoadAverage()} at start; Chromium {ChromiumPath}; {runs} loads a page, fresh context each, settle {settle} ms");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

        // One load of each page first, not counted: the app's JIT and caches, Chromium's own start.
        foreach (var target in targets)
        {
            var warm = await LoadAsync(browser, target, settle, shots is null ? null : Path.Combine(shots, Slug(target.Name) + ".png"));
            Console.WriteLine($"  warm-up {target.Name}: LCP {warm.Lcp:F0} ms ({warm.LcpElement}), CLS {warm.Cls:F4}, {warm.Bytes / 1024.0:F0} KiB of HTML");
        }

        // Loads taken in turns, page after page, so a change of the machine's load falls on every page alike.
        var results = targets.ToDictionary(target => target, _ => new List<Load>());
        for (var run = 0; run < runs; run++)
        {
            foreach (var target in targets)
            {
                results[target].Add(await LoadAsync(browser, target, settle, null));
            }

            Console.Error.WriteLine($"  {run + 1}/{runs} rounds, load average {LoadAverage()}");
        }

        Console.WriteLine();
        Console.WriteLine("| page | viewport | LCP median / p90 | CLS median / p90 | TTFB median / p90 | DOMContentLoaded median / p90 | circuit up median / p90 | HTML | LCP element |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var target in targets)
        {
            var loads = results[target];
            var interactive = loads.Where(load => load.Interactive is not null).Select(load => load.Interactive!.Value).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {target.Name} | {target.Viewport.Width}×{target.Viewport.Height} | {Ms(loads, l => l.Lcp)} | {Median(loads.Select(l => l.Cls)):F4} / {P90(loads.Select(l => l.Cls)):F4} | {Ms(loads, l => l.Ttfb)} | {Ms(loads, l => l.Dcl)} | {(interactive.Length == 0 ? "–" : $"{Median(interactive):F0} / {P90(interactive):F0} ms")} | {loads[0].Bytes / 1024.0:F0} KiB | {loads.GroupBy(l => l.LcpElement).MaxBy(g => g.Count())!.Key} |"));
        }

        // Where any shift came from, for the pages that had one.
        foreach (var target in targets)
        {
            var worst = results[target].MaxBy(load => load.Cls)!;
            if (worst.Cls > 0)
            {
                Console.WriteLine($"{target.Name}: worst load's shifts (CLS {worst.Cls:F4}): {string.Join("; ", worst.Shifts)}");
            }
        }

        Console.WriteLine($"load average {LoadAverage()} at the end");
        return 0;
    }

    private static async Task<Load> LoadAsync(IBrowser browser, Target target, int settle, string? screenshot)
    {
        var context = await browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = target.Viewport.Width, Height = target.Viewport.Height },
            ColorScheme = ColorScheme.Light,
        });
        try
        {
            await context.AddInitScriptAsync(ObserveScript);
            var page = await context.NewPageAsync();
            await page.GotoAsync(target.Url, new() { WaitUntil = WaitUntilState.Load, Timeout = 30_000 });
            double? interactive = null;
            if (target.Blazor)
            {
                // The circuit's first interactive render re-renders the page: a shift it causes must count.
                await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
                interactive = await page.EvaluateAsync<double>("performance.now()");
            }

            await page.WaitForTimeoutAsync(settle);
            if (screenshot is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
                await page.ScreenshotAsync(new() { Path = screenshot });
            }

            // A moment for the observers' last callbacks.
            await page.WaitForTimeoutAsync(50);
            var read = await page.EvaluateAsync<JsonElement>(ReadScript);
            return new Load(
                read.GetProperty("lcp").GetDouble(),
                read.GetProperty("lcpElement").GetString() ?? "",
                read.GetProperty("cls").GetDouble(),
                [.. read.GetProperty("shifts").EnumerateArray().Select(shift => shift.GetString() ?? "")],
                read.GetProperty("ttfb").GetDouble(),
                read.GetProperty("dcl").GetDouble(),
                interactive,
                read.GetProperty("bytes").GetInt64());
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static string Ms(List<Load> loads, Func<Load, double> figure) =>
        string.Create(CultureInfo.InvariantCulture, $"{Median(loads.Select(figure)):F0} / {P90(loads.Select(figure)):F0} ms");

    private static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    private static double P90(IEnumerable<double> values) => Percentile(values, 0.9);

    /// <summary>Nearest rank: the value at or below which <paramref name="fraction"/> of the loads fall.</summary>
    private static double Percentile(IEnumerable<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static string Slug(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    /// <param name="Blazor">The page is the app's: its circuit's first interactive render is waited for.</param>
    private sealed record Target(string Name, string Url, (int Width, int Height) Viewport, bool Blazor = true);

    private sealed record Load(double Lcp, string LcpElement, double Cls, string[] Shifts, double Ttfb, double Dcl, double? Interactive, long Bytes);
}
