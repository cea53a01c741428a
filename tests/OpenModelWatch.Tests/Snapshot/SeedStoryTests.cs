using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Overview;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.Snapshot;

/// <summary>The app with both bundled datasets imported once, for the seed story's tests.</summary>
public sealed class ImportedHistory : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public AppFactory App { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        App = new AppFactory(_folder, new Uri("http://127.0.0.1:9/"), Repo.Path("seeds", "labs.json"),
            new Dictionary<string, string?> { ["Snapshot:ImportWhenEmpty"] = "true", ["Snapshot:ImportHistory"] = "true" });
        _ = App.Services;
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        _folder.Dispose();
    }
}

/// <summary>
/// The seed story on the overview, its API and its files equal what is computed here by hand from the raw
/// <c>history.csv.gz</c> (<see cref="MonthlyHistoryFile"/>): Qwen is the Qwen namespace (the registry lab alibaba-qwen has
/// only it), Llama the meta-llama namespace; the rules are restated below.
/// </summary>
public sealed class SeedStoryTests(ImportedHistory imported) : IClassFixture<ImportedHistory>
{
    private sealed record Month(DateTime At, long Qwen, long Llama, long QwenTop, long LlamaTop, int DeepSeek)
    {
        public string Leader => Qwen > Llama ? "Qwen" : Llama > Qwen ? "Llama" : "tie";

        public bool OneModel => Leader == "Qwen" ? QwenTop * 2 > Qwen : Leader == "Llama" && LlamaTop * 2 > Llama;

        public string? Clean => Leader != "tie" && !OneModel ? Leader : null;
    }

    private static readonly Lazy<IReadOnlyList<Month>> _months = new(() =>
    [
        .. MonthlyHistoryFile.Rows.GroupBy(r => r.At).OrderBy(g => g.Key).Select(g => new Month(
            g.Key,
            g.Where(r => r.Namespace == "Qwen").Sum(r => r.Downloads30d),
            g.Where(r => r.Namespace == "meta-llama").Sum(r => r.Downloads30d),
            g.Where(r => r.Namespace == "Qwen").Max(r => r.Downloads30d),
            g.Where(r => r.Namespace == "meta-llama").Max(r => r.Downloads30d),
            g.Count(r => r.Namespace == "deepseek-ai"))),
    ]);

    /// <summary>The sustained crossover, by hand: the first month of the latest run of clean leads (two months at least).</summary>
    private static (string Leader, DateTime At) Crossover()
    {
        var months = _months.Value;
        var leader = months[^1].Clean!;
        var start = months.Count;
        while (start > 0 && months[start - 1].Clean == leader)
        {
            start--;
        }

        Assert.True(months.Count - start >= 2 && start > 0);
        return (leader, months[start].At);
    }

    [Fact]
    public void TheRawFileSaysWhatTheIssueQuotes()
    {
        var months = _months.Value;
        Assert.Equal((36.8, 35.6), (Math.Round(months[0].Qwen / 1e6, 1), Math.Round(months[0].Llama / 1e6, 1)));
        Assert.Equal(26.5, Math.Round(months[0].QwenTop / 1e6, 1)); // Qwen/Qwen2.5-1.5B-Instruct: one model, more than half
        Assert.True(months[0].OneModel);
        Assert.Equal(("Qwen", new DateTime(2025, 4, 7, 0, 0, 0, DateTimeKind.Utc)), Crossover());
        Assert.Equal(new DateTime(2025, 1, 14, 0, 0, 0, DateTimeKind.Utc), months.First(m => m.DeepSeek > 0).At);
    }

