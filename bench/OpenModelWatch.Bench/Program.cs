using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenModelWatch.FakeHub.HubStats;
using OpenModelWatch.Hub;

// The floor of an ingestion run: list through the same Hub client (same pages, same parsing, same pipeline), and do
// nothing with the models. Usage: floor HUB_URL REGISTRY_JSON   every namespace of a registry
//                                 census HUB_URL                 the whole Hub by downloads (the census listing)
//                                 hubstats FILE N                writes a generated hub-stats models.parquet of N rows
string hubUrl = "";
string? registryPath = null;
switch (args)
{
    case ["hubstats", string file, string rows]:
        var writeClock = Stopwatch.StartNew();
        await HubStatsFileWriter.WriteAsync(file, GeneratedHubStats.Rows(int.Parse(rows, System.Globalization.CultureInfo.InvariantCulture)), HubStatsColumns.Current);
        Console.WriteLine($"hubstats: {file}: {rows} rows, {new FileInfo(file).Length / 1e6:F1} MB, written in {writeClock.Elapsed.TotalSeconds:F1} s");
        return 0;
    case ["floor", string url, string registryFile]:
        hubUrl = url;
        registryPath = registryFile;
        break;
    case ["census", string url]:
        hubUrl = url;
        break;
    default:
        Console.Error.WriteLine("usage: OpenModelWatch.Bench floor HUB_URL REGISTRY_JSON | census HUB_URL | hubstats FILE N");
        return 2;
}

var services = new ServiceCollection();
services.AddLogging();
services.AddSingleton(Options.Create(new HubClientOptions { BaseUrl = new Uri(hubUrl) }));
services.AddHubClient();
await using var provider = services.BuildServiceProvider();
var hub = provider.GetRequiredService<HubClient>();

if (registryPath is null)
{
    var censusClock = Stopwatch.StartNew();
    long censusModels = 0;
    long censusDownloads = 0;
    long pages = 0;
    await foreach (var page in hub.ListTopByDownloadsAsync())
    {
        censusModels += page.Models.Count;
        censusDownloads += page.Models.Sum(model => model.Downloads.Value);
        if (++pages % 500 == 0)
        {
            Console.WriteLine($"census floor: {pages} pages, {censusModels} models, {censusClock.Elapsed.TotalSeconds:F0} s");
        }
    }

    var censusCounts = hub.Stats.Snapshot();
    Console.WriteLine($"census floor: {censusModels} models in {censusClock.Elapsed.TotalSeconds:F2} s " +
        $"({censusModels / censusClock.Elapsed.TotalSeconds:F0} models/s), {censusCounts.Requests} requests, {censusCounts.Bytes} bytes, downloads sum {censusDownloads}");
    return 0;
}

using var registry = JsonDocument.Parse(await File.ReadAllBytesAsync(registryPath));
var namespaces = registry.RootElement.GetProperty("labs").EnumerateArray()
    .SelectMany(lab => lab.GetProperty("namespaces").EnumerateArray().Select(ns => ns.GetString()!))
    .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

var clock = Stopwatch.StartNew();
long models = 0;
long downloads = 0;
foreach (var ns in namespaces)
{
    await foreach (var page in hub.ListByAuthorAsync(ns))
    {
        models += page.Models.Count;
        downloads += page.Models.Sum(model => model.Downloads.Value);
    }
}

var counts = hub.Stats.Snapshot();
Console.WriteLine($"floor: {models} models from {namespaces.Length} namespaces in {clock.Elapsed.TotalSeconds:F2} s " +
    $"({models / clock.Elapsed.TotalSeconds:F0} models/s), {counts.Requests} requests, {counts.Bytes} bytes, downloads sum {downloads}");
return 0;
