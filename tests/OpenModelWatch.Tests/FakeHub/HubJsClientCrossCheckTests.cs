using System.Diagnostics;
using System.Text.Json;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.Tests.TestSupport;

namespace OpenModelWatch.Tests.FakeHub;

/// <summary>
/// The official JS client, @huggingface/hub, lists an author through the fake: if the fake's JSON,
/// expand handling, Link header or cursor drifted from what real clients expect, this fails.
/// </summary>
public class HubJsClientCrossCheckTests
{
    [Fact]
    public async Task TheOfficialJsClientReadsExactlyTheCatalogAcrossSeveralPages()
    {
        var script = Repo.Path("tests", "hubjs", "list-models.mjs");
        if (!Directory.Exists(Repo.Path("tests", "hubjs", "node_modules", "@huggingface", "hub")))
        {
            Assert.Fail("tests/hubjs/node_modules is missing: run `npm ci --prefix tests/hubjs` once, then run the tests again.");
        }

        // 1,201 models for lab-b: the client asks 500 a page, so it must follow two Link headers.
        var catalog = new GeneratedCatalog(3 * 1_201, ["lab-a", "lab-b", "lab-c"]);
        await using var hub = await FakeHubKit.StartAsync(catalog);

        var lines = await RunNodeAsync(script, "--hub-url", hub.BaseAddress.AbsoluteUri, "--author", "lab-b", "--expand", "downloadsAllTime");

        var expected = catalog.List("lab-b", ModelSort.None).Select(r => r.Model).ToList();
        var read = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(1_201, read.Count);
        Assert.Equal(expected.Select(m => m.Id), read.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(expected.Select(m => m.ObjectId), read.Select(r => r.GetProperty("_id").GetString()));
        Assert.Equal(expected.Select(m => m.Downloads), read.Select(r => r.GetProperty("downloads").GetInt64()));
        Assert.Equal(expected.Select(m => m.Likes), read.Select(r => r.GetProperty("likes").GetInt64()));
        Assert.Equal(expected.Select(m => m.DownloadsAllTime!.Value), read.Select(r => r.GetProperty("downloadsAllTime").GetInt64()));
        Assert.Equal(3, hub.Counters.RequestsTo("/api/models"));
    }

    private static async Task<List<string>> RunNodeAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = node.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = node.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }

        Assert.True(node.ExitCode == 0, $"node {string.Join(' ', arguments)} exited with {node.ExitCode}:\n{await stderr}");
        return [.. (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
