using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Localization;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Overview;

/// <summary>
/// One month of the seed story: a run of the bundled monthly history, with Qwen against Llama (and each side's largest
/// model, to tell a lead of one model from a lead of the lab), DeepSeek's models, and the China and US shares of the
/// tracked organisations' 30-day downloads, over the month's whole list and over the organisations of the first month.
/// </summary>
public sealed record SeedStoryItem(
    DateTime At,
    int RunId,
    string Source,
    int Organisations,
    long QwenDownloads30d,
    long LlamaDownloads30d,
    string Leader,
    string? QwenTopModel,
    long QwenTopModelDownloads30d,
    string? LlamaTopModel,
    long LlamaTopModelDownloads30d,
    bool OneModelLead,
    int DeepSeekModels,
    double ChinaShare,
    double UsShare,
    int PanelOrganisations,
    double? PanelChinaShare,
    double? PanelUsShare)
{
    /// <summary>The leader's largest model, and its 30-day downloads; none on a tie.</summary>
    public (string? Model, long Downloads30d, long Total) LeaderTop => Leader switch
    {
        SeedStory.Qwen => (QwenTopModel, QwenTopModelDownloads30d, QwenDownloads30d),
        SeedStory.Llama => (LlamaTopModel, LlamaTopModelDownloads30d, LlamaDownloads30d),
        _ => (null, 0, 0),
    };
}

/// <summary>The seed story of one as-of run: its months, the facts found in them, and the facts as sentences.</summary>
public sealed record SeedStoryData(
    AsOfRun? AsOf,
    IReadOnlyList<SeedStoryItem> Months,
    DateTime? CrossoverAt,
    string? CrossoverLeader,
    DateTime? DeepSeekFirstAt,
    IReadOnlyDictionary<string, IReadOnlyList<string>> SentencesByLanguage,
    string Rules)
{
    public static SeedStoryData Empty(AsOfRun? asOf) => new(asOf, [], null, null, null, new Dictionary<string, IReadOnlyList<string>>(), SeedStory.Rules);

    /// <summary>The facts as sentences, in the reader's language (told once per language when the story is computed).</summary>
    public IReadOnlyList<string> Sentences =>
        SentencesByLanguage.TryGetValue(Languages.Current, out var sentences) || SentencesByLanguage.TryGetValue(Languages.Default, out sentences) ? sentences : [];
}

/// <summary>
/// The story OpenModelWatch exists to tell, as it happened, computed from the store (never written by hand): Qwen against
/// Llama month by month with the crossover found by a stated rule, DeepSeek's entrance, and China's and the US's share.
/// Its months are the succeeded runs of source <see cref="RunSource.OsirMonthly"/> up to the as-of run (the bundled
/// monthly history); later sources list other selections of models, so they are not joined to these lines. Qwen is the
/// registry lab <see cref="OverviewHeadlines.QwenLabId"/>, Llama the <see cref="OverviewHeadlines.LlamaNamespace"/>
/// namespace, as in the overview's headline. Kept per as-of run: a succeeded run never changes.
/// </summary>
public sealed class SeedStory(IDbContextFactory<OpenModelWatchDb> dbFactory) : IViewWarmup
{
    public const string Qwen = "Qwen";
    public const string Llama = "Llama";
    public const string Tie = "tie";
    public const string DeepSeekNamespace = "deepseek-ai";

    /// <summary>A lead rests on one model when that model has more than this share of the leader's 30-day downloads.</summary>
    public const double OneModelShare = 0.5;

    /// <summary>A crossover is sustained when the new leader leads, not on one model, in this many months or more, up to the latest.</summary>
    public const int SustainedMonths = 2;

    public const string Rules = Terms.SeedStoryRules;

    private readonly ConcurrentDictionary<int, Lazy<Task<SeedStoryData>>> _byAsOf = new();

    // The months' facts, by the month runs they are read from (their ids, in order): a daily run adds no month, so the
    // story of each new as-of run is told again from these, not read again from the store (eleven past runs of a
    // 3-million-model store took 78 s, each read through the count ranges; docs/performance.md). Within one process the
    // months cannot change: they are succeeded runs, and the registry that places their models is synced at start.
    private readonly ConcurrentDictionary<string, Lazy<Task<Months>>> _byMonths = new(StringComparer.Ordinal);