    [Fact]
    public async Task TheOverviewShowsTheCrossoverAndDeepSeeksEntranceComputedFromTheFile()
    {
        using var http = imported.App.CreateClient();
        var html = await http.GetStringAsync("/", TestContext.Current.CancellationToken);
        var (leader, at) = Crossover();
        var deepSeek = _months.Value.First(m => m.DeepSeek > 0).At;
        Assert.Contains($"data-testid=\"story-crossover\" data-month=\"{at:yyyy-MM}\"", html);
        Assert.Contains($"{leader} since {at.ToString("MMMM yyyy", CultureInfo.InvariantCulture)}", html);
        Assert.Contains($"data-testid=\"story-deepseek\" data-month=\"{deepSeek:yyyy-MM}\"", html);
        Assert.Contains($"DeepSeek enters in {deepSeek.ToString("MMMM yyyy", CultureInfo.InvariantCulture)}", html);

        // Each one-model month is marked, in the table and in words.
        foreach (var month in _months.Value)
        {
            Assert.Contains($"data-month=\"{month.At:yyyy-MM}\" data-one-model=\"{(month.OneModel ? "true" : "false")}\"", html);
        }

        Assert.Contains("In November 2024 Qwen&#x27;s lead (36.8M against 35.6M) rests on one model: Qwen/Qwen2.5-1.5B-Instruct has 26.5M", html);
        Assert.Contains("Monthly history: OSIR-LMTS by BAAI (brucecui0120), MIT; numbers are the Hugging Face Hub&#x27;s.", html);
    }

