using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using OpenModelWatch.FakeHub;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Ingestion;

/// <summary>The Hub answers 429 for two minutes of simulated time, then recovers: the run waits as told, without hammering.</summary>
public sealed class ThrottlingTests
{
    private static readonly TimeSpan _outage = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData(true)]  // the Hub's API: RateLimit "api";r=0;t=30 and Retry-After
    [InlineData(false)] // the CDN in front of it: Retry-After only
    public async Task TwoMinutesOf429AreWaitedOutAsToldThenTheRunSucceeds(bool withRateLimitHeader)
    {
        var catalog = new GeneratedCatalog(2500, ["alpha", "beta", "gamma"]);
        await using var fixture = await FakeHubFixture.StartAsync(new FakeHubOptions { Catalog = catalog, MaxPageSize = 300 });
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero));
        // Every timer of the client (waits, per-attempt and total time limits) runs on the fake clock; the limits are
        // set far out so that advancing the clock while a real request is in flight never times it out.
        var host = await fixture.StartIngestionHostAsync([("alpha", "US"), ("beta", "CN"), ("gamma", "FR")],
            new Dictionary<string, string?> { ["Hub:AttemptTimeout"] = "00:10:00", ["Hub:RequestBudget"] = "01:00:00", ["Hub:MaxAttempts"] = "10" }, time);
        fixture.Hub.Faults.TooManyRequests(retryAfterSeconds: 30, withRateLimitHeader, times: FakeHubFaults.Always);
        var start = time.GetUtcNow();

        var run = host.Runner.RunAsync(RunTrigger.Manual, TestContext.Current.CancellationToken);
        while (!run.IsCompleted)
        {
            if (time.GetUtcNow() - start >= _outage)
            {
                fixture.Hub.Faults.Clear();
            }

            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        var outcome = await run;
        Assert.True(outcome.Succeeded, outcome.Error);
        // Each refused attempt waits Retry-After plus a second (31 s) before the next, so two minutes hold 4 refusals
        // (at 0, 31, 62, 93 s), the attempt at 124 s going through. The fake clock moves in 1 s steps while the client
        // schedules its waits in real time, so on a loaded machine one wait may start a step late and the last refusal
        // fall after the outage: 3 or 4, never more. A client that hammered would show dozens.
        var refused = fixture.Hub.Counters.TooManyRequests;
        Assert.InRange(refused, 3, 4);
        Assert.Equal(9 + refused, fixture.Hub.Counters.Requests);
        await using var db = await host.DbAsync();
        var stored = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == outcome.RunId, TestContext.Current.CancellationToken);
        Assert.Equal((9 + refused, refused, refused, 2500), (stored.Requests, stored.Retries, stored.Throttled, stored.Models));
        // The fake clock moves a second per 5 ms of real time, so the run's real work after the outage (listing, the
        // final transaction) adds 200 fake seconds per real second: the upper bound allows a loaded machine half a second.
        Assert.InRange(stored.FinishedAt!.Value - stored.StartedAt, TimeSpan.FromSeconds(93), TimeSpan.FromSeconds(300));
        Assert.Equal(catalog.Sum(catalog.Authors).Valid.Downloads, await db.Snapshots.Where(s => s.RunId == outcome.RunId).SumAsync(s => s.Downloads30d, TestContext.Current.CancellationToken));
    }
}
