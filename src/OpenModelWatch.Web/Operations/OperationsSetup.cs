using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;
using Serilog;
using Serilog.Events;

namespace OpenModelWatch.Web.Operations;

/// <summary>
/// Running it on a server: health checks, metrics, request logging, a reverse proxy's forwarded headers, errors that
/// show nothing internal, runs started now by the administrator, and the <c>hash-secret</c> and <c>backup</c> commands.
/// </summary>
public static class OperationsSetup
{
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section)
            .Validate(proxy => proxy.AreAddressesValid(), "ForwardedHeaders:KnownProxies must be IP addresses and ForwardedHeaders:KnownNetworks CIDR networks (e.g. 10.0.0.0/24).")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var address in proxy.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(address));
            }

            foreach (var network in proxy.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        builder.Services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [HealthSetup.ReadyTag])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [HealthSetup.ReadyTag])
            .AddCheck<FreshnessHealthCheck>("ingestion", tags: [HealthSetup.ReadyTag]);
        builder.Services.AddSingleton<CachedHealth>();
        builder.Services.AddSingleton<IRunSucceededListener>(services => services.GetRequiredService<CachedHealth>());
        builder.Services.AddProblemDetails();

        // Keys for the login cookie and antiforgery tokens, beside the database: logins survive a restart. On
        // PostgreSQL, in the database: every web replica reads the cookies of the others.
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("OpenModelWatch");
        if (StoreSetup.Resolve(builder.Configuration, builder.Environment.ContentRootPath).IsPostgres)
        {
            dataProtection.PersistKeysToDbContext<PostgresStoreDb>();
            return builder;
        }

        builder.Services.AddOptions<KeyManagementOptions>().Configure<StoreConnection, ILoggerFactory>((keys, store, loggers) =>
        {
            if (Path.GetDirectoryName(store.DatabasePath) is { Length: > 0 } folder && store.DatabasePath != ":memory:")
            {
                keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(folder, "keys")), loggers);
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline: the proxy's headers, then errors without internals, then one log event per request.</summary>
    public static WebApplication UseOperations(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.Enabled)
        {
            app.UseForwardedHeaders();
        }

        if (!app.Environment.IsDevelopment())
        {
            // An unhandled exception becomes a bare 500 problem: no message, no stack, no setting is shown.
            app.UseExceptionHandler();
        }

        app.UseSerilogRequestLogging(logging =>
        {
            // This host's logger, not the static one (see Hosting/Logs.cs).
            logging.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            logging.GetLevel = RequestLevel;
            logging.EnrichDiagnosticContext = (diagnostics, context) =>
            {
                diagnostics.Set("ClientAddress", Security.ClientAddress.Of(context));
                if (context.User.Identity?.IsAuthenticated == true)
                {
                    diagnostics.Set("User", context.User.Identity.Name);
                }
            };
        });
        return app;
    }

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthSetup.WriteReportAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = HealthSetup.IsReadinessCheck, ResponseWriter = HealthSetup.WriteReportAsync });

        return app;
    }

    /// <summary>Errors at Error, refusals at Warning, assets, health probes and the circuit at Debug, the rest at Information.</summary>
    private static LogEventLevel RequestLevel(HttpContext context, double elapsedMilliseconds, Exception? exception) =>
        exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
        : context.Response.StatusCode is 401 or 403 or 413 or 429 ? LogEventLevel.Warning
        : IsRoutine(context.Request.Path) ? LogEventLevel.Debug
        : LogEventLevel.Information;

    private static bool IsRoutine(PathString path) =>
        path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content") || path.StartsWithSegments("/_blazor")
        || path.StartsWithSegments("/health") || Path.HasExtension(path.Value);
}
