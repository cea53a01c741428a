using System.Diagnostics;
using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;
using Npgsql;
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
/// <c>dotnet run -c Release --project bench/OpenModelWatch.DashboardBench -- [--db PATH] [--models N] [--runs N] [--iterations N] [--no-new-run] [--sizes] [--explain MS] [--postgres CONNECTION]</c>
/// <para>
/// The kept store is copied to <c>PATH.work.db</c> for each run of the bench (deleted at the end): the bench appends a
/// run to the copy through the app's write path, and the kept store stays as generated, so runs of the bench compare.
/// <c>--sizes</c> reports a reused store's bytes by table and index (as after generating it). <c>--explain MS</c> measures
/// nothing: it runs each page's queries once and prints every SQL statement that took MS or more, with its plan.
/// </para>
/// <para>
/// <c>--postgres CONNECTION</c> (a superuser's Npgsql connection string, e.g. what <c>scripts/postgres.sh start</c>
/// prints) measures the same on PostgreSQL: the kept SQLite store is copied by the app's own <c>copy-to-postgres</c>
/// (<see cref="StoreCopy"/>) into a new database of that server, analysed, measured, then dropped.
/// </para>
/// </summary>
public static class BenchProgram
{
    /// <summary>Grid pages are 100 rows; page 100 starts at offset 9,900.</summary>
    private const int PageSize = 100;
    private const double GridTarget = 100;
    private const double PageTarget = 100;
    private const double HistoryTarget = 50;
    private const double SeriesTarget = 100;
    private static readonly TimeSpan _renderTimeout = TimeSpan.FromMinutes(10);

