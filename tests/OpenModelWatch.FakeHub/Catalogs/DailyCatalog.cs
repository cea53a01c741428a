using System.Globalization;

namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>
/// A generated Hub that lives day by day, for multi-day tests and benchmarks. Day 0 is exactly
/// <see cref="GeneratedCatalog"/>(initialModels, namespaces, seed), as of <see cref="FirstDate"/>; day <c>d</c> is the
/// Hub <c>d</c> days later, a pure function of (initialModels, namespaces, seed, rates, d), whatever order days are
/// asked in. From one day to the next (the rates are <see cref="DailyRates"/>'s defaults; counts are of the initial size
/// N, rounded, so they are the same every day):
/// <list type="bullet">
/// <item><b>New</b>: exactly round(0.2% × N) models (6,000 at N = 3,000,000), created during the day; model i of
/// namespace <c>namespaces[i % n]</c> as in the generated catalog, numbered on from N. Most start in the tail and ramp up
/// over 30 days; one in 500 is a hit with the downloads of a top-2,000 model.</item>
/// <item><b>Removed</b>: exactly round(0.05% × N) (1,500 at 3M) of the models listed the day before, the less downloaded
/// and the newer more likely (the catalog number is drawn with a density rising linearly with it); gone for good, 404.</item>
/// <item><b>Renamed</b>: exactly round(0.01% × N) (300 at 3M) of the models listed the day before and not removed: the
/// old id leaves the listings, the model is listed as <c>{id}-r{k}</c> after its k-th rename, with the same <c>_id</c>,
/// creation time, lineage and counts; a GET of a former id answers the model under its new id, as the Hub's redirect
/// does. Children keep naming the old id in their <c>base_model:</c> tags, as model cards do.</item>
/// <item><b>Counts</b>: each model changes on the days of its own rhythm: the 2% most downloaded of day 0 every day, the
/// others every 2nd, 3rd, 5th or 6th day (one in four each, with a phase of their own), so about 31.4% of the models
/// change each day (0.02 + 0.98 × (1/2 + 1/3 + 1/5 + 1/6) / 4). On a change day <c>downloads</c> (30 days) always
/// takes a new value (±10% noise around a drift of ±50% a year; a change never repeats the previous value: the value's
/// parity alternates); <c>downloadsAllTime</c> grows on three changes in four (the fourth only lets old downloads leave
/// the 30-day window), by about the model's daily downloads times its period, and never decreases; <c>likes</c> never
/// decrease and grow with popularity; <c>trendingScore</c> follows likes. Between change days nothing of a model moves.
/// Nothing else changes: tags, lineage, sizes are the generated catalog's.</item>
/// </list>
/// The catalog serves <see cref="Current"/>; <see cref="MoveTo"/> (or <c>POST /_fake/day</c>) advances it. For tests,
/// <see cref="At"/> gives exactly what the fake Hub serves on any day, and <see cref="ChangesOn"/> the day's counts.
/// Memory: the values are computed from hashes of (seed, model, change number), never stored; what is stored is the
/// removal day of every catalog number (4 bytes each), the renames, and for the day served its listing orders (about
/// 12 bytes a model).
/// </summary>
public sealed partial class DailyCatalog : IFakeCatalog
{
    /// <summary>The head of day 0 that changes every day: the 2% most downloaded models.</summary>
    private const double DailyHeadShare = 0.02;

    /// <summary>Periods of the other models, one in four each.</summary>
    private static readonly int[] _periods = [2, 3, 5, 6];

    private readonly GeneratedCatalog _generator;
    private readonly string[] _namespaces;
    private readonly ulong _seed;
    private readonly int _dailyHead;
    private readonly DailyLedger _ledger;
    private GeneratedDay _current;

    /// <param name="initialModels">N, the models of day 0.</param>
    /// <param name="day">The day served at first.</param>
    public DailyCatalog(int initialModels, IReadOnlyList<string> namespaces, int seed = 42, int day = 0, DailyRates? rates = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialModels);
        Rates = rates ?? new DailyRates();
        Rates.Validate();

