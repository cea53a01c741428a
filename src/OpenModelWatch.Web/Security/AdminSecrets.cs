using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace OpenModelWatch.Web.Security;

/// <summary>
/// Checks a password or an API key against the configured hashes. A key that was verified once is remembered as a
/// SHA-256 digest, so automation that sends it on every call does not pay the slow hash each time.
/// </summary>
public sealed class AdminSecrets(IOptions<AdminOptions> options)
{
    private byte[]? _verifiedKey;

    public AdminOptions Options => options.Value;

    public bool IsPassword(string password) =>
        Options.LoginEnabled && password.Length > 0 && SecretHash.Verify(Options.PasswordHash!.Trim(), password);

    public bool IsApiKey(string key)
    {
        if (!Options.ApiKeyEnabled || key.Length == 0)
        {
            return false;
        }

        var digest = SecretHash.Digest(key);
        if (Volatile.Read(ref _verifiedKey) is { } known && CryptographicOperations.FixedTimeEquals(known, digest))
        {
            return true;
        }

        if (!SecretHash.Verify(Options.ApiKeyHash!.Trim(), key))
        {
            return false;
        }

        Volatile.Write(ref _verifiedKey, digest);
        return true;
    }
}