    private sealed record Months(IReadOnlyList<SeedStoryItem> Items, IReadOnlyDictionary<(string Model, int RunId), long> Followed);

    public Task WarmAsync(AsOfRun asOf, CancellationToken cancellationToken) => ForAsync(asOf, cancellationToken);

    /// <summary>The story up to the as-of run, or the run a permalink pins.</summary>
    public async Task<SeedStoryData> GetAsync(int? pinned, CancellationToken cancellationToken) =>
        await PinnedRun.ResolveAsync(dbFactory, pinned, cancellationToken) is { } asOf ? await ForAsync(asOf, cancellationToken) : SeedStoryData.Empty(null);

    public async Task<SeedStoryData> ForAsync(AsOfRun asOf, CancellationToken cancellationToken)
    {
        var entry = _byAsOf.GetOrAdd(asOf.Id, id => new Lazy<Task<SeedStoryData>>(async () =>
        {
            try
            {
                return await ComputeAsync(asOf, CancellationToken.None);
            }
            catch
            {
                _byAsOf.TryRemove(id, out _);
                throw;
            }
        }));
        return await entry.Value.WaitAsync(cancellationToken);
    }

    /// <summary>How many times the months' facts were read from the store (not told again from those kept).</summary>
    public int MonthsRead => _monthsRead;

    private int _monthsRead;

    private async Task<SeedStoryData> ComputeAsync(AsOfRun asOf, CancellationToken cancellationToken)
    {
        List<(int Id, DateTime At)> runs;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            runs = (await db.Runs.AsNoTracking()
                .Where(run => run.Status == RunStatus.Succeeded && run.Source == RunSource.OsirMonthly && run.FinishedAt <= asOf.At)
                .OrderBy(run => run.FinishedAt).ThenBy(run => run.Id)
                .Select(run => new { run.Id, run.FinishedAt })
                .ToListAsync(cancellationToken)).Select(run => (run.Id, run.FinishedAt!.Value)).ToList();
        }

