using OpenModelWatch.Web.Flags;

namespace OpenModelWatch.Tests.Flags;

/// <summary>The inflated-count rule on a synthetic history of six runs, every figure worked out by hand.</summary>
public sealed class SpikeRuleTests
{
    private static ModelSeries Model(string id, long[] downloads, long[] likes) =>
        new(id, [.. downloads.Select((d, i) => (CountPoint?)new CountPoint(d, likes[i]))]);

    private static readonly long[] _flatLikes = [10, 11, 12, 13, 14, 15];

    private static IReadOnlyList<ModelSeries> History() =>
    [
        // A CI pipeline: ten-fold at run 3 (12M against a median of 1M at its five other runs), one like a run throughout.
        Model("ci/pipe", [1_000_000, 1_100_000, 1_050_000, 12_000_000, 1_000_000, 950_000], _flatLikes),
        // A steady grower, doubling every run, likes flat too: 32M at the last run is 8× its median (4M), not 10×.
        Model("steady/grower", [1_000_000, 2_000_000, 4_000_000, 8_000_000, 16_000_000, 32_000_000], _flatLikes),
        // A real hit: 15× at run 3, but 190 new likes against its usual 5 a run (38×, far above a third of 15).
        Model("real/hit", [1_000_000, 1_000_000, 1_000_000, 15_000_000, 1_000_000, 1_000_000], [0, 5, 10, 200, 205, 210]),
        // Peers moving about 4–5% a run.
        .. Enumerable.Range(1, 4).Select(i => Model($"steady/p{i}", [2_000_000, 2_100_000, 2_200_000, 2_300_000, 2_400_000, 2_500_000], [0, 5, 10, 15, 20, 25])),
        // Under the floor at every run: neither flagged nor a peer, whatever its jump.
        Model("tiny/model", [1_000, 1_000, 1_000, 500_000, 1_000, 1_000], _flatLikes),
    ];

    [Fact]
    public void ATenFoldJumpWithFlatLikesIsFlaggedAndASteadyGrowerIsNot()
    {
        var spikes = SpikeRule.Evaluate(History(), 6);

        var spike = Assert.Single(spikes);
        Assert.Equal(("ci/pipe", 3, 12_000_000L, 1_000_000.0, 5, 12.0), (spike.Id, spike.Run, spike.Downloads30d, spike.Baseline, spike.OtherRuns, spike.Jump));
        // Peers at run 3: ci/pipe 12, the grower 8M / 4M = 2, real/hit 15, the four steady ones 2.3M / 2.2M:
        // sorted 1.045 (×4), 2, 12, 15 → the median is 1.045…, and 12 ≥ 10 × 1.045.
        Assert.Equal(2_300_000 / 2_200_000.0, spike.PeerJump, 12);
        Assert.Equal((1L, 1.0, 1.0, 11_000_000L), (spike.NewLikes, spike.UsualNewLikes, spike.LikesPace, spike.Excess));
        Assert.Equal(
            "30-day downloads 12,000,000: 12.0× its median of 1,000,000 at its 5 other runs, where the median model moved 1.05×; it gained 1 likes since the run before, 1.0× its usual 1 a run.",
            FlagsQuery.Reason(spike));
    }

    [Fact]
    public void AHubWideJumpFlagsNobody()
    {
        // The steady models and the grower all ten-fold at run 3 (a change in how the Hub counts), likes flat: each jump
        // (10.45× for the steady ones, 20× for the grower) is ten-fold or more, but so is the peers' median.
        var steady = History().Where(model => model.Id.StartsWith("steady/", StringComparison.Ordinal))
            .Select(model => new ModelSeries(model.Id, [.. model.Points.Select((p, i) => i == 3 ? p! with { Downloads30d = p.Downloads30d * 10, Likes = 0 } : p! with { Likes = 0 })]))
            .ToArray();
        Assert.Empty(SpikeRule.Evaluate(steady, 6));
    }

    [Fact]
    public void AModelWithTooFewOtherRunsOrNoPreviousRunIsNotJudged()
    {
        // Seen at four runs only (three others): no usual level to judge by.
        var young = Model("new/model", [0, 0, 1_000_000, 1_000_000, 1_000_000, 20_000_000], _flatLikes) with { };
        young = young with { Points = [null, null, .. young.Points.Skip(2)] };
        Assert.DoesNotContain(SpikeRule.Evaluate([.. History(), young], 6), spike => spike.Id == "new/model");

        // The spike at the first run has no run before it to count likes from.
        var first = Model("first/spike", [20_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000], _flatLikes);
        Assert.DoesNotContain(SpikeRule.Evaluate([.. History(), first], 6), spike => spike.Id == "first/spike");
    }

    [Fact]
    public void AReasonSaysAJumpAPersonCanRead()
    {
        using var english = new OpenModelWatch.Tests.Localization.CultureScope("en");
        var usual = new Spike("a/b", 5, 29_787_495, 1_586_958, 10, 29_787_495 / 1_586_958d, 1.02, 3, 2, 1.5);
        var huge = new Spike("a/c", 5, 2_500_000, 2, 10, 1_250_000, 1.02, 0, 1, 0);
        var fromZero = new Spike("a/d", 5, 1_060_626, 0, 10, 1_060_626, 1.02, 0, 1, 0);

        Assert.Equal("18.8× its median of 1,586,958", FlagsQuery.Jump(usual));
        Assert.Equal("1,250,000× its median of 2", FlagsQuery.Jump(huge));
        Assert.Equal("up from a usual level of 0", FlagsQuery.Jump(fromZero));
        Assert.Equal("30-day downloads 1,060,626: up from a usual level of 0 at its 10 other runs, where the median model moved 1.02×; it gained 0 likes since the run before, 0.0× its usual 1 a run.",
            FlagsQuery.Reason(fromZero));
    }
}
