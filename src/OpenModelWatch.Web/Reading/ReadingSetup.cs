namespace OpenModelWatch.Web.Reading;

/// <summary>
/// The shared read layer every feature builds on: the as-of run, the runs of history and their per-run cache, the
/// state of ingestion, and the warm-up that computes each feature's default view (<see cref="IViewWarmup"/>) ahead of
/// visitors after every new run, and the watcher that notices runs of other processes (<see cref="RunWatcher"/>).
/// </summary>
public static class ReadingSetup
{
    public static IHostApplicationBuilder AddReading(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RunHistory>();
        builder.Services.AddSingleton<RunStatusQuery>();
        builder.Services.AddSingleton<ViewWarmup>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ViewWarmup>());
        builder.Services.AddSingleton<IRunSucceededListener>(services => services.GetRequiredService<ViewWarmup>());
        builder.Services.AddSingleton<RunWatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RunWatcher>());
        builder.Services.AddSingleton<IRunSucceededListener>(services => services.GetRequiredService<RunWatcher>());
        return builder;
    }
}
