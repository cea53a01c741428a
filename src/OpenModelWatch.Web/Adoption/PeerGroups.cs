namespace OpenModelWatch.Web.Adoption;

/// <summary>A band of a model's size or age: its key in the API, its label on pages, and its bounds (lower inclusive, upper exclusive).</summary>
public sealed record Band(string Key, string Label, long Min, long? Max)
{
    public bool Contains(long value) => value >= Min && (Max is not { } max || value < max);
}

/// <summary>
/// Size classes by total parameters. The bounds follow the hardware a model needs, roughly a factor of three to four
/// apart: under 1B (embedding models, edge), 1–3B (phones, laptops), 3–10B (one consumer GPU: the 7–8B class),
/// 10–40B (one large GPU or a workstation: 14B, 27B, 32B), 40–150B (a multi-GPU node: 70B, 123B), 150B and more (a
/// data-centre deployment: 235B, 405B, 671B mixtures of experts). A mixture of experts is classed by its total, not its
/// active parameters: the total decides the memory it needs.
/// </summary>
public static class SizeClasses
{
    public const string Unknown = "unknown";
    private const long B = 1_000_000_000;

    public static readonly IReadOnlyList<Band> All =
    [
        new("under-1b", "< 1B", 0, 1 * B),
        new("1b-3b", "1–3B", 1 * B, 3 * B),
        new("3b-10b", "3–10B", 3 * B, 10 * B),
        new("10b-40b", "10–40B", 10 * B, 40 * B),
        new("40b-150b", "40–150B", 40 * B, 150 * B),
        new("150b-plus", "≥ 150B", 150 * B, null),
    ];

    public static IReadOnlyList<string> Keys { get; } = [.. All.Select(band => band.Key), Unknown];

    /// <summary>The class of a parameter count; <see cref="Unknown"/> when the count is unknown or not positive.</summary>
    public static string Of(long? parameters) =>
        parameters is > 0 and var n ? All.First(band => band.Contains(n)).Key : Unknown;

    public static string Label(string key) => All.FirstOrDefault(band => band.Key == key)?.Label ?? "unknown size";
}

/// <summary>
/// Age bands: whole days from the release day to the run's as-of time. The first band is the month the 30-day count
/// does not yet fully cover; the later ones widen as a model's downloads settle: 0–1, 1–3, 3–6, 6–12, 12–24 months, then
/// older (a month is 30 days here, a year 365).
/// </summary>
public static class AgeBands
{
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<Band> All =
    [
        new("under-1m", "< 1 month", 0, 30),
        new("1m-3m", "1–3 months", 30, 91),
        new("3m-6m", "3–6 months", 91, 183),
        new("6m-12m", "6–12 months", 183, 365),
        new("12m-24m", "1–2 years", 365, 730),
        new("24m-plus", "≥ 2 years", 730, null),
    ];

    public static IReadOnlyList<string> Keys { get; } = [.. All.Select(band => band.Key), Unknown];

    /// <summary>Whole days from <paramref name="released"/> to <paramref name="at"/>; negative when released after it.</summary>
    public static int? AgeDays(DateTime? released, DateTime at) =>
        released is { } day ? (int)Math.Floor((at - day).TotalDays) : null;

    /// <summary>The band of an age in days; <see cref="Unknown"/> when unknown or negative (a release after the run).</summary>
    public static string Of(int? ageDays) =>
        ageDays is >= 0 and var days ? All.First(band => band.Contains(days)).Key : Unknown;

    public static string Label(string key) => All.FirstOrDefault(band => band.Key == key)?.Label ?? "unknown age";
}

/// <summary>One peer group: the registered labs' models of one size class and one age band in a run, and their median 30-day-equivalent downloads.</summary>
public sealed record PeerGroupItem(string SizeClass, string AgeBand, int Models, double? Median30dEquivalent, long Downloads30d);

/// <summary>
/// The size- and age-fair adoption ratio: a model's 30-day-equivalent downloads divided by the median of its peer
/// group's (same size class, same age band, the model itself included). No ratio when the size or age is unknown, the
/// group has fewer than <see cref="MinPeers"/> models, or its median is zero.
/// </summary>
public static class AdoptionMath
{
    /// <summary>
    /// The smallest peer group given a ratio: with ten models one model moves the median by at most one place, and a
    /// median of fewer is mostly noise.
    /// </summary>
    public const int MinPeers = 10;

    /// <summary>The days of the Hub's 30-day window.</summary>
    public const int Window = 30;

    /// <summary>
    /// A model's 30-day downloads as if it had existed the whole window: a model <c>ageDays</c> old (0 on its release
    /// day) has been downloadable for <c>ageDays + 1</c> of the window's days, so its count is scaled by 30 / that;
    /// from 29 days old on it is the count itself. Without it the youngest band compares a day-old model's one day with
    /// a four-week-old model's four weeks.
    /// </summary>
    public static double Equivalent(long downloads30d, int ageDays) => downloads30d * (double)Window / Math.Clamp(ageDays + 1, 1, Window);

    /// <summary>The median: the middle value, or the mean of the two middle values of an even count; null for none.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + (double)sorted[middle]) / 2;
    }

    /// <summary>The peer groups of a population, keyed by (size class, age band); models of unknown size or age form no group.</summary>
    public static IReadOnlyDictionary<(string SizeClass, string AgeBand), PeerGroupItem> Groups(IEnumerable<(string SizeClass, int? AgeDays, long Downloads30d)> population) =>
        population
            .Where(model => model.SizeClass != SizeClasses.Unknown && AgeBands.Of(model.AgeDays) != AgeBands.Unknown)
            .GroupBy(model => (model.SizeClass, AgeBand: AgeBands.Of(model.AgeDays)))
            .ToDictionary(group => group.Key,
                group => new PeerGroupItem(group.Key.SizeClass, group.Key.AgeBand, group.Count(),
                    Median(group.Select(model => Equivalent(model.Downloads30d, model.AgeDays!.Value))), group.Sum(model => model.Downloads30d)));

    /// <summary>The ratio of a model's downloads to its group's median, or why there is none.</summary>
    public static (double? Ratio, string? Note) Ratio(string sizeClass, int? ageDays, long downloads30d, PeerGroupItem? group, int minPeers = MinPeers)
    {
        if (sizeClass == SizeClasses.Unknown)
        {
            return (null, AdoptionTexts.SizeUnknown);
        }

        if (AgeBands.Of(ageDays) == AgeBands.Unknown)
        {
            return (null, ageDays is < 0 ? AdoptionTexts.ReleasedAfterRun : AdoptionTexts.ReleaseUnknown);
        }

        if (group is null || group.Models < minPeers)
        {
            return (null, AdoptionTexts.FewPeersNote(group?.Models ?? 0, minPeers));
        }

        return group.Median30dEquivalent is > 0 and var median ? (Equivalent(downloads30d, ageDays!.Value) / median, null) : (null, AdoptionTexts.MedianZero);
    }
}
