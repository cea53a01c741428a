using System.Net;

namespace OpenModelWatch.Web.Operations;

/// <summary>
/// The <c>ForwardedHeaders</c> configuration section: behind a reverse proxy, take the client's address and scheme
/// from <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> — only from the proxies listed (loopback by default), so a
/// client cannot claim another address to escape rate limits.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "ForwardedHeaders";

    public bool Enabled { get; set; }

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c>; loopback is always trusted.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool AreAddressesValid() =>
        KnownProxies.All(proxy => IPAddress.TryParse(proxy, out _)) && KnownNetworks.All(network => IPNetwork.TryParse(network, out _));
}
