using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenModelWatch.Hub;

// The floor of an ingestion run: list every namespace of a registry through the same Hub client (same pages, same
// parsing, same pipeline), and do nothing with the models. Usage: floor HUB_URL REGISTRY_JSON
if (args is not ["floor", var hubUrl, var registryPath])
{
    Console.Error.WriteLine("usage: OpenModelWatch.Bench floor HUB_URL REGISTRY_JSON");
    return 2;
}

var services = new ServiceCollection();
services.AddLogging();
services.AddSingleton(Options.Create(new HubClientOptions { BaseUrl = new Uri(hubUrl) }));
services.AddHubClient();
await using var provider = services.BuildServiceProvider();
var hub = provider.GetRequiredService<HubClient>();

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
