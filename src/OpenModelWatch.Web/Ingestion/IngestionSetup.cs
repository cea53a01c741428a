using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenModelWatch.Hub;

namespace OpenModelWatch.Web.Ingestion;

public static class IngestionSetup
{
    /// <summary>The meter the ingestion runner records each run on; registered wherever the runner is.</summary>
    public static IServiceCollection AddIngestionMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<IngestionMetrics>();
        return services;
    }

    /// <summary>The curated lineage fixes (<c>seeds/lineage.json</c>), loaded once and validated; a bad file stops the host with the line at fault.</summary>
    public static IHostApplicationBuilder AddLineageFixes(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LineageOptions>().BindConfiguration(LineageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(provider => LineageFixes.Load(provider.GetRequiredService<IOptions<LineageOptions>>().Value.ResolvedPath));
        return builder;
    }

    /// <summary>The Hub client, the runner, the run lock and the scheduled worker.</summary>
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HubClientOptions>().BindConfiguration(HubClientOptions.Section)
            .ValidateDataAnnotations()
            .Validate(options => options.BaseUrl.IsAbsoluteUri && options.BaseUrl.Scheme is "http" or "https", "Hub:BaseUrl must be an absolute http(s) URL.")
            .ValidateOnStart();
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<CensusOptions>().BindConfiguration(CensusOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.AddLineageFixes();
        builder.Services.AddHubClient();
        builder.Services.AddSingleton<RunLock>();
        builder.Services.AddTransient<IngestionRunner>();
        builder.Services.AddIngestionMetrics();
        builder.Services.AddTransient<RemovalCheck>(); // per run, like the resolver: a fresh typed HttpClient
        builder.Services.AddTransient<LineageResolver>(); // per run: a fresh typed HttpClient from the factory
        builder.Services.AddSingleton<IngestionSchedule>();
        builder.Services.AddHostedService<IngestionWorker>();
        return builder;
    }
}
