using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>Days of a fake Hub recorded one run a day through the app's own runner.</summary>
public static class DailyRuns
{
    /// <summary>Serves <paramref name="day"/>(0 … <paramref name="days"/> − 1) through <paramref name="catalog"/> and records a run of each; every run must succeed. Returns the runs' ids, day by day.</summary>
    public static async Task<List<int>> RecordAsync(AppFactory app, SwitchableCatalog catalog, int days, Func<int, IFakeCatalog> day)
    {
        var runner = app.Services.GetRequiredService<IngestionRunner>();
        var runs = new List<int>();
        for (var i = 0; i < days; i++)
        {
            catalog.Current = day(i);
            var outcome = await runner.RunAsync(RunTrigger.Manual, CancellationToken.None);
            Assert.True(outcome.Succeeded, outcome.Error);
            runs.Add(outcome.RunId!.Value);
        }

        return runs;
    }
}
