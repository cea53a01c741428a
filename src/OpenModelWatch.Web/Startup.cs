using Microsoft.Extensions.Options;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Labs;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web;

/// <summary>What happens between building the host and serving: checks that stop it with one line, then a command or the web app.</summary>
public static class Startup
{
    public const int ExitBadStart = 2;

    public static async Task<int> RunAsync(this WebApplication app, string[] args)
    {
        // hash-secret and backup work without preparing the store (a backup must not migrate what it copies)
        if (await app.RunOperationsCommandAsync(args) is { } exitCode)
        {
            return exitCode;
        }

        try
        {
            await app.PrepareAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is StartupException or LabRegistryException or OptionsValidationException or InvalidOperationException or AggregateException)
        {
            await Console.Error.WriteLineAsync($"OpenModelWatch cannot start: {OneLine(exception)}");
            return ExitBadStart;
        }

        switch (args.FirstOrDefault(arg => !arg.StartsWith('-') && !arg.Contains('=')))
        {
            case "ingest":
                using (var stop = new CancellationTokenSource())
                {
                    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
                    return await app.Services.RunIngestCommandAsync(Console.Out, Console.Error, stop.Token);
                }

            case null:
                app.UseOperations();
                app.UseSecurity();
                app.MapOperations();
                app.MapSecurity();
                app.MapExports();
                app.MapApi();
                app.MapDashboard();
                await app.RunAsync();
                return 0;

            case var unknown:
                await Console.Error.WriteLineAsync($"Unknown command \"{unknown}\". Commands: ingest, backup FILE, hash-secret (or none, to serve the dashboard).");
                return ExitBadStart;
        }
    }

    /// <summary>Validates every option, loads the registry and prepares the store; any failure is a start-up error.</summary>
    public static async Task PrepareAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        app.Services.GetService<IStartupValidator>()?.Validate();
        app.Services.GetRequiredService<LabRegistry>();
        await app.Services.GetRequiredService<StoreInitializer>().InitializeAsync(cancellationToken);
        await app.Services.GetRequiredService<Snapshot.BundledSnapshot>().ImportIfEmptyAsync(cancellationToken);
    }

    private static readonly Dictionary<Type, string> _sections = new()
    {
        [typeof(Hub.HubClientOptions)] = Hub.HubClientOptions.Section,
        [typeof(IngestionOptions)] = IngestionOptions.Section,
        [typeof(LabsOptions)] = LabsOptions.Section,
        [typeof(Census.CensusOptions)] = Census.CensusOptions.Section,
        [typeof(Security.AdminOptions)] = Security.AdminOptions.Section,
        [typeof(Security.SecurityOptions)] = Security.SecurityOptions.Section,
        [typeof(Security.RateLimitingOptions)] = Security.RateLimitingOptions.Section,
        [typeof(Operations.ProxyOptions)] = Operations.ProxyOptions.Section,
    };

    /// <summary>One line, naming the configuration key where there is one.</summary>
    public static string OneLine(Exception exception)
    {
        var message = exception switch
        {
            OptionsValidationException options => string.Join(" ", options.Failures.Select(failure => Keyed(options.OptionsType, failure))),
            AggregateException { InnerExceptions.Count: > 0 } aggregate => string.Join(" ", aggregate.InnerExceptions.Select(OneLine)),
            _ => exception.Message,
        };
        return message.ReplaceLineEndings(" ");
    }

    private static string Keyed(Type optionsType, string failure)
    {
        var section = _sections.GetValueOrDefault(optionsType, optionsType.Name);
        if (failure.StartsWith(section + ":", StringComparison.Ordinal))
        {
            return failure;
        }

        var members = System.Text.RegularExpressions.Regex.Match(failure, "members: '([^']+)' with the error: '(.*)'\\.?$");
        return members.Success ? $"{section}:{members.Groups[1].Value}: {members.Groups[2].Value.TrimEnd('.', '\'')}." : $"{section}: {failure}";
    }
}
