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
            new("Qwen without its largest model", [.. months.Select(m => (double?)(m.QwenDownloads30d - m.QwenTopModelDownloads30d))], "#ef9a9a",
                FileTexts.Get("SeedStory.Series.Without", "Qwen")),
            new("Llama", [.. months.Select(m => (double?)m.LlamaDownloads30d)], RegionColors.Of(Regions.Us)),
            new("Llama without its largest model", [.. months.Select(m => (double?)(m.LlamaDownloads30d - m.LlamaTopModelDownloads30d))], "#90caf9",
                FileTexts.Get("SeedStory.Series.Without", "Llama")),
        ];
        var info = ExportInfo.For(FileTexts.Get("SeedStory.QwenVsLlama.Title"), data.AsOf, Filters(data),
            [Metrics.Definition(Metrics.Downloads30d), QwenAndLlamaText, RulesText, .. data.Sentences.Take(1)], links, "seed-story");
        return new Chart(QwenVsLlamaChart, info, new LineBody(runs, series, FileTexts.Get("Chart.Downloads30dAxis"), ValueFormat.Count), "/#seed-story");
    }

    /// <summary>China's and the US's shares, over the first month's organisations (like with like) and over each month's list.</summary>
    public async Task<Chart?> ChinaUsShareAsync(IQueryCollection query, ExportLinks links, CancellationToken cancellationToken)
    {
        var (data, runs) = await MonthsAsync(query, cancellationToken);
        var months = data.Months;
        var first = months.Count > 0 ? $"the {months[0].Organisations} organisations of {SeedStory.Month(months[0].At)}" : "the first month's organisations";
        var firstText = months.Count > 0 ? FileTexts.Get("SeedStory.FirstMonthOrganisations", months[0].Organisations, Month(months[0].At)) : FileTexts.Get("SeedStory.FirstMonth");
        var china = FileTexts.Region(Regions.China);
        var us = FileTexts.Region(Regions.Us);
        LineSeries[] series =
        [
            new($"China, {first}", [.. months.Select(m => m.PanelChinaShare * 100)], RegionColors.Of(Regions.China), $"{china}, {firstText}"),
            new($"US, {first}", [.. months.Select(m => m.PanelUsShare * 100)], RegionColors.Of(Regions.Us), $"{us}, {firstText}"),
            new("China, each month's whole list", [.. months.Select(m => (double?)m.ChinaShare * 100)], "#ef9a9a", FileTexts.Get("SeedStory.Series.WholeList", china)),
            new("US, each month's whole list", [.. months.Select(m => (double?)m.UsShare * 100)], "#90caf9", FileTexts.Get("SeedStory.Series.WholeList", us)),
        ];
        var info = ExportInfo.For(FileTexts.Get("SeedStory.ChinaUsShare.Title"), data.AsOf, Filters(data),
            [Metrics.Definition(Metrics.Downloads30d), FileTexts.Get("Chart.RegionDefinition", FileTexts.Translate("Term.Region", Terms.Region)), RulesText, .. data.Sentences.Skip(data.Sentences.Count - 1)], links, "seed-story");
        return new Chart(ChinaUsShareChart, info, new LineBody(runs, series, FileTexts.Get("Chart.ShareAxis"), ValueFormat.Percent), "/#seed-story");
    }

    public const string QwenAndLlama =
        "Qwen: models of the registry lab alibaba-qwen (the Qwen namespace); Llama: models of the meta-llama namespace (Meta's own Llama repositories), as in the overview's headline.";

    /// <summary>Who Qwen and Llama are, in the file's language.</summary>
    public static string QwenAndLlamaText => FileTexts.Translated ? FileTexts.Get("SeedStory.QwenAndLlama") : QwenAndLlama;

    /// <summary>The seed story's rules, in the file's language.</summary>
    public static string RulesText => FileTexts.Translated ? FileTexts.Get("SeedStory.Rules") : SeedStory.Rules;


    public static string Filters(SeedStoryData data) => data.Months.Count == 0
        ? FileTexts.Get("SeedStory.NoRun")
        : FileTexts.Get("SeedStory.Filters", data.Months.Count, Month(data.Months[0].At), Month(data.Months[^1].At));

    /// <summary>A month as the file's language writes it: November 2024, noviembre de 2024.</summary>
    public static string Month(DateTime at) => FileTexts.Translated
        ? at.ToString(FileTexts.Get("SeedStory.MonthFormat"), System.Globalization.CultureInfo.CurrentCulture)
        : SeedStory.Month(at);

    private async Task<(SeedStoryData Data, ChartRun[] Runs)> MonthsAsync(IQueryCollection query, CancellationToken cancellationToken)
    {
        var p = ChartParameters.Parse(query, [Metrics.Downloads30d]);
        var data = await story.GetAsync(p.Run, cancellationToken);
        var months = data.Months.Where(m => RunHistory.InDays(m.At, p.From, p.To)).ToArray();
        return (data with { Months = months }, [.. months.Select(m => new ChartRun(m.RunId, m.At, RunSource.OsirMonthly))]);
    }
}