        // The generator gives every catalog number its traits and its day-0 counts; it stores nothing per model.
        _generator = new GeneratedCatalog(int.MaxValue, namespaces, seed);
        _namespaces = [.. namespaces];
        _seed = unchecked((ulong)seed);
        InitialModels = initialModels;
        NewPerDay = DailyRates.PerDay(Rates.New, initialModels);
        RemovedPerDay = DailyRates.PerDay(Rates.Removed, initialModels);
        RenamedPerDay = DailyRates.PerDay(Rates.Renamed, initialModels);
        MaxDay = NewPerDay == 0 ? 100_000 : (int)Math.Min(100_000, (int.MaxValue - (long)initialModels) / NewPerDay);
        _dailyHead = (int)Math.Ceiling(initialModels * DailyHeadShare);
        _ledger = new DailyLedger(this);
        _current = Build(day);
        _current.Prepare();
    }

    /// <summary>The date of day 0: the generated catalog's newest creation time.</summary>
    public static DateTimeOffset FirstDate => GeneratedCatalog.LastCreatedAt;

    public DailyRates Rates { get; }

    /// <summary>N: the models of day 0.</summary>
    public int InitialModels { get; }

    public int NewPerDay { get; }

    public int RemovedPerDay { get; }

    public int RenamedPerDay { get; }

    /// <summary>The last day this catalog can show (its catalog numbers stay within an <see cref="int"/>).</summary>
    public int MaxDay { get; }

    /// <summary>The day served now.</summary>
    public GeneratedDay Current => Volatile.Read(ref _current);

    public int Day => Current.Day;

    public IReadOnlyList<string> Authors => Current.Authors;

    public static DateTimeOffset DateOf(int day) => FirstDate.AddDays(day);

    /// <summary>Serves <paramref name="day"/> from now on (a listing being read goes on in the new day, as on the Hub).</summary>
    public GeneratedDay MoveTo(int day)
    {
        if (day == Current.Day)
        {
            return Current;
        }

        var next = Build(day);
        next.Prepare();
        Volatile.Write(ref _current, next);
        return next;
    }

    /// <summary>Exactly what the fake Hub serves on <paramref name="day"/> (the day served now, or a new view of another).</summary>
    public GeneratedDay At(int day) => day == Current.Day ? Current : Build(day);

    /// <summary>How day <paramref name="day"/> differs from the day before (day ≥ 1).</summary>
    public DayChanges ChangesOn(int day)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(day, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(day, MaxDay);
        return _ledger.ChangesOn(day);
    }

    public IReadOnlyList<CatalogRecord> List(string? author, ModelSort sort) => Current.List(author, sort);

    public FakeModel? Find(string id) => Current.Find(id);

    public CatalogTotals Sum(IEnumerable<string> authors) => Current.Sum(authors);

    public CatalogTotals Sum() => Current.Sum();

    public IReadOnlyList<MalformedRecord> MalformedIn(string author) => [];

    internal int NamespaceCount => _namespaces.Length;

    internal string NamespaceOf(int slot) => _namespaces[slot % _namespaces.Length];

    internal int NamespaceIndexOf(string author)
    {
        for (var k = 0; k < _namespaces.Length; k++)
        {
            if (_namespaces[k].Equals(author, StringComparison.OrdinalIgnoreCase))
            {
                return k;
            }
        }

        return -1;
    }

    /// <summary>How many catalog numbers exist by the end of <paramref name="day"/>: the initial models and every day's new ones.</summary>
    internal int UniverseAt(int day) => InitialModels + (day * NewPerDay);

    internal int BirthDayOf(int slot) => slot < InitialModels || NewPerDay == 0 ? 0 : 1 + ((slot - InitialModels) / NewPerDay);

    /// <summary>The id after <paramref name="renames"/> renames.</summary>
    internal string IdOf(int slot, int renames) =>
        renames == 0 ? _generator.IdOf(slot) : string.Create(CultureInfo.InvariantCulture, $"{_generator.IdOf(slot)}-r{renames}");

    /// <summary>Whether a model changes counts on <paramref name="day"/> (it must exist the day before).</summary>
    internal bool ChangesOnDay(int slot, int day)
    {
        var (period, phase) = RhythmOf(slot);
        return (day + phase) % period == 0;
    }

    /// <summary>The served counts of a model on a day it exists.</summary>
    internal DayCounts CountsOf(int slot, int day)
    {
        var isNew = slot >= InitialModels;
        var (period, phase) = RhythmOf(slot);
        var birth = BirthDayOf(slot);
        var changes = ((day + phase) / period) - ((birth + phase) / period);
        var monthly = isNew ? NewMonthlyOf(slot) : _generator.DownloadsOf(slot);
        var first30 = isNew ? (long)Math.Round(monthly * Ramp(0, period) * Noise(slot, 0)) : monthly;
        var allTime0 = isNew ? first30 : _generator.DownloadsAllTimeOf(slot);
        var likes0 = isNew ? 0 : _generator.LikesOf(slot);
        var divisor = _generator.TrendingDivisorOf(slot);
        if (changes == 0)
        {
            return new DayCounts(first30, allTime0, likes0, (int)(likes0 / divisor));
        }

        var downloads = (long)Math.Round(monthly * Drift(slot, changes * period) * Noise(slot, changes) * (isNew ? Ramp(changes, period) : 1));
        if (((downloads - first30 - changes) & 1) != 0)
        {
            // Parity alternates from change to change, so a change day never serves the value of the day before.
            downloads++;
        }

        // Strictly increasing in the number of growths: each adds step minus at most half a step of noise.
        var growths = changes - (changes / 4);
        var step = Math.Max(1, (long)Math.Round(monthly * period / 30.0 * 4 / 3));
        var allTime = growths == 0 ? allTime0 : allTime0 + (step * growths) - (long)(step * Unit(slot, growths, Stream.AllTime) / 2);
        var likes = likes0 + (long)Math.Floor((changes * period * (likes0 + 1 + (monthly / 5000.0)) / 400) + Unit(slot, 0, Stream.Likes));
        return new DayCounts(downloads, allTime, likes, (int)(likes / divisor));
    }

    internal DateTimeOffset CreatedAtOf(int slot) => slot < InitialModels
        ? _generator.CreatedAtOf(slot)
        : DateOf(BirthDayOf(slot) - 1).AddSeconds(Math.Floor(Unit(slot, 0, Stream.CreatedAt) * 86_400));

    internal DateTimeOffset LastModifiedOf(int slot) => slot < InitialModels ? _generator.LastModifiedOf(slot) : CreatedAtOf(slot);

    /// <summary>The model as served on a day it exists, after <paramref name="renames"/> renames.</summary>
    internal FakeModel ModelOf(int slot, int day, int renames, Func<int, bool> exists)
    {
        var traits = _generator.ModelAt(slot);
        var counts = CountsOf(slot, day);
        var createdAt = CreatedAtOf(slot);
        var children = new Dictionary<string, int>();
        var universe = UniverseAt(day);
        for (var child = (long)slot * 8; child < Math.Min(universe, ((long)slot + 1) * 8); child++)
        {
            if (_generator.LineageOf((int)child) is { } derived && exists((int)child))
            {
                children[derived.Relation] = children.GetValueOrDefault(derived.Relation) + 1;
            }
        }

        return traits with
        {
            Id = IdOf(slot, renames),
            ObjectId = ModelIdentifiers.ObjectId(_generator.IdOf(slot), createdAt),
            CreatedAt = createdAt,
            LastModified = LastModifiedOf(slot),
            Downloads = counts.Downloads,
            DownloadsAllTime = counts.DownloadsAllTime,
            Likes = counts.Likes,
            TrendingScore = counts.TrendingScore,
            ChildrenModelCount = children,
            BaseModels = _generator.LineageOf(slot) is { } lineage && lineage.Base >= InitialModels
                ? new ModelLineage(lineage.Relation, [new ModelReference(ModelIdentifiers.ObjectId(_generator.IdOf(lineage.Base), CreatedAtOf(lineage.Base)), _generator.IdOf(lineage.Base))])
                : traits.BaseModels,
        };
    }

    private GeneratedDay Build(int day)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(day);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(day, MaxDay);
        return _ledger.DayView(day);
    }

    private (int Period, int Phase) RhythmOf(int slot)
    {
        if (slot < _dailyHead)
        {
            return (1, 0);
        }

        var hash = Hash(slot, 0, Stream.Rhythm);
        var period = _periods[hash % (ulong)_periods.Length];
        return (period, (int)((hash >> 32) % (ulong)period));
    }

    private long NewMonthlyOf(int slot)
    {
        var hash = Hash(slot, 0, Stream.Hit);
        return hash % 500 == 0 ? _generator.DownloadsOf((int)((hash >> 32) % 2000)) : _generator.DownloadsOf(slot);
    }

    // A slow trend of its own (−50% to +50% a year, never below a tenth), times the days since day 0 or birth.
    private double Drift(int slot, int days) =>
        Math.Max(0.1, 1 + ((Unit(slot, 0, Stream.Trend) - 0.5) * days / 365));

    private double Noise(int slot, int change) => 0.9 + (0.2 * Unit(slot, change, Stream.Noise));

    // A new model's 30-day count fills up over its first 30 days.
    private static double Ramp(int changes, int period) => Math.Min(1, ((changes * period) + 1) / 30.0);

    private double Unit(int slot, int change, Stream stream) => (Hash(slot, change, stream) >> 11) * (1.0 / (1UL << 53));

    // SplitMix64 over (seed, slot, change, stream), as the generated catalog hashes (seed, index, trait).
    private ulong Hash(int slot, int change, Stream stream) =>
        Mix(unchecked((_seed * 0x9E3779B97F4A7C15UL) + ((ulong)slot * 0xD1B54A32D192ED03UL) + ((ulong)change * 0xA24BAED4963EE407UL) + ((ulong)stream * 0x8CB92BA72F3D8DD7UL)));

    internal static ulong Mix(ulong x)
    {
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return x ^ (x >> 31);
    }

    internal ulong DaySeed(int day) => Mix(unchecked((_seed * 0x9E3779B97F4A7C15UL) + ((ulong)day * 0xC2B2AE3D27D4EB4FUL) + 0x165667B19E3779F9UL));

    private enum Stream
    {
        Rhythm = 101,
        Hit,
        Trend,
        Noise,
        AllTime,
        Likes,
        CreatedAt,
    }
}