        var key = string.Join(',', runs.Select(run => run.Id.ToString(CultureInfo.InvariantCulture)));
        var entry = _byMonths.GetOrAdd(key, _ => new Lazy<Task<Months>>(async () =>
        {
            try
            {
                Interlocked.Increment(ref _monthsRead);
                return await ReadMonthsAsync(runs, CancellationToken.None);
            }
            catch
            {
                _byMonths.TryRemove(key, out Lazy<Task<Months>>? _);
                throw;
            }
        }));
        var months = await entry.Value.WaitAsync(cancellationToken);
        return Tell(asOf, months.Items, months.Followed);
    }

    private async Task<Months> ReadMonthsAsync(IReadOnlyList<(int Id, DateTime At)> runs, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        RunCounts.Consistent(db);
        var months = new List<SeedStoryItem>();
        HashSet<string>? panel = null;
        foreach (var run in runs)
        {
            var rows = SnapshotRows.Of(db, run.Id, new ListParameters());
            var organisations = await rows.GroupBy(r => new { r.Namespace, r.LabId, r.Country })
                .Select(g => new Organisation(g.Key.Namespace, g.Key.LabId, g.Key.Country, g.Count(), g.Sum(r => r.Downloads30d)))
                .ToListAsync(cancellationToken);
            panel ??= organisations.Select(o => o.Namespace).ToHashSet(StringComparer.Ordinal);
            var qwenTop = await rows.Where(r => r.LabId == OverviewHeadlines.QwenLabId).OrderByDescending(r => r.Downloads30d).ThenBy(r => r.HubId)
                .Select(r => new { r.HubId, r.Downloads30d }).FirstOrDefaultAsync(cancellationToken);
            var llamaTop = await rows.Where(r => r.Namespace == OverviewHeadlines.LlamaNamespace).OrderByDescending(r => r.Downloads30d).ThenBy(r => r.HubId)
                .Select(r => new { r.HubId, r.Downloads30d }).FirstOrDefaultAsync(cancellationToken);
            var qwen = organisations.Where(o => o.LabId == OverviewHeadlines.QwenLabId).Sum(o => o.Downloads30d);
            var llama = organisations.Where(o => o.Namespace == OverviewHeadlines.LlamaNamespace).Sum(o => o.Downloads30d);
            var leader = qwen > llama ? Qwen : llama > qwen ? Llama : Tie;
            var leaderTop = leader == Qwen ? qwenTop?.Downloads30d ?? 0 : llamaTop?.Downloads30d ?? 0;
            var inPanel = organisations.Where(o => panel.Contains(o.Namespace)).ToArray();
            months.Add(new SeedStoryItem(
                run.At,
                run.Id,
                RunSource.OsirMonthly.ToString(),
                organisations.Select(o => o.Namespace).Distinct(StringComparer.Ordinal).Count(),
                qwen,
                llama,
                leader,
                qwenTop?.HubId,
                qwenTop?.Downloads30d ?? 0,
                llamaTop?.HubId,
                llamaTop?.Downloads30d ?? 0,
                leader != Tie && leaderTop > OneModelShare * Math.Max(qwen, llama),
                organisations.Where(o => o.Namespace == DeepSeekNamespace).Sum(o => o.Models),
                Share(organisations, Regions.China) ?? 0,
                Share(organisations, Regions.Us) ?? 0,
                inPanel.Select(o => o.Namespace).Distinct(StringComparer.Ordinal).Count(),
                Share(inPanel, Regions.China),
                Share(inPanel, Regions.Us)));
        }

        // A one-model month's model, followed into the next month that is not one: how far it fell.
        var followed = new Dictionary<(string Model, int RunId), long>();
        foreach (var month in months.Where(m => m.OneModelLead))
        {
            if (NextClean(months, month) is { } next && month.LeaderTop.Model is { } model)
            {
                followed[(model, next.RunId)] = await SnapshotRows.Of(db, next.RunId, new ListParameters())
                    .Where(r => r.HubId == model).SumAsync(r => r.Downloads30d, cancellationToken);
            }
        }

        return new Months(months, followed);
    }

    private static SeedStoryItem? NextClean(IReadOnlyList<SeedStoryItem> months, SeedStoryItem month) =>
        months.SkipWhile(m => m != month).Skip(1).FirstOrDefault(m => !m.OneModelLead);

    /// <summary>The facts of the months, and the sentences the overview shows.</summary>
    public static SeedStoryData Tell(AsOfRun asOf, IReadOnlyList<SeedStoryItem> months, IReadOnlyDictionary<(string Model, int RunId), long> followed)
    {
        if (months.Count == 0)
        {
            return SeedStoryData.Empty(asOf);
        }

        var last = months[^1];

        // Each month's clean leader: the side ahead, unless its lead rests on one model.
        string? Clean(SeedStoryItem month) => month.Leader != Tie && !month.OneModelLead ? month.Leader : null;
        var latestLeader = Clean(last);
        var start = months.Count;
        while (latestLeader is not null && start > 0 && Clean(months[start - 1]) == latestLeader)
        {
            start--;
        }

        DateTime? crossover = latestLeader is not null && start > 0 && months.Count - start >= SustainedMonths ? months[start].At : null;
        var deepSeek = months.FirstOrDefault(m => m.DeepSeekModels > 0);
        // Told in every language now, so the story kept for the run serves every reader.
        var sentences = Languages.Supported.ToDictionary(language => language,
            language => InLanguage(language, () => Sentences(months, latestLeader, start, deepSeek, followed)), StringComparer.Ordinal);
        return new SeedStoryData(asOf, months, crossover, crossover is null ? null : latestLeader, deepSeek?.At, sentences, Rules);
    }

    /// <summary>The facts as sentences in the current language (English as it always was; another from <c>SeedStory.Say.*</c>).</summary>
    private static IReadOnlyList<string> Sentences(IReadOnlyList<SeedStoryItem> months, string? latestLeader, int start, SeedStoryItem? deepSeek,
        IReadOnlyDictionary<(string Model, int RunId), long> followed)
    {
        var sentences = new List<string>();
        var first = months[0];
        var last = months[^1];
        var span = Say("Span", Said(first.At), Said(last.At));
        var run = months.Count - start;
        if (latestLeader is null)
        {
            sentences.Add(Say("NoLeader", Said(last.At), Lead(last)));
        }
        else if (start == 0)
        {
            sentences.Add(Say("LedEveryMonth", latestLeader, Other(latestLeader), span));
        }
        else if (run < SustainedMonths)
        {
            sentences.Add(Say("LeadsOnlyLatest", latestLeader, Other(latestLeader), Said(last.At), Lead(last)));
        }
        else
        {
            sentences.Add(Say("Overtook", latestLeader, Other(latestLeader), Said(months[start].At), run, Said(last.At), Lead(months[start]), Lead(last)));
        }

        foreach (var month in months.Where(m => m.OneModelLead))
        {
            var (model, downloads, total) = month.LeaderTop;
            var without = total - downloads;
            var other = month.Leader == Qwen ? month.LlamaDownloads30d : month.QwenDownloads30d;
            sentences.Add(Say("OneModel", Said(month.At), month.Leader, Format.Compact(total), Format.Compact(other), model ?? "", Format.Compact(downloads),
                Percent((double)downloads / total), Format.Compact(without), Afterwards(months, month, model, followed)));
        }

        if (deepSeek is null)
        {
            sentences.Add(Say("DeepSeekAbsent", DeepSeekNamespace, span));
        }
        else if (deepSeek == first)
        {
            sentences.Add(Say("DeepSeekFromFirst", DeepSeekNamespace, Said(first.At), deepSeek.DeepSeekModels));
        }
        else
        {
            sentences.Add(Say("DeepSeekEnters", Said(deepSeek.At), DeepSeekNamespace, deepSeek.DeepSeekModels));
        }

        if (months.Count > 1)
        {
            sentences.Add(Say("Shares", last.PanelOrganisations, Said(first.At), Said(last.At), Percent(first.PanelChinaShare), Percent(last.PanelChinaShare),
                Percent(first.PanelUsShare), Percent(last.PanelUsShare), first.Organisations, last.Organisations, Percent(first.ChinaShare), Percent(last.ChinaShare)));
        }

        return sentences;
    }

    /// <summary>Runs <paramref name="tell"/> with the culture of a language, then puts the caller's back.</summary>
    private static T InLanguage<T>(string language, Func<T> tell)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = Languages.Culture(language)!;
            return tell();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }

    private static string Say(string key, params object[] arguments) => FileTexts.Get("SeedStory.Say." + key, arguments);

    /// <summary>A month in the current language: November 2024, noviembre de 2024.</summary>
    private static string Said(DateTime at) => SeedStoryCharts.Month(at);

    /// <summary>The model in the next month that is not a one-model month: what is left of it.</summary>
    private static string Afterwards(IReadOnlyList<SeedStoryItem> months, SeedStoryItem month, string? model, IReadOnlyDictionary<(string Model, int RunId), long> followed) =>
        model is not null && NextClean(months, month) is { } next && followed.TryGetValue((model, next.RunId), out var downloads)
            ? Say("Afterwards", Said(next.At), Format.Compact(downloads), Lead(next))
            : "";

    private static string Lead(SeedStoryItem month) => month.Leader switch
    {
        Qwen => Say("Against", "Qwen", Format.Compact(month.QwenDownloads30d), "Llama", Format.Compact(month.LlamaDownloads30d)),
        Llama => Say("Against", "Llama", Format.Compact(month.LlamaDownloads30d), "Qwen", Format.Compact(month.QwenDownloads30d)),
        _ => Say("Both", Format.Compact(month.QwenDownloads30d)),
    } + (month.OneModelLead ? Say("OneModelLead") : "");

    private static string Other(string side) => side == Qwen ? Llama : Qwen;

    public static string Month(DateTime at) => at.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Percent(double? share) => share is { } value
        ? FileTexts.Get("Chart.Percent", (value * 100).ToString("0.0", FileTexts.Translated ? CultureInfo.CurrentCulture : CultureInfo.InvariantCulture))
        : Say("Unknown");

    private static double? Share(IReadOnlyCollection<Organisation> organisations, string region)
    {
        var total = organisations.Sum(o => o.Downloads30d);
        return total == 0 ? null : (double)organisations.Where(o => Regions.Of(o.Country) == region).Sum(o => o.Downloads30d) / total;
    }

    private sealed record Organisation(string Namespace, string? LabId, string? Country, int Models, long Downloads30d);
}
