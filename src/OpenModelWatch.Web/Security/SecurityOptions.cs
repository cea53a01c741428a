using System.ComponentModel.DataAnnotations;

namespace OpenModelWatch.Web.Security;

/// <summary>The <c>Security</c> configuration section: response headers, request limits, HTTPS.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Path prefixes other sites may show in a frame when none are configured.</summary>
    public static readonly IReadOnlyList<string> DefaultFramePaths = ["/embed/"];

    /// <summary>Path prefixes any site may frame (<c>frame-ancestors *</c>); every other response forbids framing.</summary>
    public string[] FramePaths { get; set; } = [];

    /// <summary>Largest request body accepted (the app takes only small forms and empty POSTs); larger gets 413.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Outside Development: redirect HTTP to HTTPS (when an HTTPS port is known) and send HSTS.</summary>
    public bool HttpsRedirection { get; set; } = true;

    public IReadOnlyList<string> FramedPaths => FramePaths.Length == 0 ? DefaultFramePaths : FramePaths;
}
