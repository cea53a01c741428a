using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Hub;
using OpenModelWatch.Web.Hosting;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>
/// The app's own ingestion services (store, registry, Hub client with its resilience pipeline, runner) in a plain
/// host, pointed at a fake Hub and a test database. No web server: for tests of runs, not of pages.
/// </summary>
public sealed class IngestionHost : IAsyncDisposable
{
    private readonly IHost _host;

    private IngestionHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IngestionRunner Runner => Services.GetRequiredService<IngestionRunner>();

    public HubRequestStats HubStats => Services.GetRequiredService<HubRequestStats>();

    /// <summary>
    /// Fast retries by default, so fault tests take milliseconds, not the production seconds. A setting whose value is
    /// null takes the test default of that key away, leaving the app's own default (e.g. <c>Census:TopN</c>).
    /// </summary>
    public static async Task<IngestionHost> StartAsync(Uri hub, TempFolder folder, string registryPath, IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder.Path, EnvironmentName = "Test" });
        var defaults = TestSettings.For(folder, hub, registryPath).ToDictionary(pair => pair.Key, pair => (string?)pair.Value);
        defaults["Hub:AttemptTimeout"] = "00:00:05";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                defaults.Remove(key);
            }
            else
            {
                defaults[key] = value;
            }
        }

        builder.Configuration.AddInMemoryCollection(defaults);

        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddLogs();
        builder.AddStore();
        builder.AddLabRegistry();
        builder.AddIngestion();
        var host = builder.Build();
        host.Services.GetRequiredService<LabRegistry>();
        await host.Services.GetRequiredService<StoreInitializer>().InitializeAsync(CancellationToken.None);
        return new IngestionHost(host);
    }

    public async Task<OpenModelWatchDb> DbAsync() =>
        await Services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>().CreateDbContextAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
