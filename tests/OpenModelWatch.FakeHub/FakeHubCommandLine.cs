using OpenModelWatch.FakeHub.Catalogs;

namespace OpenModelWatch.FakeHub;

/// <summary>Options of the runnable fake, from <c>--name value</c> arguments.</summary>
internal static class FakeHubCommandLine
{
    public const string Usage = """
        Usage: dotnet run --project tests/OpenModelWatch.FakeHub -- [options]
          --catalog generated|realistic|snapshot
                                          default: generated when --models is given, else realistic;
                                          snapshot replays the bundled August 2026 Hub snapshot (real numbers)
          --models N                      generated catalog size (default 100000)
          --namespaces A,B,C              generated catalog namespaces (default Qwen,meta-llama,deepseek-ai)
          --seed N                        generated catalog seed (default 42)
          --malformed-every N             every N-th record of an author listing is malformed (default 0: none)
          --snapshot PATH                 snapshot catalog file (default: the bundled models.jsonl.gz)
          --all-time omit|estimate        snapshot catalog downloadsAllTime, which the file lacks (default: omit)
          --port N                        port on 127.0.0.1 (default: any free port)
          --quota N                       requests per rate-limit window (default 1000)
          --window-seconds N              rate-limit window (default 300)
          --page-size N                   most items per page (default 1000)
        """;

    private static readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase)
    {
        "catalog", "models", "namespaces", "seed", "malformed-every", "snapshot", "all-time", "port", "quota", "window-seconds", "page-size",
    };

    /// <exception cref="ArgumentException">An unknown option or a bad value.</exception>
    public static FakeHubOptions Parse(string[] args)
    {
        var config = new ConfigurationBuilder().AddCommandLine(args).Build();
        var unknown = config.AsEnumerable().Select(p => p.Key).Where(k => !_known.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", unknown.Select(k => "--" + k))}");
        }

        try
        {
            var catalogKind = config["catalog"] ?? (config["models"] is null ? "realistic" : "generated");
            IFakeCatalog catalog = catalogKind switch
            {
                "realistic" => new RealisticCatalog(),
                "generated" => new GeneratedCatalog(
                    config.GetValue("models", 100_000),
                    (config["namespaces"] ?? "Qwen,meta-llama,deepseek-ai").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    config.GetValue("seed", 42))
                {
                    MalformedEvery = config.GetValue("malformed-every", 0),
                },
                "snapshot" => new SnapshotCatalog(config["snapshot"], (config["all-time"] ?? "omit") switch
                {
                    "omit" => AllTimeDownloads.Omitted,
                    "estimate" => AllTimeDownloads.Estimated,
                    var other => throw new ArgumentException($"Unknown --all-time '{other}': expected omit or estimate."),
                }),
                _ => throw new ArgumentException($"Unknown catalog '{catalogKind}': expected generated, realistic or snapshot."),
            };

            return new FakeHubOptions
            {
                Catalog = catalog,
                Port = config.GetValue<int?>("port"),
                RateLimitQuota = config.GetValue("quota", 1000),
                RateLimitWindow = TimeSpan.FromSeconds(config.GetValue("window-seconds", 300)),
                MaxPageSize = config.GetValue("page-size", 1000),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException)
        {
            // GetValue's conversion failure (e.g. --models lots), or a --snapshot file that is not there.
            throw new ArgumentException(e.Message, e);
        }
    }
}
