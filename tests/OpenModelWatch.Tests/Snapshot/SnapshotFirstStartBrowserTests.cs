using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.Snapshot;

/// <summary>
/// What a newcomer sees: the real app started as a process on a fresh database, with the shipped registry and the
/// Hub unreachable, opens on the bundled snapshot's real numbers, labelled and credited.
/// </summary>
public sealed class SnapshotFirstStartBrowserTests(Browser browser)
{
    [Fact]
    public async Task AFreshDashboardWithNoHubOpensOnTheLabelledAndCreditedSnapshotWithATimelineFromNovember2024()
    {
        using var folder = new TempFolder();
        var port = FreePort();
        using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings:OpenModelWatch"] = folder.ConnectionString,
            ["Hub:BaseUrl"] = "http://127.0.0.1:9/", // nothing listens there: every request is refused at once
            ["Hub:MaxAttempts"] = "1",
            ["Logs:Path"] = "",
            ["urls"] = $"http://127.0.0.1:{port}",
        });
        var baseUrl = $"http://127.0.0.1:{port}";
        await WaitForLiveAsync(app, baseUrl);

        var context = await browser.Instance.NewContextAsync(new() { BaseURL = baseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/");
            var asOf = page.GetByTestId("as-of");
            await Assertions.Expect(asOf).ToContainTextAsync("bundled August 2026 snapshot", new() { Timeout = 30_000 });
            await Assertions.Expect(asOf).ToContainTextAsync("2026-08-22 20:00 UTC");
            await Assertions.Expect(asOf).ToContainTextAsync("Radar HuggingFace Dataset by 686f6c61");
            await Assertions.Expect(asOf).ToContainTextAsync("CC BY 4.0");
            var top10 = page.GetByTestId("top10-list");
            await Assertions.Expect(top10).ToContainTextAsync("sentence-transformers/all-MiniLM-L6-v2");
            await Assertions.Expect(top10).ToContainTextAsync("Qwen/Qwen3-0.6B");
            // The failed live attempt is said too, above the snapshot's numbers.
            await Assertions.Expect(page.GetByTestId("last-run-failed")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await page.ScreenshotAsync("snapshot-first-start");

            // A page with no history chart says the same of its as-of run, once, and never calls the snapshot an import.
            await page.GotoAsync("/adoption");
            var adoptionAsOf = page.GetByTestId("as-of");
            await Assertions.Expect(adoptionAsOf).ToContainTextAsync("bundled August 2026 snapshot", new() { Timeout = 30_000 });
            await Assertions.Expect(adoptionAsOf).Not.ToContainTextAsync("import");
            await Assertions.Expect(adoptionAsOf.Locator(".mud-alert")).ToHaveCountAsync(1);
            await page.GotoAsync("/");

            // The timeline starts in November 2024 (the bundled monthly history), and both sources are credited.
            var story = page.GetByTestId("seed-story");
            await Assertions.Expect(story.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("The story so far: November 2024 – September 2025");
            await Assertions.Expect(page.GetByTestId("story-crossover")).ToHaveTextAsync("Qwen since April 2025");
            await Assertions.Expect(page.GetByTestId("story-deepseek")).ToHaveTextAsync("January 2025");
            await Assertions.Expect(page.GetByTestId("seed-story-source")).ToContainTextAsync("Monthly history: OSIR-LMTS by BAAI (brucecui0120), MIT");
            await Assertions.Expect(page.GetByTestId("history-credits")).ToContainTextAsync("Monthly history: OSIR-LMTS by BAAI (brucecui0120), MIT");
            await Assertions.Expect(page.GetByTestId("qwen-vs-llama-chart")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("seed-story-month").First).ToHaveAttributeAsync("data-month", "2024-11");
            await Assertions.Expect(page.GetByTestId("seed-story-month")).ToHaveCountAsync(11);
            await Assertions.Expect(page.GetByTestId("region-share-chart")).ToContainTextAsync("2025");
            await page.ScreenshotAsync("monthly-history-overview-desktop");
            await page.SetViewportSizeAsync(390, 844);
            await page.ReloadAsync();
            await Assertions.Expect(page.GetByTestId("story-crossover")).ToHaveTextAsync("Qwen since April 2025", new() { Timeout = 30_000 });
            await page.ScreenshotAsync("monthly-history-overview-phone");
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static async Task WaitForLiveAsync(AppProcess app, string baseUrl)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddMinutes(5); // both bundled datasets are imported before the server listens: about a minute, more on a busy machine
        while (true)
        {
            Assert.False(app.HasExited, "The app exited during start-up.");
            Assert.True(DateTime.UtcNow < deadline, "The app did not answer /health/live within 5 minutes.");
            try
            {
                using var response = await http.GetAsync(baseUrl + "/health/live", TestContext.Current.CancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet: the snapshot import runs before the server starts.
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
