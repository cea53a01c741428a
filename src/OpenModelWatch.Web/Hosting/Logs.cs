using Serilog;
using Serilog.Formatting.Compact;

namespace OpenModelWatch.Web.Hosting;

public static class Logs
{
    /// <summary>
    /// Serilog to the console and, unless <c>Logs:Path</c> is empty, to daily rolling compact-JSON files.
    /// Configured per host (not a static logger) so several hosts can share a test process.
    /// </summary>
    public static IHostApplicationBuilder AddLogs(this IHostApplicationBuilder builder)
    {
        var folder = builder.Configuration["Logs:Path"] ?? "logs";
        builder.Services.AddSerilog((services, logger) =>
        {
            // Quiet defaults for chatty frameworks, whatever folder the app runs from; configuration can override them.
            logger.MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("System.Net.Http.HttpClient", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Polly", Serilog.Events.LogEventLevel.Error)
                .ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .Enrich.With(Security.SecretScrubber.From(builder.Configuration))
                .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            if (!string.IsNullOrWhiteSpace(folder))
            {
                var path = Path.Combine(Path.GetFullPath(folder, builder.Environment.ContentRootPath), "openmodelwatch-.json");
                logger.WriteTo.File(new CompactJsonFormatter(), path, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 31);
            }
        }, preserveStaticLogger: true); // else every host's loggers write through the static Log.Logger: the last host built
        return builder;
    }
}
