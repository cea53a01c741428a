using Microsoft.Extensions.Logging.Abstractions;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Hub;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.HubClient;

/// <summary>
/// A whole-Hub census under the anonymous quota, on simulated time: the client reads the <c>RateLimit</c> header of
/// every response and paces itself, so the listing meets no <c>429</c> and takes about as long as the quota demands.
/// </summary>
public sealed class QuotaPacingTests
{
    [Fact]
    public async Task AWholeHubListingOf3000PagesStaysInsideTheAnonymousQuotaWithNo429()
    {
        // 3,000 pages as 3 million models at 1,000 a page would be, kept to 10 models a page so it runs in seconds.
        const int Pages = 3_000, PageSize = 10, Quota = 500;
        var window = TimeSpan.FromSeconds(300);
        var clock = new SkipAheadClock(new DateTimeOffset(2026, 11, 24, 3, 17, 0, TimeSpan.Zero), maxSkip: TimeSpan.FromMinutes(6));
        var catalog = new GeneratedCatalog(Pages * PageSize, ["alpha", "beta", "gamma"]);
        await using var hub = await FakeHubServer.StartAsync(
            new FakeHubOptions { Catalog = catalog, MaxPageSize = PageSize, RateLimitQuota = Quota, RateLimitWindow = window, TimeProvider = clock },
            TestContext.Current.CancellationToken);
        await using var services = ClientServices(hub.BaseAddress, PageSize, clock);
        var client = services.GetRequiredService<OpenModelWatch.Hub.HubClient>();
        var start = clock.GetUtcNow();

        var (pages, models) = (0, 0);
        await foreach (var page in client.ListTopByDownloadsAsync(TestContext.Current.CancellationToken))
        {
            (pages, models) = (pages + 1, models + page.Models.Count);
        }

        var elapsed = clock.GetUtcNow() - start;
        var stats = client.Stats.Snapshot();
        Assert.Equal((Pages, Pages * PageSize), (pages, models));
        Assert.Equal(((long)Pages, 0L, 0L), (hub.Counters.Requests, hub.Counters.TooManyRequests, stats.Retries));
        Assert.Equal(((long)Pages, 0L), (stats.Requests, stats.Throttled));

        // The quota allows 500 requests a window, so 3,000 need 6 windows: at least the 5 whole windows before the
        // sixth (1,500 s), at most the 6 windows plus the client's one second of margin at each reset (1,806 s).
        var windows = (Pages + Quota - 1) / Quota;
        Assert.InRange(elapsed, (windows - 1) * window, windows * (window + TimeSpan.FromSeconds(1)));
        // It held back the last 25 requests of every window (Hub:PacingReserve) and waited for each of the 5 resets.
        Assert.Equal((windows * 25L) + (windows - 1), stats.PacingWaits);
    }

    private static ServiceProvider ClientServices(Uri hub, int pageSize, TimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddOptions<HubClientOptions>().Configure(options =>
        {
            options.BaseUrl = hub;
            options.PageSize = pageSize;
            // Time limits longer than any wait, so that no simulated jump ever cuts an attempt short.
            options.AttemptTimeout = TimeSpan.FromMinutes(10);
            options.RequestBudget = TimeSpan.FromHours(1);
        });
        services.AddHubClient();
        return services.BuildServiceProvider();
    }
}