    [Fact]
    public async Task ANewAsOfRunTellsTheMonthsAgainWithoutReadingThemAgain()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var factory = imported.App.Services.GetRequiredService<IDbContextFactory<OpenModelWatchDb>>();
        int[] months;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            months = await db.Runs.Where(run => run.Source == RunSource.OsirMonthly).OrderBy(run => run.FinishedAt).Select(run => run.Id).ToArrayAsync(cancellationToken);
        }

        Assert.Equal(11, months.Length);
        var latest = (await PinnedRun.ResolveAsync(factory, null, cancellationToken))!;
        var lastMonth = (await PinnedRun.ResolveAsync(factory, months[^1], cancellationToken))!;
        Assert.NotEqual(latest.Id, lastMonth.Id);

        // Two as-of runs after the same eleven months (the bundled snapshot, and the last month itself): read once.
        var story = new SeedStory(factory);
        var ofLatest = await story.ForAsync(latest, cancellationToken);
        var ofLastMonth = await story.ForAsync(lastMonth, cancellationToken);
        Assert.Equal(1, story.MonthsRead);
        Assert.Equal((latest, lastMonth), (ofLatest.AsOf, ofLastMonth.AsOf));
        Assert.Equal(11, ofLastMonth.Months.Count);
        Assert.Equal(ofLatest.Months, ofLastMonth.Months);
        Assert.Equal(ofLatest.Sentences, ofLastMonth.Sentences);
        Assert.Equal(_months.Value.Select(m => (m.At, m.Qwen, m.Llama)), ofLastMonth.Months.Select(m => (m.At, m.QwenDownloads30d, m.LlamaDownloads30d)));

        // An as-of run with fewer months is read on its own, and tells only those.
        var fifth = await story.ForAsync((await PinnedRun.ResolveAsync(factory, months[4], cancellationToken))!, cancellationToken);
        Assert.Equal(2, story.MonthsRead);
        Assert.Equal(_months.Value.Take(5).Select(m => (m.At, m.Qwen, m.Llama)), fifth.Months.Select(m => (m.At, m.QwenDownloads30d, m.LlamaDownloads30d)));
    }

    [Fact]
    public async Task TheApiListsEveryMonthWithTheFilesNumbers()
    {
        using var http = imported.App.CreateClient();
        using var answer = JsonDocument.Parse(await http.GetStringAsync("/api/v1/seed-story?order=asc", TestContext.Current.CancellationToken));
        Assert.Equal(11, answer.RootElement.GetProperty("total").GetInt32());
        var items = answer.RootElement.GetProperty("items").EnumerateArray().Select(i => (
            At: i.GetProperty("at").GetDateTime().ToUniversalTime(),
            Qwen: i.GetProperty("qwenDownloads30d").GetInt64(),
            Llama: i.GetProperty("llamaDownloads30d").GetInt64(),
            QwenTop: i.GetProperty("qwenTopModelDownloads30d").GetInt64(),
            Leader: i.GetProperty("leader").GetString(),
            OneModel: i.GetProperty("oneModelLead").GetBoolean(),
            DeepSeek: i.GetProperty("deepSeekModels").GetInt32())).ToArray();
        Assert.Equal(_months.Value.Select(m => (m.At, m.Qwen, m.Llama, m.QwenTop, (string?)m.Leader, m.OneModel, m.DeepSeek)), items);
    }

    [Fact]
    public async Task TheChartsFilesCreditBothSources()
    {
        using var http = imported.App.CreateClient();
        var csv = await http.GetStringAsync("/charts/qwen-vs-llama.csv", TestContext.Current.CancellationToken);
        Assert.Contains("Monthly history: OSIR-LMTS by BAAI (brucecui0120), MIT; numbers are the Hugging Face Hub's.", csv);
        Assert.Contains("Bundled snapshot: Radar HuggingFace Dataset by 686f6c61 (HF//RADAR), CC BY 4.0", csv);
        foreach (var series in new[] { ",Qwen,", ",Qwen without its largest model,", ",Llama,", ",Llama without its largest model," })
        {
            Assert.Equal(11, csv.Split('\n').Count(line => line.Contains(series, StringComparison.Ordinal)));
        }

        using var png = await http.GetAsync("/charts/china-us-share.png", TestContext.Current.CancellationToken);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        var embed = await http.GetStringAsync("/embed/qwen-vs-llama", TestContext.Current.CancellationToken);
        Assert.Contains("data-testid=\"embed-credit\"", embed);
        Assert.Contains("OSIR-LMTS by BAAI", embed);
    }

    [Fact]
    public async Task TheStorysFilesInSpanishTellTheSameFactsInSpanishWithTheSameData()
    {
        using var http = imported.App.CreateClient();
        var spanish = await http.GetStringAsync("/exports/seed-story.csv?lang=es", TestContext.Current.CancellationToken);
        var english = await http.GetStringAsync("/exports/seed-story.csv", TestContext.Current.CancellationToken);
        Assert.Equal(english[english.IndexOf("\r\n\r\n", StringComparison.Ordinal)..], spanish[spanish.IndexOf("\r\n\r\n", StringComparison.Ordinal)..]);

        Assert.Contains("OpenModelWatch export,\"La historia de partida, mes a mes\"", spanish, StringComparison.Ordinal); // keys stay English, values are Spanish
        Assert.Contains("Qwen adelantó a Llama en abril de 2025 y ha ido por delante todos los meses desde entonces (6 meses, hasta septiembre de 2025)", spanish, StringComparison.Ordinal);
        Assert.Contains("En noviembre de 2024, la ventaja de Qwen (", spanish, StringComparison.Ordinal);
        Assert.Contains("descansa en un solo modelo: Qwen/Qwen2.5-1.5B-Instruct tiene ", spanish, StringComparison.Ordinal);
        Assert.Contains("DeepSeek entra en enero de 2025: el primer mes en que el historial recoge deepseek-ai", spanish, StringComparison.Ordinal);
        Assert.Contains("Historial mensual: OSIR-LMTS del BAAI (brucecui0120), MIT; las cifras son del Hugging Face Hub.", spanish, StringComparison.Ordinal);
        Assert.DoesNotContain("DeepSeek enters", spanish, StringComparison.Ordinal);
        Assert.Contains("DeepSeek enters in January 2025", english, StringComparison.Ordinal);

        // The chart's legend is Spanish; its data keeps the series' names.
        var svg = await http.GetStringAsync("/charts/qwen-vs-llama.svg?lang=es", TestContext.Current.CancellationToken);
        Assert.Contains("Qwen sin su modelo más descargado", svg, StringComparison.Ordinal);
        Assert.Contains("Qwen frente a Llama: descargas en 30 días, mes a mes", svg, StringComparison.Ordinal);
        var data = await http.GetStringAsync("/charts/qwen-vs-llama.csv?lang=es", TestContext.Current.CancellationToken);
        Assert.Equal(11, data.Split('\n').Count(line => line.Contains(",Qwen without its largest model,", StringComparison.Ordinal)));
    }
}