/// <summary>The counts of one model on one day, as served.</summary>
public readonly record struct DayCounts(long Downloads, long DownloadsAllTime, long Likes, int TrendingScore);

/// <summary>
/// Daily event rates of a <see cref="DailyCatalog"/>, as shares of the initial size N: each day exactly round(rate × N)
/// models are new, removed and renamed.
/// </summary>
public sealed record DailyRates(double New = 0.002, double Removed = 0.0005, double Renamed = 0.0001)
{
    internal static int PerDay(double rate, int initialModels) => (int)Math.Round(rate * initialModels, MidpointRounding.AwayFromZero);

    internal void Validate()
    {
        foreach (var (name, rate) in new[] { (nameof(New), New), (nameof(Removed), Removed), (nameof(Renamed), Renamed) })
        {
            if (!(rate is >= 0 and <= 0.1))
            {
                throw new ArgumentOutOfRangeException(name, rate, "A daily rate is a share of the catalog from 0 to 0.1.");
            }
        }

        if (Removed > New)
        {
            throw new ArgumentOutOfRangeException(nameof(Removed), Removed, "The catalog never shrinks: Removed is at most New.");
        }
    }
}

/// <summary>How one day differs from the day before: models by what happened to them.</summary>
/// <param name="Models">Models served on the day.</param>
/// <param name="New">Models first served on the day.</param>
/// <param name="Removed">Models served the day before and gone on the day.</param>
/// <param name="Renamed">Models served under a new id (their old id gone); some of them changed counts as well.</param>
/// <param name="Changed">Models served both days (renamed or not) whose counts differ.</param>
/// <param name="Unchanged">Models served both days with the same counts.</param>
public sealed record DayChanges(int Day, int Models, int New, int Removed, int Renamed, int Changed, int Unchanged);
