using OpenModelWatch.Hub;

namespace OpenModelWatch.Web.Ingestion;

public static class IngestionSetup
{
    /// <summary>The Hub client, the runner, the run lock and the scheduled worker.</summary>
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HubClientOptions>().BindConfiguration(HubClientOptions.Section)
            .ValidateDataAnnotations()
            .Validate(options => options.BaseUrl.IsAbsoluteUri && options.BaseUrl.Scheme is "http" or "https", "Hub:BaseUrl must be an absolute http(s) URL.")
            .ValidateOnStart();
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<Census.CensusOptions>().BindConfiguration(Census.CensusOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHubClient();
        builder.Services.AddSingleton<RunLock>();
        builder.Services.AddTransient<IngestionRunner>();
        builder.Services.AddIngestionMetrics();
        builder.Services.AddTransient<Census.LineageResolver>(); // per run: a fresh typed HttpClient from the factory
        builder.Services.AddSingleton<IngestionSchedule>();
        builder.Services.AddHostedService<IngestionWorker>();
        return builder;
    }

    /// <summary><c>ingest</c>: one run, then exit 0 on success, 1 on failure, 3 when another run holds the lock.</summary>
    public static async Task<int> RunIngestCommandAsync(this IServiceProvider services, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var runner = services.GetRequiredService<IngestionRunner>();
        var outcome = await runner.RunAsync(Store.RunTrigger.Command, cancellationToken);
        if (outcome.Succeeded)
        {
            await output.WriteLineAsync($"ingest: run {outcome.RunId} succeeded");
            return 0;
        }

        await error.WriteLineAsync(outcome.RunId is null ? $"ingest: not started: {outcome.Error}" : $"ingest: run {outcome.RunId} failed: {outcome.Error}");
        return outcome.RunId is null ? 3 : 1;
    }
}
