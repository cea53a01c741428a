namespace OpenModelWatch.Web.Flags;

/// <summary>A model's counts at one run of the window; null where the run did not list it or the count is unknown.</summary>
public sealed record CountPoint(long? Downloads30d, long? Likes);

/// <summary>A model's counts at every run of the window, in the window's run order.</summary>
public sealed record ModelSeries(string Id, IReadOnlyList<CountPoint?> Points);

/// <summary>A spike the rule flags: a model at one run (by its index in the window), with every figure the reason cites.</summary>
public sealed record Spike(string Id, int Run, long Downloads30d, double Baseline, int OtherRuns, double Jump, double PeerJump, long NewLikes, double UsualNewLikes, double LikesPace)
{
    /// <summary>The downloads above the model's own usual level: what an adjusted view would leave out.</summary>
    public long Excess => (long)Math.Round(Downloads30d - Baseline);
}

/// <summary>
/// The inflated-count rule, conservative on purpose: it flags a model at a run only when all of these hold.
/// <list type="number">
/// <item>Its 30-day downloads are at least <see cref="MinDownloads"/> (a spike small enough not to move any share is not worth a flag).</item>
/// <item>They are at least <see cref="MinJump"/> times its own usual level: the median of its 30-day downloads at the
/// window's other runs, of which it needs at least <see cref="MinOtherRuns"/> (so a spike is judged against the whole
/// history, before and after, and a model's first month can be judged too).</item>
/// <item>That jump is at least <see cref="MinJump"/> times the median jump of its peers at the same run (every model
/// of the window with <see cref="MinDownloads"/> at some run and enough other runs), so a Hub-wide change of counting
/// flags nobody.</item>
/// <item>Its likes did not rise in step: the likes it gained since the previous run are fewer than a third of the
/// jump times its usual gain per run (the median of its gains at the other runs, at least 1). A real surge of use
/// brings likes; a CI pipeline does not. Without a previous run (or two other gains to compare) nothing is flagged.</item>
/// </list>
/// </summary>
public static class SpikeRule
{
    public const long MinDownloads = 1_000_000;
    public const double MinJump = 10;
    public const int MinOtherRuns = 4;
    public const double LikesShare = 1.0 / 3;

    public static IReadOnlyList<Spike> Evaluate(IReadOnlyList<ModelSeries> models, int runs)
    {
        var peers = models.Where(model => model.Points.Any(point => point?.Downloads30d >= MinDownloads)).ToArray();
        var jumps = new List<(ModelSeries Model, int Run, long Downloads, double Baseline, int Others, double Jump)>();
        foreach (var model in peers)
        {
            for (var run = 0; run < runs; run++)
            {
                if (model.Points[run]?.Downloads30d is not { } downloads)
                {
                    continue;
                }

                var others = model.Points.Where((point, i) => i != run && point?.Downloads30d is not null).Select(point => point!.Downloads30d!.Value).ToArray();
                if (others.Length < MinOtherRuns)
                {
                    continue;
                }

                var baseline = Median(others.Select(value => (double)value));
                jumps.Add((model, run, downloads, baseline, others.Length, downloads / Math.Max(baseline, 1)));
            }
        }

        var peerJump = jumps.GroupBy(jump => jump.Run).ToDictionary(group => group.Key, group => Median(group.Select(jump => jump.Jump)));
        var spikes = new List<Spike>();
        foreach (var jump in jumps.Where(jump => jump.Downloads >= MinDownloads && jump.Jump >= MinJump && jump.Jump >= MinJump * peerJump[jump.Run]))
        {
            var gains = Gains(jump.Model);
            if (!gains.TryGetValue(jump.Run, out var newLikes))
            {
                continue;
            }

            var otherGains = gains.Where(gain => gain.Key != jump.Run).Select(gain => (double)gain.Value).ToArray();
            if (otherGains.Length < 2)
            {
                continue;
            }

            var usual = Math.Max(Median(otherGains), 1);
            var pace = newLikes / usual;
            if (pace < LikesShare * jump.Jump)
            {
                spikes.Add(new Spike(jump.Model.Id, jump.Run, jump.Downloads, jump.Baseline, jump.Others, jump.Jump, peerJump[jump.Run], newLikes, usual, pace));
            }
        }

        return [.. spikes.OrderBy(spike => spike.Run).ThenByDescending(spike => spike.Excess).ThenBy(spike => spike.Id, StringComparer.Ordinal)];
    }

    /// <summary>Likes gained since the run before, at each run where both runs know them (a negative gain, likes taken back, counts as 0).</summary>
    private static Dictionary<int, long> Gains(ModelSeries model)
    {
        var gains = new Dictionary<int, long>();
        for (var run = 1; run < model.Points.Count; run++)
        {
            if (model.Points[run]?.Likes is { } now && model.Points[run - 1]?.Likes is { } before)
            {
                gains[run] = Math.Max(0, now - before);
            }
        }

        return gains;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
