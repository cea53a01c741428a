namespace OpenModelWatch.Web.Security;

public static class ClientAddress
{
    /// <summary>
    /// The client's IP address as the app sees it: the proxy's own unless forwarded headers are on and the proxy is
    /// trusted (<c>ForwardedHeaders</c>), in which case it is the address the proxy was connected from.
    /// </summary>
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
