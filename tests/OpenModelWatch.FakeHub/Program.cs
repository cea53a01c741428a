using OpenModelWatch.FakeHub.Catalogs;

namespace OpenModelWatch.FakeHub;

/// <summary>
/// The fake Hub as a process, for manual runs and out-of-process benchmarks; see <see cref="FakeHubCommandLine.Usage"/>.
/// An explicit class in this namespace rather than top-level statements: those would make a public global
/// <c>Program</c> that collides with the web app's in the test project, which references both.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        FakeHubOptions options;
        try
        {
            options = FakeHubCommandLine.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            await Console.Error.WriteLineAsync(FakeHubCommandLine.Usage);
            return 2;
        }

        await using var server = await FakeHubServer.StartAsync(options);
        var catalog = options.Catalog;
        Console.WriteLine($"Fake Hub listening on {server.BaseAddress}");
        Console.WriteLine($"  {catalog.Sum().Valid.Models:N0} models by {catalog.Authors.Count:N0} authors; quota {options.RateLimitQuota} per {options.RateLimitWindow.TotalSeconds:N0} s; pages of at most {options.MaxPageSize}");
        if (catalog is DailyCatalog daily)
        {
            Console.WriteLine($"  day {daily.Day} ({daily.Current.Date:yyyy-MM-dd}); each day {daily.NewPerDay:N0} new, {daily.RemovedPerDay:N0} removed, {daily.RenamedPerDay:N0} renamed; next day: curl -X POST '{server.BaseAddress}_fake/day?day=next'");
        }

        Console.WriteLine($"  try: curl -i '{server.BaseAddress}api/models?author={catalog.Authors.FirstOrDefault()}&limit=2&expand=downloads&expand=likes'");
        await server.WaitForShutdownAsync();
        return 0;
    }
}
