using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using OpenModelWatch.Web.Import;
using OpenModelWatch.Web.Ingestion;
using OpenModelWatch.Web.Operations;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Snapshot;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Hosting;

/// <summary>
/// The app's command line (System.CommandLine): with no command it serves the dashboard; <c>ingest</c>,
/// <c>import FILE…</c>, <c>backup FILE</c>, <c>copy-to-postgres TARGET</c> and <c>hash-secret</c> do one thing and exit; <c>--help</c> lists them. ASP.NET Core's own
/// arguments (<c>--urls http://…</c>, <c>--environment Production</c>, <c>--Hub:BaseUrl=…</c>, in either form) are
/// left to the host's configuration, which has already read them; a word that is neither is an unknown command.
/// </summary>
public static class CommandLine
{
    /// <summary>Parses <paramref name="args"/> and runs the command, or <paramref name="serve"/> when there is none.</summary>
    public static async Task<int> RunCommandLineAsync(this WebApplication app, string[] args, Action<WebApplication> serve)
    {
        var root = new RootCommand("OpenModelWatch: open-model adoption by country and lab, from the Hugging Face Hub's download counts. "
            + "With no command, serves the dashboard, the API and the exports (ASP.NET Core's --urls, --environment and any --Section:Key=value apply).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.SetAction(async (parse, _) =>
        {
            if (await RefuseUnknownWordAsync(parse) is { } refused)
            {
                return refused;
            }

            if (await PrepareOrExplainAsync(app, CancellationToken.None) is { } failed)
            {
                return failed;
            }

            serve(app);
            await app.RunAsync();
            return ExitCodes.Success;
        });

        var ingest = new Command("ingest", "One ingestion run, then exit: 0 when it succeeded, 1 when it failed (the reason on one line), 3 when another run holds the database.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        ingest.SetAction(async (parse, _) =>
        {
            if (await RefuseUnknownWordAsync(parse) is { } refused)
            {
                return refused;
            }

            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            return await PrepareOrExplainAsync(app, stop.Token) ?? await IngestAsync(app.Services, Console.Out, Console.Error, stop.Token);
        });
        root.Subcommands.Add(ingest);

        var files = new Argument<string[]>("FILE") { Description = "hub-stats models.parquet files (cfahlgren1/hub-stats, or hfmlsoc/hub_weekly_snapshots' models/<YYYY-MM-DD>/models.parquet).", Arity = ArgumentArity.OneOrMore };
        var at = new Option<string?>("--at") { Description = "The file's time, ISO 8601 UTC (2025-06-01T13:00:00Z, or a date for 00:00 UTC); one file only. Without it: a YYYY-MM-DD date in the file's name or folder, else the newest lastModified in the file." };
        var import = new Command("import", "Imports whole-Hub Parquet snapshots (the hub-stats models.parquet format), each as one run of the day it was taken, in time order. "
            + "The same file twice records nothing new; a day a live run covers is refused. Exit 0 when every file is imported (or was already), 1 when an import failed or was interrupted (nothing of it visible), "
            + "2 for a file that cannot be used (named, with the column at fault) or a refused day (nothing recorded), 3 when another run holds the database.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        import.Arguments.Add(files);
        import.Options.Add(at);
        import.SetAction(async (parse, _) =>
        {
            if (await RefuseUnknownWordAsync(parse) is { } refused)
            {
                return refused;
            }

            DateTime? time = null;
            if (parse.GetValue(at) is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                {
                    await Console.Error.WriteLineAsync($"import: --at \"{text}\" is not a time; write it as 2025-06-01T13:00:00Z (UTC) or 2025-06-01.");
                    return ExitCodes.BadUsage;
                }

                time = parsed.UtcDateTime;
            }

            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            HubStatsImport.LimitCommandHeap();
            return await PrepareOrExplainAsync(app, stop.Token)
                ?? ExitCode(await app.Services.GetRequiredService<HubStatsImport>().ImportAsync(
                    parse.GetValue(files) ?? [], time, terminal: !Console.IsOutputRedirected, Console.Out, Console.Error, stop.Token));
        });
        root.Subcommands.Add(import);

        var file = new Argument<string?>("FILE") { Description = "Where to write the copy; it must not exist yet.", Arity = ArgumentArity.ZeroOrOne };
        var backup = new Command("backup", "A consistent copy of the database, safe while the app runs (VACUUM INTO, then integrity_check). The store is not migrated first.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        backup.Arguments.Add(file);
        backup.SetAction(async (parse, _) =>
            await RefuseUnknownWordAsync(parse)
            ?? await BackupCommand.RunAsync(app.Services.GetRequiredService<StoreConnection>(), parse.GetValue(file), Console.Out, Console.Error, CancellationToken.None));
        root.Subcommands.Add(backup);

        var target = new Argument<string?>("TARGET") { Description = "The PostgreSQL database's connection string (Host=…;Database=…;Username=…;Password=…); the database must exist and be empty.", Arity = ArgumentArity.ZeroOrOne };
        var copy = new Command("copy-to-postgres", "Copies this SQLite store into an empty PostgreSQL database, all or nothing, and checks every table's rows and sums on both sides. "
            + "Exit 0 when copied, 1 when it failed (nothing committed), 2 when the target is missing, not PostgreSQL or not empty. Then start with Store:Provider=PostgreSQL (docs/deploy.md).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        copy.Arguments.Add(target);
        copy.SetAction(async (parse, _) =>
        {
            if (await RefuseUnknownWordAsync(parse) is { } refused)
            {
                return refused;
            }

            // The source at the current schema first: the copy is of this build's tables.
            await app.Services.GetRequiredService<StoreInitializer>().InitializeAsync(CancellationToken.None);
            return await StoreCopy.RunAsync(app.Services.GetRequiredService<StoreConnection>(), parse.GetValue(target), Console.Out, Console.Error, CancellationToken.None);
        });
        root.Subcommands.Add(copy);

        var hashSecret = new Command("hash-secret", "Reads a password or an API key from standard input (typed unseen at a terminal) and prints its hash, for Admin:PasswordHash or Admin:ApiKeyHash.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        hashSecret.SetAction(async (parse, _) =>
            await RefuseUnknownWordAsync(parse)
            ?? await HashSecretCommand.RunAsync(Console.In, Console.Out, Console.Error, fromTerminal: !Console.IsInputRedirected));
        root.Subcommands.Add(hashSecret);

        // No response files: an argument starting with @ is a value, not a file of arguments.
        // The host handles SIGTERM and Ctrl+C itself (a graceful stop that records a run as cancelled): not the parser.
        return await root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null })
            .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>Validates every option, loads the registry and the lineage fixes and prepares the store; any failure is a start-up error.</summary>
    public static async Task PrepareAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        app.Services.GetService<IStartupValidator>()?.Validate();
        app.Services.GetRequiredService<LabRegistry>();
        app.Services.GetRequiredService<LineageFixes>();
        await app.Services.GetRequiredService<StoreInitializer>().InitializeAsync(cancellationToken);
        await app.Services.GetRequiredService<IngestionRunner>().MarkInterruptedIfIdleAsync(cancellationToken);
        await app.Services.GetRequiredService<BundledImport>().ImportAsync(cancellationToken);
    }

    private static async Task<int?> PrepareOrExplainAsync(WebApplication app, CancellationToken cancellationToken)
    {
        try
        {
            await app.PrepareAsync(cancellationToken);
            return null;
        }
        catch (Exception exception) when (StartupErrors.IsStartupFailure(exception))
        {
            await Console.Error.WriteLineAsync($"OpenModelWatch cannot start: {StartupErrors.OneLine(exception)}");
            return ExitCodes.BadUsage;
        }
    }

    /// <summary><c>ingest</c>: one run, then exit 0 on success, 1 on failure, 3 when another run holds the lock.</summary>
    private static async Task<int> IngestAsync(IServiceProvider services, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var runner = services.GetRequiredService<IngestionRunner>();
        var outcome = await runner.RunAsync(RunTrigger.Command, cancellationToken);
        if (outcome.Succeeded)
        {
            await output.WriteLineAsync($"ingest: run {outcome.RunId} succeeded");
            return ExitCodes.Success;
        }

        await error.WriteLineAsync(outcome.RunId is null ? $"ingest: not started: {outcome.Error}" : $"ingest: run {outcome.RunId} failed: {outcome.Error}");
        return outcome.RunId is null ? ExitCodes.Busy : ExitCodes.Failed;
    }

    /// <summary>The exit code of an <c>import</c>: see the command's description.</summary>
    private static int ExitCode(ImportResult result) => result.Status switch
    {
        ImportStatus.Imported => ExitCodes.Success,
        ImportStatus.BadInput or ImportStatus.Refused => ExitCodes.BadUsage,
        ImportStatus.Busy => ExitCodes.Busy,
        _ => ExitCodes.Failed,
    };

    /// <summary>Exit 2 naming the first word that is neither a command nor a setting; null when there is none.</summary>
    private static async Task<int?> RefuseUnknownWordAsync(ParseResult parse)
    {
        if (UnknownWord(parse.UnmatchedTokens) is not { } word)
        {
            return null;
        }

        await Console.Error.WriteLineAsync($"Unknown command \"{word}\". Commands: ingest, import FILE…, backup FILE, hash-secret (or none, to serve the dashboard); --help for more.");
        return ExitCodes.BadUsage;
    }

    /// <summary>
    /// The first word that is not configuration, as ASP.NET Core's command-line configuration reads it: <c>--key value</c>,
    /// <c>--key=value</c>, <c>/key value</c> and <c>key=value</c> are settings; anything else would be a command.
    /// </summary>
    private static string? UnknownWord(IReadOnlyList<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Contains('='))
            {
                continue;
            }

            if (token.StartsWith('-') || token.StartsWith('/'))
            {
                i++; // its value follows
                continue;
            }

            return token;
        }

        return null;
    }
}
