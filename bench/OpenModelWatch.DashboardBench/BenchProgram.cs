using System.Diagnostics;
using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;
using OpenModelWatch.Web.Countries;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Models;
using OpenModelWatch.Web.Overview;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.DashboardBench;

/// <summary>
/// Server time to render the dashboard over a large store. A benchmark, not a test: it prints figures for
/// docs/performance.md and fails nothing. Usage (Release build; the store is generated once and kept):
/// <c>dotnet run -c Release --project bench/OpenModelWatch.DashboardBench -- [--db PATH] [--models N] [--runs N] [--iterations N]</c>
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var database = Option(args, "--db") ?? Path.Combine(Path.GetTempPath(), "omw-dashboard-bench.db");
        var models = int.Parse(Option(args, "--models") ?? "100000", CultureInfo.InvariantCulture);
        var runs = int.Parse(Option(args, "--runs") ?? "30", CultureInfo.InvariantCulture);
        var iterations = int.Parse(Option(args, "--iterations") ?? "20", CultureInfo.InvariantCulture);

        // The real app (Program, as operators run it) on the benchmark store, scheduled ingestion off.
        await using var factory = new BenchApp(database);
        var app = factory.Services;
        await EnsureStoreAsync(app, models, runs);

        // The background warm-up computes the default views at start; let it finish so it does not share the CPU with
        // the measurements (the cold cases below use their own, empty caches).
        await app.GetRequiredService<OverviewQuery>().GetAsync(CountingView.Default, CancellationToken.None);
        await app.GetRequiredService<LabTrends>().GetAsync(new ListParameters { Limit = ListParameters.MaxLimit }, CancellationToken.None);

        Console.WriteLine($"store: {database}, {new FileInfo(database).Length / 1024 / 1024} MiB; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
        Console.WriteLine($"{"measure",-58} {"first",9} {"median",9} {"p90",9}");

        // The overview, rendered as the page component with the app's own services (bUnit drives the renderer).
        var dbFactory = app.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>();
        var coldHistory = new RunHistory(dbFactory);
        Report("overview, nothing cached (30 runs' totals computed)", [await RenderOverviewAsync(app, new OverviewQuery(dbFactory, new CountryHistory(coldHistory), new LabHistory(coldHistory)))]);
        Report("overview, first view after a new run (earlier runs cached)", await RepeatAsync(Math.Min(iterations, 5), () => AfterNewRunAsync(app, dbFactory)));
        Report("overview, warm (as the background warm-up leaves it)", await RepeatAsync(iterations, () => RenderOverviewAsync(app, app.GetRequiredService<OverviewQuery>())));

        // One page of the models grid: the grid asks the API's query for it as soon as it is on screen.
        Report("models grid, page 1 (default: 30-day downloads)", await RepeatAsync(iterations, () => RenderModelsAsync(app, "/models")));
        Report("models grid, page 3, country=CN, sort=likes", await RepeatAsync(iterations, () => RenderModelsAsync(app, "/models?country=CN&sort=likes&page=3")));
        Report("models grid, page 1, q=model-0 (substring search)", await RepeatAsync(iterations, () => RenderModelsAsync(app, "/models?q=model-0")));
        Report("models grid, page 1, region=Europe, task, size range", await RepeatAsync(iterations, () => RenderModelsAsync(app, "/models?region=Europe&task=text-generation&minParameters=1000000000&maxParameters=20000000000")));

        // The same, as a browser's first request sees it: the prerendered HTML, through the app's whole pipeline.
        using var http = factory.CreateClient();
        Report("HTTP GET / (prerendered overview, warm)", await RepeatAsync(iterations, () => GetAsync(http, "/")));
        Report("HTTP GET /models (prerendered shell; rows follow over the circuit)", await RepeatAsync(iterations, () => GetAsync(http, "/models")));
        Report("HTTP GET /api/v1/models?limit=25 (the grid's query, for comparison)", await RepeatAsync(iterations, () => GetAsync(http, "/api/v1/models?limit=25")));
        return 0;
    }

    private static async Task EnsureStoreAsync(IServiceProvider app, int models, int runs)
    {
        await using var db = await app.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>().CreateDbContextAsync();
        var existing = await db.Runs.CountAsync();
        if (existing == 0)
        {
            await StoreGenerator.GenerateAsync(app.GetRequiredService<StoreConnection>(), app.GetRequiredService<LabRegistry>(), models, runs, Console.Out);
        }
        else
        {
            Console.WriteLine($"reusing the store: {existing} runs, {await db.Models.CountAsync():N0} models (delete the file to regenerate)");
        }
    }

    private static async Task<double> RenderOverviewAsync(IServiceProvider app, OverviewQuery query)
    {
        await using var context = NewContext(app, services => services.AddSingleton(query));
        var clock = Stopwatch.StartNew();
        var page = context.Render<OverviewPage>();
        // Markup, not FindAll: no HTML parsing in the measured time (the server does not parse what it renders).
        page.WaitForState(() => page.Markup.Contains("data-testid=\"region-cards\"", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>The overview when every run but the newest is cached: the cost a visitor pays if the warm-up has not caught up yet.</summary>
    private static async Task<double> AfterNewRunAsync(IServiceProvider app, IDbContextFactory<OpenModelWatchDb> dbFactory)
    {
        var history = new RunHistory(dbFactory);
        var countries = new CountryHistory(history);
        AsOfRun asOf;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            asOf = (await AsOf.LatestAsync(db, CancellationToken.None))!;
        }

        var runs = await history.RunsAsync(asOf, CancellationToken.None);
        foreach (var run in runs.Where(run => run.Id != asOf.Id).TakeLast(OverviewQuery.HistoryRuns))
        {
            await countries.CountriesAsync(run, CountingView.Default, CancellationToken.None);
        }

        return await RenderOverviewAsync(app, new OverviewQuery(dbFactory, countries, new LabHistory(history)));
    }

    private static async Task<double> RenderModelsAsync(IServiceProvider app, string uri)
    {
        await using var context = NewContext(app, _ => { });
        context.Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        var clock = Stopwatch.StartNew();
        var page = context.Render<ModelsPage>();
        page.WaitForState(() => page.Markup.Contains("data-testid=\"model-link\"", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
        return clock.Elapsed.TotalMilliseconds;
    }

    private static BunitContext NewContext(IServiceProvider app, Action<IServiceCollection> configure)
    {
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        configure(context.Services);
        context.Services.AddFallbackServiceProvider(app);
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    private static async Task<double> GetAsync(HttpClient http, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task<double[]> RepeatAsync(int times, Func<Task<double>> measure)
    {
        var results = new double[times];
        for (var i = 0; i < times; i++)
        {
            results[i] = await measure();
        }

        return results;
    }

    private static void Report(string name, double[] milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        var median = sorted[sorted.Length / 2];
        var p90 = sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.9) - 1)];
        Console.WriteLine(FormattableString.Invariant($"{name,-58} {milliseconds[0],7:F1}ms {median,7:F1}ms {p90,7:F1}ms"));
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
