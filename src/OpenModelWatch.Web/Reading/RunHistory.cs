using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Reading;

/// <summary>A succeeded run, as a point of history, with the source its numbers come from.</summary>
public sealed record HistoryRun(int Id, DateTime At, RunTrigger Trigger, RunSource Source)
{
    public bool IsSnapshot => Trigger == RunTrigger.Snapshot;

    /// <summary>The source's stable machine value (<c>hub-api</c>, <c>osir-monthly</c>, …).</summary>
    public string SourceKey => Source.Key();

    /// <summary>What the run's source covers, in one sentence.</summary>
    public string Coverage => Source.Coverage();

    public static HistoryRun Of(AsOfRun asOf) => new(asOf.Id, asOf.At, asOf.Trigger, asOf.Source);
}

/// <summary>A stretch of consecutive runs of one source in a series: where a chart marks a change of source.</summary>
/// <param name="Start">Index of the segment's first run in the series.</param>
public sealed record SourceSegment(int Start, int Count, RunSource Source)
{
    /// <summary>The segments of a series of runs' sources, oldest first; one segment when nothing changes.</summary>
    public static IReadOnlyList<SourceSegment> Of(IReadOnlyList<RunSource> sources)
    {
        var segments = new List<SourceSegment>();
        for (var i = 0; i < sources.Count; i++)
        {
            if (segments.Count > 0 && segments[^1].Source == sources[i])
            {
                segments[^1] = segments[^1] with { Count = segments[^1].Count + 1 };
            }
            else
            {
                segments.Add(new SourceSegment(i, 1, sources[i]));
            }
        }

        return segments;
    }
}

/// <summary>
/// The succeeded runs a view's history is drawn from, and a cache of per-run computations (each feature's totals of a
/// run, e.g. the countries or labs lists of every run). A succeeded run's snapshot never changes afterwards (history
/// is sacred) and the lab registry is loaded once per process, so each run's totals are computed once per view and
/// kept for the life of the process: a chart over 30 runs of 100,000 models would otherwise read three million
/// snapshots on every view.
/// </summary>
public sealed class RunHistory(IDbContextFactory<OpenModelWatchDb> dbFactory)
{
    /// <summary>The most runs a chart or a history list spans (the most recent ones).</summary>
    public const int MaxRuns = 400;

    private readonly ConcurrentDictionary<(Type Kind, int Run, CountingView View), Lazy<Task<object>>> _perRun = new();
    private readonly ConcurrentDictionary<(int Run, Attribution Attribution, Scope Scope), IReadOnlyList<RunTotal>> _totals = new();
    private Lazy<Task<IReadOnlyDictionary<string, Lab>>>? _labs;

    /// <summary>
    /// The stored totals (<see cref="RunTotal"/>) of several runs under a view's attribution and scope, every run not
    /// read yet in one query, and kept: a succeeded run's totals do not change while the process runs (a registry
    /// change rewrites them at start-up, before any view). A history of 90 runs read them in 90 queries otherwise, each
    /// with its own context and a read of the labs table. A run without totals has an empty list (its view is computed
    /// from its rows). Only views that totals answer (<see cref="StoredTotals.Answer"/>) have any.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<RunTotal>>> TotalsAsync(IEnumerable<int> runIds, ListParameters view, CancellationToken cancellationToken)
    {
        var ids = runIds.ToArray();
        if (!StoredTotals.Answer(view))
        {
            return ids.Distinct().ToDictionary(id => id, _ => (IReadOnlyList<RunTotal>)[]);
        }

        var missing = ids.Where(id => !_totals.ContainsKey((id, view.Attribution, view.Scope))).ToArray();
        if (missing.Length > 0)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var read = (await StoredTotals.OfRunsAsync(db, missing, view.Attribution, view.Scope, cancellationToken)).ToLookup(t => t.RunId);
            foreach (var id in missing)
            {
                _totals.TryAdd((id, view.Attribution, view.Scope), read[id].ToArray());
            }
        }

