using OpenModelWatch.FakeHub.Catalogs;

namespace OpenModelWatch.FakeHub;

/// <summary>Options of the runnable fake, from <c>--name value</c> arguments.</summary>
internal static class FakeHubCommandLine
{
    public const string Usage = """
        Usage: dotnet run --project tests/OpenModelWatch.FakeHub -- [options]
          --catalog generated|realistic   default: generated when --models is given, else realistic
          --models N                      generated catalog size (default 100000)
          --namespaces A,B,C              generated catalog namespaces (default Qwen,meta-llama,deepseek-ai)
          --seed N                        generated catalog seed (default 42)
          --malformed-every N             every N-th record of an author listing is malformed (default 0: none)
          --port N                        port on 127.0.0.1 (default: any free port)
          --quota N                       requests per rate-limit window (default 1000)
          --window-seconds N              rate-limit window (default 300)
          --page-size N                   most items per page (default 1000)
        """;

    private static readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase)
    {
        "catalog", "models", "namespaces", "seed", "malformed-every", "port", "quota", "window-seconds", "page-size",
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
                _ => throw new ArgumentException($"Unknown catalog '{catalogKind}': expected generated or realistic."),
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
        catch (InvalidOperationException e)
        {
            // GetValue's conversion failure, e.g. --models lots.
            throw new ArgumentException(e.Message, e);
        }
    }
}