    public static async Task<int> Main(string[] args)
    {
        var database = Path.GetFullPath(Option(args, "--db") ?? Path.Combine(Path.GetTempPath(), "omw-dashboard-bench.db"));
        var models = int.Parse(Option(args, "--models") ?? "100000", CultureInfo.InvariantCulture);
        var runs = int.Parse(Option(args, "--runs") ?? "30", CultureInfo.InvariantCulture);
        var iterations = int.Parse(Option(args, "--iterations") ?? "20", CultureInfo.InvariantCulture);
        var newRun = !args.Contains("--no-new-run");
        _gridOnly = args.Contains("--grid-only");
        var sizes = args.Contains("--sizes");
        var explain = Option(args, "--explain") is { } threshold ? double.Parse(threshold, CultureInfo.InvariantCulture) : (double?)null;
        Console.WriteLine($"{Environment.ProcessorCount} cores; .NET {Environment.Version}; load average {BenchLoad.Average} at start");

        var (generatedModels, generatedRuns) = await EnsureStoreAsync(database, models, runs, sizes);
        if (Option(args, "--postgres") is { } server)
        {
            await MeasureOnPostgresAsync(database, server, generatedModels, generatedRuns, iterations, newRun);
            Console.WriteLine($"load average {BenchLoad.Average} at the end");
            return 0;
        }

        var work = database + ".work.db";
        DeleteStore(work);
        var copy = Stopwatch.StartNew();
        File.Copy(database, work);
        Console.WriteLine(FormattableString.Invariant($"store: {database}, {new FileInfo(database).Length / 1048576.0:N0} MiB; copied to {work} in {copy.Elapsed.TotalSeconds:F1} s"));
        try
        {
            if (explain is { } thresholdMs)
            {
                await ExplainAsync(work, thresholdMs);
            }
            else
            {
                await MeasureAsync(new StoreConnection(StoreProvider.Sqlite, $"Data Source={work}"), generatedModels, generatedRuns, iterations, newRun);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            DeleteStore(work);
        }

        Console.WriteLine($"load average {BenchLoad.Average} at the end");
        return 0;
    }

    /// <summary>
    /// The measures on a PostgreSQL copy of the kept store: a new database on <paramref name="server"/>, filled by
    /// <see cref="StoreCopy"/> (as an operator moves an install), <c>ANALYZE</c>d as the generator analyses the SQLite
    /// store, dropped at the end.
    /// </summary>
    private static async Task MeasureOnPostgresAsync(string database, string server, int models, int runs, int iterations, bool newRun)
    {
        var name = FormattableString.Invariant($"omw_dashboard_bench_{Environment.ProcessId}");
        var admin = new NpgsqlConnectionStringBuilder(server);
        var target = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        await ExecuteAsync(admin.ToString(), $"CREATE DATABASE {name}");
        try
        {
            var copy = Stopwatch.StartNew();
            var source = new StoreConnection(StoreProvider.Sqlite, $"Data Source={database}");
            if (await StoreCopy.RunAsync(source, target, Console.Out, Console.Error, CancellationToken.None) != 0)
            {
                throw new InvalidOperationException($"copy-to-postgres of {database} failed (see above)");
            }

            await ExecuteAsync(target, "ANALYZE");
            Console.WriteLine(FormattableString.Invariant($"store: {database} copied into PostgreSQL database {name} and analysed in {copy.Elapsed.TotalSeconds:F1} s; {await ScalarAsync(target, "SELECT pg_database_size(current_database())") / 1048576.0:N0} MiB"));
            await MeasureAsync(new StoreConnection(StoreProvider.PostgreSQL, target), models, runs, iterations, newRun);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin.ToString(), $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Generates the store unless the file exists; returns the generator's parameters the store was made with.</summary>
    private static async Task<(int Models, int Runs)> EnsureStoreAsync(string database, int models, int runs, bool sizes)
    {
        if (File.Exists(database))
        {
            var signature = ReadSignature(database)
                ?? throw new InvalidOperationException($"{database} is not a store this bench generated (its runs do not say how): delete it, or pass another --db.");
            Console.WriteLine($"reusing the store generated with --models {signature.Models} --runs {signature.Runs} (delete the file to regenerate)");

            // The app migrates the kept store once (index changes since it was generated), not each copy of it.
            var migrate = Stopwatch.StartNew();
            await using (var factory = new BenchApp(database))
            {
                _ = factory.Services;
            }

            SqliteConnection.ClearAllPools();
            Console.WriteLine(FormattableString.Invariant($"store opened by the app (migrations applied if any) in {migrate.Elapsed.TotalSeconds:F1} s"));
            if (sizes)
            {
                ReportSizes(database);
            }

            return signature;
        }

        // The app creates the schema and the labs (migrations, registry sync) on an empty file; the generator fills it.
        var partial = database + ".partial";
        DeleteStore(partial);
        LabRegistry registry;
        await using (var factory = new BenchApp(partial))
        {
            registry = factory.Services.GetRequiredService<LabRegistry>();
        }

        SqliteConnection.ClearAllPools();
        var generator = new StoreGenerator(registry, models, runs);
        Console.WriteLine(FormattableString.Invariant($"generating {database}: about {models:N0} models x {runs} runs (a day each; each day a third of the models change counts, {StoreGenerator.NewRate:P1} new, {StoreGenerator.RemoveRate:P2} removed)"));
        await generator.GenerateAsync(partial, Console.Out);
        File.Move(partial, database);
        await StoreGenerator.CheckTotalsAsync(database, runs, latest: true, Console.Out);
        await StoreGenerator.CheckTotalsAsync(database, runs / 2, latest: false, Console.Out);
        ReportSizes(database);
        return (models, runs);
    }

    private static (int Models, int Runs)? ReadSignature(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Host FROM Runs ORDER BY Id LIMIT 1";
        try
        {
            return StoreGenerator.ParseSignature(command.ExecuteScalar() as string);
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    /// <summary>Bytes of each table and index (SQLite's dbstat), bytes per count range, and the runs' growth.</summary>
    private static void ReportSizes(string database)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var sizes = ReadSizes(connection, database);
        if (sizes is null)
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandTimeout = 0;
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM Counts), (SELECT COUNT(*) FROM Models), (SELECT COUNT(*) FROM Runs), (SELECT SUM(Changed) FROM Runs WHERE Id > 1),
                (SELECT Models FROM Runs ORDER BY Id LIMIT 1)
            """;
        long ranges, modelRows, runs, laterRanges, firstListed;
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            (ranges, modelRows, runs, laterRanges, firstListed) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
        }

        var file = new FileInfo(database).Length;
        Console.WriteLine(FormattableString.Invariant($"file {file:N0} bytes ({file / 1048576.0:N0} MiB); sizes by table and index (dbstat, {clock.Elapsed.TotalSeconds:F0} s):"));
        foreach (var table in sizes.GroupBy(s => s.Table).OrderByDescending(g => g.Sum(s => s.Bytes)))
        {
            Console.WriteLine(FormattableString.Invariant($"  {table.Key}: {table.Sum(s => s.Bytes) / 1048576.0:N1} MiB"));
            foreach (var (_, name, bytes) in table.Where(s => s.Name != s.Table))
            {
                Console.WriteLine(FormattableString.Invariant($"    {name}: {bytes / 1048576.0:N1} MiB"));
            }
        }

        var countsBytes = sizes.Where(s => s.Table == "Counts").Sum(s => s.Bytes);
        var totalsBytes = sizes.Where(s => s.Table == "RunTotals").Sum(s => s.Bytes);
        var modelsBytes = sizes.Where(s => s.Table == "Models").Sum(s => s.Bytes);
        var rangesADay = (double)laterRanges / (runs - 1);
        var modelsADay = (double)(modelRows - firstListed) / (runs - 1);
        var perRange = (double)countsBytes / ranges;
        var perModel = (double)modelsBytes / modelRows;
        var perRun = (double)totalsBytes / runs;
        Console.WriteLine(FormattableString.Invariant($"ranges {ranges:N0}: {perRange:F1} bytes a range; models {modelRows:N0}: {perModel:F0} bytes a model with its indexes; run totals {perRun / 1024:F0} KiB a run"));
        Console.WriteLine(FormattableString.Invariant(
            $"a day after the first: {rangesADay:N0} ranges ({rangesADay * perRange / 1048576.0:F1} MiB), {modelsADay:N0} new models ({modelsADay * perModel / 1048576.0:F1} MiB), totals {perRun / 1048576.0:F2} MiB: {(rangesADay * perRange + modelsADay * perModel + perRun) / 1048576.0:F1} MiB a day"));
    }

    /// <summary>Bytes by table and index from SQLite's dbstat table; through the sqlite3 shell when the bundled SQLite lacks it.</summary>
    private static List<(string Table, string Name, long Bytes)>? ReadSizes(SqliteConnection connection, string database)
    {
        const string Query = "SELECT COALESCE(i.tbl_name, s.name), s.name, SUM(s.pgsize) FROM dbstat s LEFT JOIN sqlite_master i ON i.name = s.name AND i.type = 'index' GROUP BY s.name";
        var sizes = new List<(string Table, string Name, long Bytes)>();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandTimeout = 0;
            command.CommandText = Query;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                sizes.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }

            return sizes;
        }
        catch (SqliteException)
        {
            // Microsoft.Data.Sqlite's bundled SQLite is built without dbstat; Debian's sqlite3 shell has it.
        }

        try
        {
            var start = new ProcessStartInfo("sqlite3", ["-readonly", "-separator", "|", database, Query]) { RedirectStandardOutput = true };
            using var shell = Process.Start(start)!;
            while (shell.StandardOutput.ReadLine() is { } line)
            {
                var parts = line.Split('|');
                sizes.Add((parts[0], parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture)));
            }

            shell.WaitForExit();
            return sizes.Count > 0 ? sizes : null;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            Console.WriteLine($"sizes: dbstat unavailable (bundled SQLite lacks it; sqlite3 shell: {exception.Message})");
            return null;
        }
    }

    private static void DeleteStore(string path)
    {
        // The store, its WAL files and the run lock the app keeps beside it.
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + ".ingest.lock" })
        {
            File.Delete(file);
        }
    }

    /// <summary>Each page's queries once, through contexts that print the SQL statements, their plans and times (<see cref="QueryPlans"/>).</summary>
    private static async Task ExplainAsync(string database, double thresholdMs)
    {
        await using var factory = new BenchApp(database);
        var app = factory.Services;
        var registry = app.GetRequiredService<LabRegistry>();
        var plans = new QueryPlans(app.GetRequiredService<StoreConnection>().ConnectionString, Console.Out, thresholdMs);
        AsOfRun asOf;
        await using (var db = plans.CreateDbContext())
        {
            asOf = (await AsOf.LatestAsync(db, CancellationToken.None))!;
        }

        async Task Step(string name, Func<Task> action)
        {
            Console.WriteLine($"== {name}");
            var clock = Stopwatch.StartNew();
            await action();
            Console.WriteLine(FormattableString.Invariant($"== {name}: {clock.Elapsed.TotalMilliseconds:F1} ms in all (load {BenchLoad.Average})"));
        }

        // As the app answers: searches and ranks from the latest run's ids in memory, loaded first (as the warm-up does).
        var names = new ModelNameIndex(plans, Microsoft.Extensions.Logging.Abstractions.NullLogger<ModelNameIndex>.Instance);
        await Step("model name index built", () => names.BuildAsync(asOf.Id));
        foreach (var (name, parameters) in GridCases(registry))
        {
            foreach (var page in new[] { 1, 100 })
            {
                await Step($"grid {name}, page {page}", async () =>
                {
                    await using var db = plans.CreateDbContext();
                    await ModelLeaderboard.PageAsync(db, asOf, parameters with { Limit = PageSize, Offset = (page - 1) * PageSize }, CancellationToken.None, names);
                });
            }
        }

        var lab = registry.ById(OverviewHeadlines.QwenLabId)?.Id ?? registry.Labs[0].Id;
        await using (var db = plans.CreateDbContext())
        {
            var hubId = await db.Models.Where(m => m.Listed).OrderBy(m => m.Id).Select(m => m.HubId).Skip(12345).FirstAsync();
            await Step($"model history of {hubId}", () => ModelHistory.ItemsAsync(plans, hubId, asOf, null, null, CancellationToken.None));
            await Step($"model page data of {hubId}", () => new ModelDetailQuery(plans, names).GetAsync(hubId, CancellationToken.None));
        }

        await Step($"lab page data of {lab}, nothing cached", () => new LabDetailQuery(plans, new RunHistory(plans), new LabHistory(new RunHistory(plans)), registry).GetAsync(lab, new ListParameters(), CancellationToken.None));
        await Step("region-share series, every run, nothing cached", () => new CountryHistory(new RunHistory(plans), new LabHistory(new RunHistory(plans))).ItemsAsync(asOf, new ListParameters(), Metrics.Downloads30d, byRegion: true, null, null, CancellationToken.None));
        var history = new RunHistory(plans);
        await Step("overview data, nothing cached", () => new OverviewQuery(plans, new CountryHistory(history, new LabHistory(history)), new LabHistory(history)).GetAsync(CountingView.Default, CancellationToken.None));
        await Step("labs page data (runs cached by the overview)", () => new LabTrends(plans, new LabHistory(history)).GetAsync(new ListParameters { Limit = ListParameters.MaxLimit }, CancellationToken.None));
        await Step("labs page coverage", () => history.CoverageAsync(asOf.Id, CountingView.Default, CancellationToken.None));
        await Step("countries page data (runs cached by the overview)", () => new CountryComparison(plans, new CountryHistory(history, new LabHistory(history)), new LabHistory(history))
            .GetAsync(CompareKey.Parse("China", "a", "China"), CompareKey.Parse("US", "b", "US"), CountingView.Default, CancellationToken.None));
        await Step("models page filter choices (facets)", () => new ModelFacets(plans).GetAsync(asOf.Id, CancellationToken.None));
    }

    /// <summary><c>--grid-only</c>: after the warm-up, only the grid's query cases (<see cref="MeasureGridAsync"/>).</summary>
    private static bool _gridOnly;

    private static async Task MeasureAsync(StoreConnection store, int models, int runs, int iterations, bool newRun)
    {
        // The real app (Program, as operators run it) on the copy, scheduled ingestion off.
        await using var factory = new BenchApp(store);
        Console.WriteLine($"measuring on {store.Provider}");
        var app = factory.Services;
        var dbFactory = app.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>();
        var registry = app.GetRequiredService<LabRegistry>();
        var generator = new StoreGenerator(registry, models, runs);
        AsOfRun asOf;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            asOf = (await AsOf.LatestAsync(db, CancellationToken.None))!;
        }

        Console.WriteLine($"{"measure",-86} {"first",9} {"median",9} {"p90",9} {"target",7}      {"cpu (median)",13} [load average]");

        // The text search's ids in memory, alone (the warm-up below builds the app's own): its time and what it holds.
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var names = new ModelNameIndex(dbFactory, Microsoft.Extensions.Logging.Abstractions.NullLogger<ModelNameIndex>.Instance);
        Report("model name index built (ids' text in memory, for text search)", await OnceAsync(() => TimeAsync(() => names.BuildAsync(asOf.Id))),
            note: FormattableString.Invariant($"{(GC.GetTotalMemory(forceFullCollection: true) - before) / 1048576.0:N1} MiB held"));
        GC.KeepAlive(names);

        // What the background warm-up does at start (and after each run): the default views of the latest run.
        Report("views of the latest run computed at start (the background warm-up's work)", await OnceAsync(() => TimeAsync(() => WarmAsync(app, asOf))));
        if (_gridOnly)
        {
            await MeasureGridAsync(app, registry, iterations);
            return;
        }

        // The overview, rendered as the page component with the app's own services (bUnit drives the renderer).
        var coldHistory = new RunHistory(dbFactory);
        Report("overview, nothing cached (its 30 runs' totals read)", await OnceAsync(() => RenderOverviewAsync(app, new OverviewQuery(dbFactory, new CountryHistory(coldHistory, new LabHistory(coldHistory)), new LabHistory(coldHistory), app.GetRequiredService<ModelNameIndex>()))), PageTarget);
        Report("overview, warm (as the background warm-up leaves it)", await RepeatAsync(iterations, () => RenderOverviewAsync(app, app.GetRequiredService<OverviewQuery>())));

        // One page of the models grid, rendered: the grid asks the API's query for it as soon as it is on screen.
        Report("models grid rendered, page 1 (default: 30-day downloads)", await RepeatAsync(iterations, () => RenderModelsAsync(app, "/models")), GridTarget);
        Report("models grid rendered, page 3, country=CN, sort=likes", await RepeatAsync(iterations, () => RenderModelsAsync(app, "/models?country=CN&sort=likes&page=3")), GridTarget);
        Report("models grid rendered, page 1, q=model-0 (substring search)", await RepeatAsync(iterations, () => RenderModelsAsync(app, "/models?q=model-0")), GridTarget);
        // The floor of the four above: the same page (filters, options, layout) with no row to show (no registered lab is in
        // Iceland: counted 0 from the run totals, no query of the models).
        Report("models page rendered, no model matches (the page without rows: the floor)", await RepeatAsync(iterations, () => RenderModelsAsync(app, "/models?country=IS", "data-testid=\"no-models\"")));
        Report("models grid rendered, page 1, region=Europe, task, size range", await RepeatAsync(iterations, () => RenderModelsAsync(app, "/models?region=Europe&task=text-generation&minParameters=1000000000&maxParameters=20000000000")), GridTarget);

        // The same, as a browser's first request sees it: the prerendered HTML, through the app's whole pipeline.
        using (var http = factory.CreateClient())
        {
            Report("HTTP GET / (prerendered overview, warm)", await RepeatAsync(iterations, () => GetAsync(http, "/")));
            Report("HTTP GET /models (prerendered shell; rows follow over the circuit)", await RepeatAsync(iterations, () => GetAsync(http, "/models")));
            Report("HTTP GET /api/v1/models?limit=25 (output-cached after the first)", await RepeatAsync(iterations, () => GetAsync(http, "/api/v1/models?limit=25")));
        }

        await MeasureGridAsync(app, registry, iterations);
        await MeasureHistoriesAsync(app, dbFactory, registry, generator, asOf, iterations);

        if (newRun)
        {
            await MeasureNewRunAsync(app, dbFactory, generator, iterations);
        }
    }

    /// <summary>Every filter and sort of the models page, on page 1 and page 100, through the models list's query (<see cref="ModelLeaderboard.ListAsync"/>, as the grid and the API call it; no output cache).</summary>
    private static async Task MeasureGridAsync(IServiceProvider app, LabRegistry registry, int iterations)
    {
        var leaderboard = app.GetRequiredService<ModelLeaderboard>();
        foreach (var (name, parameters) in GridCases(registry))
        {
            await GridAsync(leaderboard, $"grid {name}", parameters, iterations);
        }
    }

    /// <summary>Each filter of the models page with the default sort, then each sort both ways, unfiltered.</summary>
    private static IEnumerable<(string Name, ListParameters Parameters)> GridCases(LabRegistry registry)
    {
        var lab = registry.ById(OverviewHeadlines.QwenLabId)?.Id ?? registry.Labs[0].Id;
        (string Name, ListParameters Parameters)[] filters =
        [
            ("country=CN", new ListParameters { Countries = ["CN"] }),
            ("region=Europe", new ListParameters { Region = Regions.Europe }),
            ($"lab={lab}", new ListParameters { Lab = lab }),
            ("task=text-generation", new ListParameters { Task = "text-generation" }),
            ("license=mit", new ListParameters { License = "mit" }),
            ("size 1B-20B", new ListParameters { MinParameters = 1_000_000_000, MaxParameters = 20_000_000_000 }),
            ("created 2025-01-01..2025-06-30", new ListParameters { CreatedFrom = new DateOnly(2025, 1, 1), CreatedTo = new DateOnly(2025, 6, 30) }),
            ("q=user0 (substring, broad)", new ListParameters { Q = "user0" }),
            ("q=model-00123 (substring, narrow)", new ListParameters { Q = "model-00123" }),
            ("q=model-0 (substring, a third of the models)", new ListParameters { Q = "model-0" }),
            ("q=/ (substring, every model)", new ListParameters { Q = "/" }),
        ];
        foreach (var (name, parameters) in filters)
        {
            yield return ($"{name}, sort downloads30d desc", parameters);
        }

        foreach (var sort in ModelLeaderboard.SortFields)
        {
            foreach (var ascending in new[] { false, true })
            {
                yield return ($"unfiltered, sort {sort} {(ascending ? "asc" : "desc")}", new ListParameters { Sort = sort, Ascending = ascending });
            }
        }

        // A text search with another filter or in another order: with places (and the scope) only, from the ids in
        // memory (whole in the default order; counted there and its narrowed matches given to the store otherwise);
        // with any other filter, its matches given to the store.
        yield return ("q=user0 (broad), sort likes desc", new ListParameters { Q = "user0", Sort = "likes" });
        yield return ("q=user0 (broad), country=CN", new ListParameters { Q = "user0", Countries = ["CN"] });
        yield return ("q=user0 (broad), region=Europe", new ListParameters { Q = "user0", Region = Regions.Europe });
        yield return ("q=user0 (broad), region=Europe, sort likes desc", new ListParameters { Q = "user0", Region = Regions.Europe, Sort = "likes" });
        yield return ("q=user0 (broad), task=text-generation", new ListParameters { Q = "user0", Task = "text-generation" });
        yield return ("q=/ (every model), sort likes desc", new ListParameters { Q = "/", Sort = "likes" });
        yield return ("q=user0 (broad), size 1B-20B", new ListParameters { Q = "user0", MinParameters = 1_000_000_000, MaxParameters = 20_000_000_000 });

        // Several filters with no text, which the run's totals do not count: counted in memory (and paged there in the
        // default order).
        var combined = new ListParameters { Region = Regions.Europe, Task = "text-generation", MinParameters = 1_000_000_000, MaxParameters = 20_000_000_000 };
        yield return ("region=Europe, task=text-generation, size 1B-20B", combined);
        yield return ("region=Europe, task=text-generation, size 1B-20B, sort likes desc", combined with { Sort = "likes" });
        yield return ("country=CN, license=apache-2.0, created from 2025-01-01", new ListParameters { Countries = ["CN"], License = "apache-2.0", CreatedFrom = new DateOnly(2025, 1, 1) });

        // One filter in another order than the default: counted from the run's totals or its counts per task and
        // licence, paged from the ids in memory (the store would walk the order's index reading each entry's row).
        yield return ("license=mit, sort downloadsAllTime desc", new ListParameters { License = "mit", Sort = "downloadsAllTime" });
        yield return ("task=text-generation, sort likes desc", new ListParameters { Task = "text-generation", Sort = "likes" });
        yield return ("country=CN, sort trendingScore desc", new ListParameters { Countries = ["CN"], Sort = "trendingScore" });
        yield return ("region=Europe, sort createdAt asc", new ListParameters { Region = Regions.Europe, Sort = "createdAt", Ascending = true });
        yield return ($"lab={lab}, sort parameters desc", new ListParameters { Lab = lab, Sort = "parameters" });
        yield return ("scope=census, sort likes desc", new ListParameters { Scope = Scope.Census, Sort = "likes" });
    }

    private static async Task GridAsync(ModelLeaderboard leaderboard, string name, ListParameters parameters, int iterations)
    {
        foreach (var page in new[] { 1, 100 })
        {
            var pageParameters = parameters with { Limit = PageSize, Offset = (page - 1) * PageSize };
            var total = 0;
            var rows = 0;
            var times = await RepeatAsync(iterations, async () =>
            {
                var clock = Stopwatch.StartNew();
                var result = await leaderboard.ListAsync(pageParameters, CancellationToken.None);
                var elapsed = clock.Elapsed.TotalMilliseconds;
                (total, rows) = (result.Total, result.Items.Count);
                return elapsed;
            });
            Report($"{name}, page {page}", times, GridTarget, FormattableString.Invariant($"{rows} rows of {total:N0}"));
        }
    }

    private static async Task MeasureHistoriesAsync(IServiceProvider app, IDbContextFactory<OpenModelWatchDb> dbFactory, LabRegistry registry, StoreGenerator generator, AsOfRun asOf, int iterations)
    {
        // A different model each time, listed by the latest run, spread over the ids (old and new models alike).
        var lastId = generator.LastId(generator.Runs);
        var models = Enumerable.Range(0, iterations * 4).Select(i => 1 + (int)((long)i * 7919 % lastId))
            .Where(id => generator.Listed(id, generator.Runs)).Take(iterations).Select(generator.HubId).ToArray();
        var next = 0;
        Report("model history (/api/v1/models/{id}/history's query: ModelHistory.ItemsAsync)",
            await RepeatAsync(models.Length, () => TimeAsync(() => ModelHistory.ItemsAsync(dbFactory, models[next++ % models.Length], asOf, null, null, CancellationToken.None))),
            HistoryTarget);
        var detail = app.GetRequiredService<ModelDetailQuery>();
        next = 0;
        Report("model page data (ModelDetailQuery: history, rank, base, derivatives)",
            await RepeatAsync(models.Length, () => TimeAsync(() => detail.GetAsync(models[next++ % models.Length], CancellationToken.None))), HistoryTarget);

        var lab = registry.ById(OverviewHeadlines.QwenLabId)?.Id ?? registry.Labs[0].Id;
        Report($"lab history ({lab}, {LabDetailQuery.HistoryRuns} runs' lab totals), nothing cached",
            await RepeatAsync(iterations, () => TimeAsync(() => new LabHistory(new RunHistory(dbFactory)).RecentLabsAsync(asOf, LabDetailQuery.HistoryRuns, CountingView.Default, CancellationToken.None))),
            HistoryTarget);
        Report($"lab page data ({lab}: LabDetailQuery, history and its models' page 1), nothing cached",
            await RepeatAsync(iterations, () => TimeAsync(() => new LabDetailQuery(dbFactory, new RunHistory(dbFactory), new LabHistory(new RunHistory(dbFactory)), registry, app.GetRequiredService<ModelNameIndex>()).GetAsync(lab, new ListParameters(), CancellationToken.None))),
            HistoryTarget);
        Report($"lab page data ({lab}), warm (the app's run totals cached)",
            await RepeatAsync(iterations, () => TimeAsync(() => app.GetRequiredService<LabDetailQuery>().GetAsync(lab, new ListParameters(), CancellationToken.None))), HistoryTarget);

        Report("region-share series, every run (/api/v1/history/countries?group=region's query), nothing cached",
            await RepeatAsync(iterations, () => TimeAsync(() => new CountryHistory(new RunHistory(dbFactory), new LabHistory(new RunHistory(dbFactory))).ItemsAsync(asOf, new ListParameters(), Metrics.Downloads30d, byRegion: true, null, null, CancellationToken.None))),
            SeriesTarget);
        Report("region-share series, every run, warm (the app's run totals cached)",
            await RepeatAsync(iterations, () => TimeAsync(() => app.GetRequiredService<CountryHistory>().ItemsAsync(asOf, new ListParameters(), Metrics.Downloads30d, byRegion: true, null, null, CancellationToken.None))),
            SeriesTarget);
    }

    /// <summary>
    /// A new run through the real write path, then the pages a visitor opens first: once with the app's own services
    /// (every earlier run's totals cached, as in a running app), then N times with fresh services in that same state.
    /// </summary>
    private static async Task MeasureNewRunAsync(IServiceProvider app, IDbContextFactory<OpenModelWatchDb> dbFactory, StoreGenerator generator, int iterations)
    {
        var runId = await NewRun.AppendAsync(app, generator, Console.Out);
        // A visitor before the warm-up: the app's services, the ids in memory still of the run before (its pages by the store).
        Report("overview page, first view after the new run (the app's services, before the warm-up)", await OnceAsync(() => RenderOverviewAsync(app, app.GetRequiredService<OverviewQuery>())), PageTarget);
        Report("labs page, first view after the new run (the app's services)", await OnceAsync(() => RenderLabsAsync(app, app.GetRequiredService<LabTrends>(), app.GetRequiredService<RunHistory>())), PageTarget);
        Report("countries page, first view after the new run (the app's services, before the warm-up)", await OnceAsync(() => RenderCountriesAsync(app, app.GetRequiredService<CountryComparison>())), PageTarget);
        // The warm-up's first stage: the ids in memory of the new run, which the pages below page their top models from.
        var names = app.GetRequiredService<ModelNameIndex>();
        Report("the ids in memory of the new run built (the warm-up's first stage)", await OnceAsync(() => TimeAsync(() => names.BuildAsync(runId))));
        Report("models page's filter choices of the new run (ModelFacets, computed once a run)", await OnceAsync(() => TimeAsync(() => app.GetRequiredService<ModelFacets>().GetAsync(runId, CancellationToken.None))));

        // Each sample on fresh caches that hold every run's totals but the new one's, prepared outside the measure.
        var cached = await EarlierRunsCachedAsync(dbFactory);
        async Task Prepare() => cached = await EarlierRunsCachedAsync(dbFactory);
        Report("overview page after a new run (earlier runs cached, ids in memory built)",
            await RepeatAsync(iterations, () => RenderOverviewAsync(app, new OverviewQuery(dbFactory, cached.Countries, cached.Labs, names)), Prepare), PageTarget);
        Report("labs page after a new run (earlier runs cached)",
            await RepeatAsync(iterations, () => RenderLabsAsync(app, new LabTrends(dbFactory, cached.Labs), new RunHistory(dbFactory)), Prepare), PageTarget);
        Report("countries page after a new run (earlier runs cached, ids in memory built)",
            await RepeatAsync(iterations, () => RenderCountriesAsync(app, new CountryComparison(dbFactory, cached.Countries, cached.Labs, names)), Prepare), PageTarget);
        Report("models grid rendered after the new run, page 1 (default order)", await RepeatAsync(iterations, () => RenderModelsAsync(app, "/models")), GridTarget);
    }

    /// <summary>Fresh per-run caches holding every run's default-view totals but the latest's: the state a new run leaves an app in.</summary>
    private static async Task<(CountryHistory Countries, LabHistory Labs)> EarlierRunsCachedAsync(IDbContextFactory<OpenModelWatchDb> dbFactory)
    {
        var history = new RunHistory(dbFactory);
        var countries = new CountryHistory(history, new LabHistory(history));
        var labs = new LabHistory(history);
        AsOfRun asOf;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            asOf = (await AsOf.LatestAsync(db, CancellationToken.None))!;
        }

        foreach (var run in (await history.RunsAsync(asOf, CancellationToken.None)).Where(run => run.Id != asOf.Id))
        {
            await countries.CountriesAsync(run, CountingView.Default, CancellationToken.None);
            await labs.LabsAsync(run, CountingView.Default, CancellationToken.None);
        }

        return (countries, labs);
    }

    private static async Task WarmAsync(IServiceProvider app, AsOfRun asOf)
    {
        foreach (var view in app.GetServices<IViewWarmup>().OrderBy(view => view.Stage))
        {
            await view.WarmAsync(asOf, CancellationToken.None);
        }
    }

    private static async Task<double> RenderOverviewAsync(IServiceProvider app, OverviewQuery query)
    {
        await using var context = NewContext(app, services => services.AddSingleton(query));
        var clock = Stopwatch.StartNew();
        var page = context.Render<OverviewPage>();
        // Markup, not FindAll: no HTML parsing in the measured time (the server does not parse what it renders).
        page.WaitForState(() => page.Markup.Contains("data-testid=\"region-cards\"", StringComparison.Ordinal), _renderTimeout);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> RenderLabsAsync(IServiceProvider app, LabTrends trends, RunHistory history)
    {
        await using var context = NewContext(app, services => services.AddSingleton(trends).AddSingleton(history));
        context.Services.GetRequiredService<NavigationManager>().NavigateTo("/labs");
        var clock = Stopwatch.StartNew();
        var page = context.Render<LabsPage>();
        page.WaitForState(() => page.Markup.Contains("data-testid=\"lab-row\"", StringComparison.Ordinal), _renderTimeout);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> RenderCountriesAsync(IServiceProvider app, CountryComparison comparison)
    {
        await using var context = NewContext(app, services => services.AddSingleton(comparison));
        context.Services.GetRequiredService<NavigationManager>().NavigateTo("/countries");
        var clock = Stopwatch.StartNew();
        var page = context.Render<CountriesPage>();
        page.WaitForState(() => page.Markup.Contains("data-testid=\"countries-table\"", StringComparison.Ordinal), _renderTimeout);
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <param name="until">The markup that says the page is shown: a model's link, or for a view of no model the words that say so.</param>
    private static async Task<double> RenderModelsAsync(IServiceProvider app, string uri, string until = "data-testid=\"model-link\"")
    {
        await using var context = NewContext(app, _ => { });
        context.Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        var clock = Stopwatch.StartNew();
        var page = context.Render<ModelsPage>();
        page.WaitForState(() => page.Markup.Contains(until, StringComparison.Ordinal), _renderTimeout);
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

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>N samples of a measure; <paramref name="before"/> runs before each, outside the measured time and CPU.</summary>
    private static async Task<double[]> RepeatAsync(int times, Func<Task<double>> measure, Func<Task>? before = null)
    {
        var results = new double[times];
        _cpu = new double[times];
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < times; i++)
        {
            if (before is not null)
            {
                await before();
            }

            process.Refresh();
            var cpu = process.TotalProcessorTime;
            results[i] = await measure();
            process.Refresh();
            _cpu[i] = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        }

        return results;
    }

    /// <summary>One measure, with its CPU time like <see cref="RepeatAsync"/>.</summary>
    private static Task<double[]> OnceAsync(Func<Task<double>> measure) => RepeatAsync(1, measure);

    // The process's CPU time during each sample of the last measure: on two cores shared with other builds, what the
    // work itself cost, where the wall time also holds the waits for a core.
    private static double[]? _cpu;

    /// <summary>
    /// One line: first, median and 90th percentile of the wall time, the target (MISS when the p90 is above it), the
    /// median CPU time of the process during a sample, and the load average after it.
    /// </summary>
    private static void Report(string name, double[] milliseconds, double? target = null, string? note = null)
    {
        var median = Median(milliseconds);
        var sorted = milliseconds.Order().ToArray();
        var p90 = sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.9) - 1)];
        var verdict = target is { } t ? (p90 <= t ? "ok" : "MISS") : "";
        var targetText = target is { } limit ? FormattableString.Invariant($"<{limit:F0}ms") : "";
        var cpu = _cpu is { Length: > 0 } samples && samples.Length == milliseconds.Length ? FormattableString.Invariant($"{Median(samples),7:F1}ms") : "      —  ";
        _cpu = null;
        Console.WriteLine(FormattableString.Invariant(
            $"{name,-86} {milliseconds[0],7:F1}ms {median,7:F1}ms {p90,7:F1}ms {targetText,7} {verdict,-4} cpu {cpu} [{BenchLoad.Average}]{(note is null ? "" : " " + note)}"));
    }

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
