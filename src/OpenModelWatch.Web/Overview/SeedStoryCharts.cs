using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Files;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Web.Overview;

/// <summary>The seed story's two charts, one point per month of the monthly history (<see cref="SeedStory"/>).</summary>
public sealed class SeedStoryCharts(SeedStory story)
{
    public const string QwenVsLlamaChart = "qwen-vs-llama";
    public const string ChinaUsShareChart = "china-us-share";

    /// <summary>Qwen and Llama, and each without its largest model: a lead of one model shows as the gap between the two Qwen lines.</summary>
    public async Task<Chart?> QwenVsLlamaAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var (data, runs) = await MonthsAsync(query, cancellationToken);
        var months = data.Months;
        LineSeries[] series =
        [
            new("Qwen", [.. months.Select(m => (double?)m.QwenDownloads30d)], RegionColors.Of(Regions.China)),
            new("Qwen without its largest model", [.. months.Select(m => (double?)(m.QwenDownloads30d - m.QwenTopModelDownloads30d))], "#ef9a9a"),
            new("Llama", [.. months.Select(m => (double?)m.LlamaDownloads30d)], RegionColors.Of(Regions.Us)),
            new("Llama without its largest model", [.. months.Select(m => (double?)(m.LlamaDownloads30d - m.LlamaTopModelDownloads30d))], "#90caf9"),
        ];
        var info = ExportInfo.For("Qwen vs Llama: 30-day downloads, month by month", data.AsOf, Filters(data),
            [Metrics.Definition(Metrics.Downloads30d), QwenAndLlama, SeedStory.Rules, .. data.Sentences.Take(1)], links, "seed-story");
        return new Chart(QwenVsLlamaChart, info, new LineBody(runs, series, "30-day downloads", ValueFormat.Count), "/#seed-story");
    }

    /// <summary>China's and the US's shares, over the first month's organisations (like with like) and over each month's list.</summary>
    public async Task<Chart?> ChinaUsShareAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var (data, runs) = await MonthsAsync(query, cancellationToken);
        var months = data.Months;
        var first = months.Count > 0 ? $"the {months[0].Organisations} organisations of {SeedStory.Month(months[0].At)}" : "the first month's organisations";
        LineSeries[] series =
        [
            new($"China, {first}", [.. months.Select(m => m.PanelChinaShare * 100)], RegionColors.Of(Regions.China)),
            new($"US, {first}", [.. months.Select(m => m.PanelUsShare * 100)], RegionColors.Of(Regions.Us)),
            new("China, each month's whole list", [.. months.Select(m => (double?)m.ChinaShare * 100)], "#ef9a9a"),
            new("US, each month's whole list", [.. months.Select(m => (double?)m.UsShare * 100)], "#90caf9"),
        ];
        var info = ExportInfo.For("China's and the US's share of the tracked organisations' 30-day downloads", data.AsOf, Filters(data),
            [Metrics.Definition(Metrics.Downloads30d), "Region: " + Terms.Region, SeedStory.Rules, .. data.Sentences.Skip(data.Sentences.Count - 1)], links, "seed-story");
        return new Chart(ChinaUsShareChart, info, new LineBody(runs, series, "Share (%)", ValueFormat.Percent), "/#seed-story");
    }

    public const string QwenAndLlama =
        "Qwen: models of the registry lab alibaba-qwen (the Qwen namespace); Llama: models of the meta-llama namespace (Meta's own Llama repositories), as in the overview's headline.";

    public static string Filters(SeedStoryData data) => data.Months.Count == 0
        ? "No run of the bundled monthly history up to this run"
        : $"The {data.Months.Count} runs of the bundled monthly history (OSIR-LMTS), {SeedStory.Month(data.Months[0].At)} to {SeedStory.Month(data.Months[^1].At)}: each month's tracked organisations' own models; later runs list other selections and are not joined to these lines";

    private async Task<(SeedStoryData Data, ChartRun[] Runs)> MonthsAsync(IQueryCollection query, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, [Metrics.Downloads30d]);
        var data = await story.GetAsync(p.Run, cancellationToken);
        var months = data.Months.Where(m => RunHistory.InDays(m.At, p.From, p.To)).ToArray();
        return (data with { Months = months }, [.. months.Select(m => new ChartRun(m.RunId, m.At, RunSource.OsirMonthly))]);
    }
}
