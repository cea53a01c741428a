using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;

namespace OpenModelWatch.Tests.TestSupport;

/// <summary>
/// The real web app (<c>Program</c>) on a test database and a fake Hub, scheduled ingestion and the bundled snapshot
/// off unless a test turns them on.
/// </summary>
public sealed class AppFactory(TempFolder folder, Uri hub, string registryPath, IDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Test");
        var all = TestSettings.For(folder, hub, registryPath).ToDictionary(pair => pair.Key, pair => (string?)pair.Value);
        // A free loopback port for Kestrel (StartOnKestrel), also when the app binds before the factory sets its port (a race of
        // WebApplicationFactory.UseKestrel under load): otherwise two apps starting at once both take the default 5000 and one fails.
        all["urls"] = "http://127.0.0.1:0";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Serves the app on a real loopback port (for browsers and raw HTTP) and returns its address, without a trailing slash.</summary>
    public string StartOnKestrel()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
    }
}
