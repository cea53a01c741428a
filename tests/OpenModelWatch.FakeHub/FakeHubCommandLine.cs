using OpenModelWatch.FakeHub.Catalogs;

namespace OpenModelWatch.FakeHub;

/// <summary>Options of the runnable fake, from <c>--name value</c> arguments.</summary>
internal static class FakeHubCommandLine
{
    public const string Usage = """
        Usage: dotnet run --project tests/OpenModelWatch.FakeHub -- [options]
          --catalog generated|daily|realistic|snapshot
                                          default: daily when --day is given, generated when --models is,
                                          else realistic; snapshot replays the bundled August 2026 Hub
                                          snapshot (real numbers)
          --models N                      generated catalog size; for daily, the size of day 0 (default 100000)
          --namespaces A,B,C              generated catalog namespaces (default Qwen,meta-llama,deepseek-ai)
          --seed N                        generated catalog seed (default 42)
          --malformed-every N             every N-th record of an author listing is malformed (default 0: none;
                                          generated only)
          --day N                         daily catalog: the day served at start (default 0); move it with
                                          POST /_fake/day?day=N (or ?day=next), read it with GET /_fake/day

        The daily catalog is the generated one (day 0 is identical) living on, day after day, a pure function
        of (models, namespaces, seed, day). Each day, with N the models of day 0 (counts rounded):
          new       exactly 0.2% of N (6,000 at N = 3,000,000), mostly in the tail, one in 500 a hit
          removed   exactly 0.05% of N (1,500 at 3M) of the day before's models, the tail more likely; then 404
          renamed   exactly 0.01% of N (300 at 3M): listed as ID-rK from the K-th rename on, the old id gone
                    from listings (a GET of it answers the model under its new id); same _id, same counts
          changed   about 31.4% of the models: the top 2% of day 0 daily, the rest every 2nd/3rd/5th/6th
                    day; downloads (30 days) always takes a new value, downloadsAllTime grows on 3 changes
                    in 4 and never falls, likes never fall; nothing moves between a model's change days
          --snapshot PATH                 snapshot catalog file (default: the bundled models.jsonl.gz)
          --all-time omit|estimate        snapshot catalog downloadsAllTime, which the file lacks (default: omit)
          --port N                        port on 127.0.0.1 (default: any free port)
          --quota N                       requests per rate-limit window (default 1000)
          --window-seconds N              rate-limit window (default 300)
          --page-size N                   most items per page (default 1000)
        """;

    private static readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase)
    {
        "catalog", "models", "namespaces", "seed", "malformed-every", "day", "snapshot", "all-time", "port", "quota", "window-seconds", "page-size",
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
            var catalogKind = config["catalog"] ?? (config["day"] is not null ? "daily" : config["models"] is null ? "realistic" : "generated");
            var namespaces = (config["namespaces"] ?? "Qwen,meta-llama,deepseek-ai").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (config["day"] is not null && catalogKind != "daily")
            {
                throw new ArgumentException($"--day is for the daily catalog, not {catalogKind}.");
            }

            if (config["malformed-every"] is not null && catalogKind != "generated")
            {
                throw new ArgumentException($"--malformed-every is for the generated catalog, not {catalogKind}.");
            }

            IFakeCatalog catalog = catalogKind switch
            {
                "realistic" => new RealisticCatalog(),
                "generated" => new GeneratedCatalog(config.GetValue("models", 100_000), namespaces, config.GetValue("seed", 42))
                {
                    MalformedEvery = config.GetValue("malformed-every", 0),
                },
                "daily" => new DailyCatalog(config.GetValue("models", 100_000), namespaces, config.GetValue("seed", 42), config.GetValue("day", 0)),
                "snapshot" => new SnapshotCatalog(config["snapshot"], (config["all-time"] ?? "omit") switch
                {
                    "omit" => AllTimeDownloads.Omitted,
                    "estimate" => AllTimeDownloads.Estimated,
                    var other => throw new ArgumentException($"Unknown --all-time '{other}': expected omit or estimate."),
                }),
                _ => throw new ArgumentException($"Unknown catalog '{catalogKind}': expected generated, daily, realistic or snapshot."),
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
