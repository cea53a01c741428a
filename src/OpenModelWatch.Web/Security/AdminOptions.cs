using System.ComponentModel.DataAnnotations;

namespace OpenModelWatch.Web.Security;

/// <summary>
/// The <c>Admin</c> configuration section: hashes of the administrator's secrets, never the secrets themselves.
/// Both empty (the default) means administration is off: nobody can start a run from the web. Make a hash with
/// <c>dotnet run --project src/OpenModelWatch.Web -- hash-secret</c>.
/// </summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Hash of the password of the <c>/login</c> page (cookie session for the dashboard).</summary>
    public string? PasswordHash { get; set; }

    /// <summary>Hash of the key sent as <c>X-Api-Key</c> by automation (e.g. <c>POST /api/v1/runs</c>).</summary>
    public string? ApiKeyHash { get; set; }

    /// <summary>How long a login lasts without activity (sliding).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    public bool LoginEnabled => !string.IsNullOrWhiteSpace(PasswordHash);

    public bool ApiKeyEnabled => !string.IsNullOrWhiteSpace(ApiKeyHash);
}
