using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Counting;
using OpenModelWatch.FakeHub.Endpoints;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.FakeHub.RateLimiting;

namespace OpenModelWatch.FakeHub;

/// <summary>
/// A fake Hugging Face Hub on Kestrel at 127.0.0.1, in-process: the subset of the model API that
/// OpenModelWatch uses, with the Hub's paging, rate-limit headers and scripted faults.
/// </summary>
public sealed class FakeHubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HubRateLimit _rateLimit;

    private FakeHubServer(WebApplication app, FakeHubOptions options)
    {
        _app = app;
        _rateLimit = new HubRateLimit(options.RateLimitQuota, options.RateLimitWindow, options.TimeProvider);
        Catalog = options.Catalog;
    }

    /// <summary>The root URL, with a trailing slash, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public FakeHubFaults Faults { get; } = new();

    public FakeHubCounters Counters { get; } = new();

    public IFakeCatalog Catalog { get; }

    public static async Task<FakeHubServer> StartAsync(FakeHubOptions options, CancellationToken ct = default)
    {
        options.Validate();

        // The empty builder reads no appsettings or environment, so nothing in a test's output folder
        // (another app's Kestrel settings, ASPNETCORE_URLS) can move the fake elsewhere.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port ?? 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var server = new FakeHubServer(app, options);

        app.UseRouting();
        app.UseWhen(context => !AdminEndpoints.IsAdmin(context), hub => hub
            .UseMiddleware<CountingMiddleware>(server.Counters)
            .UseMiddleware<RateLimitMiddleware>(server._rateLimit)
            .UseMiddleware<FaultMiddleware>(server.Faults));
        new ModelsEndpoints(options.Catalog, options.MaxPageSize, server.Faults, options.RecordedModels).Map(app);
        AdminEndpoints.Map(app, server);

        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Clears scripted faults and counters and starts a fresh rate-limit window.</summary>
    public void Reset()
    {
        Faults.Clear();
        Counters.Reset();
        _rateLimit.Reset();
    }

    /// <summary>Completes when the host is asked to stop (Ctrl+C or SIGTERM for the command-line fake).</summary>
    public Task WaitForShutdownAsync(CancellationToken ct = default) => _app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