        return ids.Distinct().ToDictionary(id => id, id => _totals[(id, view.Attribution, view.Scope)]);
    }

    /// <summary>Whether a run's totals under a view are read and kept (for the warm-up's tests).</summary>
    internal bool HasTotals(int runId, CountingView view) => _totals.ContainsKey((runId, view.Attribution, view.Scope));

    /// <summary>The store's labs by id, read once per process: the registry is synced into them at start-up only.</summary>
    public Task<IReadOnlyDictionary<string, Lab>> LabsAsync(CancellationToken cancellationToken)
    {
        var labs = LazyInitializer.EnsureInitialized(ref _labs, () => new Lazy<Task<IReadOnlyDictionary<string, Lab>>>(async () =>
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                return await db.Labs.AsNoTracking().ToDictionaryAsync(lab => lab.Id, StringComparer.Ordinal, CancellationToken.None);
            }
            catch
            {
                _labs = null;
                throw;
            }
        }));
        return labs.Value.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Every succeeded run up to <paramref name="asOf"/>, whatever its source, oldest first. A series that crosses
    /// sources says so (<see cref="SourceSegment"/>) and compares like with like (<see cref="LikeWithLike"/>).
    /// </summary>
    public async Task<IReadOnlyList<HistoryRun>> RunsAsync(AsOfRun asOf, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await db.Runs.AsNoTracking().Where(run => run.Status == RunStatus.Succeeded && run.FinishedAt <= asOf.At)
            .OrderBy(run => run.FinishedAt).ThenBy(run => run.Id)
            .Select(run => new { run.Id, run.FinishedAt, run.Trigger, run.Source })
            .ToListAsync(cancellationToken);
        return runs.Select(run => new HistoryRun(run.Id, run.FinishedAt!.Value, run.Trigger, run.Source)).ToArray();
    }

    /// <summary>
    /// Whether shares over these runs must be taken over the labs present in every one of them (<see cref="CommonLabs"/>)
    /// to compare like with like: under <see cref="Compare.Like"/>, when the runs come from more than one source, or
    /// from a source whose list of labs changes by design. Within one source of stable coverage (this install's runs,
    /// whole-Hub files) a run's own totals are already like the others', and are taken as they are.
    /// </summary>
    public static bool LikeWithLike(IReadOnlyCollection<HistoryRun> runs, Compare compare) =>
        compare == Compare.Like && (runs.Select(run => run.Source).Distinct().Count() > 1 || runs.Any(run => run.Source.ListChangesByDesign()));

    /// <summary>The labs (registered lab ids) present in every one of the runs' lab lists; none for no runs.</summary>
    public static IReadOnlySet<string> CommonLabs(IEnumerable<IEnumerable<string>> labsPerRun)
    {
        HashSet<string>? common = null;
        foreach (var labs in labsPerRun)
        {
            if (common is null)
            {
                common = new HashSet<string>(labs, StringComparer.Ordinal);
            }
            else
            {
                common.IntersectWith(labs);
            }
        }

        return common ?? [];
    }

    /// <summary>The sources of some runs, each once, in the order the runs first show them (oldest run first).</summary>
    public static IReadOnlyList<RunSource> SourcesOf(IEnumerable<HistoryRun> runs) => runs.Select(run => run.Source).Distinct().ToArray();

    /// <summary>
    /// The runs of a chart or history list: up to the as-of run, within <paramref name="from"/> and <paramref name="to"/>
    /// (whole UTC days, so 9999-12-31 is a day like any other); the <paramref name="recent"/> last ones when the range is
    /// open, else at most <see cref="MaxRuns"/>, the most recent.
    /// </summary>
    public static IReadOnlyList<T> Window<T>(IReadOnlyList<T> items, Func<T, DateTime> at, AsOfRun? asOf, DateOnly? from, DateOnly? to, int recent)
    {
        var inRange = items.Where(item => (asOf is null || at(item) <= asOf.At) && InDays(at(item), from, to)).ToArray();
        var count = from is null && to is null ? Math.Min(recent, MaxRuns) : MaxRuns;
        return inRange.Skip(Math.Max(0, inRange.Length - count)).ToArray();
    }

    /// <summary>The runs of a chart or history list up to <paramref name="asOf"/> (<see cref="Window"/>), oldest first; none before any run.</summary>
    public async Task<IReadOnlyList<HistoryRun>> WindowAsync(AsOfRun? asOf, DateOnly? from, DateOnly? to, int recent, CancellationToken cancellationToken) =>
        asOf is null ? [] : Window(await RunsAsync(asOf, cancellationToken), run => run.At, asOf, from, to, recent);

    /// <summary>Whether a time falls within the UTC days from and to, each optional and inclusive.</summary>
    public static bool InDays(DateTime at, DateOnly? from, DateOnly? to)
    {
        var day = DateOnly.FromDateTime(at);
        return (from is null || day >= from) && (to is null || day <= to);
    }

    /// <summary>
    /// A feature's totals of one run under one view, computed once by <paramref name="compute"/> and kept. Not tied to
    /// a caller's token: the totals are shared, and a closed tab must not cancel them for the next view.
    /// </summary>
    public async Task<T> PerRunAsync<T>(int runId, CountingView view, Func<OpenModelWatchDb, Task<T>> compute, CancellationToken cancellationToken)
        where T : class
    {
        var key = (typeof(T), runId, view);
        var entry = _perRun.GetOrAdd(key, k => new Lazy<Task<object>>(async () =>
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                return await compute(db);
            }
            catch
            {
                // A failure (the store was busy, say) is not remembered: the next view tries again.
                _perRun.TryRemove(k, out _);
                throw;
            }
        }));
        return (T)await entry.Value.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Share of 30-day downloads attributed to a known country, in one run under one view (attribution and scope; a
    /// view's filters do not change it): what every page and every API list says it covers.
    /// </summary>
    public async Task<double> CoverageAsync(int runId, CountingView view, CancellationToken cancellationToken)
    {
        // The key is the view's counting only: community uploaders listed or not, the coverage is the same.
        var counting = view with { IncludeCommunity = false };
        var coverage = await PerRunAsync(runId, counting, async db =>
        {
            if (await StoredTotals.OfAsync(db, runId, counting.Parameters, CancellationToken.None) is { } totals)
            {
                return new CoverageShare(Coverage(totals.Where(t => t.LabId.Length > 0).Sum(t => t.Downloads30d), totals.Sum(t => t.Downloads30d)));
            }

            var sums = await SnapshotRows.Of(db, runId, counting.Parameters)
                .GroupBy(r => r.Country != null)
                .Select(g => new { Known = g.Key, Downloads30d = g.Sum(r => r.Downloads30d) })
                .ToListAsync(CancellationToken.None);
            return new CoverageShare(Coverage(sums.Where(s => s.Known).Sum(s => s.Downloads30d), sums.Sum(s => s.Downloads30d)));
        }, cancellationToken);
        return coverage.Share;
    }

    /// <summary>Known downloads over all downloads; 0 when there are none.</summary>
    public static double Coverage(long known, long total) => total == 0 ? 0 : (double)known / total;

    private sealed record CoverageShare(double Share);
}
