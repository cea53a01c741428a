using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.DashboardBench;

/// <summary>
/// The real app (<c>Program</c>) on the benchmark's store, in Production, with scheduled ingestion, the bundled snapshot
/// and file logs off. The background warm-up is given no views: the bench computes them itself when it says so
/// (<see cref="IViewWarmup"/>), so that nothing computes behind a measurement's back.
/// </summary>
public sealed class BenchApp : WebApplicationFactory<Program>
{
    private readonly StoreConnection _store;

    /// <summary>The app on a SQLite store file.</summary>
    public BenchApp(string database)
        : this(new StoreConnection(StoreProvider.Sqlite, $"Data Source={database}"))
    {
    }

    /// <summary>The app on a store of either provider (<c>--postgres</c>: a PostgreSQL copy of the generated store).</summary>
    public BenchApp(StoreConnection store)
    {
        _store = store;

        // The app's content root is this build folder (its appsettings.json and seeds are copied here), as for a
        // published app; WebApplicationFactory would otherwise look for the project folder beside the solution.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_OPENMODELWATCH_WEB", AppContext.BaseDirectory);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Store:Provider", _store.Provider.ToString());
        builder.UseSetting("ConnectionStrings:OpenModelWatch", _store.ConnectionString);
        builder.UseSetting("Ingestion:Enabled", "false");
        builder.UseSetting("Snapshot:ImportWhenEmpty", "false");
        builder.UseSetting("Snapshot:ImportHistory", "false");
        builder.UseSetting("Logs:Path", "");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.ConfigureTestServices(services => services.AddSingleton(provider => new ViewWarmup(
            provider.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>(), [], TimeProvider.System,
            provider.GetRequiredService<ILogger<ViewWarmup>>())));
    }
}
