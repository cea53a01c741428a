using Microsoft.Extensions.Time.Testing;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Ingestion;

public sealed class IngestionScheduleTests
{
    private static readonly DateTimeOffset _start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TheNextRunIsDueAtStartThenAnIntervalAfterASuccessAndSoonerAfterAFailure()
    {
        await using var fixture = await FakeHubFixture.StartAsync(new FakeHubOptions { Catalog = new GeneratedCatalog(50, ["alpha"]) });
        var time = new FakeTimeProvider(_start);
        var host = await fixture.StartIngestionHostAsync([("alpha", "US")],
            // One attempt: the resilience pipeline waits on the same fake clock, which only this test moves.
            new Dictionary<string, string?> { ["Ingestion:Interval"] = "06:00:00", ["Ingestion:RetryAfterFailure"] = "00:30:00", ["Hub:MaxAttempts"] = "1" }, time);
        var worker = host.Services.GetServices<IHostedService>().OfType<IngestionWorker>().Single();

        Assert.Equal(_start.UtcDateTime, await worker.NextDueAsync(CancellationToken.None));

        Assert.True((await host.Runner.RunAsync(RunTrigger.Schedule, CancellationToken.None)).Succeeded);
        Assert.Equal(_start.UtcDateTime + TimeSpan.FromHours(6), await worker.NextDueAsync(CancellationToken.None));

        time.Advance(TimeSpan.FromHours(6));
        fixture.Hub.Faults.Status(503, times: FakeHubFaults.Always);
        Assert.False((await host.Runner.RunAsync(RunTrigger.Schedule, CancellationToken.None)).Succeeded);
        Assert.Equal(_start.UtcDateTime + TimeSpan.FromHours(6.5), await worker.NextDueAsync(CancellationToken.None));
    }
}
